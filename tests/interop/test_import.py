"""`cxsite import`: the YAML written, and the exact problem lines of bad sheets."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from sheetkit import invoke, snapshot, write_sheet


def test_the_files_written_are_named_from_the_current_folder_as_new_names_them(
    make_project, here, monkeypatch
) -> None:
    root = make_project()
    sheet = str(
        Path(write_sheet(here, "tp.csv", "Name,Channel,Phase\nHelp line,phone,after\n")).resolve()
    )
    monkeypatch.chdir(root.parent)
    result = invoke("import", "touchpoints", sheet, root.name)
    assert result.stdout == (
        f"Wrote {root.name}/touchpoints/help-line.yaml (row 2; id from the name 'Help line')\n"
    )
    monkeypatch.chdir(root / "personas")  # the project found upward, as `new` finds it
    again = invoke("import", "touchpoints", sheet, "--force")
    assert again.stdout == (
        "Wrote ../touchpoints/help-line.yaml (row 2; id from the name 'Help line')\n"
    )
    assert invoke("new", "touchpoint", "desk").stdout == "Created ../touchpoints/desk.yaml\n"


def test_touchpoints_are_written_as_commented_yaml_with_derived_ids(make_project, here) -> None:
    root = make_project()
    sheet = write_sheet(
        here,
        "touchpoints.csv",
        "Name,Channel,Phase,Owner,Expectations,Moment of truth,ratings.maya.importance,"
        "ratings.maya.satisfaction\n"
        'Store checkout,store,during,Retail ops,"Short queue\nReceipt by e-mail",yes,5,2.5\n'
        "Help line,phone,after,,Call back; Knows my order,no,,\n",
    )
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Wrote {root}/touchpoints/store-checkout.yaml (row 2; id from the name 'Store checkout')",
        f"Wrote {root}/touchpoints/help-line.yaml (row 4; id from the name 'Help line')",
    ]
    assert (root / "touchpoints/store-checkout.yaml").read_text(encoding="utf-8") == (
        "# Imported from touchpoints.csv, row 2 (cxsite import touchpoints).\n"
        "name: Store checkout\n"
        "channel: store\n"
        "phase: during\n"
        "owner: Retail ops\n"
        "expectations:\n"
        "  - Short queue\n"
        "  - Receipt by e-mail\n"
        "moment_of_truth: true\n"
        "ratings:\n"
        "  maya:\n"
        "    importance: 5\n"
        "    satisfaction: 2.5\n"
    )
    assert (
        (root / "touchpoints/help-line.yaml")
        .read_text(encoding="utf-8")
        .endswith("expectations:\n  - Call back\n  - Knows my order\nmoment_of_truth: false\n")
    )
    check = invoke("check", str(root))
    assert check.exit_code == 0 and "error" not in check.stdout


def test_two_rows_deriving_the_same_id_get_a_suffix_and_say_so(make_project, here) -> None:
    root = make_project()
    sheet = write_sheet(
        here, "tp.csv", "name,channel,phase\nWeb shop,web,before\nWeb  Shop!,web,during\n"
    )
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.exit_code == 1  # web-shop.yaml exists in the project: --force needed
    assert result.stderr == (
        "Error: nothing written: touchpoints/web-shop.yaml already exists; "
        "use --force to overwrite\n"
    )
    result = invoke("import", "touchpoints", sheet, str(root), "--force")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"Wrote {root}/touchpoints/web-shop.yaml (row 2; id from the name 'Web shop')",
        f"Wrote {root}/touchpoints/web-shop-2.yaml (row 3; id from the name 'Web  Shop!'; "
        "'web-shop' is taken by row 2)",
    ]


def test_an_id_column_is_used_and_checked(make_project, here) -> None:
    root = make_project()
    sheet = write_sheet(
        here,
        "tp.csv",
        "id,name,channel,phase\nkiosk,Kiosk,store,during\nKiosk 2,Kiosk,store,during\n"
        "kiosk,Kiosk again,store,during\n",
    )
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tp.csv:3:1: error E466: 'Kiosk 2' is not a valid id: use lowercase letters, digits "
        "and hyphens, starting with a letter (e.g. 'kiosk-2')",
        "tp.csv:4:1: error E465: id 'kiosk' is used twice (first on row 2)",
    ]


def test_the_id_index_is_never_written_its_page_would_replace_the_list(make_project, here) -> None:
    """`index.yaml` would replace the list page (`check` says E114): an `id` cell `index` is
    refused, a row named "Index" gets `touchpoint-index`, and `--journey-id index` is
    refused (found in review of the reserved id)."""
    root = make_project()
    sheet = write_sheet(here, "tp.csv", "id,name,channel,phase\nindex,Index,store,during\n")
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tp.csv:2:1: error E466: the id 'index' is reserved: its page would replace the list "
        "of touchpoints (touchpoints/index.html): choose another id, e.g. 'touchpoint-index'"
    ]
    named = write_sheet(here, "named.csv", "name,channel,phase\nIndex,store,during\n")
    result = invoke("import", "touchpoints", named, str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Wrote {root}/touchpoints/touchpoint-index.yaml (row 2; id from the name 'Index'; "
        "'index' is the list page's)"
    ]
    stages = write_sheet(here, "stages.csv", "stage,emotion\nBrowse,1\n")
    result = invoke("import", "journey", stages, str(root), "--persona", "maya", "--id", "index")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: the id 'index' is reserved: its page would replace the list of journeys "
        "(journeys/index.html): choose another id, e.g. 'journey-index'"
    )


def test_unknown_header_and_missing_required_column(make_project, here) -> None:
    root = make_project()
    before = snapshot(root)
    sheet = write_sheet(here, "tp.csv", "Name,Chanel,Owner,Colour\nWeb,web,Digital,red\n")
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tp.csv:1:1: error E463: the header has no 'phase' column: the first row names the "
        "columns after the YAML keys, e.g. 'name,channel,phase'",
        "tp.csv:1:6: error E462: unknown column 'Chanel' (did you mean 'channel'?)",
        "tp.csv:1:19: error E462: unknown column 'Colour'",
    ]
    assert result.stderr == "Error: nothing written: 3 problems in the sheet\n"
    assert snapshot(root) == before


def test_bad_cells_of_a_journey_are_all_reported_with_their_positions(make_project, here) -> None:
    root = make_project()
    before = snapshot(root)
    sheet = write_sheet(
        here,
        "stages.csv",
        "name,actions,emotion,touchpoints,pain_points\n"
        "Search,Look around,very bad,web-shp,Slow pages [severity: hihg]\n"
        "Pay,Checkout,5,web-shop,\n"
        "Wait,,-1,,\n",
    )
    result = invoke(
        "import", "journey", sheet, str(root), "--persona", "maya", "--title", "Buy boots"
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "stages.csv:2:20: error E469: 'emotion': expected a number, got text 'very bad'",
        "stages.csv:2:29: error E469: unknown touchpoint 'web-shp' (did you mean 'web-shop'?)",
        "stages.csv:2:37: error E469: unknown value 'hihg' for 'severity' (did you mean 'high'?)",
        "stages.csv:3:14: error E469: 'emotion' is 5, out of range -2..2",
    ]
    assert snapshot(root) == before


def test_a_journey_sheet_becomes_a_journey(make_project, here) -> None:
    root = make_project()
    sheet = write_sheet(
        here,
        "Buy boots.csv",
        "Stage name,Phase,Actions,Emotion,Touchpoints,Pain points,Opportunities\n"
        'Search,before,Look around;Compare,"-0,5",web-shop,'
        '"Slow pages [severity: high, touchpoint: web-shop]\nToo many filters",'
        '"Faster search [impact: high, effort: low, status: planned, owner: Web team]"\n'
        "Pay,during,Checkout,1.5,,,\n",
    )
    result = invoke("import", "journey", sheet, str(root), "--persona", "maya")
    assert result.exit_code == 1  # 'Stage name' is not a key
    assert result.stdout.splitlines()[0] == (
        "Buy boots.csv:1:1: error E462: unknown column 'Stage name' (did you mean 'name'?)"
    )
    (here / sheet).write_text(
        (here / sheet).read_text(encoding="utf-8").replace("Stage name", "Name"), encoding="utf-8"
    )
    result = invoke("import", "journey", sheet, str(root), "--persona", "maya")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Wrote {root}/journeys/buy-boots.yaml "
        "(2 stages from rows 2-4; id from the title 'Buy boots')\n"
    )
    assert (root / "journeys/buy-boots.yaml").read_text(encoding="utf-8") == (
        "# Imported from Buy boots.csv, rows 2-4 (cxsite import journey).\n"
        "title: Buy boots\n"
        "personas:\n"
        "  - maya\n"
        "stages:\n"
        "  - name: Search\n"
        "    phase: before\n"
        "    actions:\n"
        "      - Look around\n"
        "      - Compare\n"
        "    emotion: -0.5\n"
        "    touchpoints:\n"
        "      - web-shop\n"
        "    pain_points:\n"
        "      - text: Slow pages\n"
        "        severity: high\n"
        "        touchpoint: web-shop\n"
        "      - Too many filters\n"
        "    opportunities:\n"
        "      - text: Faster search\n"
        "        impact: high\n"
        "        effort: low\n"
        "        status: planned\n"
        "        owner: Web team\n"
        "  - name: Pay\n"
        "    phase: during\n"
        "    actions:\n"
        "      - Checkout\n"
        "    emotion: 1.5\n"
    )
    assert invoke("check", str(root)).exit_code == 0


def test_journey_needs_a_known_persona(make_project, here) -> None:
    root = make_project()
    sheet = write_sheet(here, "j.csv", "name\nSearch\n")
    result = invoke("import", "journey", sheet, str(root))
    assert result.exit_code == 2
    assert "import journey needs at least one --persona ID" in result.stderr
    result = invoke("import", "journey", sheet, str(root), "--persona", "mya")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: unknown persona 'mya' (did you mean 'maya'?): --persona takes a persona id\n"
    )


def test_values_are_appended_to_the_metric_keeping_its_comments(make_project, here) -> None:
    root = make_project(
        {"metrics/csat.yaml": "# Store CSAT, from the till survey\nname: CSAT\nkind: csat\n"}
    )
    sheet = write_sheet(here, "csat.csv", "Period;Value\n2026-01;81,5\n2026-02;83\n")
    result = invoke("import", "values", sheet, str(root), "--metric", "csat")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {root}/metrics/csat.yaml (2 values from rows 2-3)\n"
    assert (root / "metrics/csat.yaml").read_text(encoding="utf-8") == (
        "# Store CSAT, from the till survey\n"
        "name: CSAT\n"
        "kind: csat\n"
        "# values imported from csat.csv, rows 2-3 (cxsite import values)\n"
        "values:\n"
        "  - period: 2026-01\n"
        "    value: 81.5\n"
        "  - period: 2026-02\n"
        "    value: 83\n"
    )
    again = invoke("import", "values", sheet, str(root), "--metric", "csat")
    assert again.exit_code == 1
    assert again.stderr == (
        "Error: nothing written: metrics/csat.yaml (its values or responses) would be "
        "replaced; use --force to overwrite\n"
    )
    forced = invoke("import", "values", sheet, str(root), "--metric", "csat", "--force")
    assert forced.exit_code == 0
    assert (root / "metrics/csat.yaml").read_text(encoding="utf-8").count("values:") == 1


def test_bad_periods_and_values(make_project, here) -> None:
    root = make_project()
    sheet = write_sheet(here, "nps.csv", "period,value\n2026-Q1,31\n2026-13,abc\n2026-Q1,35\n")
    result = invoke("import", "values", sheet, str(root), "--metric", "nps", "--force")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [  # the bad cell hides nothing else (SPEC 8.14)
        "nps.csv:3:1: error E410: period '2026-13' has no month 13 (01..12)",
        "nps.csv:3:9: error E469: 'value': expected a number, got text 'abc'",
        "nps.csv:4:1: error E412: period '2026-Q1' repeats '2026-Q1': periods must be "
        "strictly increasing, oldest first",
    ]
    assert result.stderr == "Error: nothing written: 3 problems in the sheet\n"
    sheet = write_sheet(here, "nps.csv", "period,value\n2026-Q1,31\n2026-13,32\n2026-Q1,35\n")
    result = invoke("import", "values", sheet, str(root), "--metric", "nps", "--force")
    assert result.stdout.splitlines() == [
        "nps.csv:3:1: error E410: period '2026-13' has no month 13 (01..12)",
        "nps.csv:4:1: error E412: period '2026-Q1' repeats '2026-Q1': periods must be "
        "strictly increasing, oldest first",
    ]


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("empty.csv", "", "empty.csv:1:1: error E422: the file is empty: it needs a header row"),
        (
            "header.csv",
            "name,channel,phase\n\n",
            "header.csv:2:1: error E461: the sheet has a header but no rows under it",
        ),
        (
            "sheet.ods",
            "not a sheet",
            "sheet.ods:1:1: error E460: 'sheet.ods' is neither a CSV nor an XLSX file: save "
            "the sheet as .csv or .xlsx",
        ),
        (
            "fake.xlsx",
            "name,channel\n",
            "fake.xlsx:1:1: error E435: the file is not an .xlsx workbook (not a zip archive)",
        ),
    ],
)
def test_sheets_that_are_not_tables(make_project, here, name: str, content: str, line: str) -> None:
    root = make_project()
    result = invoke("import", "touchpoints", write_sheet(here, name, content), str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [line]


def test_stray_values_and_a_column_twice(make_project, here) -> None:
    root = make_project()
    sheet = write_sheet(here, "tp.csv", "name,channel,,phase,Name\nA,web,x,before,B,extra\n")
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.stdout.splitlines() == [
        "tp.csv:1:21: error E464: column 'Name' appears twice (first in column 1)",
    ]
    sheet = write_sheet(here, "tp.csv", "name,channel,,phase\nA,web,x,before,extra\n")
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.stdout.splitlines() == [
        "tp.csv:2:7: error E468: a value in a column with no header",
        "tp.csv:2:16: error E428: the row has a value in column 5 but the header names 4 "
        "columns: quote any value that contains the delimiter",
    ]


def test_every_bad_cell_is_reported(make_project, here) -> None:
    # SPEC 8.11: bad cells are reported as FILE:ROW:COL, each of them
    root = make_project()
    rows = "".join(f"T{i},webb,before\n" for i in range(30))
    result = invoke(
        "import",
        "touchpoints",
        write_sheet(here, "tp.csv", "name,channel,phase\n" + rows),
        str(root),
    )
    assert result.stdout.splitlines() == [
        f"tp.csv:{line}:{len(f'T{line - 2},') + 1}: error E469: unknown channel 'webb' "
        "(did you mean 'web'?)"
        for line in range(2, 32)
    ]
    assert result.stderr == "Error: nothing written: 30 problems in the sheet\n"


def test_problems_are_listed_by_position_whatever_pass_found_them(make_project, here) -> None:
    """A row's schema problems are found before its references: the last row's unknown
    channel (column 6) is found after its bad phase and flag, yet listed before them."""
    root = make_project()
    rows = "".join(f"T{i},web,bfore,yes\n" for i in range(19)) + "Last,wab,bfore,maybe\n"
    sheet = write_sheet(here, "tp.csv", "name,channel,phase,moment_of_truth\n" + rows)
    lines = invoke("import", "touchpoints", sheet, str(root)).stdout.splitlines()
    assert len(lines) == 22
    assert lines[-3:] == [
        "tp.csv:21:6: error E469: unknown channel 'wab' (did you mean 'web'?)",
        "tp.csv:21:10: error E469: unknown value 'bfore' for 'phase' (did you mean 'before'?)",
        "tp.csv:21:16: error E469: 'moment_of_truth': expected true or false, got text 'maybe'",
    ]


def test_problems_found_in_a_later_pass_still_sort_into_place(make_project, here) -> None:
    """Ids are checked in a pass of their own before the rows' models: the bad id of row 23
    is found first and listed last, below row 22's missing role."""
    root = make_project()
    rows = "".join(f"p{i},Person {i},\n" for i in range(2, 23)) + "Bad Id,Person 23,Cook\n"
    sheet = write_sheet(here, "p.csv", "id,name,role\n" + rows)
    lines = invoke("import", "personas", sheet, str(root)).stdout.splitlines()
    assert len(lines) == 22
    assert lines[0] == "p.csv:2:1: error E469: missing required key 'role'"
    assert lines[-2:] == [
        "p.csv:22:1: error E469: missing required key 'role'",
        "p.csv:23:1: error E466: 'Bad Id' is not a valid id: use lowercase letters, digits "
        "and hyphens, starting with a letter (e.g. 'bad-id')",
    ]


