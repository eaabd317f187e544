"""Checks of one file against the rest of the project: references, channels, paths, data.

`load_project` runs them on every file that gave a model, whole or partial (a file with
schema errors, validate/partial.py), with the marks of that model.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from cxsite.load.reader import Marks, position
from cxsite.metricdata.header import map_problems
from cxsite.metricdata.read import read_metric_data
from cxsite.metricdata.types import MetricData
from cxsite.model import BUILTIN_CHANNELS, Config, Metric, Persona
from cxsite.problems import Problem
from cxsite.session import Memo
from cxsite.validate.evidence import check_evidence_refs
from cxsite.validate.gaps import FileGaps
from cxsite.validate.paths import IMAGE_SUFFIXES, PathError, SafePath, check_path, check_tree
from cxsite.validate.refs import Known, check_refs


def channels(config: Config | None, raw: Any) -> tuple[str, ...]:
    """Allowed channels; from the raw YAML when the config itself is invalid."""
    if config is not None:
        return config.all_channels()
    extra = raw.get("channels") if isinstance(raw, dict) else None
    names = tuple(c for c in extra if isinstance(c, str)) if isinstance(extra, list) else ()
    return BUILTIN_CHANNELS + names


DATA_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def check_file_path(
    root: Path, text: str, rel: str, marks: Marks, key: tuple[str, ...], suffixes: tuple[str, ...]
) -> tuple[SafePath | None, list[Problem]]:
    """The safe path a YAML value names, or the E4xx problem at its key."""
    checked = check_path(root, text, suffixes)
    if isinstance(checked, PathError):
        line, col = position(marks, key)
        return None, [Problem(rel, line, col, "error", checked.code, checked.message)]
    return checked, []


def check_config(
    root: Path,
    config: Config,
    known: Known,
    rel: str,
    marks: Marks,
    gaps: FileGaps = frozenset(),
) -> list[Problem]:
    """The config's references (brief subjects, brief ids) and paths (theme, logo); `gaps`:
    those of a partial model."""
    problems = check_refs(config, known, rel, marks, gaps)
    if config.theme != "default":
        checked = check_path(root, config.theme, folder=True)
        if isinstance(checked, SafePath) and not (checked.path / "templates").is_dir():
            checked = PathError("E404", f"theme '{config.theme}' has no templates/ folder")
        if isinstance(checked, PathError):
            line, col = position(marks, ("theme",))
            problems.append(Problem(rel, line, col, "error", checked.code, checked.message))
    themes = {(root / "theme").resolve(): root / "theme"}
    if config.theme != "default":
        theme = root / config.theme
        if theme.resolve().is_relative_to(root.resolve()):
            themes.setdefault(theme.resolve(), theme)
    for folder in themes.values():
        for theme_rel, error in check_tree(root, folder):
            problems.append(Problem(theme_rel, 1, 1, "error", error.code, error.message))
    if config.brand.logo is not None:
        problems += check_file_path(
            root, config.brand.logo, rel, marks, ("brand", "logo"), IMAGE_SUFFIXES
        )[1]
    return problems


def check_entity(
    root: Path,
    entity: Any,
    rel: str,
    marks: Marks,
    known: Known,
    gaps: FileGaps = frozenset(),
) -> list[Problem]:
    """An entity's references, channels and (a persona's photo) paths; `gaps`: those of a
    partial model."""
    problems = check_refs(entity, known, rel, marks, gaps)
    problems += check_evidence_refs(entity, known, rel, marks)
    if isinstance(entity, Persona) and entity.photo is not None:
        problems += check_file_path(root, entity.photo, rel, marks, ("photo",), IMAGE_SUFFIXES)[1]
    return problems


def metric_data(
    root: Path,
    metric: Metric,
    rel: str,
    marks: Marks,
    known: tuple[dict[str, Collection[str]], str],
    memo: Memo[Any, Any] | None = None,
    digests: Memo[str, Any] | None = None,
) -> tuple[MetricData, list[Problem]]:
    """A metric's series (its `values`, or its responses CSV aggregated) and their problems;
    `known`: `Known.data_ids()`; `memo` and `digests`: a session's `responses` and
    `digests`."""
    problems: list[Problem] = []
    csv: SafePath | None = None
    if metric.responses is not None:
        csv, problems = check_file_path(
            root, metric.responses.file, rel, marks, ("responses", "file"), DATA_SUFFIXES
        )
    data, found = read_metric_data(
        root,
        metric,
        yaml_rel=rel,
        marks=marks,
        csv_path=csv.path if csv else None,
        csv_rel=csv.rel if csv else None,
        known=known[0],
        memo=memo,
        digests=digests,
        known_key=known[1],
    )
    return data, problems + found


def unread_responses(
    root: Path,
    metric: Metric,
    rel: str,
    marks: Marks,
    known: tuple[dict[str, Collection[str]], str],
    file_read: bool,
) -> list[Problem]:
    """What can be checked of responses whose data is not read (settings in error): the ids
    under `map`, and the file's path when it was read (`file_read`)."""
    if metric.responses is None:
        return []
    problems = map_problems(metric.responses, known[0], rel, marks)
    if file_read:
        file = metric.responses.file
        problems += check_file_path(root, file, rel, marks, ("responses", "file"), DATA_SUFFIXES)[1]
    return problems
