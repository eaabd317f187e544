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

from cxsite.halves import in_two
from cxsite.incremental import validcache
from cxsite.load.asof import as_of_date
from cxsite.load.discover import EntityFile, discover
from cxsite.load.reader import Marks, load_yaml, position
from cxsite.metricdata.types import MetricData
from cxsite.model import KINDS, Config, Journey, Metric, Project
from cxsite.problems import CxError, Problem, ValidationFailed, sort_problems
from cxsite.session import Memo, Session
from cxsite.validate.crossfile import (
    DATA_SUFFIXES,
    channels,
    check_config,
    check_entity,
    metric_data,
)
from cxsite.validate.curves import (
    brief_problems,
    compare_problems,
    missing_persona_problems,
    persona_problems,
)
from cxsite.validate.hierarchy import check_details
from cxsite.validate.lint import lint_project
from cxsite.validate.partial import Gaps, Partial, best_effort
from cxsite.validate.paths import SafePath, check_path
from cxsite.validate.refs import Known
from cxsite.validate.schema_errors import model_problems

CONFIG_FILE = "cxsite.yaml"
# Files below which reading them ahead on a second core is not worth a fork (parsing and
# checking a file takes about a millisecond, a responses CSV tens of them).
AHEAD_MIN_FILES = 200
# What reading a byte of a responses CSV costs, against a byte of YAML (measured at N=200:
# 5.1 MB of CSV in 1.2 s, 1.5 MB of YAML in 0.85 s).
CSV_BYTE_COST = 0.4


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


@dataclass(frozen=True)
class _Read:
    """A file's model as the cross-file checks see it: whole, or partial (validate/partial.py)."""

    entity: Any
    rel: str
    marks: Marks
    partial: bool = False
    gaps: frozenset[tuple[Any, ...]] = frozenset()


def _read_loaded(
    model: type[BaseModel],
    loaded: Any,
    rel: str,
    memo: Memo[Any, Any],
    entity_id: str | None = None,
) -> tuple[_Read | None, list[Problem]]:
    """`_validate` of a parsed file, remembered in `memo` (a session's `validated`, by model,
    file and id, with the parsed file it came from) while the file's bytes stay the same:
    load_yaml returns the very same `Loaded` object for unchanged bytes. Models are frozen.
    A file with schema errors has no model there (None), only its partial model."""
    key = (model.__name__, rel, entity_id)
    found = memo.get(key)
    if found is None or found[0] is not loaded:
        found = memo.put(
            key, (loaded, *_validate(model, loaded.data, rel, loaded.marks, entity_id))
        )
    _, entity, problems, partial = found
    if entity is not None:
        return _Read(entity, rel, loaded.marks), list(problems)
    if partial is not None:
        return _Read(partial.entity, rel, partial.marks, True, partial.gaps), list(problems)
    return None, list(problems)


def _validate(
    model: type[BaseModel], data: Any, rel: str, marks: Marks, entity_id: str | None = None
) -> tuple[Any, list[Problem], Partial | None]:
    """The model instance (or None), the problems of one file's data, and the partial model
    of a file with schema errors (None if it has none or none can be made)."""
    problems: list[Problem] = []
    if entity_id is not None:
        if "id" in data:
            line, col = position(marks, ("id",))
            message = "unknown key 'id' (the id comes from the file name)"
            problems.append(Problem(rel, line, col, "error", "E201", message))
        data = {**{k: v for k, v in data.items() if k != "id"}, "id": entity_id}
    try:
        return model.model_validate(data), problems, None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems += model_problems(errors, model, data, rel, marks)
        partial = best_effort(model, data, errors, rel, marks)
        return None, problems + list(partial.problems if partial else ()), partial


