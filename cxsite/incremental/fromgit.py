"""What a build reads from git, kept between processes: the history up to HEAD, and the
project at a revision (`changes_since`, an executive brief's `since`).

Both cost more than the rest of a one-file edit's build: at N=200, the history of a
10,000-commit repository 0.35 s of a 1.45 s build, the project at a revision (read from
git, validated and analysed) 1.6 s of 3.7 s. Neither changes while HEAD and the commit stay
the same, so they are kept in `.cxsite-cache/` (`history.pickle`, `version-<commit>.pickle`),
signed like every cache file (cachefiles.py) and for this cxsite only (its tool key).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from cxsite.analysis.changes import Version
from cxsite.cachefiles import read_pickle, write_pickle
from cxsite.incremental.buildcache import tool_key
from cxsite.load.history import History, read_history, shallow_cut
from cxsite.session import Session

log = logging.getLogger(__name__)

# The newest version files kept (a build compares with one or two commits at a time).
KEPT = 4
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_NOT_PICKLED = (TypeError, AttributeError, RecursionError, ValueError)


def history_of(
    root: Path, head: tuple[str, int], wanted: Sequence[str], session: Session, folder: Path | None
) -> History | None:
    """`read_history(root, head, wanted)`, or what an earlier build (this process's, else
    the one that wrote `folder`) read for the same HEAD, project folder and (at least)
    these files: the log is read until each wanted file has its last commit, so a file
    added since needs it read again. A shallow clone made deeper reads it again too."""
    key = (head[0], str(root.resolve()), shallow_cut(root))
    files = frozenset(wanted)

    def covers(entry: tuple | None) -> bool:
        return entry is not None and entry[0] == key and files <= entry[1]

    entry = session.history if covers(session.history) else _read(folder)  # the file if need be
    if covers(entry):
        session.history = entry
        return entry[2]
    found = read_history(root, head, wanted)
    if found is not None:
        session.history = (key, files, found)
        if folder is not None:
            _write(folder / "history.pickle", _history_head(), session.history)
    return found


def _history_head() -> bytes:
    return f"cxsite history {tool_key()}\n".encode()


def _read(folder: Path | None) -> tuple | None:
    found = read_pickle(folder / "history.pickle", _history_head()) if folder else None
    entry = found[0] if found is not None else None
    ok = isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[2], History)
    return entry if ok else None


def _version_path(folder: Path, commit: str) -> Path | None:
    """The file of `commit`'s version; None for anything but a full commit id."""
    return folder / f"version-{commit}.pickle" if _COMMIT.fullmatch(commit) else None


def _version_head(folder: Path, commit: str, as_of: dt.date) -> bytes:
    """What a version file is for: this cxsite, the commit, the date and the project
    folder (the cache folder's parent: a copy elsewhere in the repository is another)."""
    where = str(folder.parent.resolve())
    return f"cxsite version {tool_key()} {commit} {as_of.isoformat()} {where}\n".encode()


def kept_version(folder: Path | None, commit: str, as_of: dt.date) -> Version | None:
    """The version of `commit` an earlier build kept for this date, else None."""
    path = _version_path(folder, commit) if folder is not None else None
    if folder is None or path is None:
        return None
    found = read_pickle(path, _version_head(folder, commit, as_of))
    return found[0] if found is not None and isinstance(found[0], Version) else None


def keep_version(folder: Path | None, commit: str, as_of: dt.date, version: Version) -> None:
    """Keep `commit`'s version for the next process, and only the KEPT newest versions (a
    failure to write only costs speed)."""
    path = _version_path(folder, commit) if folder is not None else None
    if (
        folder is None
        or path is None
        or not _write(path, _version_head(folder, commit, as_of), version)
    ):
        return
    newest = sorted(folder.glob("version-*.pickle"), key=_mtime, reverse=True)
    for old in newest[KEPT:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _write(path: Path, head: bytes, body: object) -> bool:
    """Whether `body` was written (a failure only costs speed)."""
    try:
        return write_pickle(path, head, body) is not None
    except _NOT_PICKLED as exc:
        log.debug("%s not kept: %s", path.name, exc)
        return False


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
