"""The chart cache: entries in `.cxsite-cache/charts/<digest>.svg`, checked before use, and
the charts of one build taken from memory or from entries an earlier build checked."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxsite.charts.jobs import ChartJob, ChartResult, job_digest, svg_ids
from cxsite.incremental.buildcache import _stat
from cxsite.session import Memo

log = logging.getLogger(__name__)

_CHECK = b"\n<!-- cxsite-cache sha256:"
# The checksum catches damage, not forgery: anyone can commit a `.cxsite-cache/`. Charts are
# published on the site's origin, so an entry holding anything a drawn chart never has (a
# script, an event handler, foreign content, a link) is redrawn instead of published.
_ACTIVE = re.compile(
    rb"<\s*(script|foreignObject|iframe|embed|object|a|handler)\b"
    rb"|\son[a-z]+\s*=|<!ENTITY|javascript\s*:|href\s*=\s*[\"'](?!#|data:image/png;)"
    rb"|@import|url\(\s*[\"']?(?!#)",
    re.IGNORECASE,
)
_CACHE_MAX_BYTES = 64 * 1024 * 1024


def _read_entry(path: Path, trusted: Callable[[os.stat_result], bool]) -> bytes | None:
    """The SVG of a cache entry whose file `trusted` accepts and whose checksum matches.

    An entry ends with the SHA-256 of the SVG before it, so bytes damaged anywhere (not only
    a truncated end) are noticed. Symlinks, FIFOs and devices are never read: a committed
    `.cxsite-cache/` must not make a build read /dev/zero or a file outside the project.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > _CACHE_MAX_BYTES:
            log.debug("ignoring a chart cache entry that is not a plain file: %s", path)
            return None
        if not trusted(info):
            return None
        stored = handle.read(_CACHE_MAX_BYTES + 1)
    data, mark, trailer = stored.rpartition(_CHECK)
    if mark and trailer == hashlib.sha256(data).hexdigest().encode() + b" -->\n":
        return data
    log.debug("ignoring a damaged chart cache entry: %s", path)
    return None


def _read_cache(path: Path, job: ChartJob) -> bytes | None:
    """A cached SVG, or None when missing, damaged, not this chart's, not a plain file, not
    written by this machine's cxsite (its stamp), or holding active content."""
    data = _read_entry(path, lambda info: _read_stamp(path) == _stamp(info))
    if (
        data is not None
        and data.startswith(b"<?xml")
        and svg_ids(job)[0].encode() in data
        and not _ACTIVE.search(data)
    ):
        return data
    return None


def read_checked(path: Path, job: ChartJob, checked: Sequence[int]) -> bytes | None:
    """A cache entry that passed `_read_cache` earlier on this machine, while it still has
    the size, mtime and inode (`checked`) it had then: only its checksum is verified again
    (the checks for active content are not repeated on bytes already checked)."""
    same = list(checked)
    data = _read_entry(path, lambda info: [info.st_size, info.st_mtime_ns, info.st_ino] == same)
    return data if data is not None and svg_ids(job)[0].encode() in data else None


class CheckedEntries:
    """Which chart cache entries a build read and checked (or wrote), with the size, mtime
    and inode each had then, kept in a stamped file (see buildcache.py) for the next build.

    Nothing is read or written when the cache folder is a symlink or leads out of the project.
    """

    def __init__(self, cache_dir: Path):
        from cxsite.incremental.buildcache import _read_checked

        self.path = cache_dir / "charts-checked.json"
        folder = cache_dir / "charts"
        try:
            self.usable = not cache_dir.is_symlink() and folder.resolve().is_relative_to(
                cache_dir.parent.resolve()
            )
        except (OSError, RuntimeError):
            self.usable = False
        body = _read_checked(self.path) if self.usable else None
        self.previous: dict[str, list[int]] = {}
        if isinstance(body, dict):
            for d, entry in body.items():
                if isinstance(entry, list) and all(type(x) is int for x in entry):
                    self.previous[d] = entry
        self.now: dict[str, list[int]] = {}

    def seen(self, digest: str, entry: list[int]) -> None:
        """Note a cache entry this build has as checked."""
        self.now[digest] = entry

    def save(self) -> None:
        """Write the table when it changed (a failure only costs speed)."""
        from cxsite.incremental.buildcache import _write_checked

        if self.usable and self.now != self.previous and self.path.parent.is_dir():
            _write_checked(self.path, self.now)


