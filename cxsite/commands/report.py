"""What a command tells the person running it while it works: a `Reporter` the CLI passes in.

The commands never print on their own; they call a reporter, and the CLI's reporter prints
(progress on stderr, problem lines on stdout). `SILENT` says nothing, for callers from
Python and for tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol


class Reporter(Protocol):
    """Progress steps, a page counter and problem lines, as a command produces them."""

    def step(self, message: str) -> None:
        """One progress step ("Validating", "Drawing 26 charts")."""

    def pages(self, total: int) -> AbstractContextManager[Callable[[str], None] | None]:
        """Around rendering `total` pages: a function to call per page, or None."""

    def problems(self, lines: Sequence[str]) -> None:
        """Problem lines (`file:line:col: severity code: message`), in report order."""


class Silent:
    """A reporter that says nothing."""

    def step(self, message: str) -> None:
        """Say nothing."""

    @contextmanager
    def pages(self, total: int) -> Iterator[None]:
        """No page counter."""
        yield None

    def problems(self, lines: Sequence[str]) -> None:
        """Say nothing."""


class ProblemsOnly:
    """`reporter`'s problem lines, without its progress (a build under `serve`)."""

    def __init__(self, reporter: Reporter):
        self._reporter = reporter

    def step(self, message: str) -> None:
        """No progress."""

    @contextmanager
    def pages(self, total: int) -> Iterator[None]:
        """No page counter."""
        yield None

    def problems(self, lines: Sequence[str]) -> None:
        """Passed on."""
        self._reporter.problems(lines)


SILENT = Silent()


def briefs_step(report: Reporter) -> Callable[[int, int], None]:
    """The progress step of the PDF briefs, for `render_briefs`' `told`: how many are laid
    out, how many kept unchanged."""

    def counted(count: int) -> str:
        return f"{count} PDF brief" + ("" if count == 1 else "s")

    def told(laid_out: int, kept: int) -> None:
        if not laid_out:
            report.step(f"Keeping {counted(kept)}, unchanged")
        else:
            report.step(f"Rendering {counted(laid_out)}" + (f" ({kept} unchanged)" if kept else ""))

    return told
