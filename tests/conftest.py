"""Shared fixtures: a factory writing a small valid cxsite project into `tmp_path`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from projectfiles import BASE_FILES, write_files

# A build server the developer started must not run the suite's builds (with other limits
# and environment); tests/test_server.py starts its own.
os.environ["CXSITE_NO_SERVER"] = "1"

MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Return `make_project(files, *, base=True) -> Path` writing a project into tmp_path.

    `files` maps paths relative to the project to text or bytes; with `base=True` they are
    added to (or override) the small valid base project. A value of None removes a base file.
    Calling it again writes another project into a fresh sub-folder.
    """
    counter = iter(range(1_000_000))

    def make(files: Mapping[str, str | bytes | None] | None = None, *, base: bool = True) -> Path:
        root = tmp_path / f"project{next(counter)}"
        root.mkdir()
        merged: dict[str, str | bytes | None] = dict(BASE_FILES) if base else {}
        merged.update(files or {})
        return write_files(root, merged)

    return make


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright, one per test worker.

    Shared by every suite: Playwright's sync API allows one driver per process.
    """
    assert Path(CHROMIUM).exists(), "Chromium is needed: make test installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project (a temporary copy) built with its PDF briefs, once per worker."""
    import shutil

    from cxsite.commands.build import build_site  # the fixture alone needs the build
    from cxsite.resources import example_dir

    root = tmp_path_factory.mktemp("example-build") / "content"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    out = root.parent / "site"
    build_site(root, out, pdf=True, strict=False, jobs=1)
    return out
