"""Sub-journeys, the service blueprint and mechanics in a real browser (the example site)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = [
    "journeys/index.html",
    "journeys/pickup-at-the-counter.html",
    "journeys/click-and-collect.html#view-blueprint",
    "touchpoints/basecamp-rewards.html",
    "touchpoints/index.html?mechanic=badges",
]
BLUEPRINT = "journeys/click-and-collect.html"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(
    new_page, http_url: str, path: str, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, watch = new_page(http_url, scheme=scheme)
    page.goto(http_url + path)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert watch.errors == []


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_has_no_horizontal_page_overflow(new_page, http_url: str, path: str) -> None:
    page, watch = new_page(http_url, width=375)
    page.goto(http_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert watch.errors == []


def test_the_switch_shows_one_view_and_remembers_it(new_page, http_url: str) -> None:
    page, watch = new_page(http_url)
    page.goto(http_url + BLUEPRINT)
    switch = page.get_by_role("group", name="View")
    map_button = switch.get_by_role("button", name="Journey map")
    blueprint_button = switch.get_by_role("button", name="Service blueprint")
    assert map_button.get_attribute("aria-pressed") == "true"
    assert page.locator("#view-map").is_visible()
    assert not page.locator("#view-blueprint").is_visible()

    blueprint_button.click()
    assert blueprint_button.get_attribute("aria-pressed") == "true"
    assert map_button.get_attribute("aria-pressed") == "false"
    assert page.locator("#view-blueprint").is_visible()
    assert not page.locator("#view-map").is_visible()
    assert page.url.endswith("#view-blueprint")
    # The emotion curve below serves both views.
    assert page.get_by_role("heading", name="Emotion curve").is_visible()
    fails = page.locator("#view-blueprint .fail")
    assert fails.count() == 2
    assert "shelf" in fails.first.inner_text()

    # A link to a stage of the map brings the map back.
    page.goto(http_url + BLUEPRINT + "#stage-5")
    assert page.locator("#view-map").is_visible()
    assert not page.locator("#view-blueprint").is_visible()
    page.goto(http_url + BLUEPRINT + "#view-blueprint")
    assert page.locator("#view-blueprint").is_visible()
    assert watch.errors == []


def test_without_javascript_both_views_are_on_the_page(browser, http_url: str) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(http_url + BLUEPRINT)
        assert not page.locator("#view-switch").is_visible()
        assert page.locator("#view-map").is_visible()
        assert page.locator("#view-blueprint").is_visible()
        assert page.get_by_text("The journey map comes first").is_visible()
    finally:
        context.close()


def test_print_shows_the_chosen_view(new_page, http_url: str) -> None:
    page, _ = new_page(http_url)
    page.goto(http_url + BLUEPRINT)
    page.get_by_role("button", name="Service blueprint").click()
    page.emulate_media(media="print")
    assert page.locator("#view-blueprint").is_visible()
    assert not page.locator("#view-map").is_visible()
    assert not page.locator("#view-switch").is_visible()


def test_the_blueprint_scrolls_in_its_box_with_lane_names_in_view(new_page, http_url: str) -> None:
    page, _ = new_page(http_url, width=375)
    page.goto(http_url + BLUEPRINT + "#view-blueprint")
    box = page.locator("#view-blueprint .jmap-wrap")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    lane = page.locator("#view-blueprint th.lane", has_text="Frontstage")
    line = page.locator("#view-blueprint .bp-line span", has_text="Line of visibility")
    before = (lane.bounding_box()["x"], line.bounding_box()["x"])
    box.evaluate("b => b.scrollTo(600, 0)")
    after = (lane.bounding_box()["x"], line.bounding_box()["x"])
    assert after == pytest.approx(before, abs=2)  # lane names and line labels stay put


def test_the_catalog_filters_by_mechanic(new_page, http_url: str) -> None:
    page, watch = new_page(http_url)
    page.goto(http_url + "touchpoints/index.html")
    total = page.locator("#catalog tbody tr").count()
    page.get_by_label("Mechanic").select_option("points")
    visible = page.locator("#catalog tbody tr:visible")
    assert visible.count() == 1
    assert "Basecamp Rewards" in visible.first.inner_text()
    assert page.locator("#catalog-count").inner_text() == f"1 of {total} touchpoints"
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#catalog tbody tr:visible")).to_have_count(total)  # reset applies later
    assert watch.errors == []


def test_the_tree_leads_to_the_sub_journey_and_back(new_page, http_url: str) -> None:
    page, watch = new_page(http_url)
    page.goto(http_url + "journeys/index.html")
    tree = page.get_by_role("list", name="Journeys and their sub-journeys")
    tree.locator(".jtree-children").get_by_role(
        "link", name="Pick up an order at the counter"
    ).click()
    page.wait_for_url("**/journeys/pickup-at-the-counter.html")
    page.get_by_role("navigation", name="Part of").get_by_role(
        "link", name="Collect in store", exact=True
    ).click()
    page.wait_for_url("**/journeys/click-and-collect.html#stage-5")
    assert page.locator("#view-map").is_visible()
    assert watch.errors == []
