"""The example site in a real browser: click-through, search, filters, accessibility, phones."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGE_KINDS = [
    "index.html",
    "personas/index.html",
    "personas/maya-okafor.html",
    "journeys/index.html",
    "journeys/click-and-collect.html",
    "journeys/click-and-collect-2027.html",
    "journeys/return-or-exchange.html",
    "touchpoints/index.html",
    "touchpoints/pickup-counter.html",
    "metrics/index.html",
    "metrics/nps.html",
    "insights.html",
    "freshness.html",
    "research/index.html",
    "research/click-and-collect-diary.html",
    "search.html?q=pickup",
    "404.html",
]


@pytest.fixture(params=["http", "file"])
def base(request: pytest.FixtureRequest, built_site: Path) -> str:
    if request.param == "http":
        return request.getfixturevalue("http_url")
    return built_site.as_uri() + "/"


def test_click_through_and_search(new_page, base: str) -> None:
    page, watch = new_page(base)
    page.goto(base + "index.html")
    page.get_by_role("link", name="Maya Okafor").first.click()
    page.wait_for_url("**/personas/maya-okafor.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Maya Okafor"

    page.get_by_role("link", name="Buy in the app, collect in store").first.click()
    page.wait_for_url("**/journeys/click-and-collect.html")
    page.locator(".jmap a.tp-link", has_text="Store stock checker").first.click()
    page.wait_for_url("**/touchpoints/store-stock-checker.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Store stock checker"

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Touchpoints").click()
    page.wait_for_url("**/touchpoints/index.html")
    rows = page.locator("#catalog tbody tr")
    total = rows.count()
    page.get_by_label("Channel").select_option("store")
    visible = page.locator("#catalog tbody tr:visible")
    assert 0 < visible.count() < total
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.channel)")) == {"store"}
    assert (
        page.locator("#catalog-count").inner_text() == f"{visible.count()} of {total} touchpoints"
    )

    nav = page.get_by_role("navigation", name="Sections")
    nav.get_by_role("link", name="Search", exact=True).click()
    page.wait_for_url("**/search.html")
    page.get_by_label("Search the site").fill("stock shown online")
    group = page.locator(".result-group", has_text="Pain points")
    result = group.locator("a.result", has_text="Stock shown online does not match")
    result.first.click()
    page.wait_for_url("**/journeys/click-and-collect.html#stage-*")
    assert watch.errors == []


def test_catalog_sorts_by_column(new_page, http_url: str) -> None:
    page, watch = new_page(http_url)
    page.goto(http_url + "touchpoints/index.html")
    page.get_by_role("button", name="Importance").click()
    values = page.locator("#catalog tbody tr td:nth-child(8)").evaluate_all(
        "cs => cs.map(c => parseFloat(c.dataset.value))"
    )
    assert values == sorted(values)
    assert page.locator("th[aria-sort=ascending]").text_content().strip() == "Importance"
    assert watch.errors == []


def test_search_is_keyboard_usable(new_page, http_url: str) -> None:
    page, watch = new_page(http_url)
    page.goto(http_url + "search.html")
    page.keyboard.type("maya")  # the search box has focus on load
    page.wait_for_selector("a.result")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.className")
    assert "result" in focused
    page.keyboard.press("Enter")
    page.wait_for_url("**/personas/maya-okafor.html")
    assert watch.errors == []


def test_search_puts_the_kind_of_the_best_match_first(new_page, http_url: str) -> None:
    """Results are grouped by kind, the group of the best hit first: the touchpoint named
    for the word leads, not the personas that mention it in passing."""
    page, watch = new_page(http_url)
    page.goto(http_url + "search.html?q=counter")
    page.wait_for_selector("a.result")
    titles = page.locator(".result-group").first.locator(".result-title").all_inner_texts()
    assert "counter" in titles[0]  # the best hit names it
    heads = [h.lower() for h in page.locator(".result-group h2").all_inner_texts()]
    at = {h.split(" (")[0]: i for i, h in enumerate(heads)}
    assert at["touchpoints"] < at["personas"]  # Maya's text mentions a counter in passing
    group = page.locator(".result-group").nth(at["touchpoints"])
    assert group.locator(".result-title").first.inner_text() == "Click & collect counter"
    assert watch.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGE_KINDS)
def test_no_serious_accessibility_violation(
    new_page, http_url: str, path: str, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, watch = new_page(http_url, scheme=scheme)
    page.goto(http_url + path)
    if "?q=" in path:
        page.wait_for_selector("a.result")
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert watch.errors == []


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_phone_width_has_no_horizontal_page_overflow(new_page, http_url: str, path: str) -> None:
    """WCAG 1.4.10: at 320 CSS px (1280 px zoomed to 400 %) only tables, charts and the
    journey map scroll, each inside its own box (a study's long URL breaks)."""
    page, watch = new_page(http_url, width=320)
    page.goto(http_url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    assert watch.errors == []


def test_a_table_box_is_a_tab_stop_only_when_it_scrolls_and_then_a_named_region(
    new_page, http_url: str
) -> None:
    """A box whose table fits is no stop for Tab; one whose table scrolls is focusable (so
    keys scroll it) and a region named as its section (WCAG 2.1.1, 4.1.2)."""
    boxes = """() => Array.from(document.querySelectorAll('.table-wrap')).map(b => ({
        scrolls: b.scrollWidth > b.clientWidth + 1,
        stop: b.tabIndex === 0 && b.hasAttribute('tabindex'),
        role: b.getAttribute('role'),
        name: (document.getElementById(b.getAttribute('aria-labelledby') || '') || {}).textContent
            || b.getAttribute('aria-label') }))"""
    page, watch = new_page(http_url, width=1280)
    page.goto(http_url + "personas/maya-okafor.html")
    wide = page.evaluate(boxes)
    assert wide and all(not b["scrolls"] and not b["stop"] for b in wide)
    page.set_viewport_size({"width": 320, "height": 800})
    page.wait_for_timeout(100)  # the boxes are looked at again when they change size
    narrow = [b for b in page.evaluate(boxes) if b["scrolls"]]
    assert narrow
    assert all(b["stop"] and b["role"] == "region" and b["name"].strip() for b in narrow)
    assert watch.errors == []


def test_the_focus_ring_stands_out_on_every_page_background(new_page, http_url: str) -> None:
    """WCAG 1.4.11: the ring is 3:1 on the page and on cards, in both colour schemes."""
    ratio = """c => { const lum = s => { const [r, g, b] = s.match(/\\d+/g).slice(0, 3).map(Number)
        .map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b };
      const a = lum(c[0]), b = lum(c[1]);
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) }"""
    for scheme in ("light", "dark"):
        page, _ = new_page(http_url, scheme=scheme)
        page.goto(http_url + "index.html")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
        for background in ("--bg", "--surface", "--surface-2"):
            colour = page.evaluate(
                "v => { const d = document.createElement('div'); d.style.color = `var(${v})`;"
                " document.body.append(d); const c = getComputedStyle(d).color; d.remove();"
                " return c }",
                background,
            )
            assert page.evaluate(ratio, [ring, colour]) >= 3, (scheme, background, ring, colour)


def test_journey_map_scrolls_inside_its_own_box_with_a_sticky_header(
    new_page, http_url: str
) -> None:
    page, _ = new_page(http_url, width=375)
    page.goto(http_url + "journeys/click-and-collect.html")
    box = page.locator(".jmap-wrap").first  # the map (a blueprint view may follow)
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    head = page.locator(".jmap thead th").nth(1)
    top_before = head.evaluate("h => h.getBoundingClientRect().top")
    box.evaluate("b => b.scrollTo(0, 400)")
    top_after = head.evaluate("h => h.getBoundingClientRect().top")
    assert top_after == pytest.approx(top_before, abs=2)  # the stage header stays in view


def test_a_journey_map_wider_than_its_box_shows_a_shadow_until_its_end(
    new_page, http_url: str
) -> None:
    page, _ = new_page(http_url, width=1280)
    page.goto(http_url + "journeys/click-and-collect.html")
    box = page.locator(".jmap-wrap").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # 6 stages at 1280 px
    shadow = "b => Number(getComputedStyle(b, '::after').opacity)"
    assert box.evaluate(shadow) > 0.5
    box.evaluate("b => b.scrollTo(b.scrollWidth, 0)")
    page.wait_for_timeout(100)
    assert box.evaluate(shadow) < 0.1


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_every_chart_has_alt_text_and_a_data_table(new_page, http_url: str, path: str) -> None:
    page, _ = new_page(http_url)
    page.goto(http_url + path)
    lonely = page.locator("img[src*='charts/']").evaluate_all(
        """imgs => imgs.filter(img => {
            const box = img.closest('.chart-block');
            return !img.alt || img.alt.length < 10 || !box || !box.querySelector('table');
        }).map(img => img.getAttribute('src'))"""
    )
    assert lonely == []
    assert page.locator("img[src*='charts/']").evaluate_all(
        "imgs => imgs.every(i => i.complete && i.naturalWidth > 0)"
    )
