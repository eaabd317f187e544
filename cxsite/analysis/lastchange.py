"""The last change of each entity, from the project's git history (SPEC 8.4).

`last_changes` is the one API pages (and the freshness page) read: entity key
("personas/maya", as in `Project.sources`) -> `LastChange`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from cxsite.analysis.changes import ChangeReport, Verdict, Version, compare, metric_verdict
from cxsite.analysis.types import EmotionCurve
from cxsite.load.history import Commit, History
from cxsite.model import Project


@dataclass(frozen=True)
class LastChange:
    """An entity's last commit (None for a file never committed), its author when
    `show_authors` is set, and whether its files changed since that commit."""

    short: str | None
    date: dt.date | None
    author: str | None
    uncommitted: bool


def responses_path(metric: object) -> str | None:
    """The responses file of a metric: `responses` as a path, or its `file` key."""
    responses = getattr(metric, "responses", None)
    if responses is None:
        return None
    if isinstance(responses, str):
        return responses
    found = getattr(responses, "file", None)
    return found if isinstance(found, str) else None


def _clean(rel: str) -> str:
    parts = [p for p in rel.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts)


def entity_files(project: Project) -> dict[str, tuple[str, ...]]:
    """Entity key -> the project files its page depends on (a metric: its file and its
    responses file), project-relative POSIX paths."""
    files: dict[str, tuple[str, ...]] = {}
    for key, rel in sorted(project.sources.items()):
        if key == "cxsite":
            continue
        paths = [_clean(rel)]
        kind, _, eid = key.partition("/")
        if kind == "metrics" and eid in project.metrics:
            extra = responses_path(project.metrics[eid])
            if extra:
                paths.append(_clean(extra))
        files[key] = tuple(paths)
    return files


def _newest(commits: list[Commit]) -> Commit | None:
    return max(commits, key=lambda c: c.time, default=None)


def last_changes(
    project: Project, history: History | None, changed: frozenset[str]
) -> Mapping[str, LastChange]:
    """Entity key -> its last change; empty when the project is not in a git repository.
    `changed` are the files with uncommitted edits (see `load.history.uncommitted`)."""
    if history is None:
        return {}
    authors = project.config.show_authors
    result: dict[str, LastChange] = {}
    for key, paths in entity_files(project).items():
        commit = _newest([history.last[p] for p in paths if p in history.last])
        result[key] = LastChange(
            short=commit.short if commit else None,
            date=commit.date if commit else None,
            author=commit.author if commit and authors else None,
            uncommitted=any(p in changed for p in paths),
        )
    return result


@dataclass(frozen=True)
class CurvePoint:
    """One stage of a before/after emotion chart: its name and both emotions (None where
    the stage did not exist or had no emotion)."""

    name: str
    before: float | None
    after: float | None


def align_curves(
    before: EmotionCurve | None, after: EmotionCurve, renamed: Mapping[str, str]
) -> tuple[CurvePoint, ...]:
    """The stages of both versions in one order: the new order, each removed stage after
    the stage it followed. `renamed`: new name -> old name."""
    old = {s.name: s.emotion for s in before.stages} if before else {}
    rows = [
        CurvePoint(s.name, old.get(renamed.get(s.name, s.name)), s.emotion) for s in after.stages
    ]
    new_name = {renamed.get(s.name, s.name): s.name for s in after.stages}
    at = 0
    for stage in before.stages if before else ():
        if stage.name in new_name:
            at = 1 + next(i for i, r in enumerate(rows) if r.name == new_name[stage.name])
            continue
        rows.insert(at, CurvePoint(stage.name, stage.emotion, None))
        at += 1
    return tuple(rows)


@dataclass(frozen=True)
class SinceChanges:
    """The changes since a revision (`changes_since`, a brief's `since`): the report and
    both emotion curves of each journey whose curve changed, or why it could not be made."""

    revision: str
    commit: str | None = None
    report: ChangeReport | None = None
    curves: Mapping[str, tuple[CurvePoint, ...]] = field(default_factory=dict)
    problem: str | None = None


@dataclass(frozen=True)
class Living:
    """What git adds to a build: each entity's last change, the changes since
    `changes_since` (changes.html) and since each executive brief's `since` (by brief id)."""

    last: Mapping[str, LastChange] = field(default_factory=dict)
    since: SinceChanges | None = None
    briefs: Mapping[str, SinceChanges] = field(default_factory=dict)


def since_changes(
    revision: str, commit: str, before: Version, after: Version, verdict: Verdict = metric_verdict
) -> SinceChanges:
    """The report from `before` (the project at `revision`) to `after`, with the curves."""
    report = compare(before, after, verdict)
    curves = {}
    for jid in report.journeys():
        renamed = {
            c.after: c.before for c in report.changes if c.id == jid and c.change == "stage-renamed"
        }
        old = before.analysis.curves.get(jid)
        curves[jid] = align_curves(old, after.analysis.curves[jid], renamed)
    return SinceChanges(revision, commit, report, curves)
