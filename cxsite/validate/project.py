"""Validation of a whole project: every file loaded, checked against the model, cross-checked.

`load_project` collects every problem in every file and never raises for content problems;
`require_valid` is what build, serve and pdf call first (`cxsite check` is in commands/).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxsite.load.asof import as_of_date
from cxsite.load.discover import EntityFile, discover, entity_ids
from cxsite.load.projectroot import CONFIG_FILE, not_a_project
from cxsite.load.reader import Marks, load_yaml
from cxsite.metricdata.types import MetricData
from cxsite.model import KINDS, Config, Journey, Metric, Project
from cxsite.problems import CxError, Problem, ValidationFailed, sort_problems
from cxsite.session import Session
from cxsite.validate.ahead import read_ahead
from cxsite.validate.crossfile import (
    channels,
    check_config,
    check_entity,
    metric_data,
    unread_responses,
)
from cxsite.validate.curves import (
    brief_problems,
    compare_problems,
    missing_persona_problems,
    persona_problems,
)
from cxsite.validate.gaps import Gaps
from cxsite.validate.hierarchy import check_details
from cxsite.validate.lint import lint_project
from cxsite.validate.onefile import FileRead, read_entity_file, read_file_model
from cxsite.validate.refs import Known


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


def load_project(
    root: Path,
    session: Session | None = None,
    workers: int = 1,
    planned: Mapping[str, str] | None = None,
) -> CheckResult:
    """Load, validate and lint the project at `root`, collecting every problem.

    `session` keeps parsed and validated files for the next call (a new one when None).
    With `workers` > 1 and most files not parsed before, a second process helps read them
    (validate/ahead.py). `planned` (entity file path -> YAML text) stands for files about
    to be written: the project is checked as it would be (`cxsite import`)."""
    root = Path(root)
    session = session or Session()
    if (root / CONFIG_FILE).exists() and not (root / CONFIG_FILE).is_file():
        message = f"'{CONFIG_FILE}' is not a regular file"  # a folder, a FIFO: never opened
        return CheckResult(None, {}, {}, [Problem(CONFIG_FILE, 1, 1, "error", "E404", message)], 1)
    if not (root / CONFIG_FILE).is_file():
        raise CxError(not_a_project(root))
    if not (root / CONFIG_FILE).resolve().is_relative_to(root.resolve()):
        message = "cxsite.yaml is a symlink leading outside the project"
        return CheckResult(None, {}, {}, [Problem(CONFIG_FILE, 1, 1, "error", "E402", message)], 1)
    problems: list[Problem] = []
    all_marks: dict[str, Marks] = {}

    # Phase 1: every file on its own (YAML, then the model; for a file with schema errors,
    # a partial model, so that its other problems are still found: SPEC 8.14).
    loaded_config, found = load_yaml(
        root / CONFIG_FILE, CONFIG_FILE, session.parsed, session.digests, despite_duplicates=True
    )
    problems += found
    config: FileRead | None = None
    if loaded_config is not None:
        all_marks[CONFIG_FILE] = loaded_config.marks
        config, found = read_file_model(Config, loaded_config, CONFIG_FILE, session.validated)
        problems += found
    files, found = discover(root)
    problems += found
    planned = planned or {}
    files = _with_planned(root, files, planned)
    read_ahead(root, files, session, workers)
    entities, found = _load_entities(files, all_marks, session, planned)
    problems += found
    reads = [read for by_id in entities.values() for read in by_id.values()]
    gaps = _gaps(problems, config, reads)

    # Phase 2: across files (references, channels, paths, metric data). Ids of files that
    # failed phase 1 still count as known, so one broken file does not cascade.
    whole_config = config.entity if config is not None and not config.partial else None
    known = Known(
        ids=entity_ids(files),
        channels=channels(whole_config, loaded_config.data if loaded_config else None),
    )
    if config is not None:
        problems += check_config(root, config.entity, known, CONFIG_FILE, config.marks, config.gaps)
    data: dict[str, MetricData] = {}
    data_ids = known.data_ids()
    for read in reads:
        entity = read.entity
        problems += check_entity(root, entity, read.rel, read.marks, known, read.gaps)
        if isinstance(entity, Journey) and not gaps.at(read.rel, "personas"):
            problems += persona_problems(entity, read.rel, read.marks, read.gaps)
            problems += missing_persona_problems(entity, read.rel, read.marks, gaps)
        if not isinstance(entity, Metric):
            continue
        # The kind, scale and period say how to read responses: not one that could not be
        # read. Data not read, or read with errors, is a gap: lint must not say "no data".
        # A `values` series is read on its own, and no data at all is read as none.
        source = "values" if entity.values is not None else "responses"
        # Nor against settings that could not be read whole (`responses`, `themes`).
        read_by = ("kind", "scale", "responses", "themes")
        if entity.responses is None:
            read_by = ()
        if any(gaps.at(read.rel, key) for key in read_by):
            file_read = not gaps.at(read.rel, "responses", "file")
            gaps = gaps.add(read.rel, (source,))
            problems += unread_responses(root, entity, read.rel, read.marks, data_ids, file_read)
            continue
        # A `period` in error only groups the rows: the file and its rows are still checked
        # (by month), but what they add up to is not the metric's.
        grouped = not (entity.responses is not None and gaps.at(read.rel, "period"))
        data[entity.id], found = metric_data(
            root, entity, read.rel, read.marks, data_ids, session.responses, session.digests
        )
        problems += found
        if not grouped or any(p.severity == "error" for p in found):
            gaps = gaps.add(read.rel, (source,))

    journeys = (r for r in reads if isinstance(r.entity, Journey))
    problems += check_details((r.entity, r.rel, r.marks, r.gaps) for r in journeys)

    # Phase 3: a consistent project, and the lint warnings about what was read, also when
    # there are errors (the project is then never rendered), with the gaps lint must respect.
    linted = Project(
        root=root,
        config=config.entity if config is not None else Config(title="-"),
        personas=_by_id(entities["personas"]),
        journeys=_by_id(entities["journeys"]),
        touchpoints=_by_id(entities["touchpoints"]),
        metrics=_by_id(entities["metrics"]),
        sources=dict(sorted(_sources(files).items())),
        research=_by_id(entities["research"]),
    )
    marks = {**all_marks, **{read.rel: read.marks for read in reads}}
    problems += compare_problems(
        linted.journeys, {j: entities["journeys"][j].rel for j in linted.journeys}, marks, gaps
    )
    if config is not None:
        journeys_read = not gaps.anywhere("journeys", "compare_to") and not gaps.anywhere(
            "journeys", "state"
        )
        problems += brief_problems(
            config.entity, linted.journeys, config.marks, journeys_read, config.gaps
        )
    as_of = session.as_of or as_of_date(root)
    problems += list(lint_project(linted, marks, data, as_of, gaps))
    project = None if any(p.severity == "error" for p in problems) else linted
    whole = {i: series for i, series in data.items() if not entities["metrics"][i].partial}
    return CheckResult(project, whole, all_marks, sort_problems(problems), 1 + len(files))


def _with_planned(
    root: Path, files: list[EntityFile], planned: Mapping[str, str]
) -> list[EntityFile]:
    """The entity files with those about to be written (`kind/id.yaml`) among them."""
    there = {f.rel for f in files}
    new = []
    for rel in planned.keys() - there:
        kind, _, name = rel.partition("/")
        new.append(EntityFile(kind, name.rpartition(".")[0], root / rel, rel))
    return sorted([*files, *new], key=lambda f: (f.kind, f.id)) if new else files


def _load_entities(
    files: list[EntityFile],
    all_marks: dict[str, Marks],
    session: Session,
    planned: Mapping[str, str],
) -> tuple[dict[str, dict[str, FileRead]], list[Problem]]:
    """Every entity file parsed and validated (`planned` texts instead of the files there);
    marks are added to `all_marks`."""
    problems: list[Problem] = []
    entities: dict[str, dict[str, FileRead]] = {kind: {} for kind in KINDS}
    for entity_file in files:
        loaded, read, found = read_entity_file(entity_file, session, planned.get(entity_file.rel))
        problems += found
        if loaded is not None:
            all_marks[entity_file.rel] = loaded.marks
        if read is not None:
            entities[entity_file.kind][entity_file.id] = read
    return entities, problems


def _by_id(reads: Mapping[str, FileRead]) -> dict[str, Any]:
    return {entity_id: read.entity for entity_id, read in sorted(reads.items())}


def _gaps(problems: list[Problem], config: FileRead | None, reads: list[FileRead]) -> Gaps:
    """The gaps of the partial models, and the kinds with a file that gave no model at all
    (a YAML error, a bad file name...): lint must not count on what such a file says."""
    read = {r.rel for r in reads}
    failed = {p.path for p in problems if p.severity == "error"} - read
    unread = {path.split("/")[0] for path in failed} & set(KINDS)
    places = {r.rel: r.gaps for r in reads if r.gaps}
    if config is None:
        unread.add("cxsite")
    elif config.gaps:
        places[CONFIG_FILE] = config.gaps
    return Gaps(places, frozenset(unread))


def _sources(files: list[EntityFile]) -> dict[str, str]:
    """`personas/maya-chen` style keys (and `cxsite`) -> file path relative to the root."""
    sources = {"cxsite": CONFIG_FILE}
    sources.update({f"{f.kind}/{f.id}": f.rel for f in files})
    return sources


def require_valid(
    root: Path, *, strict: bool, session: Session | None = None, workers: int = 1
) -> CheckResult:
    """The validated project; ValidationFailed (with every problem) if the project fails."""
    result = load_project(root, session, workers)
    if result.fails(strict):
        raise ValidationFailed(result.problems)
    return result
