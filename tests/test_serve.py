"""`cxsite serve`: serves the build, rebuilds on change, reports a broken edit, recovers."""

from __future__ import annotations

import json
import re
import socket
import struct
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from servekit import CXSITE, replace_file, serving, wait_until

from cxsite.cachefiles import CACHE_DIR
from cxsite.session import Session

pytestmark = pytest.mark.slow


def _bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def _status(base: str) -> dict:
    return json.loads(_get(base + "__cxsite/status")[1])


@pytest.fixture
def served(make_project) -> Iterator[tuple[Path, str]]:
    root = make_project()
    with serving(root) as base:
        yield root, base


def _edit(path: Path, old: str, new: str) -> None:
    replace_file(path, path.read_text().replace(old, new))


def test_serve_rebuilds_on_change_and_reports_broken_edits(served: tuple[Path, str]) -> None:
    root, base = served
    status, page = _get(base + "journeys/buy.html")
    assert status == 200 and "Buy running shoes" in page
    assert '<script src="/__cxsite/live.js"></script></body>' in page
    assert not (root / "_site").exists()  # serve builds into its cache, not into _site

    journey = root / "journeys/buy.yaml"
    _edit(journey, "Buy running shoes", "Buy trail shoes")
    wait_until(lambda: "Buy trail shoes" in _get(base + "journeys/buy.html")[1])
    # The new pages are in place a moment before the build is announced (the status).
    wait_until(lambda: _status(base)["build"] >= 2)
    edited = _status(base)
    assert edited["error"] is None

    good = journey.read_text()
    replace_file(journey, good.replace("title: Buy trail shoes", "title: [unclosed"))
    wait_until(lambda: _status(base)["error"] is not None)
    error = _status(base)["error"]
    assert error.splitlines()[0].startswith("journeys/buy.yaml:")
    assert ": error E105: YAML syntax error" in error.splitlines()[0]
    assert "Buy trail shoes" in _get(base + "journeys/buy.html")[1]  # last good build

    replace_file(journey, good.replace("Buy trail shoes", "Buy road shoes"))
    wait_until(lambda: _status(base)["error"] is None)
    assert _status(base)["build"] > edited["build"]
    assert "Buy road shoes" in _get(base + "journeys/buy.html")[1]


def test_an_open_page_hears_of_a_new_build_as_soon_as_it_is_in_place(
    served: tuple[Path, str],
) -> None:
    """The live-reload script asks `?since=<version>`: the server answers when the status
    changes, not on the next poll (a page used to ask every 0.7 s)."""
    root, base = served
    now = _status(base)
    started = time.perf_counter()
    with urllib.request.urlopen(
        base + f"__cxsite/status?since={now['version'] + 1}", timeout=5
    ) as r:
        assert json.loads(r.read())["build"] == now["build"]  # a different version: at once
    assert time.perf_counter() - started < 2

    answers: list[tuple[float, dict]] = []

    def wait() -> None:
        url = base + f"__cxsite/status?since={now['version']}"
        with urllib.request.urlopen(url, timeout=30) as reply:
            answers.append((time.perf_counter(), json.loads(reply.read())))

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(1.0)
    assert answers == []  # nothing changed: the request is still open
    _edit(root / "journeys/buy.yaml", "Buy running shoes", "Buy trail shoes")
    waiter.join(timeout=30)
    assert answers and answers[0][1]["build"] == now["build"] + 1
    assert answers[0][1]["version"] > now["version"]
    assert "Buy trail shoes" in _get(base + "journeys/buy.html")[1]


def test_serve_refuses_path_traversal(served: tuple[Path, str]) -> None:
    _, base = served
    host, port = base[len("http://") : -1].split(":")
    for raw in ("/../cxsite.yaml", "/%2e%2e/cxsite.yaml", "/..%2fcxsite.yaml", "/.cxsite-output"):
        with socket.create_connection((host, int(port)), timeout=5) as s:
            s.sendall(f"GET {raw} HTTP/1.0\r\n\r\n".encode())
            reply = b""
            while chunk := s.recv(65536):
                reply += chunk
        assert reply.startswith(b"HTTP/1.0 404"), (raw, reply[:40])
        assert b"title: Test CX" not in reply


