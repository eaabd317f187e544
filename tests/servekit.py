"""Helpers for the tests that run `cxsite serve`: waiting for a condition,
writing a file as editors do, and a running server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

CXSITE = Path(sys.executable).parent / "cxsite"


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


class Served(str):
    """The base URL of a running `cxsite serve`, with the lines it printed on stderr so far."""

    lines: list[str]


@contextmanager
def serving(root: Path, *, pdf: bool = False) -> Iterator[Served]:
    """`cxsite serve ROOT` (`--no-pdf` unless `pdf`) on a port it picks (`--port 0`, read
    back from its banner: no race for a port with other tests), once its first build is up:
    its base URL, whose `lines` keep filling with what it prints on stderr."""
    proc = subprocess.Popen(
        [str(CXSITE), "serve", str(root), "--port", "0", *([] if pdf else ["--no-pdf"])],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    try:
        banner = proc.stderr.readline()
        found = re.search(r" on (http://[\d.]+:\d+/) ", banner)
        assert found is not None, banner
        base = Served(found.group(1))
        base.lines = [banner]
        # Keep reading, so a full pipe never blocks the server.
        threading.Thread(target=base.lines.extend, args=(proc.stderr,), daemon=True).start()
        wait_until(lambda: build_id(base) >= 1, timeout=60)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
