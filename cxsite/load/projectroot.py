"""Where a project and its repository start: `cxsite.yaml` and `.git` found upward, as git
finds `.git` (SPEC 8.16), without running git."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

CONFIG_FILE = "cxsite.yaml"
# What a command without PROJECT says when `find_project` finds none.
NOT_FOUND = (
    "no cxsite.yaml in {here} or any folder above it: not a cxsite project "
    "(give PROJECT, or start one with 'cxsite init DIR')"
)


def not_a_project(root: Path) -> str:
    """What a command says when the PROJECT it was given holds no `cxsite.yaml`."""
    where = "does not exist" if not os.path.lexists(root) else f"has no {CONFIG_FILE}"
    return f"{root} {where}: not a cxsite project (start one with 'cxsite init DIR')"


def _upward(start: Path, found: Callable[[Path], bool]) -> Path | None:
    """The nearest folder from `start` up to the filesystem root for which `found` holds."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        try:
            if found(folder):
                return folder
        except OSError:  # an unreadable folder on the way up: keep looking above it
            continue
    return None


def find_project(start: Path) -> Path | None:
    """The nearest folder from `start` upward holding a `cxsite.yaml` (whatever it is: a
    FIFO or a folder named so is found, and validation says what it is), or None."""
    return _upward(start, lambda folder: os.path.lexists(folder / CONFIG_FILE))


def repository_root(path: Path) -> Path | None:
    """The top-level folder of the git repository holding `path` (the nearest folder with
    a `.git` folder or file, as in a worktree or submodule), or None outside any."""
    return _upward(path, lambda folder: (folder / ".git").exists())


def shown_path(found: Path, cwd: Path) -> Path:
    """`found` as the user would write it from `cwd`: `.`, `..`, `../..` or a sub-folder;
    absolute when they share no folder (another drive)."""
    try:
        return Path(os.path.relpath(found, os.path.abspath(cwd)))
    except ValueError:
        return found
