"""Finding the entity files of a project: ids from file names, ignored and refused files."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from cxsite.model import KINDS
from cxsite.model.fields import ID_PATTERN, MAX_ID
from cxsite.problems import Problem

ID_RE = re.compile(rf"^[a-z][a-z0-9-]{{0,{MAX_ID - 1}}}$")
_SHAPE = re.compile(ID_PATTERN)
YAML_SUFFIXES = (".yaml", ".yml")
# An entity's page is `<kind>/<id>.html`, beside the list of its kind, `<kind>/index.html`
# (site/pages.py); every other page, file and folder of a site lies outside the kind folders.
RESERVED_IDS = frozenset({"index"})


@dataclass(frozen=True)
class EntityFile:
    """One entity file: its kind folder, id (the stem), path and POSIX path from the root."""

    kind: str
    id: str
    path: Path
    rel: str


def _silently_ignored(name: str) -> bool:
    """Hidden files and editor leftovers (`.#x`, `#x#`, `x~`, `.swp`) are nobody's content."""
    return (
        name.startswith((".", "#"))
        or name.endswith(("~", ".swp", ".swo", ".bak", ".orig", ".tmp"))
        or name in ("Thumbs.db", "desktop.ini")
    )


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):
        return False


def discover(root: Path) -> tuple[list[EntityFile], list[Problem]]:
    """Every entity file with a valid id, and the problems of the other files found."""
    files: list[EntityFile] = []
    problems: list[Problem] = []
    real_root = root.resolve()
    for kind in KINDS:
        folder = root / kind
        if not folder.is_dir():
            if folder.is_symlink() and not folder.exists():  # dangling, or a loop
                problems.append(Problem(kind, 1, 1, "error", "E113", "broken symlink"))
            elif folder.exists():
                problems.append(Problem(kind, 1, 1, "error", "E116", f"'{kind}' must be a folder"))
            continue
        if not _inside(folder, real_root):
            # One line for the folder, not one per file: none of them is read.
            message = f"'{kind}' is a symlink leading outside the project"
            problems.append(Problem(kind, 1, 1, "error", "E402", message))
            continue
        groups: dict[str, list[tuple[str, str, Path, bool]]] = {}
        # os.scandir: the entry types come with the listing, not one stat call each.
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            # A file name that is not valid UTF-8 is shown with U+FFFD, never crashes output.
            name = entry.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            rel = f"{kind}/{name}"
            if _silently_ignored(name):
                continue
            link = entry.is_symlink()
            if link and not os.path.exists(entry.path):
                problems.append(Problem(rel, 1, 1, "error", "E113", "broken symlink"))
                continue
            if not entry.is_dir() and not entry.is_file():
                # A FIFO or a device would block or never end: never open one.
                message = "not a regular file"
                problems.append(Problem(rel, 1, 1, "error", "E113", message))
                continue
            if entry.is_dir():
                message = f"folder ignored: put {kind} files directly in {kind}/"
                problems.append(Problem(rel, 1, 1, "warning", "W521", message))
                continue
            stem, dot, suffix = name.rpartition(".")
            if not dot or f".{suffix}" not in YAML_SUFFIXES:
                message = "file ignored: not a .yaml or .yml file"
                problems.append(Problem(rel, 1, 1, "warning", "W520", message))
                continue
            groups.setdefault(stem.casefold(), []).append((stem, name, folder / entry.name, link))
        for group in groups.values():
            # The file with a valid name (and .yaml before .yml) is the one kept, so that
            # references to its id do not cascade into more errors.
            group.sort(key=lambda item: (not ID_RE.match(item[0]), item[1].endswith(".yml")))
            kept_stem, kept_name, kept_path, kept_link = group[0]
            for stem, name, _, _ in group[1:]:
                same = "the same id" if stem == kept_stem else "ids differing only by case"
                message = f"'{name}' and '{kept_name}' give {same}: keep one"
                problems.append(Problem(f"{kind}/{name}", 1, 1, "error", "E115", message))
            rel = f"{kind}/{kept_name}"
            for stem, name, _, _ in group:
                if not ID_RE.match(stem):
                    problems.append(
                        Problem(f"{kind}/{name}", 1, 1, "error", "E114", _bad_name(name))
                    )
            if not ID_RE.match(kept_stem):
                continue
            if why := reserved(kept_stem, kind):  # read all the same: no cascade of E3xx
                other = f"{other_id(kept_stem, kind)}.{kept_name.rpartition('.')[2]}"
                message = f"bad file name '{kept_name}': {why}; rename the file, e.g. '{other}'"
                problems.append(Problem(rel, 1, 1, "error", "E114", message))
            # The folder is inside the project: only a symlink can lead out of it.
            if kept_link and not _inside(kept_path, real_root):
                message = "the file is a symlink leading outside the project"
                problems.append(Problem(rel, 1, 1, "error", "E402", message))
                continue
            files.append(EntityFile(kind, kept_stem, kept_path, rel))
    files.sort(key=lambda f: (f.kind, f.id))
    return files, problems


def entity_ids(files: list[EntityFile]) -> dict[str, set[str]]:
    """The ids of the entity files, by kind (every kind, also one without files)."""
    return {kind: {f.id for f in files if f.kind == kind} for kind in KINDS}


def long_id(text: str) -> str | None:
    """Why `text`, an id by its letters, is not one by its length; None if it is not that."""
    if len(text) > MAX_ID and _SHAPE.match(text):
        return f"an id is at most {MAX_ID} characters, this one has {len(text):,}"
    return None


def id_advice(text: str, example: str) -> str:
    """What to do about `text`, not an id: shorten it, or use an id's letters (`example`)."""
    return long_id(text) or (
        f"use lowercase letters, digits and hyphens, starting with a letter (e.g. '{example}')"
    )


def reserved(text: str, kind: str) -> str | None:
    """Why `text` cannot be the id of an entity of `kind` (`personas`): its page would
    replace a page of the site; None if it can."""
    if text not in RESERVED_IDS:
        return None
    return (
        f"the id '{text}' is reserved: its page would replace the list of {kind} "
        f"({kind}/{text}.html)"
    )


def other_id(text: str, kind: str) -> str:
    """An id to take instead of the reserved `text`: `persona-index`."""
    return f"{kind.removesuffix('s')}-{text}"


def _bad_name(name: str) -> str:
    stem, _, suffix = name.rpartition(".")
    too_long = long_id(stem)
    if too_long:
        return f"bad file name '{name}': {too_long}"
    return (
        f"bad file name '{name}': an id is lowercase letters, digits and hyphens, "
        f"starting with a letter (e.g. '{_suggest(stem)}.{suffix}')"
    )


def _suggest(stem: str) -> str:
    """A valid id close to a bad file stem: `Maya Chen` -> `maya-chen`."""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.casefold()).strip("-")
    slug = re.sub(r"^[^a-z]+", "", slug)
    return slug or "my-id"