def _xlsx(path: Path, rows: list[list[object]], cached: dict[str, str]) -> None:
    """A workbook of `rows`; formula cells given Excel's cached value from `cached` (cell ->
    value), as a workbook saved by Excel has them (openpyxl writes formulas without one)."""
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for ref, value in cached.items():
                    # openpyxl writes an empty value as `<v />`, `<v/>` or `<v></v>`
                    # (its XML writer depends on whether lxml is loaded).
                    start = data.index(f'<c r="{ref}"'.encode())
                    empty = re.compile(rb"<v\s*/>|<v></v>").search(data, start)
                    assert empty is not None
                    cell = f"<v>{value}</v>".encode()
                    data = data[: empty.start()] + cell + data[empty.end() :]
            out.writestr(item, data)


def test_xlsx_formula_cells_give_their_cached_value_never_evaluated(make_project, here) -> None:
    root = make_project({"metrics/csat.yaml": "name: CSAT\nkind: csat\n"})
    rows: list[list[object]] = [["Period", "Value"], ["2026-01", "=1+1"], ["2026-02", 80.5]]
    _xlsx(here / "csat.xlsx", rows, {"B2": "2"})
    result = invoke("import", "values", "csat.xlsx", str(root), "--metric", "csat")
    assert result.exit_code == 0, result.output
    assert (
        (root / "metrics/csat.yaml")
        .read_text(encoding="utf-8")
        .endswith(
            "values:\n  - period: 2026-01\n    value: 2\n  - period: 2026-02\n    value: 80.5\n"
        )
    )


