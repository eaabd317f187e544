"""PDF briefs kept between builds, by what they are made from.

Laying a brief out (WeasyPrint) is the dearest step of a build: seconds for each brief,
while the HTML it is made from takes milliseconds. A brief whose HTML, charts, the project
files it showed (a logo, photos), cxsite and its libraries, Pango and the installed fonts
(each file's path, size and time) are those of a brief rendered before has the same bytes
(builds are reproducible), so it is not rendered again. Entries are
`.cxsite-cache/briefs/<key>.pickle`, signed like every cache file (cachefiles.py): the
files read with the SHA-256 of their bytes, and the PDF.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from cxsite.briefs.pdf import Refused, read_project_file
from cxsite.cachefiles import read_pickle, usable_folder, write_pickle
from cxsite.incremental.buildcache import tool_key

_HEAD = b"cxsite brief\n"
# What a brief read while it was rendered: (project file URL, SHA-256 of the bytes).
Read = tuple[tuple[str, str], ...]


def brief_key(html: str, memory: Mapping[str, bytes], fonts: str) -> str:
    """The key of a brief made from `html` and the in-memory resources `memory` (its
    charts), with this cxsite and the installed fonts `fonts` (`require_fonts`)."""
    h = hashlib.sha256()
    for part in (tool_key(), fonts, html):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for name in sorted(memory):
        h.update(name.encode("utf-8", "surrogatepass") + b"\0")
        h.update(hashlib.sha256(memory[name]).digest())
    return h.hexdigest()


def _briefs(folder: Path | None) -> Path | None:
    """The cache folder's `briefs/`, unless it is a symlink, a file or leads out of the
    project (then nothing is read, written or removed there)."""
    if folder is None or not usable_folder(folder / "briefs", folder.parent):
        return None
    return folder / "briefs"


def kept_brief(folder: Path | None, key: str, root: Path) -> bytes | None:
    """The PDF of an earlier brief with `key`, while every project file it read still has
    the same bytes; else None."""
    briefs = _briefs(folder)
    found = read_pickle(briefs / f"{key}.pickle", _HEAD) if briefs is not None else None
    body = found[0] if found is not None else None
    if not (isinstance(body, tuple) and len(body) == 2 and isinstance(body[1], bytes)):
        return None
    read, data = body
    for url, sha in read:
        try:
            if hashlib.sha256(read_project_file(root, url)).hexdigest() != sha:
                return None
        except Refused:  # gone, moved out, no longer a regular file
            return None
    return data


def keep_briefs(
    folder: Path | None, made: Mapping[str, tuple[Read, bytes]], used: Iterable[str] | None
) -> None:
    """Keep the briefs `made` (key -> what they read, PDF bytes) and, when `used` says
    which keys this build used (all its briefs), drop every other entry (a failure to
    write only costs speed)."""
    briefs = _briefs(folder)
    if briefs is None:
        return
    for key, body in made.items():
        write_pickle(briefs / f"{key}.pickle", _HEAD, body)
    if used is None:
        return
    wanted = {*made, *used}
    with contextlib.suppress(OSError):
        for entry in briefs.glob("*.pickle"):
            if entry.stem not in wanted:
                entry.unlink(missing_ok=True)
