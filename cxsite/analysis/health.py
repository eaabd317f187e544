"""Journey health (SPEC 8.9): a 0-100 score from components a reader can recompute.

score = 100 * sum(weight * value) / sum(weight), over the components that have data (a
component without data is left out and the other weights renormalised). Every component
is a share 0..1; `HealthPart` keeps the counts it was computed from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from cxsite.analysis.evidence import Coverage
from cxsite.analysis.scores import HealthPart, JourneyHealth, combine
from cxsite.analysis.types import EmotionCurve, MetricSummary
from cxsite.model import HEALTH_COMPONENTS, HealthWeights, Journey, Project


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def freshness(journey: Journey, project: Project, as_of: dt.date | None) -> float | None:
    """1 when the journey was reviewed and is not overdue, else 0 (SPEC 8.4's review state);
    None without an "as of" date, or while the journey model has no `reviewed`."""
    if as_of is None or "reviewed" not in type(journey).model_fields:
        return None
    return 1.0 if project.config.review(journey, as_of).fresh else 0.0


def ownership(journey: Journey) -> float | None:
    """1 with an owner, else 0; None while the journey model has no `owner`."""
    if "owner" not in type(journey).model_fields:
        return None
    return 1.0 if getattr(journey, "owner", None) else 0.0


def scoped_metrics(project: Project) -> dict[str, set[str]]:
    """Journey id -> the metrics whose `scope.journeys` names it (one pass over the metrics)."""
    scoped: dict[str, set[str]] = {}
    for mid, metric in project.metrics.items():
        for jid in metric.scope.journeys:
            scoped.setdefault(jid, set()).add(mid)
    return scoped


def journey_metrics(journey: Journey, scoped: Mapping[str, set[str]]) -> tuple[str, ...]:
    """The metrics of a journey: its stages' metrics and those scoped to it, in id order."""
    ids = {m for stage in journey.stages for m in stage.metrics}
    return tuple(sorted(ids | scoped.get(journey.id, set())))


def journey_health(
    journey: Journey,
    project: Project,
    curve: EmotionCurve,
    coverage: Coverage | None,
    summaries: Mapping[str, MetricSummary],
    as_of: dt.date | None,
    scoped: Mapping[str, set[str]] | None = None,
) -> JourneyHealth:
    """The health of one journey; `coverage` None when the project does not track evidence;
    `scoped` is `scoped_metrics(project)` (computed here when not given)."""
    scoped = scoped_metrics(project) if scoped is None else scoped
    weights: HealthWeights = project.config.health_weights
    parts: list[HealthPart] = []

    def add(name: str, value: float | None, count: float | None = None, total: int | None = None):
        parts.append(HealthPart(name, value, getattr(weights, name), None, count, total))

    if coverage is None:
        add("evidence", None)
    else:
        add("evidence", coverage.share, coverage.with_evidence, coverage.items)
    add("freshness", freshness(journey, project, as_of))
    statuses = [summaries[m].status for m in journey_metrics(journey, scoped) if m in summaries]
    judged = [s for s in statuses if s is not None]
    on = sum(s == "on" for s in judged)
    add("kpis", _share(on, len(judged)), on, len(judged))
    ends = [curve.stages[i].emotion for i in (curve.peak, curve.end) if i is not None]
    known = [e for e in ends if e is not None]
    add("experience", sum((e + 2) / 4 for e in known) / len(known) if known else None)
    pains = [bool(s.opportunities) for s in journey.stages for _ in s.pain_points]
    add("follow_up", _share(sum(pains), len(pains)), sum(pains), len(pains))
    add("ownership", ownership(journey))
    assert tuple(p.name for p in parts) == HEALTH_COMPONENTS
    return combine(journey.id, parts)
