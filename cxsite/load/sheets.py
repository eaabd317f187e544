"""Tables from survey exports and spreadsheets: a .csv or .xlsx read as text cells.

The API (stable: `cxsite import` and the responses reader share it):

    with open_table(path, header_rows=1, delimiter=",", encoding="utf-8", sheet=None) as t:
        t.header          # list[str]: the cells of the first header row, stripped
        t.header_line     # int: its line (CSV) or row (XLSX), 1-based
        t.header_cells    # list[tuple[int, list[str]]]: every header row with its line or row
        for line, cells in t.rows():   # the data rows after the header rows, blank rows
            ...                        # skipped; cells are str ("" for an empty cell)
        t.position(line, index)        # (line, col) of cell `index` of the row at `line`
        for cells in t.scan():         # rows() for millions of rows: the cell lists only,
            t.line_of(cells)           # blank rows included; the line of the row just given

Positions are 1-based: a CSV's own line number (a quoted value spanning lines counts
every line) and character column; an XLSX's row number and cell column (A = 1). Every
failure is a `SheetError(line, col, code, message, option)`, raised by `open_table` or
while iterating `rows()`; `option` names the setting at fault ("header_rows", "sheet",
"encoding", "delimiter") when the fix is there rather than in the file.

Limits, checked before reading and while reading: 50 MB per file; for an XLSX (a zip
archive) at most 512 MB uncompressed, a compression ratio of 100 per member over 1 MB
(zip bombs), 2,000 members, 100 sheets, a 64 MB shared-strings table, 1,048,576 rows,
16,384 columns and 20 million cells. Formulas are never evaluated (the value Excel cached
is read; none is an empty cell), links to other workbooks are never followed, and an
`.xlsm` is read as data only: its macros are never loaded or run.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2_000
MAX_SHEETS = 100
MAX_SHARED_STRINGS = 64 * 1024 * 1024
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELLS = 20_000_000
DELIMITERS = (",", ";", "\t")
ENCODINGS = ("utf-8", "utf-16", "cp1252", "latin-1")
# The codec each encoding is read with: a UTF-8 BOM is dropped, UTF-16 reads its BOM.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_CODECS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "cp1252": "cp1252", "latin-1": "latin-1"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook or an old .xls


class SheetError(Exception):
    """Why a table cannot be read, at a 1-based (line, col) of the file."""

    def __init__(
        self, line: int, col: int, code: str, message: str, option: str | None = None
    ) -> None:
        super().__init__(message)
        self.line, self.col, self.code, self.message, self.option = (
            line,
            col,
            code,
            message,
            option,
        )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _size_error(size: int) -> SheetError:
    return SheetError(
        1,
        1,
        "E420",
        f"the file is {_mb(size)}, over the 50 MB limit: "
        "split it or pre-aggregate it into 'values'",
    )


class Table:
    """An open table; see the module docstring. Use it as a context manager."""

    header: list[str]
    header_line: int
    header_cells: list[tuple[int, list[str]]]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line or row, cells) of every non-blank data row, in file order."""
        raise NotImplementedError

    def scan(self) -> Iterator[list[str]]:
        """The cells of every data row, as `rows()` gives them without their line (blank
        rows may be included: skip a row of empty cells); `line_of` tells the line of the
        row just given. Raises SheetError as `rows()` does."""
        for line, cells in self.rows():
            self._scanned = line
            yield cells

    def line_of(self, cells: list[str]) -> int:
        """The line (or row) where `cells`, the row `scan()` gave last, starts."""
        return self._scanned

    def position(self, line: int, index: int) -> tuple[int, int]:
        """The 1-based (line, col) where cell `index` of the row at `line` starts."""
        return line, index + 1

    def close(self) -> None:
        """Release the file."""

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _take_header(self, rows: Iterator[tuple[int, list[str]]], header_rows: int) -> None:
        self.header_cells = []
        for found in rows:
            self.header_cells.append(found)
            if len(self.header_cells) == header_rows:
                break
        if not self.header_cells:
            raise SheetError(1, 1, "E422", "the file is empty: it needs a header row")
        if len(self.header_cells) < header_rows:
            got = len(self.header_cells)
            raise SheetError(
                self.header_cells[-1][0],
                1,
                "E434",
                f"'header_rows' is {header_rows} but the file has only {got} non-empty "
                f"row(s): set 'header_rows' to the number of rows above the first answer",
                "header_rows",
            )
        self.header_line, first = self.header_cells[0]
        self.header = [cell.strip() for cell in first]


