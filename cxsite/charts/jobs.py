"""Chart jobs as plain data, their cache, and rendering the misses in parallel.

A `ChartJob` holds only JSON-able data, so it pickles to worker processes and hashes into a
cache key. matplotlib is imported only by `cxsite.charts.draw`, in whichever process draws.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cxsite.charts.pool import DrawingPool

log = logging.getLogger(__name__)

# Part of every cache key, with the matplotlib version and a hash of the drawing code.
STYLE_VERSION = "cxsite-charts-1"


@dataclass(frozen=True)
class ChartJob:
    """One chart to draw: its kind, accessible title and description (alt text), and data.

    `data` and `style` are plain JSON-able values (dicts, lists, str, finite numbers, None).
    """

    kind: str
    title: str
    desc: str
    data: Mapping[str, Any]
    style: Mapping[str, Any] = field(default_factory=dict)

    @property
    def alt(self) -> str:
        """The alt text for an `<img>` of this chart (the same as the SVG's `<desc>`)."""
        return self.desc


@dataclass(frozen=True)
class ChartResult:
    """The SVG bytes of every job by key, and how many were drawn vs taken from the cache."""

    svgs: dict[str, bytes]
    rendered: int
    cached: int


@cache
def _engine_version() -> str:
    """What else decides a chart's bytes: matplotlib's version and the drawing code itself.

    Hashing the source of `cxsite.charts.draw` means an upgrade or a local change to how charts
    look never serves a stale cached chart; it is read without importing matplotlib.
    """
    try:
        engine = version("matplotlib")
    except PackageNotFoundError:  # pragma: no cover - matplotlib is a dependency
        engine = "unknown"
    code = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "draw").glob("*.py")):
        code.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{engine}:{code.hexdigest()[:16]}"


def _canonical(job: ChartJob, version: list[str]) -> bytes:
    return json.dumps(
        {
            "kind": job.kind,
            "title": job.title,
            "desc": job.desc,
            "data": job.data,
            "style": job.style,
            "version": version,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    ).encode("utf-8")


def job_digest(job: ChartJob) -> str:
    """The cache key of a job: sha256 of its canonical JSON, the style version and engine."""
    return hashlib.sha256(_canonical(job, [STYLE_VERSION, _engine_version()])).hexdigest()


def svg_ids(job: ChartJob) -> tuple[str, str]:
    """The ids of the `<title>` and `<desc>` elements of a chart: from what it shows only,
    so that a change to the drawing code alone (or moving it) does not change them."""
    ident = hashlib.sha256(_canonical(job, [STYLE_VERSION])).hexdigest()[:12]
    return f"cx-{ident}-title", f"cx-{ident}-desc"


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


def _draw_one(item: tuple[str, ChartJob]) -> bytes:
    from cxsite.charts.draw import draw

    return draw(item[1])


def _draw_many(
    items: Sequence[tuple[str, ChartJob]], workers: int, pool: DrawingPool | None = None
) -> list[bytes]:
    if pool is None and (workers <= 1 or len(items) < 2):
        return [_draw_one(item) for item in items]
    # Small chunks: a worker that shares its core with other work still finishes with the
    # others, and this process can take over the chunks no worker has started.
    chunk = max(1, min(4, len(items) // (max(workers, 1) * 8)))
    if pool is not None:
        return pool.draw(items, chunk)
    from cxsite.charts.pool import process_pool

    with process_pool(min(workers, len(items))) as own:
        return list(own.map(_draw_one, items, chunksize=chunk))


def render_charts(
    jobs: Mapping[str, ChartJob],
    cache_dir: Path,
    workers: int | None,
    pool: DrawingPool | None = None,
) -> ChartResult:
    """Draw every job to SVG, taking unchanged charts from `<cache_dir>/charts/<digest>.svg`.

    Misses are drawn in `workers` processes (None or <= 0: all cores) and written back to
    the cache (or on `pool`, see `cxsite.charts.pool`).
    """
    if workers is None or workers <= 0:
        workers = os.cpu_count() or 1
    folder = Path(cache_dir) / "charts"
    usable = _cache_inside(folder, Path(cache_dir).parent)
    keys = sorted(jobs)
    digests = {key: job_digest(jobs[key]) for key in keys}
    svgs: dict[str, bytes] = {}
    todo: dict[str, ChartJob] = {}  # digest -> job; identical jobs are drawn once
    for key in keys:
        hit = _read_cache(folder / f"{digests[key]}.svg", jobs[key]) if usable else None
        if hit is None:
            todo.setdefault(digests[key], jobs[key])
        else:
            svgs[key] = hit
    cached = len(svgs)
    # big charts first, so no worker is left drawing a heatmap alone at the end
    items = sorted(todo.items(), key=lambda item: (-len(repr(item[1].data)), item[0]))
    if usable and items:  # there while drawing, as the entries will be (or not: see below)
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
    drawn = dict(zip([d for d, _ in items], _draw_many(items, workers, pool), strict=True))
    for digest, data in drawn.items() if usable else ():
        _write_cache(folder / f"{digest}.svg", data)
    for key in keys:
        if key not in svgs:
            svgs[key] = drawn[digests[key]]
    log.debug("charts: %d drawn, %d from the cache", len(drawn), cached)
    return ChartResult(svgs={k: svgs[k] for k in keys}, rendered=len(drawn), cached=cached)