def test_rebuild_announces_a_build_once_its_output_is_in_place(make_project, tmp_path) -> None:
    """`serve` marks a build as new when its pages are in place (before the caches are
    written), also when nothing changed and the build is skipped."""
    from cxsite.commands.serve import LiveState, rebuild

    root = make_project()
    out = tmp_path / "out"
    state = LiveState()
    seen: list[bool] = []
    records: list[bytes] = []
    original = state.succeeded

    def succeeded() -> None:
        seen.append("Buy running shoes" in (out / "journeys/buy.html").read_text())
        records.append(b"".join(p.read_bytes() for p in (root / CACHE_DIR).glob("site-*.json")))
        original()

    state.succeeded = succeeded  # type: ignore[method-assign]
    session = Session()  # serve keeps one for all its rebuilds
    assert rebuild(root, out, state, pdf=False, session=session)
    _edit(root / "journeys/buy.yaml", "Buy running shoes", "Buy trail shoes")
    seen_before = len(seen)
    assert rebuild(root, out, state, pdf=False, session=session)
    assert rebuild(
        root, out, state, pdf=False, session=session
    )  # nothing changed: still a new build id
    assert seen[:seen_before] == [True] and seen[seen_before:] == [False, False]
    # announced before the caches of the edited build were written, not after
    assert records[0] == b"" and records[1] != records[2]
    assert state.snapshot() == {"build": 3, "error": None, "version": 3}
    assert "Buy trail shoes" in (out / "journeys/buy.html").read_text()


def test_idle_serve_reads_the_persistent_caches(make_project, tmp_path) -> None:
    """While nothing changes, `serve` reads the validation cache a skipped (up to date)
    first build left unread, so the first edit re-validates only the edited file."""
    from cxsite.commands.build import build_site
    from cxsite.commands.serve import _warm_caches
    from cxsite.session import Session

    root = make_project()
    build_site(root, tmp_path / "out", pdf=False)
    session = Session()  # serve's, in a new process
    _warm_caches(root, session)
    rels = {key[1] for key in session.validated.items}
    assert "journeys/buy.yaml" in rels and "cxsite.yaml" in rels


def test_a_rebuild_under_serve_draws_its_charts_in_worker_processes(
    make_project, tmp_path, monkeypatch
) -> None:
    """`serve` rebuilds on its watcher thread while HTTP server threads run: the chart
    workers then start from a fork server, not by forking this threaded process, and
    still draw every chart (this process is kept from drawing any)."""
    import os
    import threading

    from cxsite.charts import pool
    from cxsite.commands.serve import LiveState, rebuild

    methods: list[str] = []
    policy = pool.pool_context

    def recorded(*args, **kwargs):
        context = policy(*args, **kwargs)
        methods.append(context.get_start_method())
        return context

    monkeypatch.setattr(pool, "pool_context", recorded)
    monkeypatch.setattr(pool.DrawingPool, "help", lambda self: 0)  # only workers draw
    monkeypatch.setattr(os, "cpu_count", lambda: 3)  # workers even on a one-core machine
    root = make_project()
    out = tmp_path / "out"
    state = LiveState()
    stop = threading.Event()
    server_thread = threading.Thread(target=stop.wait)
    server_thread.start()
    done: list[bool] = []
    watcher = threading.Thread(target=lambda: done.append(rebuild(root, out, state, False)))
    try:
        watcher.start()
        watcher.join(timeout=120)
    finally:
        stop.set()
        server_thread.join()
    assert done == [True] and state.snapshot() == {"build": 1, "error": None, "version": 1}
    assert methods and "fork" not in methods
    svgs = sorted((out / "charts").glob("*.svg"))
    assert svgs and all(p.read_bytes().startswith(b"<?xml") for p in svgs)


def _pdf_text(data: bytes) -> str:
    import io

    pypdf = pytest.importorskip("pypdf")
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.mark.pdf
def test_serve_reloads_before_the_briefs_and_swaps_the_new_ones_in_after(make_project) -> None:
    """With PDFs, an edit's new build (what reloads open pages) comes before its briefs;
    until they are done the brief links get the previous PDFs, then the new ones."""
    import time

    root = make_project()  # one executive brief, by default
    with serving(root, pdf=True) as base:
        wait_until(lambda: _status(base)["briefs"] >= 1, timeout=120)
        first = _status(base)
        assert 'href="briefs/executive.pdf"' in _get(base)[1]
        old = _bytes(base + "briefs/executive.pdf")
        assert "Test CX" in _pdf_text(old)

        _edit(root / "cxsite.yaml", "title: Test CX", "title: Edited CX")
        deadline = time.monotonic() + 60
        while (now := _status(base))["build"] == first["build"]:
            assert time.monotonic() < deadline, "no new build"
            time.sleep(0.02)
        served = _bytes(base + "briefs/executive.pdf")
        assert now["briefs"] == first["briefs"] and now["error"] is None  # reloaded first
        assert served == old  # the previous PDF, until the new set is complete
        assert "Edited CX" in _get(base)[1]

        wait_until(lambda: _status(base)["briefs"] > first["briefs"], timeout=120)
        new = _bytes(base + "briefs/executive.pdf")
        assert new != old and "Edited CX" in _pdf_text(new)
    briefs = root / CACHE_DIR / "serve-briefs"
    assert not list(briefs.glob(".tmp-*"))
    assert len(list(briefs.iterdir())) <= 2  # the set served, and at most the one before


