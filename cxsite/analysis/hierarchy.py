"""Journey structure: the tree of sub-journeys (a stage's `detail`) with each parent stage's
roll-up, and whether a journey has a service blueprint."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cxsite.analysis.types import Hierarchy, Rollup, StageRef
from cxsite.model import Journey, Project, Stage


def stage_emotions(stage: Stage) -> Iterator[float]:
    """Every emotion recorded for a stage: one number, or one per persona."""
    emotion = stage.emotion
    if isinstance(emotion, Mapping):
        yield from (value for value in emotion.values() if value is not None)
    elif emotion is not None:
        yield emotion


def rollup(journey: Journey) -> Rollup:
    """Stage count, lowest emotion (and where) and high-severity pains of a sub-journey."""
    lowest: tuple[float, str] | None = None
    for stage in journey.stages:
        for value in stage_emotions(stage):
            if lowest is None or value < lowest[0]:  # strict: the earlier stage on ties
                lowest = (value, stage.name)
    high = sum(p.severity == "high" for s in journey.stages for p in s.pain_points)
    return Rollup(
        journey_id=journey.id,
        stages=len(journey.stages),
        lowest=lowest[0] if lowest else None,
        lowest_stage=lowest[1] if lowest else None,
        high_pains=high,
    )


def hierarchy(project: Project) -> Hierarchy:
    """The journeys' tree. Validation guarantees one parent per journey and no cycle; the
    first stage naming a journey wins should a project reach here without that check."""
    parents: dict[str, StageRef] = {}
    children: dict[str, list[str]] = {}
    for jid in sorted(project.journeys):
        for index, stage in enumerate(project.journeys[jid].stages):
            child = stage.detail
            if child is None or child not in project.journeys or child in parents:
                continue
            parents[child] = StageRef(jid, index, stage.name)
            children.setdefault(jid, []).append(child)
    return Hierarchy(
        parents=dict(sorted(parents.items())),
        children={jid: tuple(kids) for jid, kids in sorted(children.items())},
        roots=tuple(jid for jid in sorted(project.journeys) if jid not in parents),
        rollups={jid: rollup(project.journeys[jid]) for jid in sorted(parents)},
    )


def has_blueprint(journey: Journey) -> bool:
    """Whether a journey has a service blueprint view: a blueprint lane besides the
    release-1 `backstage`, or a fail point (`backstage` alone keeps the page as it was)."""
    return any(
        s.frontstage or s.support_processes or s.physical_evidence
        or any(p.fail_point for p in s.pain_points)
        for s in journey.stages
    )  # fmt: skip
