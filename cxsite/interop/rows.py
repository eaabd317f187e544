"""Sheet rows turned into YAML data with a position for every key, and the problem report."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from cxsite.interop.columns import LINE_BREAK, Cell_Problem, Column, cell_value
from cxsite.interop.table import Cell
from cxsite.problems import CxError, Problem

# Beyond this many problems, one summary line (E429) stands for the rest.
MAX_PROBLEMS = 20
# Characters no YAML file of a project may hold, even escaped (load/yamltree.py).
_NOT_IN_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
DataPath = tuple[str | int, ...]


class CellMarks(Mapping[DataPath, tuple[int, int]]):
    """The marks of imported data: where the cell each key or item came from is.

    Working out a CSV cell's column means reading its record again, so a mark is given as a
    stand-in, (line, -(index + 1)), which costs nothing, and `resolve` turns the stand-in of
    a problem that is shown into the cell's real (line, col)."""

    def __init__(self, places: Mapping[DataPath, Cell | tuple[int, int]] | None = None):
        self.places: dict[DataPath, Cell | tuple[int, int]] = dict(places or {})
        self._cells: dict[tuple[int, int], Cell] | None = None

    def __setitem__(self, path: DataPath, place: Cell | tuple[int, int]) -> None:
        self.places[path] = place

    def setdefault(self, path: DataPath, place: Cell | tuple[int, int]) -> None:
        """Set `place` unless `path` has one."""
        self.places.setdefault(path, place)

    def __getitem__(self, path: DataPath) -> tuple[int, int]:
        place = self.places[path]
        return (place.line, -(place.index + 1)) if isinstance(place, Cell) else place

    def resolve(self, line: int, col: int) -> tuple[int, int]:
        """The real position of a mark (a stand-in becomes its cell's position)."""
        if col > 0:
            return line, col
        if self._cells is None:
            self._cells = {
                (c.line, c.index): c for c in self.places.values() if isinstance(c, Cell)
            }
        cell = self._cells.get((line, -col - 1))
        return cell.position if cell is not None else (line, 1)

    def __iter__(self) -> Iterator[DataPath]:
        return iter(self.places)

    def __len__(self) -> int:
        return len(self.places)