@pytest.mark.pdf
def test_a_brief_failure_is_shown_and_the_site_is_still_served(make_project) -> None:
    """A brief that cannot be built shows as an error (the overlay), not a crash; fixing it
    brings the briefs back."""
    refused = (
        '@import url(http://127.0.0.1:9/theme.css);\n{% include "!default/briefs/briefs.css" %}\n'
    )
    root = make_project({"theme/templates/briefs/briefs.css": refused})
    with serving(root, pdf=True) as base:
        wait_until(lambda: _status(base)["error"] is not None, timeout=120)
        status = _status(base)
        assert "refused in PDF brief 'executive'" in status["error"]
        assert status["build"] >= 1 and status["briefs"] == 0
        assert "Buy running shoes" in _get(base + "journeys/buy.html")[1]
        assert _get(base + "briefs/executive.pdf")[0] == 404

        (root / "theme/templates/briefs/briefs.css").unlink()
        wait_until(lambda: _status(base)["briefs"] >= 1, timeout=120)
        assert _status(base)["error"] is None
        assert _bytes(base + "briefs/executive.pdf").startswith(b"%PDF-")


@pytest.mark.pdf
def test_a_newer_build_supersedes_the_briefs_of_an_older_one(make_project, tmp_path) -> None:
    """Requests that come while a set is rendering stop it: only the newest set is
    finished and published."""
    from cxsite.commands.report import SILENT
    from cxsite.commands.serve_briefs import BackgroundBriefs

    root = make_project()
    published: list[Path] = []
    failed: list[str] = []

    def publish(folder: Path) -> int:
        published.append(folder)
        return len(published)

    folder = tmp_path / "briefs"
    briefs = BackgroundBriefs(root, folder, publish, failed.append, SILENT)
    briefs.start()
    try:
        for _ in range(3):
            briefs.request()
        wait_until(lambda: published, timeout=120)
        briefs.request()
        briefs.request()
        wait_until(lambda: len(published) == 2, timeout=120)
    finally:
        briefs.close()
    assert failed == []
    assert [p.name for p in published[-1].iterdir()] == ["executive.pdf"]
    assert briefs.current() == published[-1]
    assert sorted(folder.iterdir()) == [p.parent for p in published]  # no half-done set


def test_serve_banner_names_the_project_and_each_rebuild_its_time(make_project) -> None:
    root = make_project()
    with serving(root) as base:
        assert base.lines[0] == (
            f"Serving 'Test CX' ({root}) on {base} (Ctrl+C to stop); building...\n"
        )
        _edit(root / "journeys/buy.yaml", "Buy running shoes", "Buy trail shoes")
        wait_until(lambda: any("(build 2)" in line for line in base.lines))
        built = [line for line in base.lines if line.startswith("Built in ")]
        assert all(re.fullmatch(r"Built in \d+\.\d\d s \(build \d\)\n", b) for b in built)
        assert built[-1].endswith("(build 2)\n")


def test_a_busy_port_fails_at_once_with_a_hint(make_project) -> None:
    root = make_project()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [str(CXSITE), "serve", str(root), "--port", str(port), "--no-pdf"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use: another program "
        "uses it; choose another with --port, or --port 0 for a free one"
    ]
    assert not (root / CACHE_DIR / "serve").exists()  # nothing was built


