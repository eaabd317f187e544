"""Helpers for the tests that run `cxsite serve`: a free port, waiting for a condition,
writing a file as editors do, and a running server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

CXSITE = Path(sys.executable).parent / "cxsite"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], bool], timeout: float = 40) -> None:
    """Poll `predicate` until it holds (a server not answering yet counts as not yet)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


def replace_file(path: Path, text: str) -> None:
    """Write a file the way editors do (new file, then rename), so no half-written state."""
    tmp = path.with_name(path.name + ".tmp~")
    tmp.write_text(text)
    os.replace(tmp, path)


def build_id(base: str) -> int:
    """The number of the build the server at `base` shows."""
    with urllib.request.urlopen(base + "__cxsite/status", timeout=5) as reply:
        return json.loads(reply.read())["build"]


@contextmanager
def serving(root: Path, *, pdf: bool = False) -> Iterator[str]:
    """`cxsite serve ROOT` (`--no-pdf` unless `pdf`) on a free port, once its first build is
    up: its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [str(CXSITE), "serve", str(root), "--port", str(port), *([] if pdf else ["--no-pdf"])],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: build_id(base) >= 1, timeout=60)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
