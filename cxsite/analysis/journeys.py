"""Journey analyses: emotion curves, touchpoint usage, pain point ranking, opportunity backlog."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence

from cxsite.analysis.types import (
    Backlog,
    BacklogItem,
    Drop,
    EmotionCurve,
    OpportunityOccurrence,
    PainOccurrence,
    PersonaCurve,
    RankedPain,
    StageEmotion,
    StageRef,
    TouchpointUsage,
)
from cxsite.model import LEVEL_RANK, LEVELS, STATUSES, Config, Journey, Project

_STATUS_RANK = {status: i for i, status in enumerate(STATUSES)}


def highest(levels: Iterable[str]) -> str:
    """The highest of some levels (low < medium < high)."""
    return max(levels, key=LEVEL_RANK.__getitem__)


def pain_order(severity: str) -> tuple[int]:
    """Where a pain point's severity sorts: high first."""
    return (-LEVEL_RANK[severity],)


def opportunity_order(impact: str, effort: str) -> tuple[int, int]:
    """Where an opportunity sorts: high impact first, then low effort first."""
    return (-LEVEL_RANK[impact], LEVEL_RANK[effort])


def merge_key(text: str) -> str:
    """The key under which texts are merged: case-folded, whitespace collapsed."""
    return " ".join(text.split()).casefold()


def emotion_level(emotion: float) -> int:
    """An emotion score as a level from -2 to 2, rounded half away from zero."""
    rounded = int(math.copysign(math.floor(abs(emotion) + 0.5), emotion))
    return max(-2, min(2, rounded))


def emotion_word(config: Config, emotion: float) -> str:
    """The configured word for an emotion score, rounded half away from zero."""
    return config.emotion_label(emotion_level(emotion))


def curve_shape(
    emotions: Sequence[float | None],
) -> tuple[int | None, float | None, Drop | None]:
    """Peak (largest absolute emotion, the earlier on ties), average and steepest drop
    (the most negative change between consecutive recorded stages, the earlier on ties)."""
    peak = None
    for i, e in enumerate(emotions):  # strict > keeps the earlier stage on ties
        if e is not None and (peak is None or abs(e) > abs(emotions[peak])):  # type: ignore[arg-type]
            peak = i
    recorded = [e for e in emotions if e is not None]
    average = sum(recorded) / len(recorded) if recorded else None
    drop = None
    for i, (a, b) in enumerate(itertools.pairwise(emotions)):
        if a is None or b is None:
            continue
        delta = b - a
        if delta < 0 and (drop is None or delta < drop.delta):
            drop = Drop(from_index=i, to_index=i + 1, delta=delta)
    return peak, average, drop


def persona_curves(journey: Journey, names: Mapping[str, str]) -> tuple[PersonaCurve, ...]:
    """One curve per persona of the journey when a stage gives emotions per persona, else ()."""
    if not any(s.per_persona for s in journey.stages):
        return ()
    curves = []
    full = [names.get(pid, pid) for pid in journey.personas]
    firsts = [name.split()[0] if name.split() else name for name in full]
    for pid, name, first in zip(journey.personas, full, firsts, strict=True):
        short = first if firsts.count(first) == 1 else name
        emotions = tuple(s.emotion_of(pid) for s in journey.stages)
        peak, average, drop = curve_shape(emotions)
        end = len(emotions) - 1
        curves.append(PersonaCurve(pid, name, short, emotions, peak, end, average, drop))
    return tuple(curves)


def emotion_curve(
    journey: Journey, config: Config, names: Mapping[str, str] | None = None
) -> EmotionCurve:
    """The emotion curve of one journey with peak, end, average and steepest drop; a stage
    giving emotions per persona counts with their mean. `names`: persona id -> name, for the
    per-persona curves."""
    stages = tuple(
        StageEmotion(
            index=i,
            name=s.name,
            phase=s.phase,
            emotion=(e := s.mean_emotion),
            label=None if e is None else emotion_word(config, e),
        )
        for i, s in enumerate(journey.stages)
    )
    peak, average, drop = curve_shape([s.emotion for s in stages])
    return EmotionCurve(
        journey_id=journey.id,
        title=journey.title,
        stages=stages,
        peak=peak,
        end=len(stages) - 1,
        average=average,
        steepest_drop=drop,
        personas=persona_curves(journey, names or {}),
    )


