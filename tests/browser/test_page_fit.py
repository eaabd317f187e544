"""What a designer's review of the example site found at desktop width and in dark mode,
measured in Chromium: the touchpoint catalog holds all nine columns at 1280 px, every page
kind starts its header and its text at the same edge, and charts are no white slabs on a
dark page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_touchpoint_catalog_fits_a_1280_px_window(new_page, http_url: str) -> None:
    """Its last column (Satisfaction) was cut to "4." behind the edge of its box."""
    page, watch = new_page(http_url, width=1280)
    page.goto(http_url + "touchpoints/index.html")
    client, scroll = page.evaluate(
        "() => { const w = document.querySelector('#catalog').closest('.table-wrap');"
        " return [w.clientWidth, w.scrollWidth]; }"
    )
    assert scroll <= client, f"{scroll - client} px of the catalog are hidden"
    assert page.locator("#catalog .badge-mot").first.inner_text() == "★ Yes"
    assert watch.errors == []


@pytest.mark.parametrize("path", ["journeys/click-and-collect.html", "personas/index.html"])
def test_every_page_kind_starts_at_the_same_edge(new_page, http_url: str, path: str) -> None:
    """Journey pages were 1600 px wide: their logo, menu and title jumped 20 px left of
    every other page's at 1280 px; the map alone may grow on a wider screen."""
    page, watch = new_page(http_url, width=1280)
    page.goto(http_url + path)
    edges = page.evaluate(
        "() => [document.querySelector('.brand'), document.querySelector('main h1')]"
        ".map(e => Math.round(e.getBoundingClientRect().left))"
    )
    assert edges == [40, 40]
    assert watch.errors == []


def test_the_journey_map_grows_on_a_wide_screen(new_page, http_url: str) -> None:
    page, watch = new_page(http_url, width=1680)
    page.goto(http_url + "journeys/click-and-collect.html")
    left, width, title = page.evaluate(
        "() => { const r = document.querySelector('.jmap-wrap').getBoundingClientRect();"
        " const h = document.querySelector('main h1').getBoundingClientRect();"
        " return [r.left, r.width, h.left]; }"
    )
    assert (round(left), round(width)) == (40, 1600)
    assert round(title) == (1680 - 1240) // 2 + 20
    assert page.evaluate("document.documentElement.scrollWidth") == 1680  # no page scroll
    assert watch.errors == []


def test_charts_are_shown_in_negative_in_dark_mode(new_page, http_url: str) -> None:
    page, watch = new_page(http_url, width=1280, scheme="dark")
    page.goto(http_url + "index.html")
    filters = page.evaluate(
        "() => [...document.querySelectorAll('.chart img, .kpi-spark')]"
        ".map(i => getComputedStyle(i).filter)"
    )
    assert filters and set(filters) == {"invert(0.89) hue-rotate(180deg)"}
    light, _ = new_page(http_url, width=1280)
    light.goto(http_url + "index.html")
    assert light.evaluate("getComputedStyle(document.querySelector('.kpi-spark')).filter") == "none"
    assert watch.errors == []


def test_search_snippets_begin_and_end_on_whole_words(new_page, http_url: str) -> None:
    """A snippet was cut 180 characters on, mid-word ("usabil …", "Inven …")."""
    page, watch = new_page(http_url)
    page.goto(http_url + "search.html?q=pickup")
    page.wait_for_selector(".result-snippet")
    texts = page.evaluate("() => window.CXSITE_SEARCH.docs.map(d => d.text)")
    snippets = page.locator(".result-snippet").all_inner_texts()
    cut = [s for s in snippets if s.endswith(" …")]
    assert cut, "no snippet was long enough to be cut"
    for snippet in cut:
        piece = snippet.removeprefix("… ").removesuffix(" …")
        source = next(t for t in texts if piece in t)
        after = source[source.index(piece) + len(piece)]
        assert after == " ", f"cut inside a word: {piece[-20:]!r}{after}"
    assert watch.errors == []


def test_a_journey_cards_badges_go_under_its_title_on_a_phone(new_page, http_url: str) -> None:
    """At 320 px "7 stages" and "To-be" beside the title squeezed it to a word a line."""
    page, watch = new_page(http_url, width=320)
    page.goto(http_url + "journeys/index.html")
    title, badge = page.evaluate(
        "() => { const t = document.querySelector('.card-title'); return ["
        "t.firstElementChild.getBoundingClientRect().toJSON(),"
        "t.querySelector('.badge').getBoundingClientRect().toJSON()]; }"
    )
    assert badge["top"] >= title["bottom"] - 1  # under the title, not beside it
    assert title["width"] > 200
    assert watch.errors == []


def test_the_margin_of_error_heading_stays_on_one_line(new_page, http_url: str) -> None:
    """ "± MoE" split at its space in two of a metric's three breakdown tables."""
    page, watch = new_page(http_url, width=1280)
    page.goto(http_url + "metrics/nps.html")
    lines = page.evaluate(
        "() => [...document.querySelectorAll('th')].filter(t => t.textContent.includes('MoE'))"
        ".map(t => { const r = document.createRange(); r.selectNodeContents(t);"
        " return new Set([...r.getClientRects()].map(c => Math.round(c.top))).size; })"
    )
    assert len(lines) >= 3 and set(lines) == {1}, lines
    assert watch.errors == []
