"""Validation of a whole project: every file loaded, checked against the model, cross-checked.

`load_project` collects every problem in every file and never raises for content problems;
`require_valid` is what build, serve and pdf call first; `run_check` is `cxsite check`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from pydantic import BaseModel, ValidationError

from cxsite.load.asof import as_of_date
from cxsite.load.discover import EntityFile, discover
from cxsite.load.reader import Marks, load_yaml, position
from cxsite.metricdata.read import read_metric_data
from cxsite.metricdata.types import MetricData
from cxsite.model import BUILTIN_CHANNELS, KINDS, Config, Metric, Persona, Project
from cxsite.problems import CxError, Problem, ValidationFailed, sort_problems
from cxsite.session import Memo, Session
from cxsite.validate.lint import lint_project
from cxsite.validate.paths import IMAGE_SUFFIXES, PathError, SafePath, check_path, check_tree
from cxsite.validate.refs import Known, check_refs
from cxsite.validate.schema_errors import model_problems

CONFIG_FILE = "cxsite.yaml"


@dataclass(frozen=True)
class CheckResult:
    """Everything validation learnt: the project (None if any error), data, marks, problems."""

    project: Project | None
    metric_data: Mapping[str, MetricData] = field(default_factory=dict)
    marks: Mapping[str, Marks] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0  # YAML files read, for the summary line

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(p.severity == "warning" for p in self.problems)


def _validate_loaded(
    model: type[BaseModel],
    loaded: Any,
    rel: str,
    memo: Memo[Any, Any],
    entity_id: str | None = None,
) -> tuple[Any, list[Problem]]:
    """`_validate` of a parsed file, remembered in `memo` (a session's `validated`, by model,
    file and id, with the parsed file it came from) while the file's bytes stay the same:
    load_yaml returns the very same `Loaded` object for unchanged bytes. Models are frozen."""
    key = (model.__name__, rel, entity_id)
    found = memo.get(key)
    if found is None or found[0] is not loaded:
        found = memo.put(
            key, (loaded, *_validate(model, loaded.data, rel, loaded.marks, entity_id))
        )
    return found[1], list(found[2])


def _validate(
    model: type[BaseModel], data: Any, rel: str, marks: Marks, entity_id: str | None = None
) -> tuple[Any, list[Problem]]:
    """The model instance (or None) and the problems of one file's data."""
    problems: list[Problem] = []
    if entity_id is not None:
        if "id" in data:
            line, col = position(marks, ("id",))
            message = "unknown key 'id' (the id comes from the file name)"
            problems.append(Problem(rel, line, col, "error", "E201", message))
        data = {**{k: v for k, v in data.items() if k != "id"}, "id": entity_id}
    try:
        return model.model_validate(data), problems
    except ValidationError as exc:
        return None, problems + model_problems(exc, model, data, rel, marks)


def _channels(config: Config | None, raw: Any) -> tuple[str, ...]:
    """Allowed channels; from the raw YAML when the config itself is invalid."""
    if config is not None:
        return config.all_channels()
    extra = raw.get("channels") if isinstance(raw, dict) else None
    names = tuple(c for c in extra if isinstance(c, str)) if isinstance(extra, list) else ()
    return BUILTIN_CHANNELS + names


def _check_file_path(
    root: Path, text: str, rel: str, marks: Marks, key: tuple[str, ...], suffixes: tuple[str, ...]
) -> tuple[SafePath | None, list[Problem]]:
    checked = check_path(root, text, suffixes)
    if isinstance(checked, PathError):
        line, col = position(marks, key)
        return None, [Problem(rel, line, col, "error", checked.code, checked.message)]
    return checked, []


def load_project(root: Path, session: Session | None = None) -> CheckResult:
    """Load, validate and lint the project at `root`, collecting every problem.

    `session` keeps parsed and validated files for the next call (a new one when None)."""
    root = Path(root)
    session = session or Session()
    if not (root / CONFIG_FILE).is_file():
        where = "does not exist" if not root.exists() else f"has no {CONFIG_FILE}"
        raise CxError(f"{root} {where}: not a cxsite project (start one with 'cxsite init DIR')")
    if not (root / CONFIG_FILE).resolve().is_relative_to(root.resolve()):
        message = "cxsite.yaml is a symlink leading outside the project"
        return CheckResult(None, {}, {}, [Problem(CONFIG_FILE, 1, 1, "error", "E402", message)], 1)
    problems: list[Problem] = []
    all_marks: dict[str, Marks] = {}

    # Phase 1: every file on its own (YAML, then the model).
    loaded_config, found = load_yaml(root / CONFIG_FILE, CONFIG_FILE, session.parsed)
    problems += found
    config: Config | None = None
    if loaded_config is not None:
        all_marks[CONFIG_FILE] = loaded_config.marks
        config, found = _validate_loaded(Config, loaded_config, CONFIG_FILE, session.validated)
        problems += found
    files, found = discover(root)
    problems += found
    entities, found = _load_entities(files, all_marks, session)
    problems += found

    # Phase 2: across files (references, channels, paths, metric data). Ids of files that
    # failed phase 1 still count as known, so one broken file does not cascade.
    known = Known(
        ids={kind: {f.id for f in files if f.kind == kind} for kind in KINDS},
        channels=_channels(config, loaded_config.data if loaded_config else None),
    )
    if config is not None:
        problems += _check_config(root, config, known, all_marks[CONFIG_FILE])
    metric_data: dict[str, MetricData] = {}
    for kind in KINDS:
        for entity, entity_file in entities[kind].values():
            marks = all_marks[entity_file.rel]
            problems += check_refs(entity, known, entity_file.rel, marks)
            if isinstance(entity, Persona) and entity.photo is not None:
                problems += _check_file_path(
                    root, entity.photo, entity_file.rel, marks, ("photo",), IMAGE_SUFFIXES
                )[1]
            if isinstance(entity, Metric):
                metric_data[entity.id], found = _metric_data(
                    root, entity, entity_file, marks, known, session.responses
                )
                problems += found

    # Phase 3: a consistent project, and the lint warnings about it.
    project = None
    if config is not None and not any(p.severity == "error" for p in problems):
        project = Project(
            root=root,
            config=config,
            personas={i: e for i, (e, _) in sorted(entities["personas"].items())},
            journeys={i: e for i, (e, _) in sorted(entities["journeys"].items())},
            touchpoints={i: e for i, (e, _) in sorted(entities["touchpoints"].items())},
            metrics={i: e for i, (e, _) in sorted(entities["metrics"].items())},
            sources=dict(sorted(_sources(files).items())),
        )
        as_of = session.as_of or as_of_date(root)
        problems += list(lint_project(project, all_marks, metric_data, as_of))
    return CheckResult(project, metric_data, all_marks, sort_problems(problems), 1 + len(files))


