"""Chart text is readable where it is shown: each chart image of the example site at its
rendered size, its SVG text measured (font size times rendered width over viewBox width).
A chart too wide for its box scrolls in a region of its own rather than shrinking."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "index.html",
    "personas/maya-okafor.html",
    "journeys/click-and-collect.html",
    "journeys/return-or-exchange.html",
    "metrics/nps.html",
    "metrics/store-visit-nps.html",
    "insights.html",
]
MIN_PX = 11  # CSS px
SHOWN = """imgs => imgs.map(i => ({src: i.currentSrc, width: i.getBoundingClientRect().width,
    region: i.closest('[role=region]')?.getAttribute('aria-label') || '',
    focusable: i.closest('[role=region]')?.tabIndex === 0}))"""


def _smallest_text_px(site: Path, src: str, width: float) -> float | None:
    """The smallest text of the chart at `src` as shown `width` CSS px wide; None: no text."""
    svg = (site / unquote(urlparse(src).path).lstrip("/")).read_text(encoding="utf-8")
    view = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+)', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    return min(sizes) * width / view if sizes else None


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", PAGES)
def test_chart_text_is_eleven_px_or_more(
    new_page, built_site: Path, http_url: str, path: str, width: int
) -> None:
    page, watch = new_page(http_url, width=width)
    page.goto(http_url + path)
    charts = page.locator("figure.chart img").evaluate_all(SHOWN)
    assert charts, path
    small = []
    for chart in charts:
        assert chart["region"] and chart["focusable"], chart["src"]
        px = _smallest_text_px(built_site, chart["src"].removeprefix(http_url), chart["width"])
        if px is not None and px < MIN_PX:
            small.append(f"{chart['src'].rsplit('/', 1)[-1]}: {px:.1f} px")
    # the persona's own curves, drawn inline by the page
    inline = page.locator(".persona-curve svg text").evaluate_all(
        "ts => ts.map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"
    )
    small += [f"persona curve: {px:.1f} px" for px in inline if px < MIN_PX]
    assert small == []
    # a wide chart scrolls in its own box: the page itself keeps the viewport's width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert watch.errors == []


def test_charts_do_not_scroll_at_desktop_width(new_page, http_url: str) -> None:
    """At 1280 px every chart of these pages fits its box: it scrolls only on a phone."""
    for path in PAGES:
        page, _ = new_page(http_url, width=1280)
        page.goto(http_url + path)
        scrolling = page.locator(".chart-scroll").evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.ariaLabel)"
        )
        assert scrolling == [], path
