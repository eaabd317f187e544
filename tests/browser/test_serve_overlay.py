"""`cxsite serve` in the browser: a broken edit shows an overlay, a fix reloads the page."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CXSITE = Path(sys.executable).parent / "cxsite"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build_id(base: str) -> int:
    with urllib.request.urlopen(base + "__cxsite/status", timeout=5) as reply:
        return json.loads(reply.read())["build"]


def _replace(path: Path, text: str) -> None:
    """Write a file the way editors do (new file, then rename), so no half-written state."""
    tmp = path.with_name(path.name + ".tmp~")
    tmp.write_text(text)
    os.replace(tmp, path)


@pytest.fixture
def served(make_project) -> Iterator[tuple[Path, str]]:  # type: ignore[no-untyped-def]
    root = make_project()
    port = _free_port()
    proc = subprocess.Popen(
        [str(CXSITE), "serve", str(root), "--port", str(port), "--no-pdf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _build_id(base) >= 1:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        yield root, base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_overlay_shows_errors_then_recovers(new_page, served) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    root, base = served
    page, watch = new_page(base)
    page.goto(base + "personas/maya.html")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Maya Chen")
    persona = root / "personas/maya.yaml"
    good = persona.read_text()
    _replace(persona, good.replace("role: Busy urban runner", "role: [broken"))
    overlay = page.locator("#cxsite-overlay")
    expect(overlay).to_contain_text("personas/maya.yaml:", timeout=30_000)
    expect(overlay).to_contain_text("error E105")
    expect(heading).to_have_text("Maya Chen")  # the last good build is still shown
    _replace(persona, good.replace("Maya Chen", "Maya Fixed"))
    expect(heading).to_have_text("Maya Fixed", timeout=30_000)
    expect(overlay).to_have_count(0)
    # A reload aborts the status poll in flight; anything else would be a real failure.
    assert [e for e in watch.errors if "ERR_ABORTED" not in e] == []
