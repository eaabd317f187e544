"""`cxsite diff [PROJECT] [BASE] [HEAD]`: the semantic changes between two versions.

Each revision is read from git objects into a temporary folder (load/versions.py), so the
working tree, index and branches are never touched; HEAD omitted means the working tree
as it is. Each version is validated and analysed, then compared (analysis/changes.py).
`build` uses `revision_version` for changes.html and the executive brief's "What changed".
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cxsite.analysis.analyse import analyse
from cxsite.analysis.changes import ChangeReport, Version, compare
from cxsite.commands.check import kept_validation
from cxsite.load.asof import as_of_date
from cxsite.load.git import (
    NO_GIT,
    GitFailed,
    Repo,
    find_repo,
    git_missing,
    resolve_commit,
)
from cxsite.load.gitfiles import special_git_file
from cxsite.load.projectroot import CONFIG_FILE
from cxsite.load.versions import write_version
from cxsite.model import Config, Project
from cxsite.problems import Problem, ValidationFailed
from cxsite.render.changes import as_json, as_markdown, as_text, md_escape
from cxsite.session import Session
from cxsite.validate.project import load_project

WORKING_TREE = "working tree"


class VersionInvalid(ValidationFailed):
    """One of the two versions has errors: its problem lines are printed, exit 1."""

    def __init__(self, label: str, problems: list[Problem]):
        super().__init__(problems)
        self.label = label
        self.message = f"{label} has errors: " + self.message


@dataclass(frozen=True)
class DiffResult:
    """What `cxsite diff` found: the report and how to name both sides."""

    report: ChangeReport
    base: dict[str, str | None]
    head: dict[str, str | None]
    notes: tuple[str, ...] = ()

    def title(self) -> str:
        """The heading of the report (`cxsite diff: v1 → working tree`)."""
        return f"cxsite diff: {self.base['revision']} → {self.head['revision']}"

    def render(self, fmt: str) -> str:
        """The report as text, markdown or json."""
        if fmt == "json":
            return as_json(self.report, self.base, self.head, self.notes)
        if fmt == "markdown":
            notes = "".join(f"\n> {md_escape(n)}\n" for n in self.notes)
            text = as_markdown(self.report, self.title())
            head, _, rest = text.partition("\n")
            return head + "\n" + notes + rest if notes else text
        return as_text(self.report, self.title()) + "".join(f"note: {n}\n" for n in self.notes)


def _empty_project(root: Path) -> Project:
    """The version of a revision where the project folder did not exist: nothing in it."""
    return Project(root, Config(title="(no project)"), {}, {}, {}, {}, {})


def _validated(folder: Path, label: str, as_of: dt.date, session: Session | None = None) -> Version:
    """The project in `folder` validated and analysed (VersionInvalid on errors), with the
    tables of `session` (`diff` shares one for both versions: a file unchanged between them
    is validated once; a new one when None)."""
    if session is None:
        session = Session()
        session.new_build(as_of)
    result = load_project(folder, session)
    if result.project is None or result.errors:
        errors = [p for p in result.problems if p.severity == "error"]
        raise VersionInvalid(label, errors)
    return Version(result.project, analyse(result.project, result.metric_data))


def revision_version(
    root: Path,
    repo: Repo,
    revision: str,
    as_of: dt.date,
    session: Session | None = None,
    label: str | None = None,
) -> tuple[Version, str, bool]:
    """The project as it was at `revision` (named `label` in messages, default as given):
    (validated version, commit id, whether the project folder existed then), validated
    with `session`'s tables (see `_validated`). GitFailed for a bad revision or a tree that
    cannot be a folder, VersionInvalid on errors."""
    label = label or revision
    commit = resolve_commit(repo, revision)
    with tempfile.TemporaryDirectory(prefix="cxsite-diff-") as tmp:
        folder = Path(tmp) / "project"
        folder.mkdir()
        try:
            written = write_version(root, commit, folder)
        except GitFailed as exc:
            raise GitFailed(f"the project at '{label}' cannot be read: {exc}") from None
        if written == 0:
            empty = _empty_project(folder)
            return Version(empty, analyse(empty, {}), exists=False), commit, False
        if not (folder / CONFIG_FILE).exists():  # the folder is there, its cxsite.yaml not
            message = (
                f"the project folder has no {CONFIG_FILE} at this revision "
                "(or it is a symbolic link leading out, which is never read from git)"
            )
            raise VersionInvalid(label, [Problem(CONFIG_FILE, 1, 1, "error", "E403", message)])
        return _validated(folder, label, as_of, session), commit, True


def diff_project(root: Path, base: str | None, head: str | None) -> DiffResult:
    """Compare two versions of the project at `root`: BASE (default HEAD) and HEAD (default
    the working tree). GitFailed (exit 2) outside a repository or for a bad revision."""
    root = Path(root)
    repo = find_repo(root)
    if repo is None:
        special = special_git_file(root)
        if git_missing():
            where = NO_GIT
        elif special is not None:
            where = f"{special} is not a regular file"
        else:
            where = f"{root} is not in a git repository"
        raise GitFailed(f"{where}: cxsite diff compares git revisions")
    base = base or "HEAD"
    for revision in (base, head):
        if revision is not None:
            resolve_commit(repo, revision)  # both checked before any work
    as_of = as_of_date(root)
    # One session for both versions, seeded with what the last build kept: the files that
    # did not change between them, or since that build, are neither read nor validated again.
    session = Session()
    session.new_build(as_of)
    kept_validation(root, session)
    notes = []
    before, base_commit, existed = revision_version(root, repo, base, as_of, session)
    if not existed:
        notes.append(f"the project folder does not exist at {base}: everything is new")
    if head is None:
        after = _validated(root, WORKING_TREE, as_of, session)
        head_info: dict[str, str | None] = {"revision": WORKING_TREE, "commit": None}
    else:
        after, head_commit, existed = revision_version(root, repo, head, as_of, session)
        if not existed:
            notes.append(f"the project folder does not exist at {head}")
        head_info = {"revision": head, "commit": head_commit}
    report = compare(before, after)
    return DiffResult(report, {"revision": base, "commit": base_commit}, head_info, tuple(notes))