def test_the_build_summary_gives_the_whole_commands_time(make_project, monkeypatch) -> None:
    from click.testing import CliRunner

    import cxsite.cli

    root = make_project()
    import time

    monkeypatch.setattr(cxsite.cli, "STARTED", time.perf_counter() - 100)  # 100 s of start-up
    result = CliRunner().invoke(
        cxsite.cli.cli, ["build", str(root), "-o", str(root / "_site"), "--no-pdf"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r" in 1\d\d\.\d s\n$", result.stderr), result.stderr


@pytest.mark.parametrize("linked", ["personas/maya.yaml", "personas"])
def test_a_file_or_folder_replaced_by_a_link_leading_out_is_rebuilt(
    make_project, tmp_path: Path, linked: str
) -> None:
    """The change of the link itself (a path inside the project) rebuilds, and the build
    reports E402 as `cxsite check` does (the watcher used to follow the link, find its
    target outside the project and drop the change: stale pages, no error)."""
    root = make_project()
    outside = tmp_path / "outside"
    outside.mkdir()
    with serving(root) as base:
        moved = outside / Path(linked).name
        (root / linked).rename(moved)
        (root / linked).symlink_to(moved)
        wait_until(lambda: _status(base)["error"] is not None, timeout=20)
        refused = (
            "personas/maya.yaml:1:1: error E402: the file is a symlink leading outside the project"
            if linked.endswith(".yaml")
            else "personas:1:1: error E402: 'personas' is a symlink leading outside the project"
        )
        assert _status(base)["error"].splitlines() == [
            "journeys/buy.yaml:2:12: error E302: unknown persona 'maya' "
            "(no file personas/maya.yaml)",
            refused,
            "touchpoints/web-shop.yaml:6:3: error E302: unknown persona 'maya' "
            "(no file personas/maya.yaml)",
            "3 errors, 0 warnings",
        ]
        assert "Maya Chen" in _get(base + "personas/maya.html")[1]  # the last good build


def test_the_watcher_rebuilds_for_paths_inside_the_project_only(
    make_project, tmp_path: Path
) -> None:
    """Paths are judged as the watcher names them, links not followed."""
    from watchfiles import Change

    from cxsite.commands.serve_paths import ProjectFilter

    root = make_project()
    (tmp_path / "elsewhere.yaml").write_text("name: x\n")
    (root / "personas/link.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    wanted = ProjectFilter(root.resolve(), root / CACHE_DIR / "serve")
    assert wanted(Change.added, str(root / "personas/link.yaml"))
    assert wanted(Change.modified, str(root / "journeys/buy.yaml"))
    assert not wanted(Change.modified, str(tmp_path / "elsewhere.yaml"))
    assert not wanted(Change.added, str(root / CACHE_DIR / "serve/index.html"))
    assert not wanted(Change.added, str(root / "_site/index.html"))
    assert not wanted(Change.added, str(root / ".git/index"))


def test_a_browser_that_leaves_mid_answer_prints_no_traceback(make_project) -> None:
    root = make_project()
    with serving(root) as base:
        host, port = base.removeprefix("http://").rstrip("/").split(":")
        waiting = socket.create_connection((host, int(port)))
        with urllib.request.urlopen(base + "__cxsite/status", timeout=5) as reply:
            since = json.loads(reply.read())["version"]
        waiting.sendall(f"GET /__cxsite/status?since={since} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(0.3)  # the server waits for the next build with this request open
        # the tab closes: a reset, so the server's answer meets a connection that is gone
        waiting.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        waiting.close()
        _edit(root / "journeys/buy.yaml", "Buy running shoes", "Buy trail shoes")
        wait_until(lambda: any("(build 2)" in line for line in base.lines))
        time.sleep(1)  # the waiting request is answered once build 2 is in place
        printed = "".join(base.lines)
        assert "Traceback" not in printed and "Exception occurred" not in printed, printed


def test_a_commit_that_changes_no_project_file_rebuilds(make_project) -> None:
    """Pages show when each file last changed in git. A commit of an edit serve had already
    rebuilt for changed no project file, so serve did not rebuild, and its pages kept
    "changed since the last commit" (the incremental audit)."""
    import gitkit

    root = make_project()
    gitkit.init(root)
    gitkit.commit(root, "first", date="2026-05-04T10:00:00Z")
    with serving(root) as base:
        journey = root / "journeys/buy.yaml"
        _edit(journey, "Buy running shoes", "Buy trail shoes")
        wait_until(lambda: "changed since the last commit" in _get(base + "journeys/buy.html")[1])
        before = _status(base)["build"]
        gitkit.commit(root, "the edit", date="2026-05-05T10:00:00Z")
        wait_until(lambda: _status(base)["build"] > before, timeout=20)
        page = _get(base + "journeys/buy.html")[1]
        assert "changed since the last commit" not in page
        assert '<time datetime="2026-05-05">' in page
