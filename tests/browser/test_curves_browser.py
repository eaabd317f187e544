"""A journey of nine stages and three personas, and an as-is / to-be pair, in a real browser:
readable at 1366 px and 375 px, markers of one stage kept apart, axe-clean light and dark."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from curvefiles import curve_files
from projectfiles import write_files

from cxsite.commands.build import build_site

pytestmark = pytest.mark.browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def curve_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The curve project built and served over HTTP (axe reads the stylesheets)."""
    root = write_files(tmp_path_factory.mktemp("curves") / "project", curve_files())
    out = root.parent / "site"
    build_site(root, out, pdf=False, strict=True, jobs=1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _boxes(page, selector: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, y: r.y, w: r.width, h: r.height}; })"
    )


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["w"] <= b["x"]
        or b["x"] + b["w"] <= a["x"]
        or a["y"] + a["h"] <= b["y"]
        or b["y"] + b["h"] <= a["y"]
    )


@pytest.mark.parametrize("width", [1366, 375])
def test_nine_stages_three_personas_stay_readable(new_page, curve_site: str, width: int) -> None:
    page, watch = new_page(curve_site, width=width)
    page.goto(curve_site + "journeys/clinic.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # at stage 5 all three personas feel -2: their markers sit side by side, not on top
    markers = _boxes(page, ".emo-plot .pc-point .mk")
    assert len(markers) == 27
    same_stage = [m for m in markers if abs(m["y"] - max(n["y"] for n in markers)) < 1]
    assert len(same_stage) >= 3
    assert not any(_overlap(a, b) for i, a in enumerate(same_stage) for b in same_stage[i + 1 :])
    legend = page.locator(".emotion-row .pc-legend")
    assert all(name in legend.inner_text() for name in ("Ana Silva", "Joe Park", "Lea Roux"))
    # the chart keeps a readable size: it scrolls in its own box on a phone
    chart = page.locator(".chart-wide img")
    assert chart.evaluate("i => i.getBoundingClientRect().width") >= 640
    assert chart.evaluate("i => i.complete && i.naturalWidth > 0")
    # each value of the grid with the persona's name
    first = page.locator(".jmap tbody td .pc-values").first.inner_text()
    assert "Ana" in first and "Joe" in first and "Lea" in first
    assert watch.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    ["journeys/clinic.html", "journeys/visit.html", "journeys/index.html", "personas/joe.html"],
)
def test_curve_pages_have_no_serious_accessibility_violation(
    new_page, curve_site: str, path: str, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, watch = new_page(curve_site, scheme=scheme)
    page.goto(curve_site + path)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert watch.errors == []


def test_print_shows_the_whole_chart(new_page, curve_site: str) -> None:
    page, _ = new_page(curve_site)
    page.goto(curve_site + "journeys/visit.html")
    page.emulate_media(media="print")
    rights = page.locator(".chart-wide img").evaluate_all(
        "imgs => imgs.map(i => i.getBoundingClientRect().right)"
    )
    assert len(rights) == 2
    assert max(rights) <= page.evaluate("document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [1366, 375])
def test_a_persona_page_shows_its_own_curve_per_journey(
    new_page, curve_site: str, width: int
) -> None:
    page, watch = new_page(curve_site, width=width)
    page.goto(curve_site + "personas/joe.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    section = page.locator("section", has=page.locator("#persona-curves-h"))
    assert section.locator("h2").inner_text() == "How Joe Park feels along each journey"
    # the two journeys with emotions per persona; not the to-be, whose emotions are numbers
    cards = section.locator(".persona-curve")
    assert cards.locator("h3").all_inner_texts() == ["Visit the clinic", "Visit today"]
    chart = cards.first.locator("svg[role=img]")
    title = chart.locator("title").first.text_content()
    assert title == "Emotion curve of Joe Park in Visit the clinic"
    assert "Stage 5 with a long name −2" in (chart.locator("desc").text_content() or "")
    assert chart.evaluate("s => s.getBoundingClientRect().width") >= 300
    # the line joins Joe's nine values; the table holds them with their words
    assert len(chart.locator("circle[r='4.5']").all()) == 9
    cards.first.locator("summary").click()
    rows = cards.first.locator("tbody tr").all_inner_texts()
    assert rows[4].split("\t") == ["5", "Stage 5 with a long name", "−2", "Very negative"]
    second = cards.nth(1).locator("p.small").inner_text()
    assert second.startswith("Peak: Wait (−2) · End: Pay (0).")
    assert watch.errors == []