def touchpoint_usage(project: Project) -> dict[str, TouchpointUsage]:
    """For every touchpoint, the journeys, stages and personas that use it."""
    found: dict[str, list[tuple[Journey, StageRef]]] = {t: [] for t in project.touchpoints}
    for journey in _journeys(project):
        for i, stage in enumerate(journey.stages):
            for tp in dict.fromkeys(stage.touchpoints):  # a stage listing a touchpoint twice
                found.setdefault(tp, []).append((journey, StageRef(journey.id, i, stage.name)))
    usage = {}
    for tp in sorted(found):
        uses = found[tp]
        usage[tp] = TouchpointUsage(
            touchpoint_id=tp,
            journeys=tuple(sorted({j.id for j, _ in uses})),
            stages=tuple(ref for _, ref in uses),
            personas=tuple(sorted({p for j, _ in uses for p in j.personas})),
        )
    return usage


def _journeys(project: Project) -> Iterator[Journey]:
    for jid in sorted(project.journeys):
        yield project.journeys[jid]


def rank_pains(project: Project) -> tuple[RankedPain, ...]:
    """Pain points across all journeys, merged by text and ranked by how much they hurt."""
    groups: dict[str, list[tuple[Journey, PainOccurrence]]] = {}
    for journey in _journeys(project):
        for i, stage in enumerate(journey.stages):
            for pain in stage.pain_points:
                occ = PainOccurrence(
                    where=StageRef(journey.id, i, stage.name),
                    text=pain.text,
                    severity=pain.severity,
                    touchpoint=pain.touchpoint,
                    personas=tuple(pain.personas or ()),
                )
                groups.setdefault(merge_key(pain.text), []).append((journey, occ))
    merged = []
    for key, occs in groups.items():
        severity = highest(o.severity for _, o in occs)
        journeys = tuple(sorted({j.id for j, _ in occs}))
        # curves: a pain point listing `personas` hurts only those
        personas = tuple(sorted({p for j, o in occs for p in (o.personas or j.personas)}))
        touchpoints = tuple(sorted({o.touchpoint for _, o in occs if o.touchpoint}))
        sort_key = (*pain_order(severity), -len(journeys), -len(personas), -len(occs), key)
        merged.append(
            (
                sort_key,
                key,
                occs[0][1].text,
                severity,
                journeys,
                personas,
                touchpoints,
                tuple(o for _, o in occs),
            )
        )
    merged.sort(key=lambda m: m[0])
    return tuple(
        RankedPain(rank, key, text, sev, journeys, personas, tps, occs)
        for rank, (_, key, text, sev, journeys, personas, tps, occs) in enumerate(merged, 1)
    )


def build_backlog(project: Project) -> Backlog:
    """The opportunity backlog across all journeys, merged by text and ranked by impact/effort."""
    groups: dict[str, list[tuple[Journey, OpportunityOccurrence]]] = {}
    for journey in _journeys(project):
        for i, stage in enumerate(journey.stages):
            for opp in stage.opportunities:
                occ = OpportunityOccurrence(
                    where=StageRef(journey.id, i, stage.name),
                    text=opp.text,
                    impact=opp.impact,
                    effort=opp.effort,
                    status=opp.status,
                    owner=opp.owner,
                )
                groups.setdefault(merge_key(opp.text), []).append((journey, occ))
    merged = []
    for key, pairs in groups.items():
        occs = tuple(o for _, o in pairs)
        impact = highest(o.impact for o in occs)
        effort = highest(o.effort for o in occs)
        status = min((o.status for o in occs), key=_STATUS_RANK.__getitem__)
        journeys = tuple(sorted({j.id for j, _ in pairs}))
        item = BacklogItem(
            rank=0,
            key=key,
            text=occs[0].text,
            impact=impact,
            effort=effort,
            status=status,
            owners=tuple(sorted({o.owner for o in occs if o.owner})),
            journeys=journeys,
            personas=tuple(sorted({p for j, _ in pairs for p in j.personas})),
            occurrences=occs,
        )
        merged.append(((*opportunity_order(impact, effort), -len(journeys), key), item))
    merged.sort(key=lambda m: m[0])
    items = tuple(
        BacklogItem(**{**item.__dict__, "rank": rank}) for rank, (_, item) in enumerate(merged, 1)
    )
    matrix = [[0] * len(LEVELS) for _ in LEVELS]
    for item in items:
        matrix[LEVEL_RANK[item.impact]][LEVEL_RANK[item.effort]] += 1
    return Backlog(
        items=items,
        status_counts=tuple((s, sum(1 for i in items if i.status == s)) for s in STATUSES),
        matrix=tuple(tuple(row) for row in matrix),
    )
