"""Hostile survey exports (issue 19 point 3 and its cases for `responses`): escapes in
messages, markup in comments and theme names, huge comments, wide and long sheets."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cxsite.cli import cli
from cxsite.validate.project import load_project

NPS = "name: NPS\nkind: nps\ntarget: 40\n"


def _lines(root: Path) -> list[str]:
    return [p.format() for p in load_project(root).problems if p.severity == "error"]


def test_control_characters_and_bidi_overrides_are_escaped_in_messages(make_project) -> None:
    metric = NPS + 'responses:\n  file: data/a.csv\n  columns: {score: "Sco\\u202ere"}\n'
    text = "date,Score,\u202eevil\n2026-07-01,\u202e9,x\n2026-07-02,\x1b[2J,y\n"
    root = make_project({"metrics/nps.yaml": metric, "data/a.csv": text})
    lines = _lines(root)
    assert lines == [
        "metrics/nps.yaml:6:13: error E438: 'data/a.csv' has no column "
        "'Sco\\u202ere' (did you mean 'Score'?)",
    ]
    root = make_project({"metrics/nps.yaml": NPS + "responses: data/a.csv\n", "data/a.csv": text})
    lines = _lines(root)
    assert lines == [
        "data/a.csv:2:12: error E425: score '\\u202e9' is not a whole number and does not "
        "start with one; list it under 'missing' if it means no answer",
        "data/a.csv:3:12: error E425: score '\\x1b[2J' is not a whole number and does not "
        "start with one; list it under 'missing' if it means no answer",
    ]
    assert all("\u202e" not in line and "\x1b" not in line for line in lines)


@pytest.mark.pdf
def test_markup_in_comments_and_theme_names_is_text_everywhere(make_project, tmp_path) -> None:
    metric = (
        NPS + "responses:\n  file: data/a.csv\n  columns: {comment: Why}\n"
        "themes:\n  '<img src=x onerror=alert(1)>': [script, img]\n"
        "  '{{ cycler.__init__.__globals__ }}': [queue]\n"
    )
    text = (
        "date,score,Why\n"
        '2026-07-01,9,"<script>alert(1)</script> queue"\n'
        '2026-07-02,3,"<img src=x onerror=alert(2)> **bold** [link](javascript:alert(3))"\n'
    )
    root = make_project({"metrics/nps.yaml": metric, "data/a.csv": text})
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "metrics" / "nps.html").read_text()
    for raw in ("<script>alert(1)", "<img src=x", 'href="javascript'):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; queue" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the theme name, as text
    assert "**bold** [link](javascript:alert(3))" in page  # never Markdown
    assert "{{ cycler.__init__.__globals__ }}" in page  # never a template
    index = (out / "search-index.js").read_text()
    assert "<script" not in index and "<img" not in index
    # The PDF briefs are built from the same project and carry no markup from comments.
    for pdf in (out / "briefs").glob("*.pdf"):
        assert b"onerror" not in pdf.read_bytes()


def test_a_one_megabyte_comment_is_kept_and_cut_on_the_page(make_project, tmp_path) -> None:
    metric = NPS + "responses:\n  file: data/a.csv\n  columns: {comment: Why}\n"
    long = "slow " * 210_000  # 1,050,000 characters
    text = f'date,score,Why\n2026-07-01,9,"{long}"\n2026-07-02,10,short\n'
    root = make_project({"metrics/nps.yaml": metric, "data/a.csv": text})
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(out), "--no-pdf"])
    assert result.exit_code == 0, result.output
    page = (out / "metrics" / "nps.html").read_text()
    assert len(page) < 200_000
    assert f"shortened: the full comment has {len(long.strip()):,} characters" in page
    document = (out / "data" / "cx.json").read_text()
    assert long.strip() in document


def test_path_traversal_in_responses_file(make_project) -> None:
    root = make_project({"metrics/nps.yaml": NPS + "responses:\n  file: ../../../etc/passwd\n"})
    assert _lines(root) == [
        "metrics/nps.yaml:5:3: error E402: '../../../etc/passwd' points outside the project "
        "(through '..')",
    ]


def test_external_links_are_not_followed_and_formulas_not_evaluated(make_project, tmp_path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["date", "score", "comment"])
    sheet.append(["2026-07-01", "='[other.xlsx]Sheet1'!A1", '=WEBSERVICE("http://127.0.0.1:9/x")'])
    sheet.append(["2026-07-02", 9, "fine"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    metric = NPS + "responses:\n  file: data/a.xlsx\n  columns: {comment: comment}\n"
    root = make_project({"metrics/nps.yaml": metric, "data/a.xlsx": path.read_bytes()})
    result = load_project(root)
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    data = result.metric_data["nps"]
    # The formula cells have no cached value: an answer without a score, no comment.
    assert data.points[0].n == 1 and dict(data.unscored) == {"2026-07": 1}
    assert data.comments is not None and [c.text for c in data.comments.samples] == ["fine"]


def test_zip_bomb_workbook_is_refused_quickly(make_project, tmp_path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b" " * (300 * 1024 * 1024))
    root = make_project(
        {
            "metrics/nps.yaml": NPS + "responses: data/bomb.xlsx\n",
            "data/bomb.xlsx": path.read_bytes(),
        }
    )
    started = time.perf_counter()
    lines = _lines(root)
    assert time.perf_counter() - started < 5
    assert len(lines) == 1 and lines[0].startswith("data/bomb.xlsx:1:1: error E436: ")


@pytest.mark.slow
def test_ten_thousand_columns_sheet_is_read(make_project, tmp_path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Answers")
    sheet.append(["date", "score", *(f"Q{i}" for i in range(10_000))])
    for day in range(1, 21):
        sheet.append([f"2026-07-{day:02d}", day % 11, *([1] * 10_000)])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    root = make_project(
        {
            "metrics/nps.yaml": NPS + "responses: data/wide.xlsx\n",
            "data/wide.xlsx": path.read_bytes(),
        }
    )
    started = time.perf_counter()
    result = load_project(root)
    assert time.perf_counter() - started < 60
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    assert result.metric_data["nps"].points[0].n == 20


@pytest.mark.slow
def test_a_million_rows_sheet_is_read_within_limits(make_project, tmp_path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Answers")
    sheet.append(["date", "score"])
    for row in range(1_000_000):
        sheet.append(["2026-07-01", row % 11])
    path = tmp_path / "long.xlsx"
    book.save(path)
    root = make_project(
        {
            "metrics/nps.yaml": NPS + "responses: data/long.xlsx\n",
            "data/long.xlsx": path.read_bytes(),
        }
    )
    started = time.perf_counter()
    result = load_project(root)
    assert time.perf_counter() - started < 300
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    assert result.metric_data["nps"].points[0].n == 1_000_000
