"""A spreadsheet to import, read through load/sheets.py as a header and rows of cells.

The header is a list of `Cell`s; a data row is its line and its texts, no object per cell
(a sheet has millions): the table's `locate(line, index)` gives the 1-based position of a
cell, as problem lines need it: for a CSV the file's own line and the character column
where the cell starts, for an XLSX the sheet row and the cell's column number. A CSV cell's
column is only worked out when a problem needs it, so a sheet of 100,000 rows streams at
the speed of the CSV module. The delimiter (`,` `;` or
tab) is the one the header line uses most; the encoding is UTF-8 (BOM allowed), UTF-16
with a BOM, or else Windows-1252 (Excel's "CSV" on Windows).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cxsite.interop.csvout import restore
from cxsite.load.sheets import SheetError
from cxsite.load.sheets import Table as SheetTable
from cxsite.load.sheets import open_table as open_sheet
from cxsite.problems import Problem

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_DELIMITERS = (",", ";", "\t")
_SNIFF = 64 * 1024


class Cell:
    """One cell: its text as read (`raw`) and stripped (`text`), its row's line (or sheet
    row) and its index in the row (a header cell, or the cell a problem is reported at)."""

    __slots__ = ("index", "line", "locate", "raw", "text")

    def __init__(
        self, raw: str, line: int, index: int, locate: Callable[[int, int], tuple[int, int]]
    ) -> None:
        self.raw = raw
        self.text = raw.strip()
        self.line = line
        self.index = index
        self.locate = locate

    def __repr__(self) -> str:
        return f"Cell({self.raw!r}, line={self.line}, index={self.index})"

    @property
    def position(self) -> tuple[int, int]:
        """The 1-based (line, col) where the cell starts."""
        return self.locate(self.line, self.index)

    @property
    def col(self) -> int:
        """The 1-based column (character column in a CSV, cell column in an XLSX)."""
        return self.position[1]


class TableError(Exception):
    """The file cannot be read as a table; `problem` says why and where."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


@dataclass
class Table:
    """The header cells, an iterator over the rows after them as (line, texts) (blank rows
    skipped), and where a cell is: `locate(line, index)`."""

    header: list[Cell]
    rows: Iterator[tuple[int, list[str]]]
    close: Callable[[], None]
    locate: Callable[[int, int], tuple[int, int]]


def _fail(label: str, line: int, col: int, code: str, message: str) -> TableError:
    return TableError(Problem(label, line, col, "error", code, message))


def _sniff(path: Path) -> tuple[str, str]:
    """The encoding and delimiter of a CSV, from its bytes and its first line."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        first = head.decode("utf-16", "ignore")
    else:
        encoding = "utf-8"
        try:
            path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding = "cp1252"
        first = head.decode("utf-8-sig" if encoding == "utf-8" else encoding, "ignore")
    line = first.split("\n", 1)[0]
    counts = [(line.count(d), -i, d) for i, d in enumerate(_DELIMITERS)]
    best = max(counts)
    return encoding, best[2] if best[0] else ","


class _Positions:
    """Cell positions of one sheet, the last row's kept (a row's problems share them)."""

    def __init__(self, sheet: SheetTable):
        self.sheet = sheet
        self.last: tuple[int, int, tuple[int, int]] | None = None

    def __call__(self, line: int, index: int) -> tuple[int, int]:
        if self.last is not None and self.last[:2] == (line, index):
            return self.last[2]
        found = self.sheet.position(line, index)
        self.last = (line, index, found)
        return found


def open_table(path: Path, label: str) -> Table:
    """The table in `path` (CSV or XLSX, by suffix); `label` names the file in problems.

    The file stays open while the rows are read: call the table's `close` after."""
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        raise _fail(
            label,
            1,
            1,
            "E460",
            f"'{path.name}' is neither a CSV nor an XLSX file: save the sheet as .csv or .xlsx",
        )
    csv = suffix in CSV_SUFFIXES
    try:
        encoding, delimiter = _sniff(path) if csv and path.is_file() else ("utf-8", ",")
        sheet = open_sheet(path, delimiter=delimiter, encoding=encoding)
    except SheetError as exc:
        raise _fail(label, exc.line, exc.col, exc.code, exc.message) from None
    except OSError as exc:
        raise _fail(label, 1, 1, "E433", f"cannot read the file: {exc.strerror or exc}") from None
    locate = _Positions(sheet)

    def restored(texts: list[str]) -> list[str]:
        # a CSV export's protecting apostrophe comes off (looked for in the whole row first)
        if csv and "'" in "".join(texts):
            return [restore(t) if t[:1] == "'" else t for t in texts]
        return texts

    header_line, header_texts = sheet.header_cells[0]
    header = [Cell(t, header_line, i, locate) for i, t in enumerate(restored(header_texts))]

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, texts in sheet.rows():
                yield line, restored(texts)
        except SheetError as exc:
            raise _fail(label, exc.line, exc.col, exc.code, exc.message) from None

    return Table(header, rows(), sheet.close, locate)
