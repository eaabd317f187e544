"""A CSV survey export or sheet read as a table (see sheets.py): its encoding checked first,
with the position of the first bad byte; positions honour quotes and line breaks inside
values."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from cxsite.load.table import MAX_FILE_BYTES, SheetError, Table

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_CODECS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "cp1252": "cp1252", "latin-1": "latin-1"}


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


class CsvTable(Table):
    """A CSV file as a table."""

    def __init__(
        self, path: Path, header_rows: int, delimiter: str, encoding: str, raw: bytes
    ) -> None:
        _decode_check(raw, encoding)
        self.path, self.delimiter, self.codec = path, delimiter, _CODECS[encoding]
        self._lines: list[str] | None = None
        # the field starts of the record last asked about: a row's problems, or a header's
        # unknown columns, ask about one record again and again
        self._starts: tuple[int, list[tuple[int, int]], str] = (0, [], "")
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
        # by index, not a slice: a slice copies the rest of the file for every bad row
        for at in range(start - 1, len(self._lines)):
            text = self._lines[at]
            taken.append(text)
            quotes += text.count('"')
            if quotes % 2 == 0:
                break
        return "".join(taken)

    def position(self, line: int, index: int) -> tuple[int, int]:
        """The line and character column where field `index` of the record at `line` starts."""
        if self._starts[0] != line:
            raw = self._raw(line)
            self._starts = (line, _field_starts(raw, line, self.delimiter), raw)
        _, starts, raw = self._starts
        if index < len(starts):
            return starts[index]
        first = raw.splitlines()[0] if raw else ""
        return line, len(first) + 1  # the row stops before this column: just past its end

    def close(self) -> None:
        """Close the file."""
        self._handle.close()
