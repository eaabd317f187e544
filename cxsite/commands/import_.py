"""`cxsite import`: write the YAML files a sheet gives, all of them or none."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from cxsite.commands.check import kept_validation
from cxsite.gcpause import collection_paused
from cxsite.interop.aswritten import check_as_written
from cxsite.interop.importing import ImportOptions, plan_import
from cxsite.interop.rows import ImportFailed, Planned
from cxsite.problems import CxError
from cxsite.session import Session
from cxsite.write.userfiles import write_text_files

__all__ = ["ImportFailed", "ImportOptions", "Imported", "run_import"]


@dataclass(frozen=True)
class Imported:
    """What an import wrote."""

    files: tuple[Planned, ...]
    root: Path  # the project as the command line gave it (or as found from the current folder)

    def lines(self) -> list[str]:
        """One line per file written: its path from the current folder, as `new` says it,
        and where its data (and id) came from."""
        return [f"Wrote {(self.root / f.rel).as_posix()} ({f.note})" for f in self.files]


def _folder(root: Path, folder: Path, made: list[Path]) -> None:
    """`folder` made if it is missing (each folder made is added to `made`), refused if it
    leads outside the project (a symlinked folder) or is a file."""
    if not folder.resolve().is_relative_to(root.resolve()):
        rel = folder.relative_to(root).as_posix()
        raise CxError(f"refusing to write into {rel}: the folder leads outside the project")
    missing = [f for f in (folder, *folder.parents) if not f.exists() and not f.is_symlink()]
    for parent in reversed(missing):
        try:
            parent.mkdir()
        except OSError as exc:
            raise CxError(f"nothing written: cannot make {parent}: {exc.strerror or exc}") from None
        made.append(parent)
    if not folder.is_dir():
        raise CxError(f"nothing written: {folder} is a file, not a folder")


def _target(root: Path, planned: Planned) -> Path:
    """Where `planned` goes: a file or nothing yet, never a link leading out of the project."""
    target = root / planned.rel
    try:
        if target.is_symlink() and not target.resolve().is_relative_to(root.resolve()):
            raise CxError(
                f"refusing to write {planned.rel}: it is a link leading outside the project"
            )
        if target.exists() and not target.is_file():
            what = "a folder" if target.is_dir() else "not a regular file"
            raise CxError(f"nothing written: {target} is {what}")
    except OSError as exc:  # a path longer than the system allows (a very deep project folder)
        raise CxError(f"nothing written: cannot write {planned.rel}: {exc.strerror}") from None
    return target


def _write(root: Path, planned: list[Planned], label: str) -> None:
    """Every file, or none: each folder checked (and made) and each target checked first,
    then the project as it would be (`check_as_written`), then all written to temporary
    files and renamed into place (`write_text_files`); on a failure the folders made are
    removed again, so the project is as it was."""
    made: list[Path] = []
    try:
        for folder in sorted({(root / p.rel).parent for p in planned}):
            _folder(root, folder, made)
        texts = {_target(root, p): p.text for p in planned}
        session = Session()
        kept_validation(root, session)  # what the last build validated is not read again
        check_as_written(root, planned, label, session)
        try:
            write_text_files(texts)
        except OSError as exc:
            raise CxError(
                f"nothing written: cannot write {exc.filename}: {exc.strerror or exc}"
            ) from None
    except BaseException:
        for folder in reversed(made):
            with suppress(OSError):
                folder.rmdir()
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
            problems, elsewhere = exc.problems, exc.elsewhere
        else:
            problems = []
    if problems:  # raised afresh, so the rows its traceback held are gone before a collection
        raise ImportFailed(problems, elsewhere)
    existing = [p.rel for p in planned if p.replaces]
    if existing and not force:
        shown = ", ".join(existing[:5]) + (
            f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        )
        what = "would be replaced" if kind == "values" else "already exist"
        if len(existing) == 1 and kind != "values":
            what = "already exists"
        if kind == "values":
            shown += " (its values or responses)"
        raise CxError(f"nothing written: {shown} {what}; use --force to overwrite")
    _write(root, planned, str(file))
    return Imported(tuple(planned), root)
