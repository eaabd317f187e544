"""The semantic difference of two versions of a project (SPEC 8.5): pure, no git.

`compare(before, after)` takes two validated versions (project and analysis each) and
returns a `ChangeReport`: a flat list of `Change` records in a stable order (kind, then
entity id, then a fixed order within the entity). Models are compared as data, so key
order, quoting, comments and whitespace never show as a change. `docs/cli.md` documents
every `change` value and what `before`/`after` hold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cxsite.analysis import significance
from cxsite.analysis.stagediff import Row, journey_rows
from cxsite.analysis.types import Analysis, MetricSummary
from cxsite.model import Project

KINDS = (("config", ""), ("personas", "persona"), ("journeys", "journey"),
         ("touchpoints", "touchpoint"), ("metrics", "metric"))  # fmt: skip
_TOUCHPOINT_OWN = ("ratings",)
_METRIC_OWN = ("target", "values")

# The verdict of a latest-value change of a metric computed from responses (SPEC 8.1:
# "significant", "noise", "too-few"), or None. `compare` takes it as a function, so a caller
# can judge otherwise; by default it is the significance test of the metric's kind.
Verdict = Callable[[MetricSummary, MetricSummary], str | None]


def metric_verdict(before: MetricSummary, after: MetricSummary) -> str | None:
    """The test of SPEC 8.1 between the latest value of two versions of a metric (two
    versions of the same period, or two periods), with HEAD's `min_responses`; None when
    either value is not computed from responses or the metric changed kind."""
    a, b = before.latest, after.latest
    if a is None or b is None or before.kind != after.kind:
        return None
    found = significance.compare(after.kind, a, b, after.min_responses, interval=False)
    return found.verdict if found is not None else None


@dataclass(frozen=True)
class Version:
    """One side of a comparison: a validated project and its analysis."""

    project: Project
    analysis: Analysis
    exists: bool = True  # False: the project folder did not exist at that revision


@dataclass(frozen=True)
class Change:
    """One change. `kind`: config, persona, journey, touchpoint or metric; `id` and `name`
    of the entity (after the change; before it when removed); `change`: what happened;
    `where`: the stage, for stage-level changes; `subject`: the stage, pain point,
    opportunity, persona, field or period concerned; `before`/`after`: JSON values;
    `detail`: extra JSON values of some changes (a metric's periods and verdict)."""

    kind: str
    id: str
    name: str
    change: str
    where: str | None = None
    subject: str | None = None
    before: Any = None
    after: Any = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The record with its documented keys."""
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "change": self.change,
            "where": self.where,
            "subject": self.subject,
            "before": self.before,
            "after": self.after,
            "detail": dict(self.detail),
        }


@dataclass(frozen=True)
class ChangeReport:
    """Every change between two versions, in report order."""

    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def entities(self) -> list[tuple[str, str, str, list[Change]]]:
        """(kind, id, name, changes) per entity, in report order."""
        groups: dict[tuple[str, str], list[Change]] = {}
        for change in self.changes:
            groups.setdefault((change.kind, change.id), []).append(change)
        return [(k, i, items[0].name, items) for (k, i), items in groups.items()]

    def journeys(self) -> list[str]:
        """Ids of the journeys whose emotion curve changed (an emotion, a stage)."""
        curve = {"emotion", "stage-added", "stage-removed", "stage-moved", "stage-renamed"}
        seen = [c.id for c in self.changes if c.kind == "journey" and c.change in curve]
        return list(dict.fromkeys(seen))


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json")


def _nested(path: str, old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    """(dotted key, before, after) of every difference between two JSON values: mappings
    key by key, lists of mappings with an `id` item by item, anything else as a whole."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in dict.fromkeys([*new, *old]):
            found += _nested(f"{path}.{key}", old.get(key), new.get(key))
        return found
    if _by_id(old) is not None and _by_id(new) is not None:
        first, second = _by_id(old), _by_id(new)
        assert first is not None and second is not None
        found = []
        for key in dict.fromkeys([*second, *first]):
            a, b = first.get(key), second.get(key)
            if a is None or b is None:
                found.append((f"{path}.{key}", "present" if a else None, "present" if b else None))
            else:
                found += _nested(f"{path}.{key}", a, b)
        return found
    return [(path, old, new)]


def _by_id(value: Any) -> dict[str, Any] | None:
    """A list of mappings that each have a text `id`, by id; None for anything else."""
    if not isinstance(value, list) or not all(
        isinstance(v, dict) and isinstance(v.get("id"), str) for v in value
    ):
        return None
    return {v["id"]: v for v in value}


def _field_rows(before: Any, after: Any, skip: tuple[str, ...] = ()) -> list[Row]:
    """One `field` row per top-level key whose value differs (in the head's key order);
    within a mapping or a list of items with ids, one row per nested key that differs."""
    old, new = _dump(before), _dump(after)
    keys = [k for k in dict.fromkeys([*new, *old]) if k not in skip and k != "stages"]
    return [
        ("field", None, key, first, second)
        for top in keys
        for key, first, second in _nested(top, old.get(top), new.get(top))
    ]


def _name(kind: str, entity: Any) -> str:
    if kind == "config":
        return entity.title
    return getattr(entity, "name", None) or getattr(entity, "title", "")


def _entity_sets(folder: str, before: Project, after: Project) -> tuple[list, list, list, list]:
    """(added ids, removed ids, (old, new) renamed pairs, ids in both) of one kind."""
    old: Mapping[str, Any] = getattr(before, folder)
    new: Mapping[str, Any] = getattr(after, folder)
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    renamed = []
    for gone in list(removed):
        same = [a for a in added if _dump(new[a]) == _dump(old[gone])]
        if same:
            renamed.append((gone, same[0]))
            removed.remove(gone)
            added.remove(same[0])
    both = sorted(set(old) & set(new))
    return added, removed, renamed, both


def _whose(row: Row, before: Version, after: Version) -> Row:
    """A per-persona emotion row (curves) with the persona's name as detail."""
    if row[0] != "emotion" or not row[2]:
        return row
    person = after.project.personas.get(row[2]) or before.project.personas.get(row[2])
    return (*row[:5], {"persona": person.name if person else row[2]})


def _touchpoint_rows(tid: str, before: Version, after: Version) -> list[Row]:
    old = before.project.touchpoints[tid]
    new = after.project.touchpoints[tid]
    rows = _field_rows(old, new, _TOUCHPOINT_OWN)
    for pid in sorted(set(old.ratings) | set(new.ratings)):
        a, b = old.ratings.get(pid), new.ratings.get(pid)
        first, second = (_dump(a) if a else None), (_dump(b) if b else None)
        if first != second:
            person = after.project.personas.get(pid) or before.project.personas.get(pid)
            detail = {"persona": person.name if person else pid}
            rows.append(("rating", None, pid, first, second, detail))
    quads = []
    for side in (before, after):
        point = next((p for p in side.analysis.ipa_overall.points if p.touchpoint_id == tid), None)
        quads.append(point.quadrant if point else None)
    if quads[0] != quads[1]:
        rows.append(("quadrant", None, None, quads[0], quads[1]))
    return rows


def _metric_rows(mid: str, before: Version, after: Version, verdict: Verdict) -> list[Row]:
    old, new = before.project.metrics[mid], after.project.metrics[mid]
    rows = _field_rows(old, new, _METRIC_OWN)
    if old.target != new.target:
        rows.insert(0, ("target", None, None, old.target, new.target))
    first, second = before.analysis.metrics[mid], after.analysis.metrics[mid]
    periods = {p.period: p for p in first.points}
    for point in second.points:
        if point.period not in periods:
            detail = {"kind": second.kind}
            rows.append(("period-added", None, point.period, None, point.value, detail))
    a, b = first.latest, second.latest
    if (a and (a.period, a.value)) != (b and (b.period, b.value)):
        detail = {
            "before_period": a.period if a else None,
            "after_period": b.period if b else None,
            "before_n": a.n if a else None,
            "after_n": b.n if b else None,
            "verdict": verdict(first, second) if a and b else None,
            "kind": second.kind,
        }
        rows.append(("latest", None, None, a.value if a else None, b.value if b else None, detail))
    return rows


def _rows(kind: str, eid: str, before: Version, after: Version, verdict: Verdict) -> list[Row]:
    if kind == "config":
        return _field_rows(before.project.config, after.project.config)
    if kind == "journey":
        curves = (before.analysis.curves[eid], after.analysis.curves[eid])
        old, new = before.project.journeys[eid], after.project.journeys[eid]
        rows = journey_rows(old, new, curves, _field_rows)
        return [_whose(row, before, after) for row in rows]
    if kind == "touchpoint":
        return _touchpoint_rows(eid, before, after)
    if kind == "metric":
        return _metric_rows(eid, before, after, verdict)
    old, new = before.project.personas[eid], after.project.personas[eid]
    changed = list(dict.fromkeys(key.split(".")[0] for _, _, key, _, _ in _field_rows(old, new)))
    return [("fields", None, None, None, changed)] if changed else []


def compare(before: Version, after: Version, verdict: Verdict = metric_verdict) -> ChangeReport:
    """Every semantic change from `before` to `after`, in report order."""
    changes: list[Change] = []
    for folder, kind in KINDS:
        if folder == "config":
            title = after.project.config.title
            if before.exists != after.exists:
                gone = "added" if after.exists else "removed"
                changes.append(Change("config", "", title if after.exists else "", gone))
                continue
            for row in _rows("config", "", before, after, verdict):
                changes.append(Change("config", "", title, *row))
            continue
        kind_changes: list[tuple[str, list[Change]]] = []
        added, removed, renamed, both = _entity_sets(folder, before.project, after.project)
        new, old = getattr(after.project, folder), getattr(before.project, folder)
        for eid in added:
            kind_changes.append((eid, [Change(kind, eid, _name(kind, new[eid]), "added")]))
        for eid in removed:
            kind_changes.append((eid, [Change(kind, eid, _name(kind, old[eid]), "removed")]))
        for gone, eid in renamed:
            name = _name(kind, new[eid])
            kind_changes.append((eid, [Change(kind, eid, name, "renamed", None, None, gone, eid)]))
        for eid in both:
            rows = _rows(kind, eid, before, after, verdict)
            name = _name(kind, new[eid])
            kind_changes.append((eid, [_change(kind, eid, name, row) for row in rows]))
        for _, items in sorted(kind_changes, key=lambda pair: pair[0]):
            changes.extend(items)
    return ChangeReport(tuple(changes))


def _change(kind: str, eid: str, name: str, row: tuple) -> Change:
    change, where, subject, before, after, *rest = row
    return Change(kind, eid, name, change, where, subject, before, after, rest[0] if rest else {})
