"""What git adds to a build (SPEC 8.4, 8.5): each entity's last change, and the changes
since `changes_since` and since each executive brief's `since`.

History is read once per build (load/history.py); the project at a revision is read from
git objects, validated and analysed once per process and commit (kept on the session).
A revision that cannot be read is a warning, never a failed build: a shallow clone in CI
may not have the tag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from cxsite.analysis.analyse import Analysis
from cxsite.analysis.changes import Version
from cxsite.analysis.lastchange import (
    Living,
    SinceChanges,
    entity_files,
    last_changes,
    since_changes,
)
from cxsite.cachefiles import usable_cache_dir
from cxsite.commands.diff import VersionInvalid, revision_version
from cxsite.english import counted
from cxsite.incremental.fromgit import history_of, keep_version, kept_version
from cxsite.load.git import NO_GIT, GitFailed, Repo, find_repo, git_missing, resolve_commit
from cxsite.load.history import uncommitted
from cxsite.load.projectroot import CONFIG_FILE
from cxsite.load.reader import Marks, position
from cxsite.model import Project
from cxsite.problems import Problem
from cxsite.session import Session


def _revisions(project: Project) -> list[tuple[tuple, str, str | None]]:
    """(key path in cxsite.yaml, revision, brief id or None) of every revision to compare."""
    found: list[tuple[tuple, str, str | None]] = []
    if project.config.changes_since:
        found.append((("changes_since",), project.config.changes_since, None))
    for index, brief in enumerate(project.config.briefs or ()):
        if brief.kind == "executive" and brief.since:
            found.append((("briefs", index, "since"), brief.since, brief.id))
    return found


def _since(
    root: Path,
    repo: Repo | None,
    revision: str,
    now: Version,
    as_of: dt.date,
    session: Session,
) -> tuple[SinceChanges, str]:
    """The changes since `revision`, or the reason they could not be made (`problem`) with
    its warning code: W526 not readable from git, W527 the project there has errors."""
    if repo is None:
        reason = NO_GIT if git_missing() else "the project is not in a git repository"
        return SinceChanges(revision, problem=reason), "W526"
    try:
        commit = resolve_commit(repo, revision)
        found = session.versions.get((commit, as_of))
        if found is None:
            folder = usable_cache_dir(root)
            kept = kept_version(folder, commit, as_of)
            if kept is not None:
                version = (kept, commit, kept.exists)
            else:
                version = revision_version(root, repo, commit, as_of, label=revision)
                keep_version(folder, commit, as_of, version[0])
            found = session.versions.put((commit, as_of), version)
        before = found[0]
    except GitFailed as failed:
        return SinceChanges(revision, problem=failed.message), "W526"
    except VersionInvalid as invalid:
        count = len(invalid.problems)
        first = invalid.problems[0].format() if invalid.problems else ""
        why = f"the project at that revision has {counted(count, 'error')}, the first: {first}"
        return SinceChanges(revision, problem=why), "W527"
    return since_changes(revision, commit, before, now), ""


def _problem(marks: Marks | None, where: tuple, revision: str, why: str, code: str) -> Problem:
    line, col = position(marks or {}, where)
    what = "changes_since" if where[0] == "changes_since" else "since"
    message = f"{what} '{revision}' cannot be compared: {why}"
    return Problem(CONFIG_FILE, line, col, "warning", code, message)


def living_data(
    project: Project,
    analysis: Analysis,
    *,
    head: tuple[str, int] | None,
    as_of: dt.date,
    session: Session,
    marks: Mapping[str, Marks] | None = None,
    history: bool = True,
) -> tuple[Living, list[Problem]]:
    """The git side of a build, and a warning for each revision that cannot be compared.
    `history=False`: only the briefs' changes (`cxsite pdf`)."""
    root = project.root
    last = {}
    if history and head is not None:
        files = [p for paths in entity_files(project).values() for p in paths]
        found = history_of(root, head, files, session, usable_cache_dir(root))
        if found is not None:
            edited = uncommitted(root, found, files, session.digests)
            last = dict(last_changes(project, found, edited))
    wanted = _revisions(project)
    if not wanted:
        return Living(last), []
    repo = find_repo(root)
    now = Version(project, analysis)
    problems: list[Problem] = []
    since = None
    briefs: dict[str, SinceChanges] = {}
    config_marks = (marks or {}).get(CONFIG_FILE)
    for where, revision, brief_id in wanted:
        changes, code = _since(root, repo, revision, now, as_of, session)
        if changes.problem:
            problems.append(_problem(config_marks, where, revision, changes.problem, code))
        if brief_id is None:
            since = changes
        else:
            briefs[brief_id] = changes
    return Living(last, since, briefs), problems
