"""CSV text for exports: formula injection neutralised, an optional BOM for Excel.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a
formula when the file is opened in a spreadsheet (CSV injection). Such a cell gets a `'`
in front, as OWASP recommends; a plain number (`-1.5`) cannot be a formula and is left as
it is. A cell that already starts with `'` before one of those characters gets one more,
so `cxsite import` (which removes one) reads back exactly what was exported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def neutralise(cell: str) -> str:
    """`cell` made safe to open in a spreadsheet (a `'` in front of a would-be formula)."""
    if not cell:
        return cell
    if cell.startswith(TRIGGERS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    if cell.startswith("'") and cell[1:2] and cell[1:2] in (*TRIGGERS, "'"):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The inverse of `neutralise` for a cell read back by `cxsite import`."""
    if cell.startswith("'") and cell[1:2] and cell[1:2] in (*TRIGGERS, "'"):
        return cell[1:]
    return cell


def number(value: float | int | None) -> str:
    """A number as a cell: `4` rather than `4.0`; empty for None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def join(items: Iterable[str]) -> str:
    """List items as one cell, one per line; a single item holding `;` gets a final line
    break, so that import splits it at line breaks and not at the `;`."""
    text = "\n".join(items)
    if ";" in text and "\n" not in text:
        text += "\n"
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[str]], *, excel: bool = False) -> str:
    """The CSV text (RFC 4180, CRLF line ends); every cell neutralised; a BOM if `excel`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" if excel else "") + out.getvalue()
