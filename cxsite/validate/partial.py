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

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from cxsite.load.reader import Marks
from cxsite.model.fields import TOLERATE
from cxsite.problems import Problem
from cxsite.validate.schema_errors import error_loc, model_problems, resolve

DataPath = tuple[Any, ...]
FileGaps = Collection[DataPath]  # the places of one file a partial model could not read
ITEM = "[item]"  # the last part of a gap where a list item was dropped
_ROUNDS = 12  # drops cascade a few levels (a value, its item, the key holding it), plus rules
# Required top-level keys: (a value that validates, the value the partial entity keeps). The
# kept value reads as "nothing here" to every check: no references, a built-in channel, and
# `ces`, the one metric kind no model rule objects to (a metric's data is not read without
# its own kind, see project.py). A required key without a stand-in leaves the file unread.
_STAND_INS: dict[str, tuple[Any, Any]] = {
    "name": ("-", "-"),
    "role": ("-", "-"),
    "title": ("-", "-"),
    "channel": ("other", "other"),
    "phase": ("during", "during"),
    "kind": ("ces", "ces"),
    "method": ("other", "other"),
    "personas": (["-"], []),
    "stages": ([{"name": "-"}], []),
    # Keys a rule needs (`rule_error(..., needs=...)`); a gap keeps lint off them.
    "category": ("operational", "operational"),
    "higher_is_better": (True, True),
    "date": ("2000-01-01", None),  # a study's, when its 'start' and 'end' could not be read
}


@dataclass(frozen=True)
class Gaps:
    """What validation could not read: per file, places in its partial model (a dropped key,
    `ITEM` for a dropped list item, a stand-in key); and the kinds with a file not read at all
    (`cxsite` for the config)."""

    places: Mapping[str, frozenset[DataPath]] = field(default_factory=dict)
    unread: frozenset[str] = frozenset()

    def at(self, rel: str, *query: Any) -> bool:
        """Whether something at, under or above `query` in file `rel` was not read.

        A None in `query` stands for any key or index: ('stages', None, 'emotion').
        """
        return any(_overlaps(gap, query) for gap in self.places.get(rel, ()))

    def add(self, rel: str, place: DataPath) -> Gaps:
        """These gaps and one more place of file `rel`."""
        places = {**self.places, rel: self.places.get(rel, frozenset()) | {place}}
        return Gaps(places, self.unread)

    def anywhere(self, kind: str, *query: Any) -> bool:
        """`at` for every file of a kind; true as well when one of them was not read at all."""
        if kind in self.unread:
            return True
        return any(self.at(rel, *query) for rel in self.places if rel.startswith(f"{kind}/"))


def _overlaps(gap: DataPath, query: DataPath) -> bool:
    return all(q is None or g == q for g, q in zip(gap, query, strict=False))


@dataclass(frozen=True)
class Partial:
    """The parts of a file that validate, with its marks and gaps (see the module doc)."""

    entity: Any  # None when no partial model could be made
    marks: Marks
    gaps: frozenset[DataPath]
    problems: tuple[Problem, ...]  # model rules that only run once the rest is valid


def best_effort(
    model: type[BaseModel], data: dict[str, Any], errors: list[Any], rel: str, marks: Marks
) -> Partial:
    """The partial model of `data` that failed with `errors` (its entity None if none can be
    made: the model rules found on the way are still its problems)."""
    dropped: set[DataPath] = set()
    stand_ins: set[str] = set()
    twice: set[DataPath] = set()  # values used twice, kept as written (original places)
    kept: dict[DataPath, list[int]] = {}
    working: dict[str, Any] = data
    problems: list[Problem] = []
    for _ in range(_ROUNDS):
        if not _plan(errors, working, kept, (dropped, stand_ins, twice)):
            break
        kept = {}
        working = _prune(data, (), dropped, kept)
        working.update({name: _STAND_INS[name][0] for name in stand_ins})
        index = _index(kept)
        tolerate = {_pruned(place, dropped, index) for place in twice} - {None}
        try:
            entity = model.model_validate(working, context={TOLERATE: tolerate})
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            rules = [e for e in errors if _new_rule(e, working, kept, dropped, stand_ins)]
            if rules:
                renumbered = _renumber(marks, dropped, kept)
                problems += model_problems(rules, model, working, rel, renumbered)
            continue
        entity = entity.model_copy(update={n: _STAND_INS[n][1] for n in stand_ins})
        gaps = _gaps(dropped, kept, stand_ins)
        return Partial(entity, _renumber(marks, dropped, kept), gaps, tuple(problems))
    return Partial(None, {}, frozenset(), tuple(problems))


