"""Where the files shipped with cxsite live: the themes and the example project.

In a wheel they are inside the package (`cxsite/themes`, `cxsite/example`, see pyproject's
force-include); in a source checkout they are the repository's `themes/` and `content/`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


def _shipped(package_name: str, repo_name: str) -> Path:
    packaged = Path(str(resources.files("cxsite"))) / package_name
    return packaged if packaged.is_dir() else _REPO / repo_name


def themes_dir() -> Path:
    """The folder holding the built-in themes (`default/`)."""
    return _shipped("themes", "themes")


def example_dir() -> Path:
    """The example project that `cxsite init --example` copies."""
    return _shipped("example", "content")