# --- CSV ------------------------------------------------------------------------------


def _decode_check(raw: bytes, encoding: str) -> None:
    """Raise E421 unless `raw` decodes in `encoding` (with the position of the first bad byte)."""
    if encoding == "utf-16":
        if not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise SheetError(
                1,
                1,
                "E421",
                "the file has no UTF-16 byte order mark (BOM): save it as UTF-8, "
                "or as UTF-16 with a BOM ('Unicode text' in Excel)",
                "encoding",
            )
        try:
            raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            text = raw[: exc.start - exc.start % 2].decode("utf-16", "replace")
            raise _bad_byte(text, "UTF-16") from None
        return
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SheetError(
            1,
            1,
            "E421",
            "the file starts with a UTF-16 byte order mark: set 'encoding: utf-16'",
            "encoding",
        )
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        line = len(_LINE_BREAK_BYTES.findall(raw, 0, at)) + 1
        raise SheetError(
            line,
            1,
            "E421",
            "the file contains NUL bytes, as UTF-16 without a byte order mark does: "
            "save it as UTF-8 (or as UTF-16 with a BOM and set 'encoding: utf-16')",
            "encoding",
        )
    try:
        raw.decode(_CODECS[encoding])
    except UnicodeDecodeError as exc:
        name = {"utf-8": "UTF-8", "cp1252": "cp1252 (Windows-1252)"}.get(encoding, encoding)
        hint = ""
        if encoding == "utf-8":
            hint = " (try 'encoding: cp1252' for an Excel CSV from Windows)"
        raise _bad_byte(raw[: exc.start].decode(_CODECS[encoding], "replace"), name, hint) from None


def _bad_byte(before: str, name: str, hint: str = "") -> SheetError:
    # lines end as the CSV reader ends them (CRLF, LF or a lone CR), as other positions do
    lines = _LINE_BREAK.split(before)
    line = len(lines)
    col = len(lines[-1]) + 1
    if before.startswith("\ufeff") and line == 1:
        col -= 1
    return SheetError(line, col, "E421", f"the file is not valid {name}{hint}", "encoding")


def _field_starts(raw: str, first_line: int, delimiter: str) -> list[tuple[int, int]]:
    """The (line, col) where each field of one CSV record starts, quotes and newlines honoured."""
    starts = [(first_line, 1)]
    line, col, quoted, i = first_line, 1, False, 0
    while i < len(raw):
        char = raw[i]
        if char == '"':
            quoted = not quoted
        elif char in "\r\n":
            if not quoted:
                break
            if char == "\n" or raw[i + 1 : i + 2] != "\n":
                line, col = line + 1, 0
        elif char == delimiter and not quoted:
            starts.append((line, col + 1))
        i += 1
        col += 1
    return starts


