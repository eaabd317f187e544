"""`cxsite serve` facing hostile requests and a hostile editor: it listens on 127.0.0.1 only,
answers no path outside its build folder however the path is spelled, and keeps serving the
last good build through broken edits and deleted files.

Requests are written on raw sockets so no client library normalises `..` away.
tests/test_serve.py covers the basic rebuild, four traversal spellings and the overlay.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostilekit import CXSITE, SMALL_PROJECT, write_project
from servekit import build_id, replace_file, serving, wait_until

pytestmark = pytest.mark.slow

PASSWD = b"root:x:0:0"


def _raw(port: int, request: bytes, host: str = "127.0.0.1") -> bytes:
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(request)
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    return reply


def _get(port: int, path: str) -> tuple[int, bytes]:
    reply = _raw(port, f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"))
    status = int(reply.split(b" ", 2)[1])
    return status, reply.split(b"\r\n\r\n", 1)[-1]


def _status(port: int) -> dict:  # type: ignore[type-arg]
    return json.loads(_get(port, "/__cxsite/status")[1])


def _serve(base: Path) -> Iterator[tuple[Path, int, subprocess.Popen]]:  # type: ignore[type-arg]
    """`cxsite serve` with its default host on a free port (--port 0), the port read back."""
    root = write_project(base / "project", SMALL_PROJECT)
    (base / "secret.txt").write_text("SECRET-BESIDE-THE-PROJECT")
    proc = subprocess.Popen(
        [CXSITE, "serve", str(root), "--port", "0", "--no-pdf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = 0
        assert proc.stderr is not None
        for line in proc.stderr:
            found = re.search(r"on http://([\d.]+):(\d+)/", line)
            if found:
                assert found.group(1) == "127.0.0.1"
                port = int(found.group(2))
                break
        assert port, "serve did not say where it listens"
        wait_until(lambda: _status(port)["build"] >= 1)
        yield root, port, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, int, subprocess.Popen]]:  # type: ignore[type-arg]
    """One server for the tests that only send requests."""
    yield from _serve(tmp_path_factory.mktemp("serve"))


@pytest.fixture
def edited(tmp_path: Path) -> Iterator[tuple[Path, int, subprocess.Popen]]:  # type: ignore[type-arg]
    """A server of its own for a test that edits the project."""
    yield from _serve(tmp_path)


def test_listens_on_loopback_only_by_default(served) -> None:  # type: ignore[no-untyped-def]
    _, port, _ = served
    assert _get(port, "/index.html")[0] == 200
    # Bound to 127.0.0.1 exactly: another loopback address (or any other interface) is refused.
    with pytest.raises(OSError):
        _raw(port, b"GET / HTTP/1.0\r\n\r\n", host="127.0.0.2")


TRAVERSALS = [
    "/../../etc/passwd",
    "/../../../../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/..%5c..%5c..%5c..%5cetc%5cpasswd",
    "/..\\..\\..\\..\\etc\\passwd",
    "/%252e%252e/%252e%252e/etc/passwd",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/static/../../cxsite.yaml",
    "/static/%2e%2e/%2e%2e/%2e%2e/secret.txt",
    "//etc/passwd",
    "/etc/passwd",
    "/.cxsite-output",
    "/%2ecxsite-output",
    "/charts/%00../../cxsite.yaml",
    "/index.html%00.png",
    "http://127.0.0.1/../../etc/passwd",
    "/.././.././../etc/passwd?x=1#frag",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_refuses_path_traversal(served, path: str) -> None:  # type: ignore[no-untyped-def]
    _root, port, _ = served
    status, body = _get(port, path)
    assert status in (400, 404), (path, status)
    assert PASSWD not in body
    assert b"title: Fault CX" not in body and b"SECRET-BESIDE-THE-PROJECT" not in body
    assert _get(port, "/index.html")[0] == 200  # still serving


def test_a_name_too_long_for_the_file_system_is_not_found(served) -> None:  # type: ignore[no-untyped-def]
    """A 60,000-character name made the file system refuse the lookup: the connection was
    closed unanswered and the log line quoted the whole path (hostile audit)."""
    _root, port, _ = served
    for path in ("/" + "a" * 60_000, "/journeys/" + "b" * 300 + ".html"):
        status, _body = _get(port, path)
        assert status == 404, (path[:20], status)
    assert _get(port, "/index.html")[0] == 200


def test_garbage_requests_do_not_stop_the_server(served) -> None:  # type: ignore[no-untyped-def]
    _, port, proc = served
    junk_requests = (
        b"\x00\xff\xfe garbage\r\n\r\n",
        b"GET " + b"/a" * 40_000 + b" HTTP/1.0\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"\r\n\r\n",
    )
    for junk in junk_requests:
        with contextlib.suppress(OSError):
            _raw(port, junk)
    assert proc.poll() is None
    assert _get(port, "/index.html")[0] == 200


def test_survives_broken_edits_and_deleted_files(edited) -> None:  # type: ignore[no-untyped-def]
    root, port, proc = edited
    page = "/personas/maya.html"
    assert b"Maya Chen" in _get(port, page)[1]

    # A persona deleted: the journey now names an unknown persona, the last build stays up.
    persona = root / "personas" / "maya.yaml"
    kept = persona.read_text()
    persona.unlink()
    wait_until(lambda: _status(port)["error"] is not None)
    assert "error E302" in _status(port)["error"]
    assert b"Maya Chen" in _get(port, page)[1]

    # cxsite.yaml deleted: not a project any more; still serving the last good build.
    config = root / "cxsite.yaml"
    config_text = config.read_text()
    config.unlink()
    wait_until(lambda: "cxsite.yaml" in (_status(port)["error"] or ""))
    assert _get(port, page)[0] == 200

    # A file that is not YAML at all, then binary garbage.
    config.write_text(config_text)
    persona.write_bytes(b"\x00\xff\xfe\x00 not yaml")
    wait_until(lambda: "personas/maya.yaml:1:2: error E102" in (_status(port)["error"] or ""))
    assert proc.poll() is None

    # Fixed: the site is rebuilt and the error cleared.
    persona.write_text(kept.replace("Maya Chen", "Maya Back"))
    wait_until(lambda: _status(port)["error"] is None and b"Maya Back" in _get(port, page)[1])

    # A page file deleted from under the server: a 404, not a crash.
    served_dir = root / ".cxsite-cache" / "serve"
    (served_dir / "insights.html").unlink()
    assert _get(port, "/insights.html")[0] == 404
    assert proc.poll() is None


def _refused(root: Path) -> list[str]:
    """The lines `cxsite serve ROOT` prints when it refuses to start (exit code 1)."""
    done = subprocess.run(
        [CXSITE, "serve", str(root), "--port", "0", "--no-pdf"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1, done.stderr
    return done.stderr.strip().splitlines()


@pytest.mark.parametrize(
    "place", [".cxsite-cache", ".cxsite-cache/serve", ".cxsite-cache/serve-briefs"]
)
def test_refuses_a_cache_folder_that_is_a_file(tmp_path: Path, place: str) -> None:
    """A file where `.cxsite-cache` (or its preview's folders) belongs: the preview has
    nowhere to go, so `serve` says so in one line at once (it used to keep serving a build,
    or briefs, that always failed)."""
    root = write_project(tmp_path / "project", SMALL_PROJECT)
    (root / place).parent.mkdir(exist_ok=True)
    (root / place).write_text("a file\n")
    assert _refused(root) == [
        f"Error: refusing to serve: {root / place} is not a folder "
        "(the preview goes there); remove it"
    ]
    assert (root / place).read_text() == "a file\n"


def test_refuses_a_cache_folder_leading_outside(tmp_path: Path) -> None:
    """A `.cxsite-cache` committed as a symlink must not make the preview write elsewhere."""
    root = write_project(tmp_path / "project", SMALL_PROJECT)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".cxsite-cache").symlink_to(elsewhere, target_is_directory=True)
    assert _refused(root)[-1] == (
        f"Error: refusing to serve: {root / '.cxsite-cache'} leads outside the project "
        "(a symlink); remove it"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_folder_the_watcher_may_not_read_does_not_stop_rebuilds(tmp_path: Path) -> None:
    """A link to a folder that cannot be read through (here /proc/1, some of which not
    even root may read in a container): the watcher skips it, and an edit is still rebuilt
    (its thread used to die on PermissionError while `serve` went on, never rebuilding)."""
    root = write_project(tmp_path / "project", SMALL_PROJECT)
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "proclink").symlink_to("/proc/1", target_is_directory=True)
    config = root / "cxsite.yaml"
    with serving(root) as base:
        replace_file(config, config.read_text() + "\n# edited\n")
        wait_until(lambda: build_id(base) >= 2)
        assert not any("Traceback" in line for line in base.lines), base.lines


@pytest.mark.parametrize("place", [".cxsite-cache/serve", ".cxsite-cache"])
def test_a_preview_folder_that_becomes_a_link_leading_out_is_never_written_through(
    tmp_path: Path, place: str
) -> None:
    """A checkout that commits `.cxsite-cache/serve` (or `.cxsite-cache`) as a symlink while
    `serve` runs: each rebuild checks the preview folder again and fails with the start-up
    line; nothing is written or served from outside, and removing the link recovers (every
    rebuild used to write the preview through the link, into a folder made by cxsite)."""
    from cxsite.write.output import MARKER, MARKER_TEXT

    root = write_project(tmp_path / "project", SMALL_PROJECT)
    outside = tmp_path / "outside"
    site = outside / "serve" if place == ".cxsite-cache" else outside
    site.mkdir(parents=True)
    (site / MARKER).write_text(MARKER_TEXT)  # another project's preview, say
    (site / "index.html").write_text("<body>OUTSIDE</body>")
    before = {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    journey = root / "journeys/buy.yaml"
    with serving(root) as base:
        built = build_id(base)
        link = root / place
        shutil.rmtree(link)
        link.symlink_to(outside, target_is_directory=True)
        replace_file(journey, journey.read_text().replace("Buy running", "Buy trail"))
        refusal = f"refusing to serve: {link} leads outside the project (a symlink); remove it"
        port = int(base.rsplit(":", 1)[1].strip("/"))
        wait_until(lambda: _status(port)["error"] is not None, timeout=20)
        assert _status(port) == {"build": built, "error": refusal, "version": built + 1}
        wait_until(lambda: any("Build failed" in line for line in base.lines))
        assert [line for line in base.lines if "Build failed" in line][-1] == (
            f"Build failed: {refusal}; the pages show this error until then.\n"
        )
        status, page = _get(port, "/")  # not the pages of the folder the link leads to
        assert status == 503 and b"OUTSIDE" not in page and refusal.encode() in page
        assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before

        link.unlink()  # the link removed: the next check finds the folder fine again
        wait_until(lambda: _status(port)["error"] is None, timeout=20)
        assert _status(port)["build"] == built + 1
        assert b"Buy trail shoes" in _get(port, "/journeys/buy.html")[1]
        assert b"Maya Chen" in _get(port, "/personas/maya.html")[1]  # every page is back
    assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before
    assert not any("Traceback" in line for line in base.lines), base.lines
