"""`cxsite import`: a sheet read, checked cell by cell, and planned as YAML files.

Nothing is written here: `plan_import` returns the files to write (or raises
`ImportFailed` with every problem), and the command writes them all or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from cxsite.english import counted
from cxsite.hints import RememberedHints
from cxsite.interop.columns import read_header
from cxsite.interop.ids import slug, unique
from cxsite.interop.order import ordered
from cxsite.interop.rows import (
    NOT_IN_YAML,
    DataPath,
    ImportFailed,
    Located,
    Planned,
    Report,
    Row,
    stream,
)
from cxsite.interop.table import Table, TableError, open_table
from cxsite.interop.values import metric_file, plan_values
from cxsite.interop.yamlwrite import dump
from cxsite.load.discover import ID_RE, discover, id_advice, other_id, reserved
from cxsite.load.reader import Marks, load_yaml
from cxsite.model import Journey, Persona, Touchpoint
from cxsite.problems import CxError, Problem, one_line
from cxsite.validate.crossfile import channels
from cxsite.validate.evidence import check_evidence_refs
from cxsite.validate.partial import best_effort
from cxsite.validate.refs import Known, check_refs
from cxsite.validate.schema_errors import did_you_mean, model_problems

KINDS = ("touchpoints", "personas", "journey", "values")
_ENTITY: dict[str, tuple[type[BaseModel], str, str]] = {
    "touchpoints": (Touchpoint, "touchpoints", "touchpoint"),
    "personas": (Persona, "personas", "persona"),
}


@dataclass(frozen=True)
class ImportOptions:
    """The options of `cxsite import` beyond KIND and FILE."""

    journey_id: str | None = None
    title: str | None = None
    personas: Sequence[str] = ()
    metric: str | None = None


def project_known(root: Path) -> tuple[Known, dict[str, dict[str, str]]]:
    """The ids in the project (by folder) and the allowed channels; also each id's file."""
    if not (root / "cxsite.yaml").is_file():
        raise CxError(f"no cxsite.yaml in '{root}': give the project folder")
    files, _ = discover(root)
    paths: dict[str, dict[str, str]] = {}
    for file in files:
        paths.setdefault(file.kind, {})[file.id] = file.rel
    loaded, _ = load_yaml(root / "cxsite.yaml", "cxsite.yaml")
    allowed = channels(None, loaded.data if loaded is not None else None)
    ids = {kind: set(ids) for kind, ids in paths.items()}
    return Known(ids, allowed, RememberedHints()), paths


def _open(file: Path, label: str, kind: str, report: Report) -> tuple[Table, list[Any]]:
    try:
        table = open_table(file, label)
    except TableError as exc:
        raise ImportFailed([exc.problem]) from exc
    columns, problems = read_header(kind, table.header)
    report.locate = table.locate
    report.cells(problems)
    report.bad_columns = {i for i, c in enumerate(columns) if c is None and table.header[i].text}
    if report.shown:  # rows are read once the header is right
        table.close()
        report.raise_if_any()
    return table, columns


def _rows(file: Path, label: str, kind: str, report: Report) -> list[Row]:
    table, columns = _open(file, label, kind, report)
    try:
        rows = list(stream(table.rows, columns, report))
    except TableError as exc:
        report.add(exc.problem.line, exc.problem.col, exc.problem.code, exc.problem.message)
        rows = []
    finally:
        table.close()
    if not rows and not report.shown:
        line = table.header[0].line
        report.add(line + 1, 1, "E461", "the sheet has a header but no rows under it")
    return rows