class _CsvTable(Table):
    def __init__(
        self, path: Path, header_rows: int, delimiter: str, encoding: str, raw: bytes
    ) -> None:
        _decode_check(raw, encoding)
        self.path, self.delimiter, self.codec = path, delimiter, _CODECS[encoding]
        self._lines: list[str] | None = None
        # A comment of 1 MB is one field: raise the csv module's 128 kB field limit (a
        # process-wide setting, so it is set here, where the first table is read).
        csv.field_size_limit(MAX_FILE_BYTES)
        self._handle: TextIO = path.open(encoding=self.codec, newline="")
        self._reader = csv.reader(self._handle, delimiter=delimiter, strict=True)
        self._last = 0
        self._take_header(self._records(header=True), header_rows)

    def _records(self, header: bool = False) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        last = self._last
        try:
            for fields in reader:
                start, last = last + 1, reader.line_num
                if fields and (len(fields) > 1 or fields[0].strip()):
                    if header:  # where the data rows start, for rows()
                        self._last = last
                    yield start, fields
        except csv.Error as exc:
            # The record that failed starts where its quote opened.
            raise SheetError(
                last + 1, 1, "E431", f"cannot parse the CSV here ({exc}): check the quotes"
            ) from None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of every non-blank data row, in file order."""
        return self._records()

    def scan(self) -> Iterator[list[str]]:
        """The CSV parser itself (no Python step per row): a row's line is only worked out
        when `line_of` asks, from where the parser stands and the line breaks in the row."""
        started = self._last
        try:
            yield from self._reader
        except csv.Error as exc:
            # Where the failing record starts: the end of the last good one, read again.
            last = started
            with self.path.open(encoding=self.codec, newline="") as handle:
                again = csv.reader(handle, delimiter=self.delimiter, strict=True)
                try:
                    for _ in again:
                        last = again.line_num
                except csv.Error:
                    pass
            raise SheetError(
                last + 1, 1, "E431", f"cannot parse the CSV here ({exc}): check the quotes"
            ) from None

    def line_of(self, cells: list[str]) -> int:
        """The line where `cells` (the row `scan()` gave last) starts: the parser's line
        less the line breaks inside its quoted values."""
        breaks = 0
        for cell in cells:
            if "\n" in cell or "\r" in cell:
                breaks += len(_LINE_BREAK.findall(cell))
        return self._reader.line_num - breaks

    def _raw(self, start: int) -> str:
        if self._lines is None:  # read the lines only once a row needs a column position
            with self.path.open(encoding=self.codec, newline="") as handle:
                self._lines = list(handle)
        taken: list[str] = []
        quotes = 0
        for text in self._lines[start - 1 :]:
            taken.append(text)
            quotes += text.count('"')
            if quotes % 2 == 0:
                break
        return "".join(taken)

    def position(self, line: int, index: int) -> tuple[int, int]:
        """The line and character column where field `index` of the record at `line` starts."""
        raw = self._raw(line)
        starts = _field_starts(raw, line, self.delimiter)
        if index < len(starts):
            return starts[index]
        first = raw.splitlines()[0] if raw else ""
        return line, len(first) + 1  # the row stops before this column: just past its end

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


# --- XLSX -----------------------------------------------------------------------------


def _check_archive(path: Path, head: bytes) -> None:
    """Raise E435/E436 for a file that is not a workbook or is a zip bomb, before parsing."""
    if head.startswith(_OLE):
        raise SheetError(
            1,
            1,
            "E435",
            "the workbook is encrypted (password-protected) or an old .xls: "
            "save it again as an .xlsx without a password",
        )
    if not zipfile.is_zipfile(path):
        raise SheetError(1, 1, "E435", "the file is not an .xlsx workbook (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError(1, 1, "E435", f"the workbook is damaged: {exc}") from None
    if len(members) > MAX_MEMBERS:
        raise _limit(f"the archive has {len(members)} parts, over the limit of {MAX_MEMBERS}")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise _limit(f"the workbook unpacks to {_mb(total)}, over the 512 MB limit")
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/sheet")]
    if len(sheets) > MAX_SHEETS:
        raise _limit(f"the workbook has {len(sheets)} sheets, over the limit of {MAX_SHEETS}")
    for member in members:
        if member.filename.lower() == "xl/sharedstrings.xml" and (
            member.file_size > MAX_SHARED_STRINGS
        ):
            raise _limit(
                f"the shared-strings table is {_mb(member.file_size)}, over the 64 MB limit"
            )
        if member.file_size > 1024 * 1024 and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise _limit(
                f"'{member.filename}' unpacks {ratio} times its packed size "
                f"(over {MAX_RATIO}): refused as a possible zip bomb"
            )


def _limit(message: str) -> SheetError:
    return SheetError(1, 1, "E436", f"{message}: the spreadsheet is not read")


def _text(value: Any) -> str:
    """A cell's value as the text a reader sees in Excel (dates as ISO date-times)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


