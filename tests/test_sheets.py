"""The table reader (load/sheets.py and its CSV and XLSX readers): dialects, encodings, limits."""

from __future__ import annotations

import codecs
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cxsite.load import sheets, xlsxtable
from cxsite.load.sheets import SheetError, open_table


def _read(path: Path, **options: object) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with open_table(path, **options) as table:  # type: ignore[arg-type]
        return table.header, list(table.rows())


def _error(path: Path, **options: object) -> tuple[int, int, str, str, str | None]:
    with pytest.raises(SheetError) as caught:
        _read(path, **options)
    exc = caught.value
    return exc.line, exc.col, exc.code, exc.message, exc.option


def test_csv_semicolon_cp1252_with_multiline_cell(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    text = 'Datum;Note;Kommentar\r\n2026-07-03;9;"Très bien;\r\nsuper"\r\n\r\n2026-07-04;x;ok\r\n'
    path.write_bytes(text.encode("cp1252"))
    with open_table(path, delimiter=";", encoding="cp1252") as table:
        assert table.header == ["Datum", "Note", "Kommentar"]
        rows = list(table.rows())
        assert rows == [
            (2, ["2026-07-03", "9", "Très bien;\r\nsuper"]),
            (5, ["2026-07-04", "x", "ok"]),
        ]
        assert table.position(5, 1) == (5, 12)
        assert table.position(2, 2) == (2, 14)
        assert table.position(5, 7) == (5, 16)  # past the end of a short row


def test_header_rows_count_records_not_lines(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('Q5,Q6\n"How likely\nare you?",Why\n{"ImportId":"QID5"},x\n9,good\n')
    with open_table(path, header_rows=3) as table:
        assert table.header == ["Q5", "Q6"]
        assert [line for line, _ in table.header_cells] == [1, 2, 4]
        assert list(table.rows()) == [(5, ["9", "good"])]


def test_utf8_bom_and_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"date,score\n2026-07-03,9\n")
    assert _read(path)[0] == ["date", "score"]
    path.write_bytes("date\tscore\n2026-07-03\t9\n".encode("utf-16"))
    assert _read(path, encoding="utf-16", delimiter="\t") == (
        ["date", "score"],
        [(2, ["2026-07-03", "9"])],
    )


def test_encoding_errors(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("date,score\n2026-07-03,9\n".encode("utf-16-le"))
    assert _error(path)[2:4] == (
        "E421",
        "the file contains NUL bytes, as UTF-16 without a byte order mark does: save it as "
        "UTF-8 (or as UTF-16 with a BOM and set 'encoding: utf-16')",
    )
    assert _error(path, encoding="utf-16")[2] == "E421"
    path.write_bytes("date,score\n2026-07-03,9\n".encode("utf-16"))
    assert _error(path)[3:] == (
        "the file starts with a UTF-16 byte order mark: set 'encoding: utf-16'",
        "encoding",
    )
    path.write_bytes(b"date,score\n2026-07-03,9,caf\xe9\n")
    assert _error(path)[:4] == (
        2,
        17,
        "E421",
        "the file is not valid UTF-8 (try 'encoding: cp1252' for an Excel CSV from Windows)",
    )
    path.write_bytes(b"date,score\n2026-07-03,\x81\n")
    assert _error(path, encoding="cp1252")[:3] == (2, 12, "E421")
    assert _read(path, encoding="latin-1")[1] == [(2, ["2026-07-03", "\x81"])]
    # lines end at a lone CR too (old Mac exports), as every other position counts them
    path.write_bytes(b"date,score\r2026-07-03,9\r2026-07-04,caf\xe9\r")
    assert _error(path)[:3] == (3, 15, "E421")
    path.write_bytes(b"date,score\r2026-07-03,9\r\x00")
    assert _error(path)[:3] == (3, 1, "E421")


def test_header_rows_beyond_the_file_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n")
    assert _error(path, header_rows=3) == (
        2,
        1,
        "E434",
        "'header_rows' is 3 but the file has only 2 non-empty row(s): set 'header_rows' "
        "to the number of rows above the first answer",
        "header_rows",
    )
    path.write_text("\n\n")
    assert _error(path)[2] == "E422"


def test_broken_quotes_raise_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('a,b\n1,2\n3,"x\n')
    assert _error(path)[:3] == (3, 1, "E431")


def test_a_one_megabyte_field_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1," + "x" * 1_100_000 + "\n")
    assert len(_read(path)[1][0][1][1]) == 1_100_000


def test_size_limit_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.truncate(sheets.MAX_FILE_BYTES + 1)
    assert _error(path)[2:4] == (
        "E420",
        "the file is 50.0 MB, over the 50 MB limit: split it or pre-aggregate it into 'values'",
    )
    xlsx = tmp_path / "big.xlsx"
    path.rename(xlsx)
    assert _error(xlsx)[2] == "E420"


def _workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Answers"
    sheet.append(["Date", "Score", "Finished", "Note"])
    sheet.append([dt.datetime(2026, 7, 3, 14, 22, 9), 10.0, True, "fine"])
    sheet.append([])
    sheet.append([dt.date(2026, 7, 4), "=1+1", False, None])
    book.create_sheet("Other").append(["x"])
    book.save(path)


def test_xlsx_values_as_text_formulas_never_evaluated(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    _workbook(path)
    header, rows = _read(path)
    assert header == ["Date", "Score", "Finished", "Note"]
    # Row 3 is blank; the formula has no cached value, so it reads as an empty cell.
    assert rows == [
        (2, ["2026-07-03 14:22:09", "10", "TRUE", "fine"]),
        (4, ["2026-07-04", "", "FALSE"]),
    ]
    assert _read(path, sheet="other") == (["x"], [])
    assert _error(path, sheet="Answer")[2:] == (
        "E437",
        "the workbook has no sheet 'Answer' (did you mean 'Answers'?); "
        "its sheets: 'Answers', 'Other'",
        "sheet",
    )


def test_xlsx_not_a_zip_encrypted_damaged(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_text("date,score\n")
    assert _error(path)[2:4] == ("E435", "the file is not an .xlsx workbook (not a zip archive)")
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600)
    assert _error(path)[2:4] == (
        "E435",
        "the workbook is encrypted (password-protected) or an old .xls: "
        "save it again as an .xlsx without a password",
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    line, col, code, message, _ = _error(path)
    assert (line, col, code) == (1, 1, "E435")
    assert message.startswith("cannot read the workbook: ")


def test_xlsx_zip_bomb_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (200 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    line, col, code, message, _ = _error(path)
    assert (code, line, col) == ("E436", 1, 1)
    assert message.startswith("'xl/worksheets/sheet1.xml' unpacks ")
    assert message.endswith(
        "times its packed size (over 100): refused as a possible zip bomb: "
        "the spreadsheet is not read"
    )


def test_xlsx_limits_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in range(30):
        sheet.append([row, row])
    book.save(path)
    monkeypatch.setattr(xlsxtable, "MAX_ROWS", 20)
    assert _error(path)[2:4] == ("E436", "the sheet has over 20 rows: the spreadsheet is not read")
    monkeypatch.setattr(xlsxtable, "MAX_ROWS", 100)
    monkeypatch.setattr(xlsxtable, "MAX_CELLS", 50)
    assert _error(path)[3] == "the sheet has over 50 cells: the spreadsheet is not read"


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _shared_strings_workbook(path: Path, strings: list[str], cells: str) -> None:
    """A minimal workbook whose sheet is `cells` (the XML of its rows) and whose shared
    strings are `strings`, written part by part as Excel lays them out."""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets><sheet '
        'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>{cells}'
        "</sheetData></worksheet>",
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">'
        + "".join(f"<si><t>{text}</t></si>" for text in strings)
        + "</sst>",
    }
    with zipfile.ZipFile(path, "w") as out:
        for name, body in parts.items():
            out.writestr(name, body)


def test_xlsx_negative_shared_string_index_is_an_error_not_the_last_string(
    tmp_path: Path,
) -> None:
    """openpyxl reads a cell's shared-string index as a list index: `-1` silently took the
    last string of the table (found by the hostile audit)."""
    path = tmp_path / "a.xlsx"
    row = '<row r="{0}"><c r="A{0}" t="s"><v>{1}</v></c><c r="B{0}" t="s"><v>{2}</v></c></row>'
    cells = row.format(1, 0, 1) + row.format(2, 2, 3)
    _shared_strings_workbook(path, ["name", "owner", "Kiosk", "Store team"], cells)
    assert _read(path) == (["name", "owner"], [(2, ["Kiosk", "Store team"])])
    _shared_strings_workbook(
        path, ["name", "owner", "Kiosk", "Store team"], cells.replace("<v>2</v>", "<v>-1</v>")
    )
    assert _error(path)[:4] == (
        2,
        1,
        "E435",
        "cannot read the workbook here: bad shared-string index -1",
    )


def test_an_out_of_range_date_serial_reads_as_an_error_value_without_a_warning(
    tmp_path: Path,
) -> None:
    """openpyxl printed a UserWarning to stderr (under --quiet too) for a date cell whose
    serial number is out of range; the cell reads as '#VALUE!', which its column's checks
    report."""
    import warnings

    path = tmp_path / "a.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["date", "score"])
    sheet.append([99999999, 9])
    sheet["A2"].number_format = "yyyy-mm-dd"
    book.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _read(path) == (["date", "score"], [(2, ["#VALUE!", "9"])])
