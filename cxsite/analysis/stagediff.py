"""What changed in one journey between two versions: stages matched by name (or renamed in
place), moves, emotions, peak and end, pain points and opportunities (SPEC 8.5)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cxsite.analysis.types import EmotionCurve
from cxsite.model import Journey

# (change, where, subject, before, after)
Row = tuple[str, str | None, str | None, Any, Any]
_STAGE_ITEMS = ("name", "emotion", "pain_points", "opportunities")


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json")


def _lcs(a: Sequence[str], b: Sequence[str]) -> set[str]:
    """The names in a longest common subsequence of `a` and `b` (the ones that kept their
    relative order); the others moved."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            kept.add(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] > table[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def _renames(before: Journey, after: Journey, gone: set[str], new: set[str]) -> dict[str, str]:
    """Old name -> new name of stages renamed in place: same position, same content."""
    pairs = {}
    for index, stage in enumerate(before.stages):
        if stage.name not in gone or index >= len(after.stages):
            continue
        other = after.stages[index]
        if other.name in new:
            old, fresh = _dump(stage), _dump(other)
            old.pop("name")
            fresh.pop("name")
            if old == fresh:
                pairs[stage.name] = other.name
    return pairs


def _by_text(items: Sequence[Any]) -> dict[str, Any]:
    """Items by text, the first of equal texts kept."""
    found: dict[str, Any] = {}
    for item in items:
        found.setdefault(item.text, item)
    return found


def _items(where: str, before: Sequence[Any], after: Sequence[Any], noun: str, attr: str) -> list:
    """Pain points or opportunities matched by text: added, removed, `attr` changes."""
    rows: list[Row] = []
    old, new = _by_text(before), _by_text(after)
    for text, item in new.items():
        if text not in old:
            rows.append((f"{noun}-added", where, text, None, getattr(item, attr)))
    for text, item in old.items():
        if text not in new:
            rows.append((f"{noun}-removed", where, text, getattr(item, attr), None))
    for text, item in new.items():
        was, now = getattr(old.get(text), attr, None), getattr(item, attr)
        if text in old and was != now:
            rows.append((f"{noun}-{attr}", where, text, was, now))
    return rows


def _emotion_rows(name: str, before: Any, after: Any) -> list[Row]:
    """The emotion of a matched stage: one row for a number, one row per persona (the
    persona id as subject) when either side gives an emotion per persona (curves)."""
    if before.emotion == after.emotion:
        return []
    if not before.per_persona and not after.per_persona:
        return [("emotion", name, None, before.emotion, after.emotion)]
    keys = [
        *(after.emotion if after.per_persona else {}),
        *(before.emotion if before.per_persona else {}),
    ]
    rows: list[Row] = []
    for pid in dict.fromkeys(keys):
        was, now = before.emotion_of(pid), after.emotion_of(pid)
        if was != now:
            rows.append(("emotion", name, pid, was, now))
    return rows


def _stage_rows(name: str, before: Any, after: Any) -> list[Row]:
    """Emotion, pain points, opportunities and other keys of one matched stage."""
    rows: list[Row] = _emotion_rows(name, before, after)
    rows += _items(name, before.pain_points, after.pain_points, "pain", "severity")
    rows += _items(name, before.opportunities, after.opportunities, "opportunity", "status")
    old, new = _dump(before), _dump(after)
    for key in new:
        if key not in _STAGE_ITEMS and old.get(key) != new[key]:
            rows.append(("stage-field", name, key, old.get(key), new[key]))
    return rows


def _highlight(curve: EmotionCurve, index: int | None) -> dict[str, Any] | None:
    if index is None:
        return None
    stage = curve.stages[index]
    return {"stage": stage.name, "emotion": stage.emotion}


def journey_rows(
    before: Journey,
    after: Journey,
    curves: tuple[EmotionCurve, EmotionCurve],
    fields: Callable[[Any, Any], list[Row]],
) -> list[Row]:
    """Every change of one journey, in a fixed order: its own fields, stages added,
    removed, renamed, moved, then per stage (head order) its changes, then peak and end."""
    rows: list[Row] = fields(before, after)
    old_names = [s.name for s in before.stages]
    new_names = [s.name for s in after.stages]
    gone = set(old_names) - set(new_names)
    new = set(new_names) - set(old_names)
    renamed = _renames(before, after, gone, new)
    gone -= set(renamed)
    new -= set(renamed.values())
    for index, name in enumerate(new_names):
        if name in new:
            rows.append(("stage-added", None, name, None, index + 1))
    for index, name in enumerate(old_names):
        if name in gone:
            rows.append(("stage-removed", None, name, index + 1, None))
    for old, fresh in renamed.items():
        rows.append(("stage-renamed", None, fresh, old, fresh))
    as_new = [renamed.get(n, n) for n in old_names if n not in gone]
    common = [n for n in new_names if n not in new]
    kept = _lcs(as_new, common)
    for name in common:
        if name not in kept:
            rows.append(("stage-moved", None, name, as_new.index(name) + 1, common.index(name) + 1))
    old_stage = {renamed.get(s.name, s.name): s for s in before.stages}
    for stage in after.stages:
        if stage.name in old_stage:
            rows += _stage_rows(stage.name, old_stage[stage.name], stage)
    for change, index_of in (("peak", lambda c: c.peak), ("end", lambda c: c.end)):
        first = _highlight(curves[0], index_of(curves[0]))
        second = _highlight(curves[1], index_of(curves[1]))
        if first != second:
            rows.append((change, None, None, first, second))
    return rows
