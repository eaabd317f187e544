"""Sheet rows turned into YAML data with a position for every key, and the problem report."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import compress, zip_longest
from typing import Any

from cxsite.english import counted
from cxsite.interop.columns import LINE_BREAK, Cell_Problem, Column, cell_value
from cxsite.problems import CxError, Problem

# The code of a cell that `cxsite check` would reject in the YAML written (wrong type,
# unknown value, out of range, unknown id...): SPEC 8.11 reports a sheet's problems as E4xx.
BAD_CELL = "E469"
# Characters no YAML file of a project may hold, even escaped (load/yamltree.py).
NOT_IN_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
DataPath = tuple[str | int, ...]


def _cell_column(line: int, index: int) -> tuple[int, int]:
    return line, index + 1


class ImportFailed(CxError):
    """The sheet has problems, or would bring some into other files; nothing was written."""

    def __init__(self, problems: list[Problem], elsewhere: int = 0):
        self.problems = problems
        self.elsewhere = elsewhere
        parts = []
        if len(problems) > elsewhere:
            parts.append(f"{counted(len(problems) - elsewhere, 'problem')} in the sheet")
        if elsewhere:
            parts.append(f"{counted(elsewhere, 'problem')} it would bring into the project")
        super().__init__("nothing written: " + " and ".join(parts))


class Report:
    """The problems of one sheet: every bad cell, with its position (SPEC 8.11).

    A row's marks place each key at a stand-in, (line, -(index + 1)) for the cell at
    `index` of the row at `line`, which costs nothing to make: working out a CSV cell's
    column means reading its record again, so `locate` (the table's) turns a stand-in into
    the cell's real (line, col) only for a problem found there."""

    def __init__(self, label: str):
        self.label = label
        self.shown: list[Problem] = []
        self.bad_columns: set[int] = set()  # header cells already reported
        self.locate: Callable[[int, int], tuple[int, int]] = _cell_column
        # problems the import would bring into the project, at their own places in its files
        self.elsewhere: list[Problem] = []

    def add(self, line: int, col: int, code: str, message: str) -> None:
        """One problem at `line:col` of the sheet (`col` may be a stand-in)."""
        if col < 0:
            line, col = self.locate(line, -col - 1)
        self.shown.append(Problem(self.label, line, col, "error", code, message))

    def cells(self, problems: list[Cell_Problem]) -> None:
        """Problems found at header cells."""
        for cell, code, message in problems:
            self.add(*cell.position, code, message)

    def extend(self, problems: list[Problem]) -> None:
        """Problems placed by the schema or the reference checks at marks that may be
        stand-ins.

        A sheet's problems are data-file problems (SPEC 8.11: E4xx): one that `cxsite
        check` reports with a schema or reference code (E2xx, E3xx) is a bad cell here,
        E469, with the same message."""
        for p in problems:
            self.add(p.line, p.col, p.code if p.code.startswith("E4") else BAD_CELL, p.message)

    def raise_if_any(self) -> None:
        """Stop the import when anything is wrong."""
        if not self.shown and not self.elsewhere:
            return
        problems = sorted(self.shown, key=Problem.sort_key)
        raise ImportFailed([*problems, *self.elsewhere], len(self.elsewhere))


@dataclass(frozen=True)
class Planned:
    """One file an import writes: where, what, whether it replaces a file, what to print."""

    rel: str
    text: str
    replaces: bool
    note: str
    # the sheet's cell of each data path of the file
    places: Mapping[DataPath, tuple[int, int]] = field(default_factory=dict)
    # where the parts kept from the file replaced (a journey's own keys, the rest of a
    # metric) are in that file now
    kept: Mapping[DataPath, tuple[int, int]] = field(default_factory=dict)


class Located(Mapping[DataPath, tuple[int, int]]):
    """Marks whose stand-ins (see `Report`) are turned into real cell positions as they
    are asked for, by the table's `locate` (which works after the table is closed)."""

    __slots__ = ("locate", "marks")

    def __init__(
        self, marks: Mapping[DataPath, tuple[int, int]], locate: Callable[[int, int], Any]
    ) -> None:
        self.marks = marks
        self.locate = locate

    def __getitem__(self, path: DataPath) -> tuple[int, int]:
        line, col = self.marks[path]
        return self.locate(line, -col - 1) if col < 0 else (line, col)

    def __iter__(self) -> Iterator[DataPath]:
        return iter(self.marks)

    def __len__(self) -> int:
        return len(self.marks)


class RowMarks(Mapping[DataPath, tuple[int, int]]):
    """The marks of one row: every key and item of a row is at a cell of that row, so a
    mark is the row's line and a column, `cols[path]` (a stand-in: see `Report`). Rows with
    the same cells filled share one `cols`."""

    __slots__ = ("cols", "line")

    def __init__(self, line: int, cols: dict[DataPath, int]) -> None:
        self.line = line
        self.cols = cols

    def get(self, path: DataPath, default: Any = None) -> Any:
        """The mark of `path`, or `default` (load.reader.position asks for many absent ones)."""
        col = self.cols.get(path)
        return default if col is None else (self.line, col)

    def __getitem__(self, path: DataPath) -> tuple[int, int]:
        return self.line, self.cols[path]

    def __contains__(self, path: object) -> bool:
        return path in self.cols

    def __iter__(self) -> Iterator[DataPath]:
        return iter(self.cols)

    def __len__(self) -> int:
        return len(self.cols)


class Row:
    """One sheet row as YAML data, with the mark of each key and list item."""

    __slots__ = ("cols", "data", "line")

    def __init__(self, line: int, data: dict[str, Any], cols: dict[DataPath, int]) -> None:
        self.line = line
        self.data = data
        self.cols = cols

    @property
    def marks(self) -> RowMarks:
        """Where each key and item of the row is (made when asked: most rows never are)."""
        return RowMarks(self.line, self.cols)


def _lines(raw: str) -> list[str]:
    """An aligned list cell (evidence): items at line breaks (or `;`), empty ones kept."""
    parts = LINE_BREAK.split(raw) if "\n" in raw or "\r" in raw else raw.split(";")
    while parts and not parts[-1].strip():
        parts.pop()
    return [part.strip() for part in parts]


def _shared_cols(
    columns: list[Column | None], filled: tuple[bool, ...], shared: dict[tuple[bool, ...], Any]
) -> dict[DataPath, int]:
    """The columns dict of the rows with the cells `filled` (made once per pattern)."""
    cols = shared.get(filled)
    if cols is None:
        cols = {(): 1}  # a missing key: the row's first column
        for index, (column, full) in enumerate(zip(columns, filled, strict=True)):
            if full and column is not None:
                cols[column.path] = -1 - index
        shared[filled] = cols
    return cols


def read_row(line: int, texts: list[str], columns: list[Column | None], report: Report) -> Row:
    """The YAML data of the row at `line`, cell by cell; stray values (beyond the header,
    under no header) reported."""
    data: dict[str, Any] = {}
    cols: dict[DataPath, int] = {(): 1}  # a missing key: the row's first column
    evidence: dict[str, tuple[int, list[str]]] = {}
    controls = NOT_IN_YAML.search("".join(texts)) is not None
    index = -1
    for raw, column in zip(texts, columns, strict=False):
        index += 1
        text = raw.strip()
        if not text:
            continue
        if column is None:
            if index not in report.bad_columns:
                report.add(line, -1 - index, "E468", "a value in a column with no header")
            continue
        if controls and (bad := NOT_IN_YAML.search(raw)) is not None:
            message = (
                f"the cell holds the control character U+{ord(bad.group()):04X}, "
                "which a YAML file cannot hold: remove it"
            )
            report.add(line, -1 - index, "E467", message)  # kept: nothing is written anyway
        path = column.path
        if len(path) == 1:  # most columns: one key
            data[path[0]] = text if column.kind == "text" else cell_value(raw, column.kind)
            cols[path] = -1 - index
        elif path[0] == "evidence":  # a persona's evidence.source, .url, .date, .study
            cols[path] = -1 - index
            evidence[path[1]] = (-1 - index, _lines(raw))
        else:
            _put(data, cols, path, cell_value(raw, column.kind), -1 - index)
    if len(texts) > len(columns):
        extra = next((i for i in range(len(columns), len(texts)) if texts[i].strip()), None)
        if extra is not None:
            message = (
                f"the row has a value in column {extra + 1} but the header names "
                f"{len(columns)} columns: quote any value that contains the delimiter"
            )
            report.add(line, -1 - extra, "E428", message)
    if evidence:
        _evidence(data, cols, evidence)
    return Row(line, data, cols)


def _put(
    data: dict[str, Any], cols: dict[DataPath, int], path: tuple[str, ...], value: Any, col: int
) -> None:
    """Set `value` at `path`; a list item or a key inside it is marked by its ancestor's
    mark (load.reader.position looks up the nearest one), the cell's."""
    target = data
    for depth, part in enumerate(path[:-1]):
        target = target.setdefault(part, {})
        cols.setdefault(path[: depth + 1], col)
    target[path[-1]] = value
    cols[path] = col


def _evidence(
    data: dict[str, Any], cols: dict[DataPath, int], columns: dict[str, tuple[int, list[str]]]
) -> None:
    """`evidence.source`, `.url`, `.date` and `.study` cells, one line per entry, as a list:
    a line with only a study is that research study's id, any other an entry."""
    names = [name for name in ("source", "url", "date", "study") if name in columns]
    first = columns[names[0]][0]
    entries: list[dict[str, str] | str] = []
    cols[("evidence",)] = first
    parts = zip_longest(*(columns[name][1] for name in names), fillvalue="")
    for i, values in enumerate(parts):
        entry = {name: value for name, value in zip(names, values, strict=True) if value}
        if set(entry) == {"study"}:
            entries.append(entry["study"])
            cols[("evidence", i)] = columns["study"][0]
            continue
        entries.append(entry)
        cols[("evidence", i)] = first
        for name in names:
            cols[("evidence", i, name)] = columns[name][0]
    data["evidence"] = entries


def stream(
    rows: Iterator[tuple[int, list[str]]], columns: list[Column | None], report: Report
) -> Iterator[Row]:
    """Every row of the sheet as data.

    A sheet whose every column is one top-level key (most are) has its rows read at C
    speed: the cells stripped, converted and zipped with their keys, and one columns dict
    shared by the rows that have the same cells filled. Any other row (a value beyond the
    header, a control character) is read cell by cell, as every row of any other sheet."""
    if not columns or any(c is None or len(c.path) != 1 for c in columns):
        for line, texts in rows:
            yield read_row(line, texts, columns, report)
        return
    keys = [c.path[0] for c in columns if c is not None]
    width = len(keys)
    # the columns whose cells are not kept as their stripped text
    converted = [(i, c.kind) for i, c in enumerate(columns) if c is not None and c.kind != "text"]
    shared: dict[tuple[bool, ...], Any] = {}
    every = _shared_cols(columns, (True,) * width, shared)
    search, join, strip = NOT_IN_YAML.search, "".join, str.strip
    for line, texts in rows:  # the hot loop of an import
        if len(texts) != width or search(join(texts)) is not None:
            yield read_row(line, texts, columns, report)
            continue
        values = list(map(strip, texts))
        if all(values):
            for index, kind in converted:
                values[index] = cell_value(texts[index], kind)
            yield Row(line, dict(zip(keys, values, strict=False)), every)
            continue
        filled = tuple(map(bool, values))
        for index, kind in converted:
            if filled[index]:
                values[index] = cell_value(texts[index], kind)
        data = dict(compress(zip(keys, values, strict=False), filled))
        yield Row(line, data, _shared_cols(columns, filled, shared))
