"""`cxsite import values`: a period,value sheet becomes the `values` of an existing metric.

The metric file keeps everything it had, comments included: the series is appended as a
`values:` block (an earlier `values` or `responses` block is removed first, with --force).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cxsite.english import counted
from cxsite.interop.rows import DataPath, Located, Planned, Report, Row
from cxsite.interop.yamlwrite import YamlWriteError, dump_block
from cxsite.load.reader import MAX_BYTES, load_yaml, load_yaml_bytes
from cxsite.load.yamltree import MAX_EXPANDED_NODES
from cxsite.metricdata.read import read_values
from cxsite.model import Metric
from cxsite.problems import CxError
from cxsite.validate.partial import best_effort
from cxsite.validate.schema_errors import did_you_mean, error_loc, model_problems

_REPLACED = ("values", "responses")


def _without(text: str, marks: Any, keys: tuple[str, ...]) -> str:
    """`text` without the lines of the top-level `keys` (each up to the next top-level key)."""
    starts = sorted(line for path, (line, _) in marks.items() if len(path) == 1)
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    for key in keys:
        if (key,) not in marks:
            continue
        first = marks[(key,)][0]
        after = [line for line in starts if line > first]
        end = after[0] if after else len(lines) + 1
        drop.update(range(first, end))
    return "".join(line for number, line in enumerate(lines, 1) if number not in drop)


def _fits(rel: str, items: list[dict[str, Any]], root: Path) -> None:
    """Refuse, before writing it, a series that would make the metric file too large for
    cxsite to read (2 MB, 200,000 YAML values)."""
    size = (root / rel).stat().st_size + sum(
        30 + len(str(item.get("period", ""))) + len(str(item.get("value", ""))) for item in items
    )
    nodes = 5 * len(items)  # each entry: a mapping, two keys, two values
    if size > MAX_BYTES or nodes > MAX_EXPANDED_NODES:
        raise CxError(
            f"nothing written: {len(items):,} values would make {rel} larger than cxsite "
            "reads (2 MB, 200,000 YAML values): pre-aggregate the series (by month, by "
            "quarter) before importing it"
        )


def metric_file(metric_id: str, paths: dict[str, dict[str, str]]) -> str:
    """The file of an existing metric, or a CxError saying how to create it."""
    rel = paths.get("metrics", {}).get(metric_id)
    if rel is None:
        hint = did_you_mean(metric_id, paths.get("metrics", {}))
        raise CxError(
            f"unknown metric '{metric_id}'{hint}: create it first "
            f"(cxsite new metric {metric_id}), then import its values"
        )
    return rel


def plan_values(
    root: Path,
    metric_id: str,
    rows: list[Row],
    label: str,
    paths: dict[str, dict[str, str]],
    report: Report,
) -> Planned:
    """The metric file with the sheet's series as its `values`."""
    rel = metric_file(metric_id, paths)
    loaded, _ = load_yaml(root / rel, rel)
    if loaded is None or not isinstance(loaded.data, dict):
        raise CxError(f"{rel} cannot be read: run cxsite check and fix it first")
    try:
        Metric.model_validate({**loaded.data, "id": metric_id})
    except ValidationError as exc:
        raise CxError(f"{rel} has errors: run cxsite check and fix it first") from exc
    items = [{"period": row.data.get("period"), "value": row.data.get("value")} for row in rows]
    items = [{k: v for k, v in item.items() if v is not None} for item in items]
    data = {k: v for k, v in loaded.data.items() if k not in _REPLACED}
    data["values"] = items
    marks: dict[DataPath, tuple[int, int]] = {(): (1, 1), ("values",): (1, 1)}
    for i, row in enumerate(rows):
        marks[("values", i)] = row.marks[()]
        for key in ("period", "value"):
            if (key,) in row.marks:
                marks[("values", i, key)] = row.marks[(key,)]
    full = {**data, "id": metric_id}
    try:
        metric = Metric.model_validate(full)
    except ValidationError as exc:
        # a bad cell hides nothing else (SPEC 8.14): the periods of the rows that read are
        # still checked, as `cxsite check` checks those of a metric file with a bad value
        errors = exc.errors(include_url=False)
        cells = [e for e in errors if error_loc(e)[:1] == ("values",)]
        report.extend(model_problems(cells, Metric, full, label, marks))
        # the rest of the file (`themes` that need `responses`), where it is written now
        others = [e for e in errors if error_loc(e)[:1] != ("values",)]
        report.elsewhere += model_problems(others, Metric, full, rel, loaded.marks)
        partial = best_effort(Metric, full, errors, label, marks)
        report.extend(list(partial.problems))
        if partial.entity is not None:
            report.extend(read_values(partial.entity, yaml_rel=label, marks=partial.marks)[1])
    else:
        report.extend(read_values(metric, yaml_rel=label, marks=marks)[1])
    report.raise_if_any()
    _fits(rel, items, root)

    original = (root / rel).read_text(encoding="utf-8-sig")
    replaces = any(key in loaded.data for key in _REPLACED)
    text = _without(original, loaded.marks, _REPLACED) if replaces else original
    if text and not text.endswith("\n"):
        text += "\n"
    span = f"rows {rows[0].line}-{rows[-1].line}" if len(rows) > 1 else f"row {rows[0].line}"
    text += f"# values imported from {Path(label).name}, {span} (cxsite import values)\n"
    text += dump_block("values", items)
    check, problems = load_yaml_bytes(text.encode("utf-8"), rel)
    if check is None or check.data.get("values") != items:
        reason = f" ({problems[0].message})" if problems else ""
        raise YamlWriteError(
            f"nothing written: {rel} with {len(items):,} values would not read back{reason}: "
            "pre-aggregate the series (by month, by quarter) before importing it"
        )
    note = f"{counted(len(items), 'value')} from {span}"
    # the sheet's rows are the items of `values`, where the file's last lines are
    sheet = {path: place for path, place in marks.items() if len(path) > 1}
    kept = {path: place for path, place in loaded.marks.items() if path[:1] != ("values",)}
    return Planned(rel, text, replaces, note, Located(sheet, report.locate), kept)
