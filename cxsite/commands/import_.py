"""`cxsite import`: write the YAML files a sheet gives, all of them or none."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cxsite.commands.gcpause import collection_paused
from cxsite.interop.importing import ImportOptions, plan_import
from cxsite.interop.rows import ImportFailed, Planned
from cxsite.problems import CxError

__all__ = ["ImportFailed", "ImportOptions", "Imported", "run_import"]


@dataclass(frozen=True)
class Imported:
    """What an import wrote."""

    files: tuple[Planned, ...]

    def lines(self) -> list[str]:
        """One line per file written: its path and where its data (and id) came from."""
        return [f"Wrote {f.rel} ({f.note})" for f in self.files]


def _write(root: Path, planned: Planned) -> None:
    """One file, replaced atomically; never outside the project (a symlinked folder)."""
    target = root / planned.rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.resolve().is_relative_to(root.resolve()):
        raise CxError(f"refusing to write {planned.rel}: its folder leads outside the project")
    fd, temp = tempfile.mkstemp(prefix=".import-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(planned.text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@contextmanager
def _no_collection() -> Iterator[None]:
    """Around reading a sheet: its rows stay until the last one is checked (nothing is
    written unless every row is good), a million small objects that every collection would
    walk again and again (a third of the time of a 100,000-row import); none of them is
    garbage, so the collector waits until the sheet is planned."""
    with collection_paused():
        yield


def run_import(
    kind: str, file: Path, root: Path, *, force: bool, options: ImportOptions
) -> Imported:
    """Read `file` as `kind`, check it, and write its YAML into the project at `root`."""
    with _no_collection():
        try:
            planned = plan_import(kind, file, root, options)
        except ImportFailed as exc:
            problems = exc.problems
        else:
            problems = []
    if problems:  # raised afresh, so the rows its traceback held are gone before a collection
        raise ImportFailed(problems)
    existing = [p.rel for p in planned if p.replaces]
    if existing and not force:
        shown = ", ".join(existing[:5]) + (
            f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        )
        what = "would be replaced" if kind == "values" else "already exist"
        if kind == "values":
            shown += " (its values or responses)"
        raise CxError(f"nothing written: {shown} {what}; use --force to overwrite")
    for item in planned:
        _write(root, item)
    return Imported(tuple(planned))
