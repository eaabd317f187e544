"""As-is and to-be (SPEC 8.7): a journey and its other state compared stage by stage."""

from __future__ import annotations

from collections.abc import Mapping

from cxsite.analysis.journeys import merge_key
from cxsite.analysis.types import Comparison, StageGap
from cxsite.model import Journey, Project, Stage
from cxsite.model.states import journey_pairs, split_pair, stage_key


def _pains(stage: Stage | None) -> dict[str, str]:
    """Merge key -> first spelling of a stage's pain points."""
    found: dict[str, str] = {}
    for pain in stage.pain_points if stage else ():
        found.setdefault(merge_key(pain.text), pain.text)
    return found


def _persona_deltas(
    before: Stage | None, after: Stage | None, personas: list[str], names: Mapping[str, str]
) -> tuple[tuple[str, float | None, float | None], ...]:
    if not any(s is not None and s.per_persona for s in (before, after)):
        return ()
    return tuple(
        (
            names.get(pid, pid),
            before.emotion_of(pid) if before else None,
            after.emotion_of(pid) if after else None,
        )
        for pid in personas
    )


def _gap(
    before: tuple[int, Stage] | None,
    after: tuple[int, Stage] | None,
    personas: list[str],
    names: Mapping[str, str],
) -> StageGap:
    old, new = before[1] if before else None, after[1] if after else None
    old_pains, new_pains = _pains(old), _pains(new)
    return StageGap(
        name=(new or old).name,  # type: ignore[union-attr]
        before_index=before[0] if before else None,
        after_index=after[0] if after else None,
        before=old.mean_emotion if old else None,
        after=new.mean_emotion if new else None,
        gone=tuple(t for k, t in old_pains.items() if k not in new_pains),
        new=tuple(t for k, t in new_pains.items() if k not in old_pains),
        persona_deltas=_persona_deltas(old, new, personas, names),
    )


def compare(as_is: Journey, to_be: Journey, names: Mapping[str, str]) -> Comparison:
    """The gap table of an as-is journey and its to-be: stages matched by name."""
    personas = list(dict.fromkeys([*as_is.personas, *to_be.personas]))
    future = {stage_key(s.name): (i, s) for i, s in enumerate(to_be.stages)}
    current = {stage_key(s.name) for s in as_is.stages}
    # To-be stages without an as-is match follow the row of the to-be stage before them.
    extra: dict[int, list[tuple[int, Stage]]] = {}
    anchor = -1
    position = {stage_key(s.name): i for i, s in enumerate(as_is.stages)}
    for i, stage in enumerate(to_be.stages):
        key = stage_key(stage.name)
        if key in current:
            anchor = position[key]
        else:
            extra.setdefault(anchor, []).append((i, stage))
    rows = [_gap(None, a, personas, names) for a in extra.get(-1, [])]
    for i, stage in enumerate(as_is.stages):
        rows.append(_gap((i, stage), future.get(stage_key(stage.name)), personas, names))
        rows += [_gap(None, a, personas, names) for a in extra.get(i, [])]
    matched = sum(r.before_index is not None and r.after_index is not None for r in rows)
    return Comparison(
        current_id=as_is.id,
        future_id=to_be.id,
        rows=tuple(rows),
        matched=matched,
        average_before=_mean([s.mean_emotion for s in as_is.stages]),
        average_after=_mean([s.mean_emotion for s in to_be.stages]),
        pains_gone=sum(len(r.gone) for r in rows),
        pains_new=sum(len(r.new) for r in rows),
    )


def _mean(values: list[float | None]) -> float | None:
    recorded = [v for v in values if v is not None]
    return sum(recorded) / len(recorded) if recorded else None


def comparisons(project: Project) -> dict[str, Comparison]:
    """Every as-is / to-be pair, under the id of each of its two journeys."""
    names = {pid: p.name for pid, p in project.personas.items()}
    found: dict[str, Comparison] = {}
    for a, b in journey_pairs(project.journeys).items():
        if a not in found:
            as_is, to_be = split_pair(project.journeys, a, b)
            found[a] = found[b] = compare(as_is, to_be, names)
    return dict(sorted(found.items()))
