"""The journey page's Mermaid source: copied by its button, hidden without JavaScript, and
drawn by Mermaid itself in Chromium (the npm package, loaded from node_modules/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MERMAID = (
    Path(__file__).resolve().parents[2] / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
)


def test_copy_button_copies_the_source(new_page, http_url: str) -> None:
    page, watch = new_page(http_url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(http_url + "journeys/click-and-collect.html")
    page.get_by_text("This journey as a Mermaid diagram").click()
    page.get_by_role("button", name="Copy").click()
    # the clipboard answers asynchronously: wait for the status (up to Playwright's timeout)
    expect(page.locator(".copy-status")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("pre.source").text_content()
    assert copied.startswith("journey\n  title Buy in the app, collect in store\n")
    assert watch.errors == []


def test_without_javascript_the_button_stays_hidden(browser, built_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((built_site / "journeys/click-and-collect.html").as_uri())
    page.get_by_text("This journey as a Mermaid diagram").click()
    assert page.locator("pre.source").is_visible()
    assert page.locator("button.copy-button").is_hidden()
    context.close()


def test_mermaid_draws_the_exported_journey(browser, built_site: Path) -> None:
    assert MERMAID.is_file(), "run `make node-deps` (installs the npm package mermaid)"
    source = (built_site / "journeys/family-camping-trip.html").read_text(encoding="utf-8")
    page = browser.new_page()
    page.goto((built_site / "journeys/family-camping-trip.html").as_uri())
    text = page.locator("pre.source").text_content()
    page.set_content("<div id='out'></div>")
    page.add_script_tag(path=str(MERMAID))
    svg = page.evaluate(
        """async (text) => {
            mermaid.initialize({startOnLoad: false});
            const drawn = await mermaid.render("journey", text);
            document.getElementById("out").innerHTML = drawn.svg;
            return drawn.svg;
        }""",
        text,
    )
    labels = page.locator("#out svg text").all_text_contents()
    assert "Gear up for a family camping trip" in labels
    assert "Try the gear" in " ".join(labels)
    assert "Dan Whitfield" in labels and "Walt Gruber" in labels
    assert svg.count('class="face"') >= 10 and "journey" in source
    page.close()
