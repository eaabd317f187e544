"""Independent accessibility checkers on every page kind, light and dark.

- axe-core's "needs review" colour-contrast results are failures once their colours are
  known: axe's own when it computed them, else the element's colour over the first opaque
  background behind it, computed here (WCAG 1.4.3: 4.5:1, 3:1 for large text; a symbol
  glyph such as an arrow, WCAG 1.4.11: 3:1).
- HTML_CodeSniffer (npm `html_codesniffer`) injected into the page, WCAG2AA: zero errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_site import PAGE_KINDS

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
HTMLCS = REPO / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"

# Every page kind: those of the other browser tests, and the research pages, a journey with
# sub-journeys and a service blueprint.
KINDS = [
    *PAGE_KINDS,
    "research/index.html",
    "research/click-and-collect-diary.html",
    "journeys/pickup-at-the-counter.html",
    "journeys/family-camping-trip.html",
]

# In the page: the element's text colour and the first opaque background behind it
# (ancestors' translucent backgrounds composited over it), as [r, g, b] 0..255 lists.
COLOURS_JS = """el => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const bg = parse(getComputedStyle(e).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] >= 1) break;
  }
  let base = [255, 255, 255];
  if (!layers.length || layers[layers.length - 1][3] < 1) {
    base = parse(getComputedStyle(document.documentElement).backgroundColor);
    if (base[3] < 1) base = [255, 255, 255];
  }
  for (const l of layers.reverse()) base = base.map((v, i) => v * (1 - l[3]) + l[i] * l[3]);
  let fg = parse(getComputedStyle(el).color);
  const op = parseFloat(getComputedStyle(el).opacity);
  fg = fg.slice(0, 3).map((v, i) => v * fg[3] * op + base[i] * (1 - fg[3] * op));
  const style = getComputedStyle(el);
  return {fg: fg.slice(0, 3), bg: base.slice(0, 3),
          size: parseFloat(style.fontSize), weight: parseInt(style.fontWeight, 10)};
}"""


def luminance(rgb: list[float]) -> float:
    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(fg: list[float], bg: list[float]) -> float:
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def hex_rgb(colour: str) -> list[float]:
    value = colour.lstrip("#")
    return [int(value[i : i + 2], 16) for i in (0, 2, 4)]


def required(size_px: float, weight: int, glyph: bool) -> float:
    """WCAG's minimum: 3:1 for large text (24px, or 18.66px bold) and symbol glyphs."""
    large = size_px >= 24 or (size_px >= 18.66 and weight >= 700)
    return 3.0 if large or glyph else 4.5


def needs_review_contrast(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe's incomplete colour-contrast nodes whose colours fail, computed."""
    from axe_playwright_python.sync_playwright import Axe  # only with the browser tests

    results = Axe().run(page).response
    failures = []
    for rule in results["incomplete"]:
        if rule["id"] != "color-contrast":
            continue
        for node in rule["nodes"]:
            data = next((c["data"] for c in node["any"] if c.get("data")), {}) or {}
            target = node["target"][0]
            measured = page.locator(target).first.evaluate(COLOURS_JS)
            if data.get("fgColor") and data.get("bgColor"):
                fg, bg = hex_rgb(data["fgColor"]), hex_rgb(data["bgColor"])
            else:
                fg, bg = measured["fg"], measured["bg"]
            glyph = data.get("messageKey") in ("nonBmp", "pseudoContent")
            need = required(measured["size"], measured["weight"], glyph)
            got = ratio(fg, bg)
            if got < need:
                failures.append(f"{target}: {got:.2f}:1 < {need}:1 ({data.get('messageKey')})")
    return failures


def htmlcs_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    """HTML_CodeSniffer's WCAG2AA errors on the page (type 1), as readable lines."""
    assert HTMLCS.is_file(), f"{HTMLCS} is missing: run `make node-deps`"
    page.add_script_tag(content=HTMLCS.read_text(encoding="utf-8"))
    return page.evaluate(
        """() => new Promise(resolve => {
          HTMLCS.process('WCAG2AA', document, () => {
            const out = HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR).map(m => {
              const el = m.element;
              const name = el && el.nodeType === 1
                ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                  + (el.className && typeof el.className === 'string'
                     ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                : String(el);
              return m.code + ' ' + name + ': ' + m.msg;
            });
            resolve(out);
          });
        })"""
    )


def open_page(new_page, http_url: str, path: str, scheme: str):  # type: ignore[no-untyped-def]
    page, watch = new_page(http_url, scheme=scheme)
    page.goto(http_url + path)
    if "?q=" in path:
        page.wait_for_selector("a.result")
    return page, watch


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", KINDS)
def test_axe_needs_review_contrast_passes_once_computed(
    new_page, http_url: str, path: str, scheme: str
) -> None:
    page, watch = open_page(new_page, http_url, path, scheme)
    assert needs_review_contrast(page) == []
    assert watch.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", KINDS)
def test_html_codesniffer_wcag2aa_finds_no_error(
    new_page, http_url: str, path: str, scheme: str
) -> None:
    page, watch = open_page(new_page, http_url, path, scheme)
    assert htmlcs_errors(page) == []
    assert watch.errors == []


def test_the_checkers_see_a_low_contrast_cell_and_a_form_without_submit(
    new_page, http_url: str
) -> None:
    """Both checks are live: the faults of issue 16 put back into a page are found."""
    page, _ = open_page(new_page, http_url, "insights.html", "light")
    page.evaluate(
        """() => {
          const cell = document.querySelector('td.heat');
          cell.textContent = '4';
          cell.style.background = '#839b93';
          cell.style.color = '#ffffff';
          const form = document.createElement('form');
          form.innerHTML = '<label>Q <input name="q"></label>';
          document.querySelector('main').append(form);
        }"""
    )
    contrast = needs_review_contrast(page)
    assert any(":1 < 4.5:1" in line for line in contrast), contrast
    errors = htmlcs_errors(page)
    assert any("H32.2" in line for line in errors), errors