def _load_entities(
    files: list[EntityFile], all_marks: dict[str, Marks], session: Session
) -> tuple[dict[str, dict[str, tuple[Any, EntityFile]]], list[Problem]]:
    """Every entity file parsed and validated; marks are added to `all_marks`."""
    problems: list[Problem] = []
    entities: dict[str, dict[str, tuple[Any, EntityFile]]] = {kind: {} for kind in KINDS}
    for entity_file in files:
        loaded, found = load_yaml(entity_file.path, entity_file.rel, session.parsed)
        problems += found
        if loaded is None:
            continue
        all_marks[entity_file.rel] = loaded.marks
        model = KINDS[entity_file.kind]
        entity, found = _validate_loaded(
            model, loaded, entity_file.rel, session.validated, entity_file.id
        )
        problems += found
        if entity is not None:
            entities[entity_file.kind][entity_file.id] = (entity, entity_file)
    return entities, problems


def _sources(files: list[EntityFile]) -> dict[str, str]:
    """`personas/maya-chen` style keys (and `cxsite`) -> file path relative to the root."""
    sources = {"cxsite": CONFIG_FILE}
    sources.update({f"{f.kind}/{f.id}": f.rel for f in files})
    return sources


def _check_config(root: Path, config: Config, known: Known, marks: Marks) -> list[Problem]:
    """The config's references (brief subjects, brief ids) and paths (theme, logo)."""
    problems = check_refs(config, known, CONFIG_FILE, marks)
    if config.theme != "default":
        checked = check_path(root, config.theme, folder=True)
        if isinstance(checked, SafePath) and not (checked.path / "templates").is_dir():
            checked = PathError("E404", f"theme '{config.theme}' has no templates/ folder")
        if isinstance(checked, PathError):
            line, col = position(marks, ("theme",))
            problems.append(Problem(CONFIG_FILE, line, col, "error", checked.code, checked.message))
    themes = {(root / "theme").resolve(): root / "theme"}
    if config.theme != "default":
        theme = root / config.theme
        if theme.resolve().is_relative_to(root.resolve()):
            themes.setdefault(theme.resolve(), theme)
    for folder in themes.values():
        for rel, error in check_tree(root, folder):
            problems.append(Problem(rel, 1, 1, "error", error.code, error.message))
    if config.brand.logo is not None:
        problems += _check_file_path(
            root, config.brand.logo, CONFIG_FILE, marks, ("brand", "logo"), IMAGE_SUFFIXES
        )[1]
    return problems


def _metric_data(
    root: Path,
    metric: Metric,
    entity_file: EntityFile,
    marks: Marks,
    known: Known,
    memo: Memo[Any, Any],
) -> tuple[MetricData, list[Problem]]:
    problems: list[Problem] = []
    csv: SafePath | None = None
    if metric.responses is not None:
        csv, problems = _check_file_path(
            root, metric.responses, entity_file.rel, marks, ("responses",), (".csv",)
        )
    data, found = read_metric_data(
        root,
        metric,
        yaml_rel=entity_file.rel,
        marks=marks,
        csv_path=csv.path if csv else None,
        csv_rel=csv.rel if csv else None,
        known={kind.rstrip("s"): ids for kind, ids in known.ids.items()},
        memo=memo,
    )
    return data, problems + found


def _fails(result: CheckResult, strict: bool) -> bool:
    return result.errors > 0 or (strict and result.warnings > 0)


def require_valid(root: Path, *, strict: bool, session: Session | None = None) -> CheckResult:
    """Validate and print the problem lines; raise ValidationFailed if the project fails."""
    result = load_project(root, session)
    for problem in result.problems:
        click.echo(problem.format())
    if _fails(result, strict):
        raise ValidationFailed(result.problems)
    return result


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(result: CheckResult, strict: bool) -> str:
    files = _plural(result.files, "file")
    if not result.problems:
        return f"cxsite check: no problems ({files})"
    verdict = "failed" if _fails(result, strict) else "passed"
    counts = f"{_plural(result.errors, 'error')}, {_plural(result.warnings, 'warning')}"
    return f"cxsite check {verdict}: {counts} ({files})"


def run_check(root: Path, strict: bool, fmt: str) -> None:
    """`cxsite check`: problem lines (or JSON) on stdout, a summary on stderr, exit 0 or 1."""
    result = load_project(root)
    if fmt == "json":
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
                for p in result.problems
            ],
            "errors": result.errors,
            "warnings": result.warnings,
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for problem in result.problems:
            click.echo(problem.format())
    click.echo(_summary(result, strict), err=True)
    if _fails(result, strict):
        sys.stdout.flush()
        raise click.exceptions.Exit(1)
