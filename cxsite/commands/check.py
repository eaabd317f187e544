"""`cxsite check`: validate and lint a project without building anything.

This is the build's first phase alone (`validated` is that phase for the other commands);
the result says what to print and whether the command fails.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import click

from cxsite.cachefiles import usable_cache_dir
from cxsite.commands.report import Reporter
from cxsite.english import counted
from cxsite.gcpause import long_lived_objects
from cxsite.incremental import validcache
from cxsite.incremental.digests import load_digests
from cxsite.load.projectroot import NOT_FOUND, find_project, repository_root, shown_path
from cxsite.problems import CxError, Problem, ValidationFailed, one_line
from cxsite.session import Session
from cxsite.validate.project import CheckResult, load_project, require_valid
from cxsite.validate.select import entity_of, select_problems


def _escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF escaped (GitHub's toolkit rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: also `:` and `,` escaped."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class CheckReport:
    """The outcome of `cxsite check`: the problems shown (all, or those of the FILEs given),
    and the verdict under --strict or not, which follows what is shown."""

    result: CheckResult
    strict: bool
    root: Path = Path(".")
    # The FILEs given, relative to the root (None: the whole project).
    selected: tuple[str, ...] | None = None
    shown: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many problems shown are errors."""
        return sum(p.severity == "error" for p in self.shown)

    @property
    def warnings(self) -> int:
        """How many problems shown are warnings."""
        return sum(p.severity == "warning" for p in self.shown)

    @property
    def failed(self) -> bool:
        """Whether the command exits with 1: an error shown, or a warning under --strict."""
        return self.errors > 0 or (self.strict and self.warnings > 0)

    def lines(self) -> list[str]:
        """The problem lines, in report order."""
        return [problem.format() for problem in self.shown]

    def github(self, cwd: Path) -> list[str]:
        """GitHub Actions annotations, one per problem (`--format github`): paths relative to
        the repository's top level (the nearest folder with `.git`), else to `cwd`."""
        root = Path(os.path.abspath(self.root))
        base = repository_root(root) or Path(os.path.abspath(cwd))
        lines = []
        for p in self.shown:
            path = Path(os.path.relpath(root / p.path, base)).as_posix()
            where = f"file={_escape_property(path)},line={p.line},col={p.col}"
            title = _escape_property(p.code)
            message = _escape_data(one_line(p.message))
            lines.append(f"::{p.severity} {where},title={title}::{message}")
        return lines

    def json(self) -> str:
        """Every problem and the counts as one JSON document (`--format json`)."""
        document = {
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    "col": p.col,
                    "severity": p.severity,
                    "code": p.code,
                    "message": p.message,
                }
                for p in self.shown
            ],
            "errors": self.errors,
            "warnings": self.warnings,
        }
        return json.dumps(document, indent=2, ensure_ascii=False)

    def summary(self) -> str:
        """The one-line verdict (`cxsite check failed: 1 error, 0 warnings (5 files)`); with
        FILEs, `(2 of 41 files)`: the FILEs given of the files read."""
        files = counted(self.result.files, "file")
        if self.selected is not None:
            files = f"{len(self.selected)} of {files}"
        if not self.shown:
            return f"cxsite check: no problems ({files})"
        verdict = "failed" if self.failed else "passed"
        counts = f"{counted(self.errors, 'error')}, {counted(self.warnings, 'warning')}"
        return f"cxsite check {verdict}: {counts} ({files})"


def check_arguments(
    project: Path | None, files: tuple[Path, ...], cwd: Path
) -> tuple[Path, tuple[str, ...] | None]:
    """`cxsite check [PROJECT] [FILE]...`: the project root and the FILEs relative to it
    (None: the whole project). A first argument that is not a folder and looks like a file
    (it has a suffix) is a FILE; without PROJECT the project is found upward from `cwd`, or
    else from the first FILE. A FILE outside the project, or one that does not exist and is
    not a (deleted) entity file, is a usage error."""
    paths = list(files)
    if project is not None and not project.is_dir() and (project.suffix or project.is_file()):
        paths.insert(0, project)
        project = None
    if project is None:
        found = find_project(cwd)
        if found is None and paths:
            found = find_project((cwd / paths[0]).parent)
        if found is None:
            raise CxError(NOT_FOUND.format(here=cwd))
        project = shown_path(found, cwd)
    if not paths:
        return project, None
    base = os.path.abspath(cwd / project)
    selected = []
    for path in paths:
        rel = os.path.relpath(os.path.abspath(cwd / path), base)
        if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
            raise click.UsageError(f"'{path}' is not inside the project '{project}'")
        rel = Path(rel).as_posix()
        if not (cwd / path).exists() and entity_of(rel) is None:
            raise click.UsageError(_missing(path, base, cwd))
        selected.append(rel)
    return project, tuple(dict.fromkeys(selected))


def _missing(path: Path, base: str, cwd: Path) -> str:
    """The usage error for a FILE that is not there, and not the path of a deleted entity
    file (whose id may still be named elsewhere): with the path from the current folder when
    the FILE was written from the project's root (FILEs are relative to the current folder)."""
    message = f"'{path}' does not exist"
    meant = Path(base, path)
    if meant.exists():
        message += f" (did you mean '{Path(os.path.relpath(meant, cwd)).as_posix()}'?)"
    return message


def run_check(
    root: Path,
    *,
    strict: bool,
    files: tuple[str, ...] | None = None,
    session: Session | None = None,
) -> CheckReport:
    """Validate and lint the project at `root`; with `files` (paths relative to the root),
    show only their problems and those that involve them (validate/select.py). `session`:
    what an earlier build or check of this process read (`cxsite server` keeps it)."""
    if session is not None:
        session.as_of = None  # today's date, as a new process takes it; a build sets its own
    session = session or Session()
    kept_validation(root, session)
    result = load_project(root, session, workers=os.cpu_count() or 1)
    if files is None:
        return CheckReport(result, strict, root, None, list(result.problems))
    shown = select_problems(result.problems, root, files)
    return CheckReport(result, strict, root, files, shown)


def kept_validation(root: Path, session: Session) -> None:
    """Seed `session` with the file digests and validation tables the last build kept in
    the cache folder (signed, see validcache.py), so that unchanged files are neither read
    nor validated again. For the commands that validate but keep no validation tables of
    their own (`check`, `pdf`, `export`, `labels`, `diff`, serve's briefs)."""
    folder = usable_cache_dir(root) if root.is_dir() else None
    if folder is None or not folder.is_dir():
        return
    load_digests(session, folder)
    with long_lived_objects():
        validcache.restore(session, folder)


def validated(
    root: Path,
    *,
    strict: bool,
    report: Reporter,
    session: Session | None = None,
    workers: int = 1,
) -> CheckResult:
    """The first phase of `build`, `pdf` and `serve`: `require_valid`, with every problem
    line told to `report`, also when the project fails. The models it makes live as long as
    the command (long-lived objects: the collector would only walk them again and again)."""
    try:
        with long_lived_objects():
            result = require_valid(root, strict=strict, session=session, workers=workers)
    except ValidationFailed as failed:
        report.problems([problem.format() for problem in failed.problems])
        raise
    report.problems([problem.format() for problem in result.problems])
    return result
