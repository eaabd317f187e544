"""Validation of a whole project: every file loaded, checked against the model, cross-checked.

`load_project` collects every problem in every file and never raises for content problems;
`require_valid` is what build, serve and pdf call first (`cxsite check` is in commands/).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from cxsite.load.asof import as_of_date
from cxsite.load.discover import EntityFile, discover
from cxsite.load.reader import Marks, load_yaml, position
from cxsite.metricdata.read import read_metric_data
from cxsite.metricdata.types import MetricData
from cxsite.model import BUILTIN_CHANNELS, KINDS, Config, Metric, Persona, Project
from cxsite.problems import CxError, Problem, ValidationFailed, sort_problems
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

    def fails(self, strict: bool) -> bool:
        """Whether the project fails: any error, or any warning under `strict`."""
        return self.errors > 0 or (strict and self.warnings > 0)


# Validated files by (model, file, id), with the parsed file they came from: load_yaml
# returns the very same `Loaded` object for unchanged bytes, so a long-running process
# (`cxsite serve`) validates only the files that changed. Models are frozen, never mutated.
_VALIDATED: dict[tuple[str, str, str | None], tuple[Any, Any, list[Problem]]] = {}
_VALIDATED_LIMIT = 50_000


def _validate_loaded(
    model: type[BaseModel], loaded: Any, rel: str, entity_id: str | None = None
) -> tuple[Any, list[Problem]]:
    """`_validate` of a parsed file, remembered while the file's bytes stay the same."""
    key = (model.__name__, rel, entity_id)
    found = _VALIDATED.get(key)
    if found is None or found[0] is not loaded:
        if len(_VALIDATED) >= _VALIDATED_LIMIT:
            _VALIDATED.clear()
        found = (loaded, *_validate(model, loaded.data, rel, loaded.marks, entity_id))
        _VALIDATED[key] = found
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


def load_project(root: Path) -> CheckResult:
    """Load, validate and lint the project at `root`, collecting every problem."""
    root = Path(root)
    if not (root / CONFIG_FILE).is_file():
        where = "does not exist" if not root.exists() else f"has no {CONFIG_FILE}"
        raise CxError(f"{root} {where}: not a cxsite project (start one with 'cxsite init DIR')")
    if not (root / CONFIG_FILE).resolve().is_relative_to(root.resolve()):
        message = "cxsite.yaml is a symlink leading outside the project"
        return CheckResult(None, {}, {}, [Problem(CONFIG_FILE, 1, 1, "error", "E402", message)], 1)
    problems: list[Problem] = []
    all_marks: dict[str, Marks] = {}

    # Phase 1: every file on its own (YAML, then the model).
    loaded_config, found = load_yaml(root / CONFIG_FILE, CONFIG_FILE)
    problems += found
    config: Config | None = None
    if loaded_config is not None:
        all_marks[CONFIG_FILE] = loaded_config.marks
        config, found = _validate_loaded(Config, loaded_config, CONFIG_FILE)
        problems += found
    files, found = discover(root)
    problems += found
    entities, found = _load_entities(files, all_marks)
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
                    root, entity, entity_file, marks, known
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
        problems += _lint(project, all_marks, metric_data)
    return CheckResult(project, metric_data, all_marks, sort_problems(problems), 1 + len(files))


def _load_entities(
    files: list[EntityFile], all_marks: dict[str, Marks]
) -> tuple[dict[str, dict[str, tuple[Any, EntityFile]]], list[Problem]]:
    """Every entity file parsed and validated; marks are added to `all_marks`."""
    problems: list[Problem] = []
    entities: dict[str, dict[str, tuple[Any, EntityFile]]] = {kind: {} for kind in KINDS}
    for entity_file in files:
        loaded, found = load_yaml(entity_file.path, entity_file.rel)
        problems += found
        if loaded is None:
            continue
        all_marks[entity_file.rel] = loaded.marks
        model = KINDS[entity_file.kind]
        entity, found = _validate_loaded(model, loaded, entity_file.rel, entity_file.id)
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
    root: Path, metric: Metric, entity_file: EntityFile, marks: Marks, known: Known
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
    )
    return data, problems + found


def _lint(
    project: Project, marks: Mapping[str, Marks], metric_data: Mapping[str, MetricData]
) -> list[Problem]:
    return list(lint_project(project, marks, metric_data, as_of_date(project.root)))


def require_valid(root: Path, *, strict: bool) -> CheckResult:
    """The validated project; ValidationFailed (with every problem) if the project fails."""
    result = load_project(root)
    if result.fails(strict):
        raise ValidationFailed(result.problems)
    return result
