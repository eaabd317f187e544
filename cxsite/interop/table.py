"""A spreadsheet to import, read as a header and rows of cells, each cell with its position.

Positions are 1-based, as problem lines need them: for a CSV the file's own line and the
character column where the cell starts (quotes and line breaks inside cells honoured); for
an XLSX the sheet row and the cell's column number. Rows are streamed, so a file of 100,000
rows is never held in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cxsite.interop.csvout import restore
from cxsite.problems import Problem

MAX_BYTES = 50 * 1024 * 1024
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx",)
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Cell:
    """One cell: its text (or number, from an XLSX) and 1-based line (row) and column."""

    value: str | float | int | bool | dt.date | None
    line: int
    col: int

    @property
    def raw(self) -> str:
        """The cell as text as written (a would-be formula's protecting `'` removed)."""
        value = self.value
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if isinstance(value, dt.datetime):
            return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return restore(str(value))

    @property
    def text(self) -> str:
        """The cell as text, stripped; an empty string for an empty cell."""
        return self.raw.strip()


class TableError(Exception):
    """The file cannot be read as a table at all; `problem` says why and where."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


@dataclass
class Table:
    """A header row and an iterator over the rows after it (blank rows skipped)."""

    header: list[Cell]
    rows: Iterator[list[Cell]]
    last_line: int  # the line of the header, or of the last row read


def _fail(label: str, line: int, col: int, code: str, message: str) -> TableError:
    return TableError(Problem(label, line, col, "error", code, message))


def open_table(path: Path, label: str) -> Table:
    """The table in `path` (CSV or XLSX); `label` names the file in problems."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise _fail(label, 1, 1, "E460", f"cannot read the file: {exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise _fail(
            label,
            1,
            1,
            "E420",
            f"the file is {size / 1024 / 1024:.1f} MB, over the 50 MB limit: split it",
        )
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or suffix in XLSX_SUFFIXES:
        return _xlsx(path, label, head)
    if suffix not in CSV_SUFFIXES or (b"\x00" in head and not _utf16(head)):
        raise _fail(
            label,
            1,
            1,
            "E460",
            f"'{path.name}' is neither a CSV nor an XLSX file: save the sheet as .csv or .xlsx",
        )
    return _csv(path, label)


def _utf16(head: bytes) -> bool:
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _xlsx(path: Path, label: str, head: bytes) -> Table:
    # The XLSX reader is load/sheets.py (read-only, cached values, limits); until it is
    # merged an XLSX file is refused with a clear line rather than read by a second reader.
    raise _fail(label, 1, 1, "E460", f"'{path.name}': XLSX import needs cxsite's sheet reader")


def _decoded_lines(path: Path, label: str) -> Iterator[str]:
    """The file's lines, decoded (UTF-8 with or without BOM, or UTF-16 with a BOM)."""
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        encoding = "utf-16" if _utf16(head) else "utf-8-sig"
        decoder = codecs.getincrementaldecoder(encoding)()
        line_no, pending = 1, ""
        for raw in iter(lambda: handle.read(1 << 16), b""):
            try:
                text = decoder.decode(raw)
            except UnicodeDecodeError as exc:
                raise _fail(
                    label,
                    line_no + pending.count("\n"),
                    1,
                    "E421",
                    f"the file is not valid {encoding.split('-sig')[0].upper()} "
                    "(or UTF-16 with a BOM): save it as CSV UTF-8",
                ) from exc
            pending += text
            *lines, pending = pending.split("\n")
            for line in lines:
                line_no += 1
                yield line + "\n"
        pending += decoder.decode(b"", final=True)
        if pending:
            yield pending


def _delimiter(first_line: str) -> str:
    """The delimiter of the header line: the most frequent of comma, semicolon and tab."""
    counts = [(first_line.count(d), -i, d) for i, d in enumerate(_DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] else ","


def _starts(raw: str, first_line: int, delimiter: str) -> list[tuple[int, int]]:
    """The (line, col) where each field of one CSV record starts, quotes and newlines honoured."""
    if '"' not in raw:  # the common case: fields are the pieces between delimiters
        starts, col = [], 1
        for piece in raw.rstrip("\r\n").split(delimiter):
            starts.append((first_line, col))
            col += len(piece) + 1
        return starts
    starts = [(first_line, 1)]
    line, col, quoted = first_line, 1, False
    for i, char in enumerate(raw):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n":
            if not quoted:
                break
            if char == "\n" or raw[i + 1 : i + 2] != "\n":
                line, col = line + 1, 0
        elif char == delimiter and not quoted:
            starts.append((line, col + 1))
        col += 1
    return starts


class _Lines:
    """The decoded lines, remembering those of the record the CSV reader is reading."""

    def __init__(self, lines: Iterator[str]):
        self.lines = lines
        self.record: list[str] = []

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.record.append(line)
            yield line


def _csv(path: Path, label: str) -> Table:
    lines = _Lines(_decoded_lines(path, label))
    peek = iter(lines)
    try:
        first = next(peek)
    except StopIteration:
        first = ""
    delimiter = _delimiter(first)

    def replay() -> Iterator[str]:
        yield first
        yield from peek

    reader = csv.reader(replay(), delimiter=delimiter, strict=True)
    state = {"last": 0}

    def records() -> Iterator[list[Cell]]:
        while True:
            lines.record = [first] if state["last"] == 0 else []
            start = state["last"] + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _fail(
                    label,
                    start,
                    1,
                    "E467",
                    f"cannot read the CSV here ({exc}): check the quotes",
                ) from exc
            state["last"] = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            starts = _starts("".join(lines.record), start, delimiter)
            yield [
                Cell(text, *(starts[i] if i < len(starts) else (start, 1)))
                for i, text in enumerate(fields)
            ]

    rows = records()
    header = next(rows, None)
    if header is None:
        raise _fail(
            label, 1, 1, "E461", "the sheet is empty: it needs a header row naming the columns"
        )
    table = Table(header, rows, header[0].line)
    return table