def test_xlsx_formula_without_a_cached_value_is_an_empty_cell(make_project, here) -> None:
    root = make_project({"metrics/csat.yaml": "name: CSAT\nkind: csat\n"})
    _xlsx(here / "csat.xlsx", [["period", "value"], ["2026-01", "=NOW()"]], {})
    result = invoke("import", "values", "csat.xlsx", str(root), "--metric", "csat")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["csat.xlsx:2:1: error E469: missing required key 'value'"]


def test_xlsx_positions_are_rows_and_cell_columns(make_project, here) -> None:
    root = make_project()
    rows: list[list[object]] = [
        ["name", "channel", "phase", "moment_of_truth"],
        ["Kiosk", "store", "during", True],
        ["Chat", "chatt", "after", "maybe"],
    ]
    _xlsx(here / "tp.xlsx", rows, {})
    result = invoke("import", "touchpoints", "tp.xlsx", str(root))
    assert result.stdout.splitlines() == [
        "tp.xlsx:3:2: error E469: unknown channel 'chatt' (did you mean 'chat'?)",
        "tp.xlsx:3:4: error E469: 'moment_of_truth': expected true or false, got text 'maybe'",
    ]


@pytest.mark.slow
def test_a_sheet_of_100000_rows_is_read_to_its_last_row(make_project, here) -> None:
    """Streams every row (timed in benchmarks/bench_import.py, not here)."""
    root = make_project()
    before = snapshot(root)
    with (here / "big.csv").open("w", encoding="utf-8") as out:
        out.write("id,name,channel,phase,expectations\n")
        for i in range(99_999):
            out.write(f"tp-{i},Touchpoint {i},web,during,Fast;Clear\n")
        out.write("tp-last,Last,webb,during,\n")
    result = invoke("import", "touchpoints", "big.csv", str(root))
    assert result.exit_code == 1
    assert result.stdout == (
        "big.csv:100001:14: error E469: unknown channel 'webb' (did you mean 'web'?)\n"
    )
    assert snapshot(root) == before


