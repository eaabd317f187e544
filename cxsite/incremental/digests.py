"""The SHA-256 of each project file (and the id git gives its bytes, once a build asked)
kept between processes, beside its stat figures, so a new process reads again only the
files that changed (`.cxsite-cache/digests.pickle`).

A session's `digests` table (see `cachefiles.file_digest`) already saves a long-running
`serve` from hashing unchanged files; this file saves a new `cxsite build` from it too:
the files hashed to key the build, the responses CSVs and the files compared with git's
HEAD are read only when their device, inode, size, mtime or ctime moved. A digest is kept
only for a file whose mtime and ctime are older than two seconds when it was read, so a
file changed again within the clock's granularity is read again. Like every cache file it
is signed with this user's key: a forged table would make a changed file look unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cxsite import __version__
from cxsite.cachefiles import file_stamp, read_pickle, write_pickle
from cxsite.session import Session

_HEAD = f"cxsite digests {__version__} 4\n".encode()  # 4: LF ids of CRLF text
_LIMIT = 64 * 1024 * 1024


def _path(cache_dir: Path) -> Path:
    return cache_dir / "digests.pickle"


def _valid(value: Any) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 3
        and isinstance(value[0], tuple)
        and all(isinstance(n, int) for n in value[0])
        and isinstance(value[1], bytes)
        and (value[2] is None or isinstance(value[2], str))
    )


def load_digests(session: Session, cache_dir: Path) -> None:
    """Seed the session's `digests` from the cache folder (nothing from an unusable file)."""
    path = _path(cache_dir)
    kept = session.written.get(path)
    if kept is not None and kept[0] == file_stamp(path):
        return  # this process wrote or read it: its digests are already here
    found = read_pickle(path, _HEAD, limit=_LIMIT)
    if found is None or not isinstance(found[0], dict):
        return
    entries, stamp = found
    for name, value in entries.items():
        if isinstance(name, str) and _valid(value):
            session.digests.seed(name, value)
    session.written[path] = (stamp, entries)


def save_digests(session: Session, cache_dir: Path) -> None:
    """Keep the digests this build looked up for the next process, unless the file holds
    exactly those; a failure to write only costs speed."""
    path = _path(cache_dir)
    entries = session.digests.used_items()
    kept = session.written.get(path)
    if kept is not None and kept[1] == entries and kept[0] == file_stamp(path):
        return
    stamp = write_pickle(path, _HEAD, entries)
    if stamp is not None:
        session.written[path] = (stamp, entries)
