"""An .xlsx or .xlsm workbook read as a table (see sheets.py), through openpyxl in
read-only mode: the archive checked for zip bombs first, formulas never evaluated, links
and macros never followed or run."""

from __future__ import annotations

import datetime as dt
import difflib
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cxsite.load.table import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MAX_SHEETS,
    MAX_UNCOMPRESSED,
    SheetError,
    Table,
    megabytes,
)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook or an old .xls


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
        raise _limit(f"the workbook unpacks to {megabytes(total)}, over the 512 MB limit")
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/sheet")]
    if len(sheets) > MAX_SHEETS:
        raise _limit(f"the workbook has {len(sheets)} sheets, over the limit of {MAX_SHEETS}")
    for member in members:
        if member.filename.lower() == "xl/sharedstrings.xml" and (
            member.file_size > MAX_SHARED_STRINGS
        ):
            raise _limit(
                f"the shared-strings table is {megabytes(member.file_size)}, over the 64 MB limit"
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


class XlsxTable(Table):
    """A workbook's sheet as a table."""

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
        shared = getattr(worksheet, "_shared_strings", None)
        if isinstance(shared, list):  # openpyxl's table, read by index from each cell
            worksheet._shared_strings = _SharedStrings(shared)
        self._worksheet = worksheet
        self._cells = 0
        self._iter = self._records()
        self._take_header(self._iter, header_rows)

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        row_number = 0
        try:
            for values in _quietly(self._worksheet.iter_rows(values_only=True)):
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


class _SharedStrings(list):
    """The shared-strings table, refusing an index below 0: openpyxl reads a cell's index
    as a list index, so `-1` silently took the last string of the table."""

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int) and index < 0:
            raise IndexError(f"bad shared-string index {index}")
        return super().__getitem__(index)


def _quietly(rows: Iterator[Any]) -> Iterator[Any]:
    """`rows` without openpyxl's warnings on stderr (a date cell whose serial number is out
    of range: the cell reads '#VALUE!', which the checks of its column report)."""
    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                values = next(rows)
            except StopIteration:
                return
        yield values


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]