def _stamp(info: os.stat_result) -> str:
    """What a cache entry written on this machine looked like: inode, mtime and size.

    A checksum anyone can recompute; a `.cxsite-cache/` committed to git or copied from
    elsewhere does not keep these, so such entries are drawn again, never trusted.
    """
    return f"{info.st_ino} {info.st_mtime_ns} {info.st_size}"


def _read_stamp(path: Path) -> str | None:
    stamp = path.with_name(path.name + ".stamp")
    try:
        fd = os.open(stamp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read(256).decode("ascii", "replace")


def _write_cache(path: Path, data: bytes) -> None:
    """Write a cache entry atomically (temp file + rename); a failure only costs a re-render."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".svg")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data + _CHECK + hashlib.sha256(data).hexdigest().encode() + b" -->\n")
            os.replace(tmp, path)
            stamp = path.with_name(path.name + ".stamp")
            stamp_tmp = stamp.with_name(f".tmp-{stamp.name}")
            stamp_tmp.write_text(_stamp(path.lstat()), encoding="ascii")
            os.replace(stamp_tmp, stamp)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("could not write the chart cache %s: %s", path, exc)


def _cache_inside(folder: Path, project: Path) -> bool:
    """Whether the cache folder stays inside the project: a `.cxsite-cache` committed as a
    symlink leading out is neither read nor written (charts are then drawn every time)."""
    try:
        inside = folder.resolve().is_relative_to(project.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        log.warning("chart cache %s leads outside the project: not used", folder)
    return inside


@dataclass
class Cached:
    """What `cached_charts` found: SVGs by key, the checked-entries table, every digest."""

    known: dict[str, bytes]
    table: CheckedEntries
    digests: dict[str, str]


def cached_charts(
    jobs: Mapping[str, Any], cache_dir: Path, svgs: Memo[str, tuple[bytes, list[int]]]
) -> Cached:
    """The charts this process already has in `svgs` (a session's, by job digest, with the
    size, mtime and inode the cache entry had then: `serve` does not read and check 600
    cache files again on every rebuild while they stay as they were), and the cache entries
    an earlier build already checked."""
    folder = cache_dir / "charts"
    table = CheckedEntries(cache_dir)
    digests = {key: job_digest(job) for key, job in jobs.items()}
    known: dict[str, bytes] = {}
    for key, d in digests.items():
        found = svgs.get(d)
        if found is not None and _stat(folder / f"{d}.svg") == found[1]:
            known[key] = found[0]
            table.seen(d, found[1])
            continue
        entry = table.previous.get(d)
        data = read_checked(folder / f"{d}.svg", jobs[key], entry) if entry is not None else None
        if data is not None and entry is not None:
            known[key] = data
            table.seen(d, entry)
    return Cached(known, table, digests)


def build_charts(
    jobs: Mapping[str, Any],
    cached: Cached,
    cache_dir: Path,
    workers: int,
    render: Any,
    svgs: Memo[str, tuple[bytes, list[int]]],
) -> ChartResult:
    """`render_charts` for the jobs not `cached` (see `cached_charts`), and all the SVGs."""
    known, table = cached.known, cached.table
    folder = cache_dir / "charts"
    rest = {key: job for key, job in jobs.items() if key not in known}
    result = render(rest, cache_dir, workers) if rest else ChartResult({}, 0, 0)
    for key, data in result.svgs.items():
        digest = cached.digests[key]
        entry = _stat(folder / f"{digest}.svg")
        if entry is not None:
            svgs.put(digest, (data, entry))
            table.seen(digest, entry)
    table.save()
    svgs = {**known, **result.svgs}
    return ChartResult(
        svgs={key: svgs[key] for key in sorted(svgs)},
        rendered=result.rendered,
        cached=result.cached + len(known),
    )
