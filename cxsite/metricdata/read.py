"""Metric data: a metric's `values` series, or its raw responses CSV aggregated per period.

`read_metric_data` is called by validate.py once per metric; it returns an immutable
`MetricData` (what the site, charts and briefs show) and the E4xx problems it found.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from cxsite.cachefiles import file_digest, stat_figures
from cxsite.load.reader import Marks, position
from cxsite.metricdata.header import map_problems
from cxsite.metricdata.periods import PLURAL, PeriodError, parse_period
from cxsite.metricdata.responses import read_responses
from cxsite.metricdata.types import MAX_CSV_BYTES, MetricData, PeriodPoint
from cxsite.model import Metric
from cxsite.problems import Problem
from cxsite.session import Memo


def read_metric_data(
    root: Path,
    metric: Metric,
    *,
    yaml_rel: str,
    marks: Marks,
    csv_path: Path | None,
    csv_rel: str | None,
    known: Mapping[str, Collection[str]],
    memo: Memo[Any, Any] | None = None,
    digests: Memo[str, Any] | None = None,
    known_key: str | None = None,
) -> tuple[MetricData, list[Problem]]:
    """The metric's data and the E4xx problems of its `values` series or responses CSV.

    `memo` (a session's `responses`) keeps aggregated CSVs by what they depend on (the CSV's
    bytes, the metric, the known ids), so `cxsite serve` reads only the CSVs that changed;
    `digests` (its `digests`) keeps the CSVs' digests by their stat figures; `known_key`
    is `ids_key(known)` when the caller has it."""
    if metric.values is not None:
        points, problems = read_values(metric, yaml_rel=yaml_rel, marks=marks)
        return MetricData(metric.id, points, "values"), problems
    if metric.responses is not None and csv_path is not None:
        rel = csv_rel or metric.responses.file
        memos = (memo, digests, known_key)
        return _responses(metric, csv_path, rel, known, memos, yaml_rel, marks)
    problems = []
    if metric.responses is not None:  # a file that cannot be read hides none of its ids
        problems = map_problems(metric.responses, known, yaml_rel, marks)
    return MetricData(metric.id, (), "none"), problems


def _csv_digest(
    csv_path: Path, digests: Memo[str, Any] | None
) -> tuple[str, tuple[int, ...]] | None:
    """SHA-256 of a regular data file within the size limit and the stat figures that change
    with its content, taken first (to tell whether it changed while it was read), else None
    (then no caching)."""
    try:
        before = stat_figures(os.stat(csv_path, follow_symlinks=False))
        return file_digest(csv_path, digests, limit=MAX_CSV_BYTES)[1].hex(), before
    except OSError:
        return None


def ids_key(known: Mapping[str, Collection[str]]) -> str:
    """A hash of the known ids by kind: what an aggregated responses CSV depends on besides
    its bytes and its metric."""
    text = repr(sorted((kind, sorted(ids)) for kind, ids in known.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def _unchanged(csv_path: Path, stamp: tuple[int, ...]) -> bool:
    """Whether the file is still the one hashed (a write or a replacement changes these)."""
    try:
        return stat_figures(os.stat(csv_path, follow_symlinks=False)) == stamp
    except OSError:
        return False


def _responses(
    metric: Metric,
    csv_path: Path,
    csv_rel: str,
    known: Mapping[str, Collection[str]],
    memos: tuple[Memo[Any, Any] | None, Memo[str, Any] | None, str | None],
    yaml_rel: str,
    marks: Marks,
) -> tuple[MetricData, list[Problem]]:
    memo, digests, known_key = memos

    def read() -> tuple[MetricData, list[Problem]]:
        return read_responses(metric, csv_path, csv_rel, known, yaml_rel=yaml_rel, marks=marks)

    if memo is None:
        return read()
    digest = _csv_digest(csv_path, digests)
    if digest is None:
        return read()
    before, stamp = digest
    ids = known_key or ids_key(known)
    # Problems of the settings point into the YAML: its marks there are part of the key.
    where = repr(sorted((k, v) for k, v in marks.items() if k[:1] in (("responses",), ("themes",))))
    key = (csv_rel, before, repr(metric), ids, yaml_rel, where)
    found = memo.get(key)
    if found is None:
        found = read()
        if _unchanged(csv_path, stamp):  # not changed while it was read
            memo.put(key, found)
    return found[0], list(found[1])


def read_values(
    metric: Metric, *, yaml_rel: str, marks: Marks
) -> tuple[tuple[PeriodPoint, ...], list[Problem]]:
    """Check a `values` series (valid periods, one granularity, strictly increasing)."""
    problems: list[Problem] = []
    points: list[PeriodPoint] = []
    first: tuple[str, str, int] | None = None  # granularity, period, line of the first item
    previous: str | None = None
    for index, item in enumerate(metric.values or ()):
        line, col = position(marks, ("values", index, "period"))

        def report(code: str, message: str, line: int = line, col: int = col) -> None:
            problems.append(Problem(yaml_rel, line, col, "error", code, message))

        try:
            granularity = parse_period(item.period)
        except PeriodError as exc:
            report("E410", str(exc))
            continue
        if first is None:
            first = (granularity, item.period, line)
        elif granularity != first[0]:
            report(
                "E411",
                f"period '{item.period}' is a {granularity} but the series uses "
                f"{PLURAL[first[0]]} (from '{first[1]}' on line {first[2]}): "
                "use one granularity per metric",
            )
            continue
        if previous is not None and item.period <= previous:
            word = "repeats" if item.period == previous else "comes before"
            report(
                "E412",
                f"period '{item.period}' {word} '{previous}': "
                "periods must be strictly increasing, oldest first",
            )
            continue
        previous = item.period
        points.append(PeriodPoint(item.period, float(item.value)))
    return tuple(points), problems
