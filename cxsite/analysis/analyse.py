"""Everything SPEC section 4 derives from a validated project: pure functions, no I/O.

`analyse(project, metric_data)` returns one frozen `Analysis` that the site, the briefs and
the charts read. The result types live in `cxsite.analysis.types` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from cxsite.analysis.compare import comparisons
from cxsite.analysis.evidence import evidence_summary
from cxsite.analysis.health import journey_health, scoped_metrics
from cxsite.analysis.hierarchy import hierarchy
from cxsite.analysis.journeys import (
    build_backlog,
    emotion_curve,
    emotion_word,
    merge_key,
    rank_pains,
    touchpoint_usage,
)
from cxsite.analysis.metrics import kpi_order, summarise_metric, summarise_metrics
from cxsite.analysis.touchpoints import coverage, importance_matrix, ipa, quadrant
from cxsite.analysis.types import (
    QUADRANTS,
    Analysis,
    Backlog,
    BacklogItem,
    Coverage,
    Drop,
    EmotionCurve,
    ImportanceMatrix,
    Ipa,
    IpaPoint,
    MetricSummary,
    NpsShare,
    OpportunityOccurrence,
    PainOccurrence,
    RankedPain,
    Significance,
    StageEmotion,
    StageRef,
    TouchpointUsage,
    Trend,
)
from cxsite.metricdata.types import MetricData
from cxsite.model import Metric, Project

T = TypeVar("T")

__all__ = [
    "QUADRANTS",
    "Analysis",
    "Backlog",
    "BacklogItem",
    "Coverage",
    "Drop",
    "EmotionCurve",
    "ImportanceMatrix",
    "Ipa",
    "IpaPoint",
    "MetricSummary",
    "NpsShare",
    "OpportunityOccurrence",
    "PainOccurrence",
    "RankedPain",
    "Significance",
    "StageEmotion",
    "StageRef",
    "TouchpointUsage",
    "Trend",
    "analyse",
    "build_backlog",
    "coverage",
    "emotion_curve",
    "emotion_word",
    "importance_matrix",
    "ipa",
    "merge_key",
    "quadrant",
    "rank_pains",
    "summarise_metric",
    "summarise_metrics",
    "touchpoint_usage",
]


def analyse(
    project: Project,
    metric_data: Mapping[str, MetricData],
    summaries: dict[str, tuple[Metric, MetricData | None, MetricSummary]] | None = None,
    as_of: dt.date | None = None,
    kept: dict[str, tuple[tuple[Any, ...], Any]] | None = None,
) -> Analysis:
    """Derive every analysis of SPEC section 4 from a validated project and its metric data;
    `as_of` dates the health score's freshness (left out without it). `summaries` and
    `kept` (a session's `summaries` and `analyses`) give back the last build's results of
    the parts whose inputs are the same objects (see `_reuse`)."""
    jids = sorted(project.journeys)
    journeys = tuple(project.journeys[j] for j in jids)
    names = {pid: p.name for pid, p in project.personas.items()}
    curves = {j: emotion_curve(project.journeys[j], project.config, names) for j in jids}
    metrics = _summaries(
        project.metrics,
        metric_data,
        {} if summaries is None else summaries,
        project.config.min_responses,
    )
    evidence = evidence_summary(project)
    scoped = scoped_metrics(project)
    health = {
        j: journey_health(
            project.journeys[j],
            project,
            curves[j],
            evidence.coverage[j] if evidence.tracked else None,
            metrics,
            as_of,
            scoped,
        )
        for j in jids
    }
    return Analysis(
        curves=curves,
        usage=_reuse(
            kept, "usage", (*journeys, *sorted(project.touchpoints)), touchpoint_usage, project
        ),
        pains=_reuse(kept, "pains", journeys, rank_pains, project),
        backlog=_reuse(kept, "backlog", journeys, build_backlog, project),
        ipa_overall=ipa(project, None),
        ipa_by_persona=_ipa_by_persona(project),
        importance=importance_matrix(project),
        coverage=coverage(project),
        metrics=metrics,
        hierarchy=hierarchy(project),
        kpis=kpi_order(project),
        evidence=evidence,
        health=health,
        comparisons=comparisons(project),
    )


def _reuse(
    kept: dict[str, tuple[tuple[Any, ...], Any]] | None,
    name: str,
    inputs: tuple[Any, ...],
    make: Callable[[Project], T],
    project: Project,
) -> T:
    """`make(project)`, or the result kept under `name` when it was made from the same
    inputs: the same (immutable) objects, or equal ids. `inputs` must be all that `make`
    reads (the journeys, for the pains and the backlog); a long-running process gets the
    same objects back from validation for unchanged files, so their results, and the hashes
    of those results, are not made again."""
    if kept is None:
        return make(project)
    found = kept.get(name)
    if found is not None and len(found[0]) == len(inputs):
        same = all(
            a is b or (type(a) is str and a == b) for a, b in zip(found[0], inputs, strict=True)
        )
        if same:
            return found[1]
    result = make(project)
    kept[name] = (inputs, result)
    return result


@dataclass(frozen=True)
class _Rated:
    """The part of a project `ipa` reads for one persona: the touchpoints that persona rated."""

    config: Any
    touchpoints: Mapping[str, Any]


def _ipa_by_persona(project: Project) -> dict[str, Ipa]:
    """`ipa(project, p)` for every persona, each seeing only the touchpoints `p` rated (the
    others add nothing to its matrix), so the work is the number of ratings, not personas x
    touchpoints."""
    rated: dict[str, dict[str, Any]] = {p: {} for p in project.personas}
    for tid in sorted(project.touchpoints):
        touchpoint = project.touchpoints[tid]
        for pid in touchpoint.ratings:
            if pid in rated:
                rated[pid][tid] = touchpoint
    return {
        p: ipa(_Rated(project.config, rated[p]), p)  # type: ignore[arg-type]
        for p in sorted(project.personas)
    }


def _summaries(
    metrics: Mapping[str, Metric],
    metric_data: Mapping[str, MetricData],
    kept: dict[str, tuple[Metric, MetricData | None, MetricSummary]],
    min_responses: int,
) -> dict[str, MetricSummary]:
    """`summarise_metrics`, re-using the summary in `kept` (a session's `summaries`, by metric
    id) of a metric whose inputs are the same (immutable) objects: a long-running process
    gets the same objects back from validation for unchanged files."""
    result: dict[str, MetricSummary] = {}
    for mid in sorted(metrics):
        metric, data = metrics[mid], metric_data.get(mid)
        found = kept.get(mid)
        if (
            found is None
            or found[0] is not metric
            or found[1] is not data
            or found[2].min_responses != min_responses  # cxsite.yaml changed it
        ):
            found = kept[mid] = (metric, data, summarise_metric(metric, data, min_responses))
        result[mid] = found[2]
    if len(kept) > 4 * len(metrics) + 1000:
        for mid in [m for m in kept if m not in metrics]:
            del kept[mid]
    return result