class ImportFailed(CxError):
    """The sheet has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"nothing written: {len(problems)} problem(s) in the sheet")


class Report:
    """The problems of one sheet, the first MAX_PROBLEMS in full, the rest counted."""

    def __init__(self, label: str):
        self.label = label
        self.shown: list[Problem] = []
        self.hidden = 0
        self.first_hidden = (1, 1)
        self.bad_columns: set[int] = set()  # header cells already reported

    def add(self, line: int, col: int, code: str, message: str) -> None:
        """One problem at `line:col` of the sheet."""
        if len(self.shown) < MAX_PROBLEMS:
            self.shown.append(Problem(self.label, line, col, "error", code, message))
            return
        if not self.hidden:
            self.first_hidden = (line, col)
        self.hidden += 1

    def at(self, cell: Cell, code: str, message: str) -> None:
        """A problem at a cell (its position is only worked out when it is shown)."""
        if len(self.shown) < MAX_PROBLEMS or not self.hidden:
            self.add(*cell.position, code, message)
        else:
            self.hidden += 1

    def cells(self, problems: list[Cell_Problem]) -> None:
        """Problems found at cells."""
        for cell, code, message in problems:
            self.at(cell, code, message)

    def extend(self, problems: list[Problem], marks: CellMarks) -> None:
        """Problems placed by the schema or the reference checks at the stand-ins of `marks`
        (real positions are worked out only while problems are still shown)."""
        if len(self.shown) >= MAX_PROBLEMS and self.hidden:
            self.hidden += len(problems)
            return
        placed = [
            Problem(p.path, *marks.resolve(p.line, p.col), p.severity, p.code, p.message)
            for p in problems
        ]
        for problem in sorted(placed, key=Problem.sort_key):
            self.add(problem.line, problem.col, problem.code, problem.message)

    def raise_if_any(self) -> None:
        """Stop the import when anything is wrong."""
        if not self.shown:
            return
        problems = sorted(self.shown, key=Problem.sort_key)
        if self.hidden:
            line, col = self.first_hidden
            message = (
                f"{self.hidden} more problem(s) in this file not shown "
                f"(first {MAX_PROBLEMS} listed above); fix those and run again"
            )
            problems.append(Problem(self.label, line, col, "error", "E429", message))
        raise ImportFailed(problems)


@dataclass(frozen=True)
class Planned:
    """One file an import writes: where, what, whether it replaces a file, what to print."""

    rel: str
    text: str
    replaces: bool
    note: str


@dataclass
class Row:
    """One sheet row as YAML data, with the position of each key and list item."""

    line: int
    data: dict[str, Any] = field(default_factory=dict)
    marks: CellMarks = field(default_factory=CellMarks)

    def cell(self, key: str) -> Cell | None:
        """The cell a top-level key came from."""
        place = self.marks.places.get((key,))
        return place if isinstance(place, Cell) else None


def _lines(cell: Cell) -> list[str]:
    """An aligned list cell (evidence): items at line breaks (or `;`), empty ones kept."""
    text = cell.raw
    parts = LINE_BREAK.split(text) if "\n" in text or "\r" in text else text.split(";")
    while parts and not parts[-1].strip():
        parts.pop()
    return [part.strip() for part in parts]


def read_row(cells: list[Cell], columns: list[Column | None], report: Report) -> Row:
    """The YAML data of one row; stray values (beyond the header, under no header) reported."""
    line = cells[0].line
    row = Row(line)
    data, places = row.data, row.marks.places
    places[()] = (line, 1)  # a missing key: the row's first column
    evidence: dict[str, tuple[Cell, list[str]]] = {}
    controls = _NOT_IN_YAML.search("".join([c.raw for c in cells])) is not None
    for cell, column in zip(cells, columns, strict=False):  # the hot loop of an import
        if not cell.text:
            continue
        if column is None:
            if cell.index not in report.bad_columns:
                report.at(cell, "E468", "a value in a column with no header")
            continue
        if controls and (bad := _NOT_IN_YAML.search(cell.raw)) is not None:
            message = (
                f"the cell holds the control character U+{ord(bad.group()):04X}, "
                "which a YAML file cannot hold: remove it"
            )
            report.at(cell, "E467", message)  # kept in the data: nothing is written anyway
        path = column.path
        if path[0] == "evidence" and len(path) > 1:  # a persona's evidence.source etc.
            places[path] = cell
            evidence[path[1]] = (cell, _lines(cell))
        elif len(path) == 1:  # most columns: one key
            data[path[0]] = cell.text if column.kind == "text" else cell_value(cell, column.kind)
            places[path] = cell
        else:
            _put(row, path, cell_value(cell, column.kind), cell)
    if len(cells) > len(columns):
        extra = next((c for c in cells[len(columns) :] if c.text), None)
        if extra is not None:
            message = (
                f"the row has a value in column {extra.index + 1} but the header names "
                f"{len(columns)} columns: quote any value that contains the delimiter"
            )
            report.at(extra, "E428", message)
    if evidence:
        _evidence(row, evidence)
    return row


def _put(row: Row, path: tuple[str, ...], value: Any, cell: Cell) -> None:
    """Set `value` at `path`; a list item or a key inside it is marked by its ancestor's
    mark (load.reader.position looks up the nearest one), the cell."""
    places = row.marks.places
    target = row.data
    for depth, part in enumerate(path[:-1]):
        target = target.setdefault(part, {})
        places.setdefault(path[: depth + 1], cell)
    target[path[-1]] = value
    places[path] = cell


def _evidence(row: Row, columns: dict[str, tuple[Cell, list[str]]]) -> None:
    """`evidence.source`, `.url`, `.date` cells, one line per entry, as a list of entries."""
    names = [name for name in ("source", "url", "date") if name in columns]
    first = columns[names[0]][0]
    entries: list[dict[str, str]] = []
    row.marks[("evidence",)] = first
    parts = zip_longest(*(columns[name][1] for name in names), fillvalue="")
    for i, values in enumerate(parts):
        entry = {name: value for name, value in zip(names, values, strict=True) if value}
        entries.append(entry)
        row.marks[("evidence", i)] = first
        for name in names:
            cell = columns[name][0]
            row.marks[("evidence", i, name)] = cell
    row.data["evidence"] = entries


def stream(
    rows: Iterator[list[Cell]], columns: list[Column | None], report: Report
) -> Iterator[Row]:
    """Every row of the sheet as data."""
    for cells in rows:
        yield read_row(cells, columns, report)
