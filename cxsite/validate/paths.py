"""Paths written in YAML (photos, logo, responses CSVs): relative, inside the project, real files.

A build never reads a file outside the project, so every path is resolved (symlinks
included) and must land inside the resolved project root.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cxsite.hints import closest
from cxsite.validate.raster import raster_refusal
from cxsite.validate.svg import svg_refusal

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class SafePath:
    """A checked path: the resolved file and its POSIX path relative to the project."""

    path: Path
    rel: str


@dataclass(frozen=True)
class PathError:
    """Why a path was refused: an E40x code and a message."""

    code: str
    message: str


def check_path(
    root: Path, text: str, suffixes: tuple[str, ...] = (), *, folder: bool = False
) -> SafePath | PathError:
    """Resolve `text` against the project root, refusing anything that leaves it.

    The result must be a regular file (with one of `suffixes` if given), or a folder when
    `folder` is true.
    """
    if not text.strip():
        return PathError("E403", "the path is empty")
    if text.startswith(("/", "\\")) or _URL.match(text):
        kind = "a URL" if _URL.match(text) and not re.match(r"^[a-zA-Z]:[\\/]", text) else None
        what = kind or "an absolute path"
        return PathError("E401", f"'{text}' is {what}: give a path relative to the project root")
    parts = PurePosixPath(text.replace("\\", "/")).parts
    depth = 0
    for part in parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return PathError("E402", f"'{text}' points outside the project (through '..')")
    real_root = root.resolve()
    candidate = root.joinpath(*parts)
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return PathError("E402", f"'{text}' cannot be resolved (a symlink loop?)")
    if not resolved.is_relative_to(real_root):
        return PathError("E402", f"'{text}' leads outside the project through a symlink")
    # os.path's tests, not Path's: a name too long for the file system is just not there
    if not os.path.exists(resolved):
        near = _nearest_path(root, parts)
        hint = f" (did you mean '{near}'?)" if near else ""
        return PathError("E403", f"{'folder' if folder else 'file'} not found: '{text}'{hint}")
    if folder:
        if not os.path.isdir(resolved):
            return PathError("E404", f"'{text}' is not a folder")
        return SafePath(resolved, resolved.relative_to(real_root).as_posix())
    if not os.path.isfile(resolved):
        return PathError("E404", f"'{text}' is not a regular file")
    if suffixes and candidate.suffix.lower() not in suffixes:
        return PathError(
            "E405", f"'{text}' should be a {' or '.join(s.lstrip('.') for s in suffixes)} file"
        )
    image = svg_refusal if candidate.suffix.lower() == ".svg" else raster_refusal
    refusal = image(resolved) if candidate.suffix.lower() in IMAGE_SUFFIXES else None
    if refusal:
        return PathError("E405", f"'{text}' {refusal}")
    return SafePath(resolved, resolved.relative_to(real_root).as_posix())


_LISTED = 2000  # names read from one folder for a suggestion, at most


def _nearest_path(root: Path, parts: tuple[str, ...]) -> str | None:
    """The existing path closest to one that was not found, part by part (`data/csat_visit.csv`
    -> `data/csat-visit.csv`); only folders inside the project are listed."""
    folder, found = root, []
    for part in parts:
        if part in ("", "."):
            continue
        if part == "..":
            return None
        if not os.path.exists(folder / part):
            try:
                with os.scandir(folder) as entries:
                    names = [e.name for _, e in zip(range(_LISTED), entries, strict=False)]
            except OSError:
                return None
            part = closest(part, [n for n in names if not n.startswith(".")]) or ""
            if not part:
                return None
        found.append(part)
        folder = folder / part
    return "/".join(found)


def check_tree(root: Path, folder: Path) -> list[tuple[str, PathError]]:
    """Every entry under `folder` (a theme) that leads outside the project or is not a file.

    Theme files are copied into the site or read as templates, so a symlink in a theme
    leading out (to /etc/passwd, to a sibling folder) would publish that file, and a FIFO
    or device would hang the build. Symlinks are never followed while walking.
    """
    real_root = root.resolve()
    found: list[tuple[str, PathError]] = []
    if not folder.is_dir() or folder.is_symlink():
        return found
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in sorted([*dirnames, *filenames]):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            try:
                resolved = path.resolve()
            except (OSError, RuntimeError):
                found.append(
                    (rel, PathError("E402", f"'{rel}' cannot be resolved (a symlink loop?)"))
                )
                continue
            if not resolved.is_relative_to(real_root):
                message = f"'{rel}' leads outside the project through a symlink"
                found.append((rel, PathError("E402", message)))
            elif not (resolved.is_file() or resolved.is_dir()):
                found.append((rel, PathError("E404", f"'{rel}' is not a regular file")))
    return found
