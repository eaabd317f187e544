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

from pathlib import Path

from cxsite.load.csvtable import CsvTable
from cxsite.load.table import (
    DELIMITERS,
    ENCODINGS,
    MAX_FILE_BYTES,
    SheetError,
    Table,
    size_error,
)
from cxsite.load.xlsxtable import XlsxTable

__all__ = ["MAX_FILE_BYTES", "SheetError", "Table", "open_table"]


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
            raise size_error(info.st_size)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            with path.open("rb") as handle:
                head = handle.read(8)
            return XlsxTable(path, header_rows, sheet, head)
        raw = path.read_bytes()
        if len(raw) > MAX_FILE_BYTES:  # grew since it was measured
            raise size_error(len(raw))
        return CsvTable(path, header_rows, delimiter, encoding, raw)
    except OSError as exc:
        raise SheetError(1, 1, "E433", f"cannot read the file: {exc.strerror or exc}") from None