class _XlsxTable(Table):
    def __init__(self, path: Path, header_rows: int, sheet: str | None, head: bytes) -> None:
        _check_archive(path, head)
        # openpyxl is imported here, when a workbook is read: `cxsite check` of a project
        # without spreadsheets never pays for it.
        import openpyxl

        try:
            self._book = openpyxl.load_workbook(
                path, read_only=True, data_only=True, keep_links=False, keep_vba=False
            )
        except Exception as exc:  # openpyxl raises many kinds for a damaged archive
            raise SheetError(1, 1, "E435", f"cannot read the workbook: {_reason(exc)}") from None
        names = list(self._book.sheetnames)
        if sheet is None:
            if not names:
                self._book.close()
                raise SheetError(1, 1, "E435", "the workbook has no sheet")
            chosen = names[0]
        else:
            found = [n for n in names if n.strip().lower() == sheet.strip().lower()]
            if not found:
                self._book.close()
                match = difflib.get_close_matches(sheet, names, n=1)
                hint = f" (did you mean '{match[0]}'?)" if match else ""
                listed = ", ".join(f"'{n}'" for n in names[:10])
                raise SheetError(
                    1,
                    1,
                    "E437",
                    f"the workbook has no sheet '{sheet}'{hint}; its sheets: {listed}",
                    "sheet",
                )
            chosen = found[0]
        worksheet = self._book[chosen]
        if not hasattr(worksheet, "reset_dimensions"):  # a chart sheet
            self._book.close()
            raise SheetError(1, 1, "E435", f"sheet '{chosen}' is a chart, not a table")
        # The stated size is not trusted: rows come as stored, never padded to it.
        worksheet.reset_dimensions()
        self._worksheet = worksheet
        self._cells = 0
        self._iter = self._records()
        self._take_header(self._iter, header_rows)

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        row_number = 0
        try:
            for values in self._worksheet.iter_rows(values_only=True):
                row_number += 1
                if row_number > MAX_ROWS:
                    raise _limit(f"the sheet has over {MAX_ROWS:,} rows")
                if len(values) > MAX_COLUMNS:
                    raise _limit(
                        f"row {row_number} has {len(values):,} columns, over {MAX_COLUMNS:,}"
                    )
                self._cells += len(values)
                if self._cells > MAX_CELLS:
                    raise _limit(f"the sheet has over {MAX_CELLS:,} cells")
                cells = [_text(v) for v in values]
                while cells and not cells[-1].strip():
                    cells.pop()
                if cells:
                    yield row_number, cells
        except SheetError:
            raise
        except Exception as exc:  # a damaged sheet part, bad XML, a bad cell value
            raise SheetError(
                row_number + 1, 1, "E435", f"cannot read the workbook here: {_reason(exc)}"
            ) from None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row, cells) of every non-blank data row, in sheet order."""
        return self._iter

    def close(self) -> None:
        """Close the workbook."""
        self._book.close()


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


# --- opening --------------------------------------------------------------------------


def open_table(
    path: Path,
    *,
    header_rows: int = 1,
    delimiter: str = ",",
    encoding: str = "utf-8",
    sheet: str | None = None,
) -> Table:
    """Open a .csv, .xlsx or .xlsm (by suffix) as a Table; raises SheetError.

    `delimiter` and `encoding` apply to CSV only, `sheet` (a sheet name, case-insensitive;
    default the first sheet) to XLSX only. The file is never followed through a symlink."""
    if header_rows < 1:
        raise ValueError("header_rows must be at least 1")
    if delimiter not in DELIMITERS or encoding not in ENCODINGS:
        raise ValueError(f"unsupported delimiter {delimiter!r} or encoding {encoding!r}")
    try:
        info = path.lstat()
        if path.is_symlink() or not path.is_file():
            raise SheetError(1, 1, "E433", "cannot read the file: not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise _size_error(info.st_size)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            with path.open("rb") as handle:
                head = handle.read(8)
            return _XlsxTable(path, header_rows, sheet, head)
        raw = path.read_bytes()
        if len(raw) > MAX_FILE_BYTES:  # grew since it was measured
            raise _size_error(len(raw))
        return _CsvTable(path, header_rows, delimiter, encoding, raw)
    except OSError as exc:
        raise SheetError(1, 1, "E433", f"cannot read the file: {exc.strerror or exc}") from None
