"""Problems (errors and warnings with a position) and the one error hierarchy of cxsite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import click

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem at `path:line:col`, path relative to the project root."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def sort_key(self) -> tuple[int, str, int, int, str, str]:
        """Errors before warnings, then by file, line, column, code and message."""
        return (
            self.severity != "error",
            self.path,
            self.line,
            self.col,
            self.code,
            self.message,
        )

    def format(self) -> str:
        """The SPEC's one-line form: `file:line:col: error E201: message`."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code}: {self.message}"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in report order, duplicates removed."""
    return sorted(set(problems), key=Problem.sort_key)


class CxError(click.ClickException):
    """Base of every error cxsite reports to a user; exits with code 1."""

    exit_code = 1


class ValidationFailed(CxError):
    """The project has errors (or warnings under --strict)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        super().__init__(f"{errors} error(s), {warnings} warning(s)")
