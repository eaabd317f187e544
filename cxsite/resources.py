"""Where the files shipped with cxsite live (the themes and the example project), and which
versions of the libraries it uses are installed.

In a wheel the files are inside the package (`cxsite/themes`, `cxsite/example`, see
pyproject's force-include); in a source checkout they are the repository's `themes/` and
`content/`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
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


def library_versions(names: Sequence[str]) -> dict[str, str]:
    """The installed version of each library, "-" for one not installed.

    Read from the name of its `<name>-<version>.dist-info` folder, the first one on
    `sys.path` (what pip and Debian install), as `importlib.metadata` finds it; that module
    answers only for a library installed otherwise, as importing it and parsing each
    library's METADATA costs 25 ms, more than the rest of an up-to-date build's checks.
    """
    wanted = {_normal(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as items:
                folders = [item.name for item in items if item.name.endswith(".dist-info")]
        except OSError:
            continue  # a zip file, or a folder that is not there
        for folder in folders:
            name, _, version = folder.removesuffix(".dist-info").partition("-")
            library = wanted.get(_normal(name))
            if library is not None and version:
                found.setdefault(library, version)
    for name in names:
        if name not in found:
            found[name] = _metadata_version(name)
    return {name: found[name] for name in names}


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _metadata_version(name: str) -> str:
    # lazy: slow to import, and only needed for a library installed without a dist-info folder
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"
