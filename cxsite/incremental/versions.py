"""The project at a git revision, validated and analysed, kept between processes.

A build with `changes_since` (or an executive brief's `since`) compares with the same commit
on every build. Reading that commit's files from git, validating and analysing them cost
more than the rest of a one-file edit (1.6 s of a 3.7 s build at N=200); a commit never
changes, so its version is kept in `.cxsite-cache/version-<commit>.pickle`, signed like every
cache file (cachefiles.py), for this cxsite and this "as of" date only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from pathlib import Path

from cxsite.analysis.changes import Version
from cxsite.cachefiles import read_pickle, write_pickle
from cxsite.incremental.buildcache import tool_key

log = logging.getLogger(__name__)

# The newest version files kept (a build compares with one or two commits at a time).
KEPT = 4
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def _path(folder: Path, commit: str) -> Path | None:
    """The file of `commit`'s version; None for anything but a full commit id."""
    return folder / f"version-{commit}.pickle" if _COMMIT.fullmatch(commit) else None


def _head(commit: str, as_of: dt.date) -> bytes:
    return f"cxsite version {tool_key()} {commit} {as_of.isoformat()}\n".encode()


def kept_version(folder: Path | None, commit: str, as_of: dt.date) -> Version | None:
    """The version of `commit` an earlier build kept for this date, else None."""
    path = _path(folder, commit) if folder is not None else None
    found = read_pickle(path, _head(commit, as_of)) if path is not None else None
    return found[0] if found is not None and isinstance(found[0], Version) else None


def keep_version(folder: Path | None, commit: str, as_of: dt.date, version: Version) -> None:
    """Keep `commit`'s version for the next process, and only the KEPT newest versions (a
    failure to write only costs speed)."""
    path = _path(folder, commit) if folder is not None else None
    if folder is None or path is None:
        return
    try:
        write_pickle(path, _head(commit, as_of), version)
    except (TypeError, AttributeError, RecursionError, ValueError) as exc:  # not picklable
        log.debug("version %s not kept: %s", commit, exc)
        return
    newest = sorted(folder.glob("version-*.pickle"), key=_mtime, reverse=True)
    for old in newest[KEPT:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0
