"""Metric analyses: status against target, trend, NPS composition, breakdowns."""

from __future__ import annotations

import math
from collections.abc import Mapping

from cxsite.analysis.types import MetricSummary, NpsShare, Trend
from cxsite.metricdata.types import MetricData, PeriodPoint
from cxsite.model import Metric, Project


def _finite(point: PeriodPoint) -> bool:
    return math.isfinite(point.value)


def status(value: float, target: float | None, better_high: bool) -> str | None:
    """ "on" or "off" target (reaching it exactly is on), None without a target."""
    if target is None:
        return None
    on = value >= target if better_high else value <= target
    return "on" if on else "off"


def trend(latest: PeriodPoint, previous: PeriodPoint, better_high: bool) -> Trend:
    """The change from the previous to the latest period, judged by `better_high`."""
    delta = latest.value - previous.value
    if delta == 0:
        return Trend(previous.period, 0.0, "flat", "same")
    up = delta > 0
    return Trend(
        previous.period, delta, "up" if up else "down", "better" if up == better_high else "worse"
    )


def _composition(points: tuple[PeriodPoint, ...]) -> tuple[NpsShare, ...]:
    shares = []
    for p in points:
        parts = (p.promoters, p.passives, p.detractors)
        if all(x is not None and math.isfinite(x) for x in parts):
            shares.append(NpsShare(p.period, p.promoters, p.passives, p.detractors, p.n))  # type: ignore[arg-type]
    return tuple(shares)


def summarise_metric(metric: Metric, data: MetricData | None) -> MetricSummary:
    """The summary of one metric from its data (or its `values` when no data was read)."""
    if data is None:
        raw = tuple(PeriodPoint(v.period, v.value) for v in metric.values or ())
        source, breakdowns = ("values" if metric.values else "none"), {}
    else:
        raw, source, breakdowns = data.points, data.source, data.breakdowns
    points = tuple(p for p in raw if _finite(p))
    latest = points[-1] if points else None
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
        status=None if latest is None else status(latest.value, metric.target, metric.better_high),  # type: ignore[arg-type]
        trend=trend(points[-1], points[-2], metric.better_high) if len(points) > 1 else None,
        composition=_composition(points) if metric.kind == "nps" else (),
        breakdowns={
            col: tuple((k, by_id[k]) for k in sorted(by_id) if _finite(by_id[k]))
            for col, by_id in sorted(breakdowns.items())
        },
    )


def summarise_metrics(
    metrics: Mapping[str, Metric], metric_data: Mapping[str, MetricData]
) -> dict[str, MetricSummary]:
    """Summaries of every metric, in id order."""
    return {mid: summarise_metric(metrics[mid], metric_data.get(mid)) for mid in sorted(metrics)}


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
