"""`cxsite serve` in the browser: a broken edit shows an overlay, a fix reloads the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servekit import replace_file, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def served(make_project) -> Iterator[tuple[Path, str]]:  # type: ignore[no-untyped-def]
    root = make_project()
    with serving(root) as base:
        yield root, base


def test_overlay_shows_errors_then_recovers(new_page, served) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    root, base = served
    page, watch = new_page(base)
    page.goto(base + "personas/maya.html")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Maya Chen")
    persona = root / "personas/maya.yaml"
    good = persona.read_text()
    replace_file(persona, good.replace("role: Busy urban runner", "role: [broken"))
    overlay = page.locator("#cxsite-overlay")
    expect(overlay).to_contain_text("personas/maya.yaml:", timeout=30_000)
    expect(overlay).to_contain_text("error E105")
    expect(heading).to_have_text("Maya Chen")  # the last good build is still shown
    replace_file(persona, good.replace("Maya Chen", "Maya Fixed"))
    expect(heading).to_have_text("Maya Fixed", timeout=30_000)
    expect(overlay).to_have_count(0)
    # A reload aborts the status poll in flight; anything else would be a real failure.
    assert [e for e in watch.errors if "ERR_ABORTED" not in e] == []


def test_the_error_overlay_can_be_dismissed(new_page, served) -> None:  # type: ignore[no-untyped-def]
    """Dismiss (or Escape) closes the overlay for that error; a different error shows again."""
    from playwright.sync_api import expect

    root, base = served
    page, _ = new_page(base)
    page.goto(base + "personas/maya.html")
    persona = root / "personas/maya.yaml"
    good = persona.read_text()
    replace_file(persona, good.replace("role: Busy urban runner", "role: [broken"))
    overlay = page.locator("#cxsite-overlay")
    expect(overlay).to_contain_text("error E105", timeout=30_000)
    page.get_by_role("button", name="Dismiss the build error (Escape)").click()
    expect(overlay).to_have_count(0)
    page.wait_for_timeout(2000)  # several polls later, the same error stays dismissed
    expect(overlay).to_have_count(0)
    replace_file(persona, good.replace("role: Busy urban runner", "role: {broken"))
    expect(overlay).to_contain_text("error E105", timeout=30_000)
    page.keyboard.press("Escape")
    expect(overlay).to_have_count(0)
