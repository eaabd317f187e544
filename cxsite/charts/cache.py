"""The chart cache: entries in `.cxsite-cache/charts/<digest>.svg`, checked before use, and
the charts of one build taken from memory or from entries an earlier build checked."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxsite.cachefiles import (
    cache_key,
    file_entry,
    key_path,
    read_json,
    read_signed,
    usable_folder,
    write_json,
    write_signed,
)
from cxsite.charts.jobs import ChartJob, ChartResult, job_digest, svg_ids
from cxsite.session import Memo

log = logging.getLogger(__name__)

# Entries are signed with this user's key (cachefiles.py). Charts are published on the site's
# origin, so even a signed entry holding anything a drawn chart never has (a script, an event
# handler, foreign content, a link) is redrawn instead of published.
_ACTIVE = re.compile(
    rb"<\s*(script|foreignObject|iframe|embed|object|a|handler)\b"
    rb"|\son[a-z]+\s*=|<!ENTITY|javascript\s*:|href\s*=\s*[\"'](?!#|data:image/png;)"
    rb"|@import|url\(\s*[\"']?(?!#)",
    re.IGNORECASE,
)
_CACHE_MAX_BYTES = 64 * 1024 * 1024


def _read_cache(path: Path, job: ChartJob) -> bytes | None:
    """A cached SVG, or None when missing, damaged, not this chart's, not a plain file, not
    signed by this user's cxsite, or holding active content."""
    found = read_signed(path, _CACHE_MAX_BYTES)
    data = found[0] if found is not None else None
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
    the size, mtime and inode (`checked`) it had then: only its MAC is verified again (the
    checks for active content are not repeated on bytes already checked)."""
    if file_entry(path) != list(checked):
        return None
    found = read_signed(path, _CACHE_MAX_BYTES)
    data = found[0] if found is not None else None
    return data if data is not None and svg_ids(job)[0].encode() in data else None


class CheckedEntries:
    """Which chart cache entries a build read and checked (or wrote), with the size, mtime
    and inode each had then, kept in a signed file (see cachefiles.py) for the next build.

    Nothing is read or written when the cache folder is a symlink or leads out of the project.
    """

    def __init__(self, cache_dir: Path):
        self.path = cache_dir / "charts-checked.json"
        self.usable = usable_folder(cache_dir, cache_dir.parent) and usable_folder(
            cache_dir / "charts", cache_dir.parent
        )
        body = read_json(self.path) if self.usable else None
        self.previous: dict[str, list[int]] = {}
        if isinstance(body, dict):
            for d, entry in body.items():
                if isinstance(entry, list) and all(type(x) is int for x in entry):
                    self.previous[d] = entry
        self.now: dict[str, list[int]] = {}

    def seen(self, digest: str, entry: list[int]) -> None:
        """Note a cache entry this build has as checked."""
        self.now[digest] = entry

    def save(self, *, complete: bool = True) -> None:
        """Write the table when it changed (a failure only costs speed); `complete`: this
        build had every chart of the project, else the entries of the others are kept."""
        table = self.now if complete else {**self.previous, **self.now}
        if self.usable and table != self.previous and self.path.parent.is_dir():
            write_json(self.path, table)


def _write_cache(path: Path, data: bytes) -> None:
    """Write a signed cache entry; a failure only costs a re-render (said once for all the
    charts by `render_charts`)."""
    if write_signed(path, data) is None:
        log.debug("could not write the chart cache %s", path)


def cache_usable(cache_dir: Path) -> bool:
    """Whether the chart cache may be read and written: not when `.cxsite-cache` (or its
    `charts`) is committed as a symlink, as a file, or leads out of the project, nor when
    this user has no cache key (charts are then drawn every time)."""
    root = cache_dir.parent
    if not (usable_folder(cache_dir, root) and usable_folder(cache_dir / "charts", root)):
        log.warning("chart cache %s is not a folder of the project: not used", cache_dir / "charts")
        return False
    if cache_key() is None:  # nothing could be signed, nor trusted: said once, not per chart
        log.warning("no usable cache key at %s: the chart cache is not used", key_path())
        return False
    return True


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
        if found is not None and file_entry(folder / f"{d}.svg") == found[1]:
            known[key] = found[0]
            table.seen(d, found[1])
            continue
        entry = table.previous.get(d)
        data = read_checked(folder / f"{d}.svg", jobs[key], entry) if entry is not None else None
        if data is not None and entry is not None:
            known[key] = data
            table.seen(d, entry)
            svgs.put(d, (data, list(entry)))  # the next build in this process reads no file
    return Cached(known, table, digests)


def build_charts(
    jobs: Mapping[str, Any],
    cached: Cached,
    cache_dir: Path,
    workers: int,
    render: Any,
    svgs: Memo[str, tuple[bytes, list[int]]],
    *,
    complete: bool = True,
) -> ChartResult:
    """`render_charts` for the jobs not `cached` (see `cached_charts`), and all the SVGs;
    `complete`: `jobs` are every chart of the project (see `CheckedEntries.save`)."""
    known, table = cached.known, cached.table
    folder = cache_dir / "charts"
    rest = {key: job for key, job in jobs.items() if key not in known}
    result = render(rest, cache_dir, workers) if rest else ChartResult({}, 0, 0)
    for key, data in result.svgs.items():
        digest = cached.digests[key]
        entry = file_entry(folder / f"{digest}.svg")
        if entry is not None:
            svgs.put(digest, (data, entry))
            table.seen(digest, entry)
    table.save(complete=complete)
    svgs = {**known, **result.svgs}
    return ChartResult(
        svgs={key: svgs[key] for key in sorted(svgs)},
        rendered=result.rendered,
        cached=result.cached + len(known),
    )