def test_rows_with_different_cells_filled_point_at_their_own_cells(make_project, here) -> None:
    # Rows of a sheet whose columns are all one key each are read in bulk and share their
    # marks by the pattern of filled cells: every problem still points at its own cell.
    root = make_project()
    sheet = write_sheet(
        here,
        "tp.csv",
        "id,name,channel,phase,moment_of_truth\n"
        "tp-a,A,webb,before,yes\n"
        ",B,,during,maybe\n"
        'tp-c,"C\ntwo lines",webb,after,\n'
        "Bad Id,D,web,sometime,no\n"
        "tp-e,,web,before,\n"
        "  tp-f , F ,  webb  ,during,x\n",
    )
    before = snapshot(root)
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tp.csv:2:8: error E469: unknown channel 'webb' (did you mean 'web'?)",
        "tp.csv:3:1: error E469: missing required key 'channel'",
        "tp.csv:3:12: error E469: 'moment_of_truth': expected true or false, got text 'maybe'",
        "tp.csv:5:12: error E469: unknown channel 'webb' (did you mean 'web'?)",
        "tp.csv:6:1: error E466: 'Bad Id' is not a valid id: use lowercase letters, digits and "
        "hyphens, starting with a letter (e.g. 'bad-id')",
        "tp.csv:6:14: error E469: unknown value 'sometime' for 'phase' (expected one of: "
        "before, during, after)",
        "tp.csv:7:1: error E469: missing required key 'name'",
        "tp.csv:8:13: error E469: unknown channel 'webb' (did you mean 'web'?)",
    ]
    assert snapshot(root) == before


def test_every_bad_cell_is_a_data_file_problem_e469(make_project, tmp_path: Path) -> None:
    """SPEC 8.11: bad cells are `FILE:ROW:COL: error E4xx: ...`; the message and the
    did-you-mean are those `cxsite check` gives, and nothing is written."""
    root = make_project({})
    before = snapshot(root)
    sheet = tmp_path / "tp.csv"
    sheet.write_text("name,channel,phase,moment_of_truth\nKiosk A,kiosk,durin,maybe\n")
    result = invoke("import", "touchpoints", str(sheet), str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{sheet}:2:9: error E469: unknown channel 'kiosk' (add it to 'channels' in cxsite.yaml)",
        f"{sheet}:2:15: error E469: unknown value 'durin' for 'phase' (did you mean 'during'?)",
        f"{sheet}:2:21: error E469: 'moment_of_truth': expected true or false, got text 'maybe'",
    ]
    assert result.stderr == "Error: nothing written: 3 problems in the sheet\n"
    assert snapshot(root) == before
