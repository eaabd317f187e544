"""Fixtures of the hostile suite: the example project and a recording HTTP server."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostilekit import Recorder, RecordingHandler, copy_example


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A fresh copy of the example project in tmp_path/content."""
    return copy_example(tmp_path / "content")


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A recording HTTP server on 127.0.0.1 (a free port)."""
    handler = type("Recording", (RecordingHandler,), {"requests": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Recorder(f"http://127.0.0.1:{httpd.server_address[1]}", handler.requests)
    httpd.shutdown()
    httpd.server_close()
