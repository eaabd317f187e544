"""The files git reads first in a repository, checked before git runs (without running it).

One that is a FIFO or a device (an unpacked archive can hold one) would make git wait for
ever: a build took 121 s. They are the repository's `HEAD`, `config`, `commondir`,
`packed-refs`, `index` and `shallow`, and the branch file `HEAD` names
(`ref: refs/heads/main` -> `refs/heads/main`); for a worktree (or a submodule) those of
the folder its `.git` file names (`gitdir: ...`) and of the shared folder that folder's
`commondir` names.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cxsite.load.projectroot import repository_root

_GIT_FILES = ("HEAD", "config", "commondir", "packed-refs", "index", "shallow")
_SMALL = 4096  # a `.git` file, HEAD or commondir is one short line


def dot_git(cwd: Path) -> Path | None:
    """The `.git` of the repository holding `cwd`: its folder, or the file of a worktree or
    a submodule that names it; None outside any repository."""
    top = repository_root(cwd)
    return top / ".git" if top is not None else None


def _not_regular(path: Path) -> bool:
    """Whether `path` exists (through symlinks) and is not a regular file."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # absent (or unreadable: git says so itself)


def _line(path: Path, key: str) -> str | None:
    """What follows `key` on the first line of the small regular file `path`, else None."""
    try:
        with open(path, "rb", opener=_no_block) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            first = handle.read(_SMALL).decode("utf-8", "surrogateescape").split("\n", 1)[0]
    except OSError:
        return None
    return first[len(key) :].strip() if first.startswith(key) else None


def _no_block(path: str, flags: int) -> int:
    # Opening a FIFO for reading would wait for a writer: never wait, check after opening.
    return os.open(path, flags | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))


def special_git_file(cwd: Path) -> Path | None:
    """The first file git would read first in the repository holding `cwd` that is not a
    regular file (see the module's docstring), else None."""
    dot = dot_git(cwd)
    if dot is None:
        return None
    if not dot.is_dir():
        if _not_regular(dot):
            return dot
        named = _line(dot, "gitdir:")
        if not named:
            return None  # not a worktree's `.git` file: git says what is wrong
        dot = Path(os.path.normpath(dot.parent / named))
    folders = [dot]
    if _not_regular(dot / "commondir"):
        return dot / "commondir"
    common = _line(dot / "commondir", "")
    if common:
        folders.append(Path(os.path.normpath(dot / common)))
    for folder in folders:
        for name in _GIT_FILES:
            if _not_regular(folder / name):
                return folder / name
    ref = _line(dot / "HEAD", "ref:")
    if ref and ref.startswith("refs/") and ".." not in ref.split("/"):
        for folder in folders:
            if _not_regular(folder / ref):
                return folder / ref
    return None
