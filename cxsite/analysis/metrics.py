"""Metric analyses: status against target, trend, NPS composition, breakdowns."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from cxsite.analysis.formats import metric_delta
from cxsite.analysis.significance import DEFAULT_MIN_RESPONSES, answers_needed, compare
from cxsite.analysis.types import MetricSummary, NpsShare, Trend
from cxsite.metricdata.types import MetricData, PeriodPoint, combine
from cxsite.model import Metric, Project


def _finite(point: PeriodPoint) -> bool:
    return math.isfinite(point.value)


def status(value: float, target: float | None, better_high: bool) -> str | None:
    """ "on" or "off" target (reaching it exactly is on), None without a target."""
    if target is None:
        return None
    on = value >= target if better_high else value <= target
    return "on" if on else "off"


def trend(
    latest: PeriodPoint,
    previous: PeriodPoint,
    better_high: bool,
    kind: str = "custom",
    min_responses: int = DEFAULT_MIN_RESPONSES,
    interval: bool = True,
) -> Trend:
    """The change from the previous to the latest period, judged by `better_high`, with its
    significance when both periods were computed from responses."""
    delta = _difference(latest, previous)
    sig = compare(kind, previous, latest, min_responses, interval)
    if delta == 0:
        return Trend(previous.period, 0.0, "flat", "same", sig, latest.period)
    if not metric_delta(delta, kind, "-", latest.value).startswith(("+", "-")):
        # A change that reads `0` in the kind's digits (NPS 30.2 -> 30.4) has no direction:
        # `▶ 0`, grey, as an unchanged value, never `▲ 0` (SPEC 8.13).
        return Trend(previous.period, delta, "flat", "same", sig, latest.period)
    up = delta > 0
    verdict = "better" if up == better_high else "worse"
    return Trend(previous.period, delta, "up" if up else "down", verdict, sig, latest.period)


def _difference(latest: PeriodPoint, previous: PeriodPoint) -> float:
    """latest - previous; for two values given in YAML, their decimal difference (92.1 -
    91.4 is 0.7 in `data/cx.json`, not 0.7000000000000028)."""
    if latest.n is None and previous.n is None and _finite(latest) and _finite(previous):
        return float(Decimal(repr(latest.value)) - Decimal(repr(previous.value)))
    return latest.value - previous.value


def _composition(points: tuple[PeriodPoint, ...]) -> tuple[NpsShare, ...]:
    shares = []
    for p in points:
        parts = (p.promoters, p.passives, p.detractors)
        if all(x is not None and math.isfinite(x) for x in parts):
            shares.append(NpsShare(p.period, p.promoters, p.passives, p.detractors, p.n))  # type: ignore[arg-type]
    return tuple(shares)


def summarise_metric(
    metric: Metric, data: MetricData | None, min_responses: int = DEFAULT_MIN_RESPONSES
) -> MetricSummary:
    """The summary of one metric from its data (or its `values` when no data was read);
    changes between periods with fewer than `min_responses` answers are `too-few`."""
    if data is None:
        raw = tuple(PeriodPoint(v.period, v.value) for v in metric.values or ())
        source, breakdowns = ("values" if metric.values else "none"), {}
        data = MetricData(metric.id, raw, source)
    else:
        raw, source, breakdowns = data.points, data.source, data.breakdowns
    points = tuple(p for p in raw if _finite(p))
    latest = points[-1] if points else None
    kind, better_high = metric.kind, metric.better_high
    # Only the latest change's interval is shown, so only it pays for the CES t quantile.
    last = len(points) - 1
    steps = tuple(
        trend(points[i], points[i - 1], better_high, kind, min_responses, i == last)
        for i in range(1, len(points))
    )
    state = None if latest is None else status(latest.value, metric.target, better_high)
    needed = None
    if state == "off" and latest is not None:
        needed = answers_needed(kind, latest, metric.target)
    overall = combine(kind, "all", points) if source == "responses" else None
    by_column = {
        col: tuple((k, by_id[k]) for k in sorted(by_id) if _finite(by_id[k]))
        for col, by_id in sorted(breakdowns.items())
    }
    return MetricSummary(
        metric_id=metric.id,
        name=metric.name,
        kind=metric.kind,
        unit=metric.effective_unit,
        better_high=metric.better_high,
        target=metric.target,
        source=source,
        points=points,
        skipped=len(raw) - len(points),
        latest=latest,
        status=state,  # type: ignore[arg-type]
        trend=steps[-1] if steps else None,
        composition=_composition(points) if metric.kind == "nps" else (),
        breakdowns=by_column,
        steps=steps,
        overall=overall,
        answers_needed=needed,
        min_responses=min_responses,
        segments={
            name: tuple((k, by_value[k]) for k in sorted(by_value) if _finite(by_value[k]))
            for name, by_value in data.segments.items()
        },
        unscored=dict(data.unscored),
        comments=data.comments,
        attributed={col: dict(rows) for col, rows in by_column.items()},
    )


def summarise_metrics(
    metrics: Mapping[str, Metric],
    metric_data: Mapping[str, MetricData],
    min_responses: int = DEFAULT_MIN_RESPONSES,
) -> dict[str, MetricSummary]:
    """Summaries of every metric, in id order."""
    return {
        mid: summarise_metric(metrics[mid], metric_data.get(mid), min_responses)
        for mid in sorted(metrics)
    }


def attributed_metrics(
    summaries: Mapping[str, MetricSummary],
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Breakdown column (persona, journey, touchpoint) -> entity id -> the metrics with a
    value among the answers attributed to that entity, in metric id order (SPEC 8.2: a
    segment's value is also shown where the segment lives; see `MetricSummary.attributed`)."""
    found: dict[str, dict[str, list[str]]] = {}
    for mid in sorted(summaries):
        for column, by_id in summaries[mid].attributed.items():
            ids = found.setdefault(column, {})
            for eid in by_id:
                ids.setdefault(eid, []).append(mid)
    return {col: {eid: tuple(v) for eid, v in ids.items()} for col, ids in found.items()}


_CATEGORY_ORDER = {"satisfaction": 0, "behavioral": 1, "financial": 2, "operational": 3}


def kpi_order(project: Project) -> tuple[str, ...]:
    """The metrics shown as KPIs, in order: cxsite.yaml's `kpis` when given, else every metric,
    those with a target first, then by category and name."""
    if project.config.kpis:
        return tuple(dict.fromkeys(m for m in project.config.kpis if m in project.metrics))
    return tuple(
        sorted(
            project.metrics,
            key=lambda mid: (
                project.metrics[mid].target is None,
                _CATEGORY_ORDER.get(project.metrics[mid].effective_category, 9),
                project.metrics[mid].name.casefold(),
                mid,
            ),
        )
    )
