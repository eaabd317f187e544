"""A best-effort model of a file that failed its schema, so one mistake hides nothing else.

SPEC 8.14: a schema error (E2xx) must not hide the file's other problems. The places pydantic
complains about are dropped (a key, a list item, a mapping entry; an item missing a required
key goes whole) and the rest is validated again, until it passes. A required top-level key
that is missing or dropped gets an inert stand-in (a name, `channel: other`, no stages...),
and so does a top-level key a cross-key rule says is missing (a custom metric's `category`),
so that the rest of the file, and the next rule, are still read. A value used twice (a
rule naming its first use, such as a stage name) is kept as written: each use is valid on
its own, so what hangs off both is still checked. A mapping entry dropped for its value
keeps its key's mark: the key was read, and a reference there is still checked
(`mapping_keys`).

What comes out is only ever checked (references, paths, metric data, lint), never rendered:
the file's errors are already recorded, so the project fails and nothing is written. Beside
the entity it keeps its marks renumbered for the dropped list items, and its gaps: the places
that could not be read, so that lint stays silent where a dropped part would make a warning
false (validate/lint.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from cxsite.load.reader import Marks
from cxsite.model.fields import TOLERATE
from cxsite.problems import Problem
from cxsite.validate.gaps import ITEM, DataPath
from cxsite.validate.schema_errors import error_loc, model_at, model_problems, resolve
from cxsite.validate.stand_ins import READ_BY_RULES, TOP_LEVEL, item_stand_in

_ROUNDS = 12  # drops cascade a few levels (a value, its item, the key holding it), plus rules


@dataclass(frozen=True)
class Partial:
    """The parts of a file that validate, with its marks and gaps (see the module doc)."""

    entity: Any  # None when no partial model could be made
    marks: Marks
    gaps: frozenset[DataPath]
    problems: tuple[Problem, ...]  # model rules that only run once the rest is valid


@dataclass
class _Plan:
    """What to do with the data as written (original places) so that it validates."""

    dropped: set[DataPath] = field(default_factory=set)
    stand_ins: set[str] = field(default_factory=set)  # top-level keys
    twice: set[DataPath] = field(default_factory=set)  # values used twice, kept as written
    filled: dict[DataPath, dict[str, Any]] = field(default_factory=dict)  # item -> stand-ins
    # items whose rules read a stand-in -> the keys of those rules (None: all)
    blind: dict[DataPath, frozenset[str] | None] = field(default_factory=dict)

    def size(self) -> tuple[int, ...]:
        """How much is planned, to see whether a round planned more."""
        filled = sum(len(keys) for keys in self.filled.values())
        return (len(self.dropped), len(self.stand_ins), len(self.twice), filled)

    def at_stand_in(self, place: DataPath) -> bool:
        """Whether `place` is, or is under, a list item's stand-in."""
        return any(
            place[: len(item) + 1] in {(*item, key) for key in keys}
            for item, keys in self.filled.items()
        )


def best_effort(
    model: type[BaseModel], data: dict[str, Any], errors: list[Any], rel: str, marks: Marks
) -> Partial:
    """The partial model of `data` that failed with `errors` (its entity None if none can be
    made: the model rules found on the way are still its problems)."""
    plan = _Plan()
    kept: dict[DataPath, list[int]] = {}
    working: dict[str, Any] = data
    problems: list[Problem] = []
    for _ in range(_ROUNDS):
        if not _plan(model, errors, working, kept, plan):
            break
        kept = {}
        working = _prune(data, (), plan, kept)
        working.update({name: TOP_LEVEL[name][0] for name in plan.stand_ins})
        index = _index(kept)
        tolerate = {_pruned(place, plan.dropped, index) for place in plan.twice} - {None}
        try:
            entity = model.model_validate(working, context={TOLERATE: tolerate})
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            rules = [e for e in errors if _new_rule(e, working, kept, plan)]
            if rules:
                renumbered = _renumber(marks, plan.dropped, kept)
                problems += model_problems(rules, model, working, rel, renumbered)
            continue
        entity = entity.model_copy(update={n: TOP_LEVEL[n][1] for n in plan.stand_ins})
        gaps = _gaps(plan, kept)
        return Partial(entity, _renumber(marks, plan.dropped, kept), gaps, tuple(problems))
    return Partial(None, {}, frozenset(), tuple(problems))


def _plan(
    model: type[BaseModel],
    errors: Iterable[Any],
    working: dict[str, Any],
    kept: Mapping[DataPath, list[int]],
    plan: _Plan,
) -> bool:
    """Add to the plan what to drop, what to keep although used twice and what to stand in
    for; False if nothing more can be done."""
    before = plan.size()
    for error in errors:
        context = (error.get("ctx") or {}) if error["type"] == "cx_rule" else {}
        needs = _needs(context)
        if not error["loc"] and needs and needs[0] in TOP_LEVEL:
            plan.stand_ins.add(needs[0])
            continue
        loc = error_loc(error)
        path, _ = resolve(working, loc)
        if path and context.get("first"):
            plan.twice.add(_original(path, kept))
        elif path and error["type"] == "missing" and _fill(model, path, loc[-1], kept, plan):
            pass  # an item lacking a key with a stand-in is read with it
        elif path:
            # A missing key drops the item that lacks it (the path stops there); any other
            # error drops the value (or mapping entry) it is about.
            plan.dropped.add(_original(path, kept))
        elif error["type"] == "missing" and len(loc) == 1 and loc[0] in TOP_LEVEL:
            plan.stand_ins.add(loc[0])
        else:
            return False
    return plan.size() != before


