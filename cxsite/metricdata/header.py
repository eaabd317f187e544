"""The header of a responses file matched against the metric's `responses` settings.

Which cell of a row holds the date, the score, each id column, the comment and each
segment; which rows `where` keeps; how export values become ids (`map`). Problems of the
file are reported at the header's cells, problems of the settings at their YAML keys.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from cxsite.load.reader import Marks, position
from cxsite.load.sheets import Table
from cxsite.metricdata.types import BREAKDOWN_COLUMNS
from cxsite.model import Metric, Responses
from cxsite.problems import Problem

REQUIRED_COLUMNS: tuple[str, ...] = ("date", "score")
Error = Callable[[int, int, str, str], None]


def did_you_mean(value: str, choices: Collection[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or an empty string."""
    match = difflib.get_close_matches(value, sorted(choices), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


class IdLookup:
    """One id column's cells: mapped by `map`, else a known id; each spelling checked once."""

    def __init__(self, name: str, mapping: Mapping[str, str | None], known: Collection[str] | None):
        self.name, self.mapping, self.known = name, mapping, known
        self.cache: dict[str, str | tuple[str, str]] = {}

    def read(self, text: str) -> str | tuple[str, str]:
        """The id ("" for none or an ignored segment) or the (code, message) of a bad cell."""
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._read(text.strip())
        return found

    def _read(self, value: str) -> str | tuple[str, str]:
        if value in self.mapping:
            return self.mapping[value] or ""
        if not value or self.known is None or value in self.known:
            return value
        hint = did_you_mean(value, self.known)
        if not hint and self.mapping:
            hint = f" (map it to an id under 'responses: map: {self.name}')"
        return "E427", f"unknown {self.name} '{value}'{hint}"


@dataclass
class Columns:
    """Where each column is in a row, and the checks its cells go through."""

    count: int  # cells in the header (CSV: a longer row is an error); 0 for a spreadsheet
    width: int  # cells a row is padded to
    date_at: int
    score_at: int
    comment_at: int | None
    ids: list[tuple[int, IdLookup]]
    id_names: list[tuple[str, int]]
    segments: list[int]
    segment_names: list[str]
    where: list[tuple[int, str]]
    delimiter: str

    def too_many(self, cells: int) -> str:
        """The message for a row with more cells than the header names."""
        shown = {",": "comma", ";": "semicolon"}.get(self.delimiter, "tab")
        return (
            f"the row has {cells} values but the header names {self.count} "
            f"columns: quote any value that contains a {shown}"
        )


def _delimiter_hint(header: list[str], responses: Responses) -> str:
    if len(header) != 1 or responses.is_spreadsheet:
        return ""
    for char, setting in ((";", '";"'), ("\t", '"\\t"'), (",", '","')):
        if char in header[0] and char != responses.delimiter:
            name = "tab" if char == "\t" else f"'{char}'"
            return f": the file seems to use {name} between columns: set `delimiter: {setting}`"
    return ""


def map_problems(
    responses: Responses, known: Mapping[str, Collection[str]], yaml_rel: str, marks: Marks
) -> list[Problem]:
    """E301 for every id under `responses: map` that names nothing (checked with or without
    a file to read)."""
    problems: list[Problem] = []
    for column in BREAKDOWN_COLUMNS:
        choices = known.get(column)
        for value, target in getattr(responses.map, column).items():
            if target is not None and choices is not None and target not in choices:
                line, col = position(marks, ("responses", "map", column, value))
                message = f"unknown {column} '{target}'{did_you_mean(target, choices)}"
                problems.append(Problem(yaml_rel, line, col, "error", "E301", message))
    return problems


def resolve_columns(
    table: Table,
    rel: str,
    metric: Metric,
    known: Mapping[str, Collection[str]],
    yaml_rel: str,
    marks: Marks,
    error: Error,
) -> tuple[Columns | None, list[Problem]]:
    """The columns of the file's header, or None after reporting why they cannot be used."""
    responses = metric.responses or Responses(file="-")
    header = table.header
    lowered = [h.casefold() for h in header]
    first: dict[str, int] = {}
    for index, name in enumerate(lowered):
        first.setdefault(name, index)
    yaml: list[Problem] = []

    def at_yaml(path: tuple, code: str, message: str) -> None:
        line, col = position(marks, path)
        yaml.append(Problem(yaml_rel, line, col, "error", code, message))

    def lacks(text: str) -> str:
        others = [h for h in header if h]
        return f"'{rel}' has no column '{text}'{did_you_mean(text, others)}"

    found: dict[str, int] = {}
    unmapped: list[str] = []  # required columns neither mapped nor in the header
    mapped_away: list[tuple[str, str]] = []  # (column, its header text) not in the header
    # Comments are published: read only when asked for (a mapped column, or themes), so a
    # release-1 file with a 'comment' column builds the same pages.
    wants_comments = responses.columns.comment is not None or metric.themes is not None
    for column in (*REQUIRED_COLUMNS, *BREAKDOWN_COLUMNS, *(("comment",) * wants_comments)):
        mapped = getattr(responses.columns, column)
        index = first.get((mapped or column).strip().casefold())
        if index is not None:
            found[column] = index
        elif mapped is not None:
            mapped_away.append((column, mapped))
        elif column in REQUIRED_COLUMNS:
            unmapped.append(column)
    missing_required = any(column not in found for column in REQUIRED_COLUMNS)
    # A header of one cell holding another delimiter: the columns were not split, and one
    # line says it all (not a line for each column the settings name).
    hint = _delimiter_hint(header, responses) if missing_required else ""
    if hint:
        absent = [
            getattr(responses.columns, column) or column
            for column in REQUIRED_COLUMNS
            if column not in found
        ]
        names = " and ".join(f"'{name}'" for name in absent)
        plural = "s" if len(absent) > 1 else ""
        error(table.header_line, 1, "E423", f"the header has no {names} column{plural}{hint}")
        unmapped, mapped_away = [], []
    for column, mapped in mapped_away:
        at_yaml(("responses", "columns", column), "E438", lacks(mapped))
    for column in unmapped:
        others = [n for n in lowered if n and n not in REQUIRED_COLUMNS]
        error(
            table.header_line,
            1,
            "E423",
            f"the header has no '{column}' column{did_you_mean(column, others)}: "
            "the first row must name the columns, e.g. 'date,score'",
        )
    segments: list[tuple[str, int]] = []
    for number, name in enumerate(responses.segments):
        index = first.get(name.strip().casefold())
        if index is None:
            if not hint:
                at_yaml(("responses", "segments", number), "E438", lacks(name))
        else:
            segments.append((name, index))
    where: list[tuple[int, str]] = []
    for name, value in responses.where.items():
        index = first.get(name.strip().casefold())
        if index is None:
            if not hint:
                at_yaml(("responses", "where", name), "E439", f"'where': {lacks(name)}")
        else:
            where.append((index, value.strip().casefold()))
    if metric.themes is not None and "comment" not in found and not hint:
        text = responses.columns.comment or "comment"
        at_yaml(
            ("themes",),
            "E440",
            f"'themes' need a comment column, and '{rel}' has no column '{text}': "
            "name it under 'responses: columns: comment'",
        )
    yaml += map_problems(responses, known, yaml_rel, marks)
    used = {*found.values(), *(i for _, i in segments)}
    for index in sorted(used):
        if lowered.count(lowered[index]) > 1:
            twice = lowered.index(lowered[index], index + 1)
            line, col = table.position(table.header_line, twice)
            error(line, col, "E432", f"column '{lowered[index]}' appears twice in the header")
    if missing_required or yaml:
        return None, yaml
    ids = [(column, found[column]) for column in BREAKDOWN_COLUMNS if column in found]
    indexes = [*found.values(), *(i for _, i in segments), *(i for i, _ in where)]
    return Columns(
        count=0 if responses.is_spreadsheet else len(header),
        width=max(indexes) + 1,
        date_at=found["date"],
        score_at=found["score"],
        comment_at=found.get("comment"),
        ids=[(i, IdLookup(name, getattr(responses.map, name), known.get(name))) for name, i in ids],
        id_names=ids,
        segments=[i for _, i in segments],
        segment_names=[name for name, _ in segments],
        where=where,
        delimiter=responses.delimiter,
    ), yaml
