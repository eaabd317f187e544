"""Browser fixtures: the example site built once per session, served over HTTP, and Chromium."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cxsite.commands.build import build_site
from cxsite.resources import example_dir


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project (a temporary copy) built without PDFs."""
    root = tmp_path_factory.mktemp("browser") / "content"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    out = root.parent / "site"
    build_site(root, out, pdf=False, strict=False, jobs=1)
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def http_url(built_site: Path) -> Iterator[str]:
    """The built site served by a plain static server on a free local port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class PageWatch:
    """Console errors, page errors, failed requests and requests leaving the machine."""

    def __init__(self, page, allowed_prefix: str) -> None:  # type: ignore[no-untyped-def]
        self.errors: list[str] = []
        self.allowed = allowed_prefix
        page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}"))
        page.on("request", self._request)

    def _request(self, request) -> None:  # type: ignore[no-untyped-def]
        url = request.url
        if not (url.startswith(self.allowed) or url.startswith("data:")):
            self.errors.append(f"external request: {url}")


@pytest.fixture
def new_page(browser):  # type: ignore[no-untyped-def]
    """`new_page(base, width=1366, scheme="light") -> (page, watch)`; contexts closed after."""
    contexts = []

    def make(base: str, width: int = 1366, scheme: str = "light"):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        return page, PageWatch(page, base)

    yield make
    for context in contexts:
        context.close()
