"""`cxsite check`: validate and lint a project without building anything.

This is the build's first phase alone (`validated` is that phase for the other commands);
the result says what to print and whether the command fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cxsite.commands.report import Reporter
from cxsite.problems import ValidationFailed
from cxsite.session import Session
from cxsite.validate.project import CheckResult, load_project, require_valid


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class CheckReport:
    """The outcome of `cxsite check`: every problem, and the verdict under --strict or not."""

    result: CheckResult
    strict: bool

    @property
    def failed(self) -> bool:
        """Whether the command exits with 1."""
        return self.result.fails(self.strict)

    def lines(self) -> list[str]:
        """The problem lines, in report order."""
        return [problem.format() for problem in self.result.problems]

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
                for p in self.result.problems
            ],
            "errors": self.result.errors,
            "warnings": self.result.warnings,
        }
        return json.dumps(document, indent=2, ensure_ascii=False)

    def summary(self) -> str:
        """The one-line verdict (`cxsite check failed: 1 error, 0 warnings (5 files)`)."""
        files = _plural(self.result.files, "file")
        if not self.result.problems:
            return f"cxsite check: no problems ({files})"
        verdict = "failed" if self.failed else "passed"
        counts = (
            f"{_plural(self.result.errors, 'error')}, {_plural(self.result.warnings, 'warning')}"
        )
        return f"cxsite check {verdict}: {counts} ({files})"


def run_check(root: Path, *, strict: bool) -> CheckReport:
    """Validate and lint the project at `root`."""
    return CheckReport(load_project(root), strict)


def validated(
    root: Path, *, strict: bool, report: Reporter, session: Session | None = None
) -> CheckResult:
    """The first phase of `build`, `pdf` and `serve`: `require_valid`, with every problem
    line told to `report`, also when the project fails."""
    try:
        result = require_valid(root, strict=strict, session=session)
    except ValidationFailed as failed:
        report.problems([problem.format() for problem in failed.problems])
        raise
    report.problems([problem.format() for problem in result.problems])
    return result
