"""changes.html and the last-change line in Chromium: the example with a real history
(v1, then edits committed), accessibility in both colour schemes, phone width, the chart
beside its table."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from gitkit import commit, init

from cxsite.commands.build import build_site
from cxsite.resources import example_dir

pytestmark = pytest.mark.browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def history_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("changes") / "content"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    init(root)
    commit(root, "v1", date="2026-07-01T09:00:00Z", tag="v1")
    trip = root / "journeys/family-camping-trip.yaml"
    trip.write_text(trip.read_text().replace("    emotion: 0.5\n", "    emotion: -1\n", 1))
    config = root / "cxsite.yaml"
    config.write_text(config.read_text() + "changes_since: v1\n")
    commit(root, "v2", date="2026-10-01T09:00:00Z")
    out = root.parent / "site"
    build_site(root, out, pdf=False, jobs=1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["changes.html", "personas/maya-okafor.html"])
def test_no_serious_accessibility_violation(new_page, history_url, path, scheme) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe  # lazy: only the browser tests

    page, watch = new_page(history_url, scheme=scheme)
    page.goto(history_url + path)
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert watch.errors == []


def test_changes_page_reads_and_fits_a_phone(new_page, history_url) -> None:  # type: ignore[no-untyped-def]
    page, watch = new_page(history_url, width=375)
    page.goto(history_url + "changes.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("h1").inner_text() == "What changed"
    chart = page.locator("img[src='charts/changes-family-camping-trip-emotion.svg']")
    assert chart.evaluate("i => i.complete && i.naturalWidth > 0")
    assert "Research and shortlist: +0.5 to -1" in (chart.get_attribute("alt") or "")
    assert chart.evaluate("i => !!i.closest('.chart-block').querySelector('table')")
    page.get_by_role("link", name="Changes").first.click()
    page.wait_for_url("**/changes.html")
    assert watch.errors == []


def test_last_change_line_on_a_persona_page(new_page, history_url) -> None:  # type: ignore[no-untyped-def]
    page, _ = new_page(history_url)
    page.goto(history_url + "personas/maya-okafor.html")
    line = page.locator(".last-change").inner_text()
    assert line.startswith("Last changed 1 July 2026 in commit ")
    assert line.endswith(" by Ana Ruiz")  # the example sets show_authors: true
