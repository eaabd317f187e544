"""The table every sheet reader gives (see sheets.py for its API), the error it raises and
the limits every reader checks."""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType

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


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def size_error(size: int) -> SheetError:
    return SheetError(
        1,
        1,
        "E420",
        f"the file is {megabytes(size)}, over the 50 MB limit: "
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