def _plan(
    errors: Iterable[Any],
    working: dict[str, Any],
    kept: Mapping[DataPath, list[int]],
    plan: tuple[set[DataPath], set[str], set[DataPath]],
) -> bool:
    """Add to the plan what to drop and what to keep although used twice (original places),
    and what to stand in for; False if nothing more can be done."""
    dropped, stand_ins, twice = plan
    before = (len(dropped), len(stand_ins), len(twice))
    for error in errors:
        context = (error.get("ctx") or {}) if error["type"] == "cx_rule" else {}
        needs = _needs(context)
        if not error["loc"] and needs and needs[0] in _STAND_INS:
            stand_ins.add(needs[0])
            continue
        loc = error_loc(error)
        path, _ = resolve(working, loc)
        if path and context.get("first"):
            twice.add(_original(path, kept))
        elif path:
            # A missing key drops the item that lacks it (the path stops there); any other
            # error drops the value (or mapping entry) it is about.
            dropped.add(_original(path, kept))
        elif error["type"] == "missing" and len(loc) == 1 and loc[0] in _STAND_INS:
            stand_ins.add(loc[0])
        else:
            return False
    return (len(dropped), len(stand_ins), len(twice)) != before


def _new_rule(
    error: Mapping[str, Any],
    working: dict[str, Any],
    kept: Mapping[DataPath, list[int]],
    dropped: set[DataPath],
    stand_ins: set[str],
) -> bool:
    """Whether an error of a later round is a model rule to report (a cross-key rule that
    pydantic runs only once the model's fields are valid), not an effect of a drop: every
    other error found after dropping is about what was dropped."""
    if error["type"] != "cx_rule":
        return False
    needs = _needs(error.get("ctx") or {})
    if not needs:
        return True
    owner = _original(resolve(working, tuple(error["loc"]))[0], kept)
    if any((*owner, key) in dropped for key in needs):
        return False
    return not (not owner and needs[0] in stand_ins)


def _needs(context: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys whose absence breaks a rule (`rule_error`'s `needs`), the first first."""
    needs = context.get("needs")
    return (needs,) if isinstance(needs, str) else tuple(needs or ())


def _prune(
    value: Any, path: DataPath, dropped: set[DataPath], kept: dict[DataPath, list[int]]
) -> Any:
    """A copy of `value` without the dropped places; `kept` gets the original index of every
    list item left in a list that lost some."""
    if isinstance(value, dict):
        return {
            key: _prune(item, (*path, key), dropped, kept)
            for key, item in value.items()
            if (*path, key) not in dropped
        }
    if isinstance(value, list):
        left = [i for i in range(len(value)) if (*path, i) not in dropped]
        if len(left) != len(value):
            kept[path] = left
        return [_prune(value[i], (*path, i), dropped, kept) for i in left]
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


def mapping_keys(mapping: Mapping[Any, Any], gaps: Iterable[DataPath], *path: Any) -> list[Any]:
    """The keys of the mapping at `path` of a model, with those of its entries a partial
    model dropped for their value (`gaps`): those keys were read and are still checked."""
    dropped = [
        gap[-1]
        for gap in gaps
        if len(gap) == len(path) + 1
        and gap[:-1] == path
        and type(gap[-1]) is str
        and gap[-1] != ITEM
    ]
    return [*mapping, *(key for key in dropped if key not in mapping)]


def _gaps(
    dropped: set[DataPath], kept: Mapping[DataPath, list[int]], stand_ins: set[str]
) -> frozenset[DataPath]:
    index = _index(kept)
    gaps: set[DataPath] = {(name,) for name in stand_ins}
    for path in dropped:
        parent = _pruned(path[:-1], dropped, index)
        if parent is not None:  # else inside a place dropped as a whole: that one is the gap
            gaps.add((*parent, ITEM if type(path[-1]) is int else path[-1]))
    return frozenset(gaps)
