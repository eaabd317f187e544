"""Problems (errors and warnings with a position) and the one error hierarchy of cxsite."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import click

from cxsite.english import counted

log = logging.getLogger(__name__)

Severity = Literal["error", "warning"]

# Everything `str.splitlines` breaks a line at, the other control characters, the
# bidirectional formatting characters (which could make a line read other than it is), and
# the invisible ones (soft hyphen, zero-width space and joiners, word joiner, BOM), which
# would make a value look like another.
_BREAKS = re.compile(
    r"[\x00-\x1f\x7f-\x9f\xad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060"
    r"\u2066-\u2069\ufeff]"
)


def one_line(text: str) -> str:
    """`text` with line breaks, control and bidi characters written as escapes (`\\n`)."""
    return _BREAKS.sub(lambda m: repr(m.group())[1:-1], text)


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
        where = f"{one_line(self.path)}:{self.line}:{self.col}"
        return f"{where}: {self.severity} {self.code}: {one_line(self.message)}"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in report order, duplicates removed."""
    return sorted(set(problems), key=Problem.sort_key)


class CxError(click.ClickException):
    """Base of every error cxsite reports to a user; exits with code 1."""

    exit_code = 1

    def format_message(self) -> str:
        """The message with control and bidi characters of any value in it as escapes (a
        bell or an escape sequence in an id reached the terminal), line by line."""
        return "\n".join(one_line(line) for line in self.message.split("\n"))


class ValidationFailed(CxError):
    """The project has errors (or warnings under --strict)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        super().__init__(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}")


class BuildFailed(CxError):
    """Something went wrong after validation; the previous output is left as it was."""


class BriefsFailed(CxError):
    """The PDF briefs could not be built; the previous briefs are left as they were."""


class OutputRefused(CxError):
    """The output folder is one cxsite must never replace."""


@contextmanager
def error_boundary(error: type[CxError], message: str) -> Iterator[None]:
    """The one place an unexpected exception becomes a user-facing line: `error(message)`
    with `{reason}` filled in, the details in the debug log. CxError and Ctrl+C pass."""
    try:
        yield
    except (CxError, KeyboardInterrupt):
        raise
    except Exception as exc:
        log.debug("%s", error.__name__, exc_info=True)
        reason = str(exc) or type(exc).__name__
        raise error(message.format(reason=reason)) from exc
