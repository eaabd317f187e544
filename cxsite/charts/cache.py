"""The charts of one build: from this process's memory, from cache entries an earlier build
checked, or drawn (`render_charts`, on worker processes while the pages render)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxsite.charts.jobs import ChartResult, CheckedEntries, job_digest, read_checked
from cxsite.incremental.buildcache import _stat

# SVGs by chart job digest that this process drew or read from the (checked) chart cache,
# with the size, mtime and inode the cache entry had then: a long-running process (`cxsite
# serve`) does not read and check 600 cache files again on every rebuild while they stay as
# they were. The digest covers everything that decides a chart's bytes.
_SVGS: dict[str, tuple[bytes, list[int]]] = {}
_SVGS_LIMIT = 20_000


@dataclass
class Cached:
    """What `cached_charts` found: SVGs by key, the checked-entries table, every digest."""

    known: dict[str, bytes]
    table: CheckedEntries
    digests: dict[str, str]


def cached_charts(jobs: Mapping[str, Any], cache_dir: Path) -> Cached:
    """The charts this process already has in memory, and the cache entries an earlier
    build already checked (while they stay as they were)."""
    folder = cache_dir / "charts"
    table = CheckedEntries(cache_dir)
    digests = {key: job_digest(job) for key, job in jobs.items()}
    known: dict[str, bytes] = {}
    for key, d in digests.items():
        found = _SVGS.get(d)
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
) -> ChartResult:
    """`render_charts` for the jobs not `cached` (see `cached_charts`), and all the SVGs."""
    known, table = cached.known, cached.table
    folder = cache_dir / "charts"
    rest = {key: job for key, job in jobs.items() if key not in known}
    result = render(rest, cache_dir, workers) if rest else ChartResult({}, 0, 0)
    if len(_SVGS) + len(result.svgs) > _SVGS_LIMIT:
        _SVGS.clear()
    for key, data in result.svgs.items():
        digest = cached.digests[key]
        entry = _stat(folder / f"{digest}.svg")
        if entry is not None:
            _SVGS[digest] = (data, entry)
            table.seen(digest, entry)
    table.save()
    svgs = {**known, **result.svgs}
    return ChartResult(
        svgs={key: svgs[key] for key in sorted(svgs)},
        rendered=result.rendered,
        cached=result.cached + len(known),
    )
