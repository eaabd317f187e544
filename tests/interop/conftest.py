"""Fixtures of the import and export tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder: sheets are written here and named relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