def _ids(rows: list[Row], noun: str, report: Report) -> list[tuple[str, str]]:
    """Each row's id and how it was found: an `id` cell, or derived from the name."""
    explicit: dict[str, int] = {}
    for row in rows:
        text = row.data.get("id")  # an `id` cell's text
        if text is None:
            continue
        if not ID_RE.match(text):
            message = f"'{text}' is not a valid id: {id_advice(text, slug(text, noun))}"
            report.add(*row.marks[("id",)], "E466", message)
        elif why := reserved(text, f"{noun}s"):
            message = f"{why}: choose another id, e.g. '{other_id(text, f'{noun}s')}'"
            report.add(*row.marks[("id",)], "E466", message)
        elif text in explicit:
            message = f"id '{text}' is used twice (first on row {explicit[text]})"
            report.add(*row.marks[("id",)], "E465", message)
        else:
            explicit[text] = row.line
    taken: dict[str, int] = dict(explicit)
    found: list[tuple[str, str]] = []
    for row in rows:
        text = row.data.get("id")
        if text is not None:
            found.append((text, ""))
            continue
        name = str(row.data.get("name", ""))
        base = slug(name, noun)
        how = f"id from the name '{one_line(name)}'"
        if reserved(base, f"{noun}s"):  # a row named "Index": its page would replace the list
            how += f"; '{base}' is the list page's"
            base = other_id(base, f"{noun}s")
        new = unique(base, taken)
        if new != base:
            how += f"; '{base}' is taken by row {taken[base]}"
        taken[new] = row.line
        found.append((new, how))
    return found


def _validate(
    model: type[BaseModel],
    data: dict[str, Any],
    entity_id: str,
    label: str,
    marks: Marks,
    known: Known,
    report: Report,
) -> None:
    """Report the schema problems of `data`, and the references of what could be read (a
    partial model when the schema fails, as `cxsite check` does)."""
    try:
        entity = model.model_validate({**data, "id": entity_id})
    except ValidationError as exc:
        report.extend(model_problems(exc, model, data, label, marks))
        partial = best_effort(
            model, {**data, "id": entity_id}, exc.errors(include_url=False), label, marks
        )
        report.extend(list(partial.problems))
        if partial.entity is None:
            return
        report.extend(_refs(partial.entity, known, label, partial.marks))
        return
    report.extend(_refs(entity, known, label, marks))


def _refs(entity: BaseModel, known: Known, label: str, marks: Any) -> list[Problem]:
    """Unknown touchpoints, personas, metrics and journeys, and unknown research studies."""
    return [
        *check_refs(entity, known, label, marks),
        *check_evidence_refs(entity, known, label, marks),
    ]


def _comment(label: str, lines: str, kind: str) -> list[str]:
    return [f"Imported from {Path(label).name}, {lines} (cxsite import {kind})."]


def _plan_entities(
    kind: str, file: Path, label: str, root: Path, known: Known, paths: dict[str, dict[str, str]]
) -> list[Planned]:
    model, folder, noun = _ENTITY[kind]
    report = Report(label)
    rows = _rows(file, label, kind, report)
    ids = _ids(rows, noun, report)
    ids_known = {**known.ids, folder: {*known.ids.get(folder, ()), *(i for i, _ in ids)}}
    known = Known(ids_known, known.channels, known.hint)
    for row, (entity_id, _) in zip(rows, ids, strict=True):
        row.data.pop("id", None)
        _validate(model, row.data, entity_id, label, row.marks, known, report)
    report.raise_if_any()  # the YAML is only made once every row is known to be good
    planned: list[Planned] = []
    for row, (entity_id, how) in zip(rows, ids, strict=True):
        existing = paths.get(folder, {}).get(entity_id)
        rel = existing or f"{folder}/{entity_id}.yaml"
        text = dump(ordered(model, row.data), _comment(label, f"row {row.line}", kind))
        note = f"row {row.line}" + (f"; {how}" if how else "")
        places = Located(row.marks, report.locate)
        planned.append(Planned(rel, text, existing is not None, note, places))
    return planned


def _own_keys(root: Path, rel: str | None) -> tuple[dict[str, Any], Marks]:
    """The keys of the journey file an import replaces other than its stages and personas
    (title, owner, goal, state, compare_to...: no sheet holds them), when they are good,
    and where they are in it; nothing when the file cannot be read or they are not
    (--force then starts afresh)."""
    if rel is None:
        return {}, {}
    loaded, _ = load_yaml(root / rel, rel)
    if loaded is None or not isinstance(loaded.data, dict):
        return {}, {}
    own = {k: v for k, v in loaded.data.items() if k not in ("id", "personas", "stages")}
    try:
        Journey.model_validate({**own, "id": "x", "personas": ["x"], "stages": [{"name": "x"}]})
    except ValidationError:
        return {}, {}
    return own, loaded.marks