def _fill(
    model: type[BaseModel],
    path: DataPath,
    key: Any,
    kept: Mapping[DataPath, list[int]],
    plan: _Plan,
) -> bool:
    """Plan a stand-in for `key` in the list item or nested mapping at `path`; False if it
    has none."""
    item = model_at(model, path)
    has, value = item_stand_in(item, key)
    if not has or not path:
        return False
    place = _original(path, kept)
    plan.filled.setdefault(place, {})[key] = value
    read_by = (getattr(item, "__name__", ""), key)
    if read_by in READ_BY_RULES:
        plan.blind[place] = READ_BY_RULES[read_by]
    return True


def _new_rule(
    error: Mapping[str, Any],
    working: dict[str, Any],
    kept: Mapping[DataPath, list[int]],
    plan: _Plan,
) -> bool:
    """Whether an error of a later round is a model rule to report (a cross-key rule that
    pydantic runs only once the model's fields are valid), not an effect of a drop or of a
    stand-in: every other error found after dropping is about what was dropped."""
    if error["type"] != "cx_rule":
        return False
    context = error.get("ctx") or {}
    owner = _original(resolve(working, tuple(error["loc"]))[0], kept)
    if owner in plan.blind:
        about = plan.blind[owner]
        if about is None or (*(context.get("path") or ()), "")[0] in about:
            return False
    places = [error_loc(error)]
    if context.get("first"):
        places.append((*error["loc"], *context["first"]))
    if any(plan.at_stand_in(_original(resolve(working, p)[0], kept)) for p in places):
        return False
    needs = _needs(context)
    if not needs:
        return True
    if any((*owner, key) in plan.dropped for key in needs):
        return False
    return not (not owner and needs[0] in plan.stand_ins)


def _needs(context: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys whose absence breaks a rule (`rule_error`'s `needs`), the first first."""
    needs = context.get("needs")
    return (needs,) if isinstance(needs, str) else tuple(needs or ())


def _prune(value: Any, path: DataPath, plan: _Plan, kept: dict[DataPath, list[int]]) -> Any:
    """A copy of `value` without the dropped places, with the stand-ins of list items;
    `kept` gets the original index of every list item left in a list that lost some."""
    if isinstance(value, dict):
        pruned = {
            key: _prune(item, (*path, key), plan, kept)
            for key, item in value.items()
            if (*path, key) not in plan.dropped
        }
        return {**pruned, **plan.filled.get(path, {})}
    if isinstance(value, list):
        left = [i for i in range(len(value)) if (*path, i) not in plan.dropped]
        if len(left) != len(value):
            kept[path] = left
        return [_prune(value[i], (*path, i), plan, kept) for i in left]
    return value


def _original(path: DataPath, kept: Mapping[DataPath, list[int]]) -> DataPath:
    """A place in the pruned data, as a place in the data as written."""
    out: list[Any] = []
    for part in path:
        # List indexes are plain ints; a YAML key written as a number is a YInt.
        left = kept.get(tuple(out)) if type(part) is int else None
        out.append(left[part] if left is not None else part)
    return tuple(out)


def _pruned(
    path: DataPath, dropped: set[DataPath], index: Mapping[DataPath, Mapping[int, int]]
) -> DataPath | None:
    """A place in the data as written, as a place in the pruned data (None if dropped)."""
    out: list[Any] = []
    for depth, part in enumerate(path):
        if path[: depth + 1] in dropped:
            return None
        if type(part) is int and path[:depth] in index:
            part = index[path[:depth]].get(part)
            if part is None:
                return None
        out.append(part)
    return tuple(out)


def _index(kept: Mapping[DataPath, list[int]]) -> dict[DataPath, dict[int, int]]:
    return {path: {old: new for new, old in enumerate(left)} for path, left in kept.items()}


def _renumber(marks: Marks, dropped: set[DataPath], kept: Mapping[DataPath, list[int]]) -> Marks:
    """The marks of what is left, at its places in the pruned data."""
    index = _index(kept)
    renumbered: dict[DataPath, tuple[int, int]] = {}
    for path, mark in marks.items():
        place = _pruned(path, dropped, index)
        if place is None and path in dropped and type(path[-1]) is not int:
            parent = _pruned(path[:-1], dropped, index)  # a key dropped with its value
            place = None if parent is None else (*parent, path[-1])
        if place is not None:
            renumbered[place] = mark
    return renumbered


def _gaps(plan: _Plan, kept: Mapping[DataPath, list[int]]) -> frozenset[DataPath]:
    dropped = plan.dropped
    index = _index(kept)
    gaps: set[DataPath] = {(name,) for name in plan.stand_ins}
    for item, keys in plan.filled.items():
        place = _pruned(item, dropped, index)
        if place is not None:  # a stand-in of an item that stays: its place is a gap
            gaps.update((*place, key) for key in keys)
    for path in dropped:
        parent = _pruned(path[:-1], dropped, index)
        if parent is not None:  # else inside a place dropped as a whole: that one is the gap
            gaps.add((*parent, ITEM if type(path[-1]) is int else path[-1]))
    return frozenset(gaps)
