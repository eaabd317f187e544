"""`cxsite check FILE...` (SPEC 8.16): the problems of some files of a checked project.

The whole project is always checked; this picks the problems a reader of those files must
see: the problems in them, and the problems elsewhere that involve them:

- a reference to an unknown id (`unknown touchpoint 'chekout' (did you mean 'checkout'?)`)
  naming, or suggesting, the id of one of the files (so checking a renamed or deleted file
  shows what still points at its old id);
- a lint warning counted across files, when a file of the kind it counts is selected:
  W503 and W504 (a persona or touchpoint in no journey) with a journey, W509 (a moment of
  truth without a metric) with a metric;
- the rules cxsite.yaml configures (channels, evidence age, review period, owners) with it;
- the problems in a data file (a responses CSV) read by a selected metric.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from cxsite.load.projectroot import CONFIG_FILE
from cxsite.load.reader import load_yaml
from cxsite.model import KINDS
from cxsite.problems import Problem

# Warnings at one file whose truth depends on every file of these kinds.
COUNTED_ACROSS: dict[str, frozenset[str]] = {
    "W503": frozenset({"journeys"}),
    "W504": frozenset({"journeys"}),
    "W509": frozenset({"metrics"}),
}
# Problems whose rule cxsite.yaml sets (channels, stale_after_months, review_every_months,
# require_owners).
CONFIGURED = frozenset({"E208", "W508", "W512", "W513"})
# `unknown persona 'mya' (did you mean 'maya'?)`: the kind's word, the id, the suggestion.
_UNKNOWN = re.compile(r"unknown (\w+) '([^']*)'(?: \(did you mean '([^']*)'\?\))?")
_WORDS = {kind.rstrip("s"): kind for kind in KINDS} | {kind: kind for kind in KINDS}


def entity_of(rel: str) -> tuple[str, str] | None:
    """(kind, id) of an entity file path such as `personas/maya.yaml`, relative to the
    project root (whether or not the file exists: a deleted file's id is still named)."""
    parts = PurePosixPath(rel).parts
    if len(parts) == 2 and parts[0] in KINDS and parts[1].endswith((".yaml", ".yml")):
        return parts[0], PurePosixPath(parts[1]).stem
    return None


def _data_files(root: Path, metric_files: Iterable[str]) -> set[str]:
    """The data files (responses) the given metric files read, as written in them."""
    found = set()
    for rel in metric_files:
        loaded, _ = load_yaml(root / rel, rel)
        data: Any = loaded.data if loaded is not None else None
        responses = data.get("responses") if isinstance(data, dict) else None
        if isinstance(responses, dict):
            responses = responses.get("file")
        if isinstance(responses, str):
            found.add(posixpath.normpath(responses.replace("\\", "/")))
    return found


def _with_kinds(selected: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, path) of every selected entity file."""
    return [(e[0], rel) for rel in selected if (e := entity_of(rel)) is not None]


def _expand(root: Path, selected: Sequence[str]) -> list[str]:
    """The selected paths, with the files inside each selected folder (hidden ones left
    out, as discovery leaves them out) and cxsite.yaml for the whole project (`.`)."""
    files = []
    for rel in selected:
        folder = root / rel
        if not folder.is_dir():
            files.append(rel)
            continue
        for path in sorted(folder.rglob("*")):
            inner = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") for part in inner.parts):
                files.append(inner.as_posix())
    return files


def _under(rel: str, selected: Sequence[str]) -> bool:
    """Whether `rel` is one of the selected paths or inside a selected folder."""
    return any(rel == s or rel.startswith(s.rstrip("/") + "/") or s == "." for s in selected)


def select_problems(
    problems: Sequence[Problem], root: Path, selected: Sequence[str]
) -> list[Problem]:
    """The problems of `selected` (paths or folders relative to the root, POSIX) and the
    problems elsewhere that involve them (see the module doc), in their order."""
    files = _expand(root, selected)
    entities = [e for rel in files if (e := entity_of(rel)) is not None]
    kinds = {kind for kind, _ in entities}
    ids = {(kind, entity_id) for kind, entity_id in entities}
    config = CONFIG_FILE in files
    data = _data_files(root, [rel for kind, rel in _with_kinds(files) if kind == "metrics"])

    def involved(problem: Problem) -> bool:
        return (
            _under(problem.path, selected)
            or bool(COUNTED_ACROSS.get(problem.code, frozenset()) & kinds)
            or (problem.code in CONFIGURED and config)
            or problem.path in data
            or _names_one_of(problem.message, ids)
        )

    return [problem for problem in problems if involved(problem)]


def _names_one_of(message: str, ids: set[tuple[str, str]]) -> bool:
    """Whether an "unknown <kind> '<id>'" message names or suggests one of `ids`."""
    for word, typed, suggested in _UNKNOWN.findall(message):
        kind = _WORDS.get(word)
        if kind and ((kind, typed) in ids or (kind, suggested) in ids):
            return True
    return False