def _plan_journey(
    file: Path,
    label: str,
    root: Path,
    known: Known,
    paths: dict[str, dict[str, str]],
    options: ImportOptions,
) -> list[Planned]:
    for persona in options.personas:
        if persona not in known.ids.get("personas", ()):
            hint = did_you_mean(persona, known.ids.get("personas", ())) or ""
            raise CxError(f"unknown persona '{persona}'{hint}: --persona takes a persona id")
    if options.title and (bad := NOT_IN_YAML.search(options.title)) is not None:
        raise CxError(
            f"--title holds the control character U+{ord(bad.group()):04X}, which a YAML "
            "file cannot hold: remove it"
        )
    named = options.title or " ".join(Path(label).stem.replace("_", " ").replace("-", " ").split())
    named = named[:1].upper() + named[1:]
    journey_id = options.journey_id or slug(named, "journey")
    if not ID_RE.match(journey_id):
        advice = id_advice(journey_id, slug(journey_id, "journey"))
        raise CxError(f"bad journey id '{journey_id}': {advice}")
    if why := reserved(journey_id, "journeys"):
        raise CxError(f"{why}: choose another id, e.g. '{other_id(journey_id, 'journeys')}'")
    existing = paths.get("journeys", {}).get(journey_id)
    own, own_marks = _own_keys(root, existing)  # a journey replaced keeps what no sheet holds
    report = Report(label)
    rows = _rows(file, label, "journey", report)
    # the journey is known to its own stages (a `detail` naming it is a cycle, not unknown)
    journeys = {*known.ids.get("journeys", ()), journey_id}
    known = Known({**known.ids, "journeys": journeys}, known.channels, known.hint)
    data: dict[str, Any] = {
        "title": options.title or own.get("title") or named,
        "personas": list(options.personas),
        "stages": [row.data for row in rows],
    }
    marks: dict[DataPath, tuple[int, int]] = {(): (1, 1)}
    for i, row in enumerate(rows):
        for path, place in row.marks.items():
            marks[("stages", i, *path)] = place
    # the keys kept are checked with the project as written, at their place in the file
    _validate(Journey, data, journey_id, label, marks, known, report)
    report.raise_if_any()
    data = {**own, **data}
    rel = existing or f"journeys/{journey_id}.yaml"
    span = f"rows {rows[0].line}-{rows[-1].line}" if len(rows) > 1 else f"row {rows[0].line}"
    text = dump(ordered(Journey, data), _comment(label, span, "journey"))
    note = f"{counted(len(rows), 'stage')} from {span}"
    if not options.journey_id:
        note += f"; id from the title '{one_line(named)}'"
    if own:
        note += f"; its other keys kept from {existing}"
    # the journey's own keys are reported where they are, not at a cell of the sheet
    sheet = {path: place for path, place in marks.items() if path[:1] == ("stages",)}
    kept = {path: place for path, place in own_marks.items() if path[:1] and path[0] in own}
    places = Located(sheet, report.locate)
    return [Planned(rel, text, existing is not None, note, places, kept)]


def plan_import(kind: str, file: Path, root: Path, options: ImportOptions) -> list[Planned]:
    """The files importing `file` as `kind` writes into the project at `root`."""
    known, paths = project_known(root)
    label = str(file)
    if kind in _ENTITY:
        return _plan_entities(kind, file, label, root, known, paths)
    if kind == "journey":
        return _plan_journey(file, label, root, known, paths, options)
    if kind == "values":
        report = Report(label)
        if options.metric is None:
            raise CxError("import values needs --metric ID: the metric the values belong to")
        metric_file(options.metric, paths)
        rows = _rows(file, label, "values", report)
        return [plan_values(root, options.metric, rows, label, paths, report)]
    raise CxError(f"unknown kind '{kind}'")
