"""Checks of per-persona emotions and pain points, and of as-is / to-be pairs (SPEC 8.7).

E209: a persona in a stage's emotion mapping or a pain point's `personas` that is not one
of the journey's personas. E310-E312: a `compare_to` naming the journey itself, a journey of
the same state, or a journey already compared with another (E304, an unknown id, comes from
refs.py). E313: a journey brief with `compare: true` whose journey has no other state.
W517: a to-be journey none of whose stage names match a stage of its as-is one. W528: a
stage's emotion mapping that leaves out one of the journey's personas (its curve breaks there).
"""

from __future__ import annotations

from collections.abc import Mapping

from cxsite.load.reader import Marks, position
from cxsite.model import Config, Journey
from cxsite.model.states import journey_pairs, split_pair, stage_key
from cxsite.problems import Problem
from cxsite.validate.gaps import FileGaps, Gaps, mapping_keys
from cxsite.validate.schema_errors import did_you_mean


def persona_problems(
    journey: Journey, rel: str, marks: Marks, gaps: FileGaps = frozenset()
) -> list[Problem]:
    """E209 for every emotion mapping key and pain point persona outside `journey.personas`
    (`gaps`: those of a partial model, whose dropped mapping keys count too)."""
    problems: list[Problem] = []
    mine = journey.personas

    def check(pid: str, path: tuple[str | int, ...], where: str) -> None:
        if pid in mine:
            return
        line, col = position(marks, path)
        hint = did_you_mean(pid, mine) or f" (its personas: {', '.join(mine)})"
        message = f"{where}: '{pid}' is not a persona of this journey{hint}"
        problems.append(Problem(rel, line, col, "error", "E209", message))

    for s, stage in enumerate(journey.stages):
        # a stage whose name is a partial model's stand-in is not named
        named = ("stages", s, "name") not in gaps
        if isinstance(stage.emotion, dict):
            where = f"'emotion' of stage '{stage.name}'" if named else "'emotion' of this stage"
            for pid in mapping_keys(stage.emotion, gaps, "stages", s, "emotion"):
                check(pid, ("stages", s, "emotion", pid), where)
        for p, pain in enumerate(stage.pain_points):
            for i, pid in enumerate(pain.personas or ()):
                check(pid, ("stages", s, "pain_points", p, "personas", i), "pain point 'personas'")
    return problems


def missing_persona_problems(journey: Journey, rel: str, marks: Marks, gaps: Gaps) -> list[Problem]:
    """W528 for every stage whose `emotion` mapping gives no value for one of the journey's
    personas (silent for a mapping not read whole or with an E209 key: that may be the one)."""
    problems: list[Problem] = []
    for s, stage in enumerate(journey.stages):
        if not isinstance(stage.emotion, dict) or gaps.at(rel, "stages", s, "emotion"):
            continue
        if gaps.at(rel, "stages", s, "name"):
            continue  # its name is a stand-in: the message could not name it
        missing = [pid for pid in journey.personas if pid not in stage.emotion]
        if not missing or any(pid not in journey.personas for pid in stage.emotion):
            continue  # complete, or a key in error (E209 names it, likely the missing one)
        line, col = position(marks, ("stages", s, "emotion"))
        given = ", ".join(f"'{pid}'" for pid in stage.emotion) or "no persona"
        names = ", ".join(f"'{pid}'" for pid in missing)
        message = (
            f"stage '{stage.name}' gives no emotion for {names} (its 'emotion' names {given}), "
            f"so that curve has a gap here; add '{missing[0]}: <-2..2>' under 'emotion'"
        )
        problems.append(Problem(rel, line, col, "warning", "W528", message))
    return problems


def compare_problems(
    journeys: Mapping[str, Journey],
    sources: Mapping[str, str],
    marks: Mapping[str, Marks],
    gaps: Gaps,
) -> list[Problem]:
    """E310-E312 for `compare_to` links that pair nothing, W517 for pairs whose stages never
    match. `journeys` are the journeys read (id order), `sources` their files."""
    problems: list[Problem] = []
    taken: dict[str, str] = {}  # journey id -> the journey it was first paired with

    def report(jid: str, code: str, message: str) -> None:
        rel = sources[jid]
        line, col = position(marks.get(rel, {}), ("compare_to",))
        severity = "warning" if code.startswith("W") else "error"
        problems.append(Problem(rel, line, col, severity, code, message))

    for jid, journey in journeys.items():
        other_id = journey.compare_to
        if other_id is None:
            continue
        if other_id == jid:
            report(jid, "E310", "'compare_to' names this journey itself: name the journey of "
                   "its other state (the as-is of a to-be, or the to-be of an as-is)")  # fmt: skip
            continue
        other = journeys.get(other_id)
        if other is None:
            continue  # unknown (E304) or not read: nothing more to say
        state_read = not gaps.at(sources[jid], "state") and not gaps.at(sources[other_id], "state")
        if other.effective_state == journey.effective_state and state_read:
            state = journey.effective_state
            wanted = "future" if state == "current" else "current"
            report(jid, "E311", f"'compare_to': '{other_id}' is a {state} journey too; "
                   f"compare a current (as-is) journey with a future (to-be) one: set "
                   f"'state: {wanted}' on one of them")  # fmt: skip
            continue
        for a, b in ((jid, other_id), (other_id, jid)):
            if taken.get(a, b) != b:
                report(jid, "E312", f"'compare_to': '{a}' is already compared with "
                       f"'{taken[a]}'; a journey has one other state")  # fmt: skip
                break
        else:
            taken[jid], taken[other_id] = other_id, jid
    for a, b in journey_pairs(journeys).items():
        as_is, to_be = split_pair(journeys, a, b)
        if to_be.id != a or gaps.at(sources[a], "stages") or gaps.at(sources[b], "stages"):
            continue
        before = {stage_key(s.name) for s in as_is.stages}
        if not any(stage_key(s.name) in before for s in to_be.stages):
            rel = sources[to_be.id]
            key = ("compare_to",) if to_be.compare_to else ("stages",)
            line, col = position(marks.get(rel, {}), key)
            message = (
                f"no stage of this to-be journey matches a stage of its as-is journey "
                f"'{as_is.id}' by name (to-be: {_names(to_be)}; as-is: {_names(as_is)}); "
                "name the stages alike so the gap table can compare them"
            )
            problems.append(Problem(rel, line, col, "warning", "W517", message))
    return problems


def _names(journey: Journey, most: int = 3) -> str:
    names = [f"'{s.name}'" for s in journey.stages[:most]]
    more = len(journey.stages) - most
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def brief_problems(
    config: Config,
    journeys: Mapping[str, Journey],
    marks: Marks,
    journeys_read: bool,
    gaps: FileGaps = frozenset(),
) -> list[Problem]:
    """E313 for a journey brief with `compare: true` whose journey is in no as-is / to-be
    pair (silent while a journey file could not be read whole: its link may be there)."""
    problems: list[Problem] = []
    pairs = journey_pairs(journeys)
    for i, brief in enumerate(config.briefs or ()):
        jid = brief.journey
        if not brief.compare or jid is None or jid not in journeys or jid in pairs:
            continue
        if not journeys_read:
            continue
        line, col = position(marks, ("briefs", i, "compare"))
        # a brief whose id is a partial model's stand-in is not named
        name = "this brief" if ("briefs", i, "id") in gaps else f"brief '{brief.id}'"
        message = (
            f"{name} compares, but journey '{jid}' has no as-is or to-be version: "
            "set 'compare_to' on one of the two journeys, or remove 'compare'"
        )
        problems.append(Problem("cxsite.yaml", line, col, "error", "E313", message))
    return problems