def load_project(root: Path, session: Session | None = None, workers: int = 1) -> CheckResult:
    """Load, validate and lint the project at `root`, collecting every problem.

    `session` keeps parsed and validated files for the next call (a new one when None).
    With `workers` > 1 and most files not parsed before, a second process reads half of
    them ahead (`_read_ahead`)."""
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

    # Phase 1: every file on its own (YAML, then the model; for a file with schema errors,
    # a partial model, so that its other problems are still found: SPEC 8.14).
    loaded_config, found = load_yaml(root / CONFIG_FILE, CONFIG_FILE, session.parsed)
    problems += found
    config: _Read | None = None
    if loaded_config is not None:
        all_marks[CONFIG_FILE] = loaded_config.marks
        config, found = _read_loaded(Config, loaded_config, CONFIG_FILE, session.validated)
        problems += found
    files, found = discover(root)
    problems += found
    if workers > 1 and len(files) >= max(AHEAD_MIN_FILES, 2 * len(session.parsed.items)):
        _read_ahead(root, files, session, workers)
    entities, found = _load_entities(files, all_marks, session)
    problems += found
    reads = [read for by_id in entities.values() for read in by_id.values()]
    gaps = _gaps(problems, config, reads)

    # Phase 2: across files (references, channels, paths, metric data). Ids of files that
    # failed phase 1 still count as known, so one broken file does not cascade.
    whole_config = config.entity if config is not None and not config.partial else None
    known = Known(
        ids={kind: {f.id for f in files if f.kind == kind} for kind in KINDS},
        channels=channels(whole_config, loaded_config.data if loaded_config else None),
    )
    if config is not None:
        problems += check_config(root, config.entity, known, CONFIG_FILE, config.marks)
    data: dict[str, MetricData] = {}
    data_ids = known.data_ids()
    for read in reads:
        entity = read.entity
        problems += check_entity(root, entity, read.rel, read.marks, known)
        if isinstance(entity, Journey) and not gaps.at(read.rel, "personas"):
            problems += persona_problems(entity, read.rel, read.marks)
            problems += missing_persona_problems(entity, read.rel, read.marks, gaps)
        if not isinstance(entity, Metric):
            continue
        # The kind, scale and period say how to read the data: not one that could not be
        # read. Data not read, or read with errors, is a gap: lint must not say "no data".
        source = "values" if entity.values is not None else "responses"
        # Nor against settings that could not be read whole (`responses`, `themes`).
        read_by = ("kind", "scale", "period", "responses", "themes")
        if any(gaps.at(read.rel, key) for key in read_by):
            gaps = gaps.add(read.rel, (source,))
            continue
        data[entity.id], found = metric_data(
            root, entity, read.rel, read.marks, data_ids, session.responses, session.digests
        )
        problems += found
        if any(p.severity == "error" for p in found):
            gaps = gaps.add(read.rel, (source,))

    journeys = (r for r in reads if isinstance(r.entity, Journey))
    problems += check_details((r.entity, r.rel, r.marks) for r in journeys)

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
        problems += brief_problems(config.entity, linted.journeys, config.marks, journeys_read)
    as_of = session.as_of or as_of_date(root)
    problems += list(lint_project(linted, marks, data, as_of, gaps))
    project = None if any(p.severity == "error" for p in problems) else linted
    whole = {i: series for i, series in data.items() if not entities["metrics"][i].partial}
    return CheckResult(project, whole, all_marks, sort_problems(problems), 1 + len(files))


def _load_entities(
    files: list[EntityFile], all_marks: dict[str, Marks], session: Session
) -> tuple[dict[str, dict[str, _Read]], list[Problem]]:
    """Every entity file parsed and validated; marks are added to `all_marks`."""
    problems: list[Problem] = []
    entities: dict[str, dict[str, _Read]] = {kind: {} for kind in KINDS}
    for entity_file in files:
        loaded, found = load_yaml(entity_file.path, entity_file.rel, session.parsed)
        problems += found
        if loaded is None:
            continue
        all_marks[entity_file.rel] = loaded.marks
        model = KINDS[entity_file.kind]
        read, found = _read_loaded(
            model, loaded, entity_file.rel, session.validated, entity_file.id
        )
        problems += found
        if read is not None:
            entities[entity_file.kind][entity_file.id] = read
    return entities, problems


def _read_ahead(root: Path, files: list[EntityFile], session: Session, workers: int) -> None:
    """Parse and check every file, and aggregate each metric's responses CSV, into the
    session's tables, with a forked helper aggregating CSVs (halves.py) while this process
    parses: the validation that follows then finds every file done. The same work as
    `_load_entities` and `metric_data` do, with their problems left for them to report.

    Only aggregates are worth sending back: a parsed and checked file costs about as much
    to pickle and unpickle as to read. So the helper takes CSVs (largest first) up to about
    half of the work, weighed in bytes; their metrics are read here first, before the fork.
    """
    data_ids = Known(ids={kind: {f.id for f in files if f.kind == kind} for kind in KINDS},
                     channels=()).data_ids()  # fmt: skip

    def entry(entity_file: EntityFile) -> _Read | None:
        loaded, _ = load_yaml(entity_file.path, entity_file.rel, session.parsed)
        if loaded is None:
            return None
        model = KINDS[entity_file.kind]
        return _read_loaded(model, loaded, entity_file.rel, session.validated, entity_file.id)[0]

    def read(entity_file: EntityFile) -> None:
        found = entry(entity_file)
        if found is not None and not found.partial and isinstance(found.entity, Metric):
            metric_data(root, found.entity, found.rel, found.marks, data_ids,
                        session.responses, session.digests)  # fmt: skip

    work = sum(_size(f.path) for f in files)
    csvs: dict[str, float] = {}
    for entity_file in files:
        found = entry(entity_file) if entity_file.kind == "metrics" else None
        if found is not None and not found.partial and found.entity.responses is not None:
            csv = check_path(root, found.entity.responses.file, DATA_SUFFIXES)
            if isinstance(csv, SafePath):
                csvs[entity_file.rel] = CSV_BYTE_COST * _size(csv.path)
    theirs, taken = set(), 0.0
    for rel, weight in sorted(csvs.items(), key=lambda item: (-item[1], item[0])):
        if taken + weight <= (work + sum(csvs.values())) / 2:
            theirs.add(rel)
            taken += weight
    learnt = in_two(
        files,
        read,
        lambda entity_file, nothing: None,
        workers=workers if theirs else 1,
        done=lambda: validcache.responses_table(session),
        minimum=AHEAD_MIN_FILES,
        helper_takes=lambda index, entity_file: entity_file.rel in theirs,
    )
    if learnt is not None:
        validcache.seed_responses(session, learnt)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _by_id(reads: Mapping[str, _Read]) -> dict[str, Any]:
    return {entity_id: read.entity for entity_id, read in sorted(reads.items())}


def _gaps(problems: list[Problem], config: _Read | None, reads: list[_Read]) -> Gaps:
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
