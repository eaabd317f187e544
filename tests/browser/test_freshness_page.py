"""The freshness page's filters in a real browser (the page itself: tests/test_freshness.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_filters_hide_rows_and_can_be_preset(new_page, http_url: str) -> None:
    page, watch = new_page(http_url)
    page.goto(http_url + "freshness.html")
    rows = page.locator("#freshness tbody tr")
    total = rows.count()
    assert total == 40
    page.get_by_label("Owner").select_option("Customer Care")
    visible = page.locator("#freshness tbody tr:visible")
    assert 0 < visible.count() < total
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.owner)")) == {"Customer Care"}
    page.get_by_label("Kind").select_option("touchpoints")
    kinds = visible.evaluate_all("rs => rs.map(r => r.dataset.kind)")
    assert kinds and set(kinds) == {"touchpoints"}
    count = page.locator("#freshness-count").inner_text()
    assert count == f"{visible.count()} of {total} pages"
    page.get_by_role("button", name="Clear").click()
    page.wait_for_function("document.querySelectorAll('#freshness tbody tr:not([hidden])')"
                           f".length === {total}")  # fmt: skip
    page.goto(http_url + "freshness.html?status=never%20reviewed")
    statuses = page.locator("#freshness tbody tr:visible").evaluate_all(
        "rs => rs.map(r => r.dataset.status)"
    )
    assert statuses and set(statuses) == {"never reviewed"}
    assert watch.errors == []
