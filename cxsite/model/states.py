"""As-is and to-be journeys (SPEC 8.7): which journeys pair up, and how their stages match."""

from __future__ import annotations

from collections.abc import Mapping

from cxsite.model.journey import Journey


def stage_key(name: str) -> str:
    """The key under which stage names of an as-is and a to-be journey match: case-folded,
    whitespace collapsed."""
    return " ".join(name.split()).casefold()


def journey_pairs(journeys: Mapping[str, Journey]) -> dict[str, str]:
    """Journey id -> the id of its other state, for every consistent `compare_to` link.

    A link counts when it names another existing journey of the other state, and neither
    journey is already paired with a third one (journey id order decides which link came
    first); validation reports the links that do not count (E304, E310-E312)."""
    pairs: dict[str, str] = {}
    for jid, journey in journeys.items():
        other_id = journey.compare_to
        other = journeys.get(other_id) if other_id is not None else None
        if other is None or other_id == jid or other.effective_state == journey.effective_state:
            continue
        if pairs.get(jid, other_id) != other_id or pairs.get(other_id, jid) != jid:
            continue
        pairs[jid] = other_id  # type: ignore[index]
        pairs[other_id] = jid  # type: ignore[index]
    return dict(sorted(pairs.items()))


def split_pair(journeys: Mapping[str, Journey], a: str, b: str) -> tuple[Journey, Journey]:
    """(as-is, to-be) of a pair of journey ids, in either order."""
    first, second = journeys[a], journeys[b]
    return (first, second) if first.effective_state == "current" else (second, first)
