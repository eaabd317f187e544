"""Badges (status, priority, stage counts) never break inside a word at desktop or phone
width: in a table column, a badge that could break anywhere made the column so narrow that
"Planned" read "Planne / d"."""

from __future__ import annotations

import pytest

# Every word of every badge on the page that lies on more than one line.
_BROKEN_WORDS = """() => {
  const broken = [];
  for (const badge of document.querySelectorAll('.badge')) {
    const text = badge.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE || badge.offsetParent === null) continue;
    for (const match of text.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page_path", ["index.html", "insights.html", "journeys/index.html"])
def test_no_badge_breaks_a_word(new_page, http_url: str, page_path: str, width: int) -> None:
    page, watch = new_page(http_url, width=width)
    page.goto(http_url + page_path)
    assert page.locator(".badge").count() > 5
    assert page.evaluate(_BROKEN_WORDS) == []
    assert watch.errors == []
