"""Survey exports as they come (SPEC 8.2, 8.3): each tool's export shape reads unedited.

The fixtures in tests/fixtures/exports/ have the shapes the tools write (header rows, date
forms, label scores, delimiters, encodings); the expected values are computed here from
the file with the csv module, independently of cxsite's reader.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest

from cxsite.metricdata.types import MetricData
from cxsite.validate.project import load_project

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def _project(make_project, metric: str, files: dict[str, str | bytes]) -> Path:
    return make_project({"metrics/survey.yaml": metric, **files})


def _data(root: Path, metric: str = "survey") -> MetricData:
    result = load_project(root)
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    return result.metric_data[metric]


def _nps(scores: list[int]) -> float:
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    return (promoters - detractors) / len(scores) * 100


def _by_month(rows: list[tuple[str, int]]) -> dict[str, list[int]]:
    months: dict[str, list[int]] = defaultdict(list)
    for month, score in rows:
        months[month].append(score)
    return dict(sorted(months.items()))


QUALTRICS = """\
name: Visit NPS
kind: nps
target: 40
responses:
  file: data/qualtrics.csv
  header_rows: 3
  columns: {date: RecordedDate, score: Q5, comment: Q6_TEXT}
  where: {Finished: true}
  segments: [Clinic]
themes:
  waiting: [wait, queue]
  booking: [book online, booking online, online booking]
"""


def test_qualtrics_three_header_rows_labels_finished_and_blank_scores(make_project) -> None:
    text = (FIXTURES / "qualtrics.csv").read_text()
    root = _project(make_project, QUALTRICS, {"data/qualtrics.csv": text})
    data = _data(root)
    records = list(csv.reader(io.StringIO(text, newline="")))
    header, answers = records[0], records[3:]
    at = {name: header.index(name) for name in ("RecordedDate", "Q5", "Finished", "Clinic")}
    kept = [r for r in answers if r[at["Finished"]] == "True"]
    scored = [(r[at["RecordedDate"]][:7], int(r[at["Q5"]].split()[0])) for r in kept if r[at["Q5"]]]
    months = _by_month(scored)
    assert [p.period for p in data.points] == list(months)
    for point, scores in zip(data.points, months.values(), strict=True):
        assert point.n == len(scores)
        assert point.value == pytest.approx(_nps(scores))
    # The blank scores of finished answers are left out and counted, per month.
    blank = Counter(r[at["RecordedDate"]][:7] for r in kept if not r[at["Q5"]])
    assert dict(data.unscored) == dict(blank) and sum(blank.values()) > 0
    # Unfinished answers are not read at all, so their blank scores are not counted.
    assert sum(data.unscored.values()) < sum(1 for r in answers if not r[at["Q5"]])
    clinics = Counter(r[at["Clinic"]] for r in kept if r[at["Q5"]])
    assert {k: p.n for k, p in data.segments["Clinic"].items()} == dict(clinics)
    assert data.comments is not None
    assert data.comments.total == sum(1 for r in kept if r[header.index("Q6_TEXT")].strip())


def test_qualtrics_comments_themes_and_masking(make_project) -> None:
    text = (FIXTURES / "qualtrics.csv").read_text()
    root = _project(make_project, QUALTRICS, {"data/qualtrics.csv": text})
    comments = _data(root).comments
    assert comments is not None
    waiting, booking = comments.themes
    assert (waiting.name, booking.name) == ("waiting", "booking")
    # Whole words, any case: "wait" and "Long wait" count, "waiting" does not.
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = records[0]
    finished = [r for r in records[3:] if r[header.index("Finished")] == "True"]
    said = [r[header.index("Q6_TEXT")] for r in finished if r[header.index("Q6_TEXT")]]
    expected = sum(1 for c in said if {"wait", "queue"} & set(c.lower().replace(",", " ").split()))
    assert waiting.mentions == expected
    assert waiting.share == pytest.approx(expected / len(said))
    assert len(waiting.samples) == 3
    dates = [c.date for c in waiting.samples]
    assert dates == sorted(dates, reverse=True)  # latest first
    every = [c.text for row in comments.themes for c in row.samples]
    assert not any("@" in c or "496 0123" in c for c in every)
    assert comments.unthemed == sum(
        1
        for c in said
        if not any(
            w in c.lower().replace(",", " ").replace(".", " ").split() for w in ("wait", "queue")
        )
        and not any(p in c.lower() for p in ("book online", "booking online", "online booking"))
    )


def test_surveymonkey_two_header_rows_question_text_headers(make_project) -> None:
    question = "How likely is it that you would recommend Lakeside Clinic to a friend or colleague?"
    metric = (
        "name: NPS\nkind: nps\ntarget: 40\nresponses:\n"
        "  file: data/sm.csv\n  header_rows: 2\n"
        "  date_format: '%m/%d/%Y %I:%M:%S %p'\n"
        f"  columns: {{date: End Date, score: '{question}'}}\n"
        "  segments: [Which clinic did you visit?]\n"
    )
    text = (FIXTURES / "surveymonkey.csv").read_text()
    data = _data(_project(make_project, metric, {"data/sm.csv": text}))
    records = list(csv.reader(io.StringIO(text, newline="")))[2:]
    rows = [
        (dt.datetime.strptime(r[3], "%m/%d/%Y %I:%M:%S %p").strftime("%Y-%m"), int(r[8]))
        for r in records
    ]
    months = _by_month(rows)
    assert [(p.period, p.n) for p in data.points] == [(m, len(s)) for m, s in months.items()]
    assert data.points[-1].value == pytest.approx(_nps(list(months.values())[-1]))
    assert sum(p.n or 0 for p in data.segments["Which clinic did you visit?"].values()) == 40


def test_typeform_iso_date_times_with_z(make_project) -> None:
    metric = (
        "name: Booking effort\nkind: ces\ntarget: 5\nscale: [1, 7]\nresponses:\n"
        "  file: data/typeform.csv\n"
        "  columns: {date: Submit Date (UTC), score: How easy was it to book your visit?}\n"
    )
    text = (FIXTURES / "typeform.csv").read_text()
    data = _data(_project(make_project, metric, {"data/typeform.csv": text}))
    records = list(csv.reader(io.StringIO(text, newline="")))[1:]
    months = _by_month([(r[4][:7], int(r[1])) for r in records])
    assert [p.period for p in data.points] == list(months)
    for point, scores in zip(data.points, months.values(), strict=True):
        assert point.value == pytest.approx(sum(scores) / len(scores))


def test_google_forms_month_first_timestamps_and_label_scores(make_project) -> None:
    metric = (
        "name: Visit CSAT\nkind: csat\ntarget: 80\nresponses:\n"
        "  file: data/forms.csv\n  date_format: '%m/%d/%Y %H:%M:%S'\n"
        "  columns:\n    date: Timestamp\n"
        "    score: How satisfied were you with your visit today?\n"
        "    comment: Anything else you would like to tell us?\n"
    )
    text = (FIXTURES / "google-forms.csv").read_text()
    data = _data(_project(make_project, metric, {"data/forms.csv": text}))
    records = list(csv.reader(io.StringIO(text, newline="")))[1:]
    rows = [
        (dt.datetime.strptime(r[0], "%m/%d/%Y %H:%M:%S").strftime("%Y-%m"), int(r[1][0]))
        for r in records
    ]
    months = _by_month(rows)
    for point, scores in zip(data.points, months.values(), strict=True):
        assert point.value == pytest.approx(sum(s >= 4 for s in scores) / len(scores) * 100)
    assert data.comments is not None and data.comments.themes == ()
    assert len(data.comments.samples) == 3  # no themes: the latest comments


def test_excel_semicolon_cp1252_day_first_and_missing(make_project) -> None:
    metric = (
        "name: Zufriedenheit\nkind: csat\ntarget: 80\nresponses:\n"
        "  file: data/excel.csv\n  delimiter: ';'\n  encoding: cp1252\n"
        "  date_format: '%d.%m.%Y'\n  missing: [k. A.]\n"
        "  columns: {date: Datum, score: Bewertung, comment: Kommentar}\n"
        "  segments: [Standort]\n"
    )
    raw = (FIXTURES / "excel-semicolon-cp1252.csv").read_bytes()
    data = _data(_project(make_project, metric, {"data/excel.csv": raw}))
    records = list(csv.reader(io.StringIO(raw.decode("cp1252"), newline=""), delimiter=";"))[1:]
    assert sum(data.unscored.values()) == sum(1 for r in records if r[1] == "k. A.")
    assert sum(p.n or 0 for p in data.points) == sum(1 for r in records if r[1] != "k. A.")
    assert data.comments is not None
    assert any("€" in c.text or "ö" in c.text or "ä" in c.text for c in data.comments.samples)


@pytest.mark.parametrize("themes", ["", "themes:\n  price: [teuer]\n"])
def test_the_wrong_delimiter_is_one_line_naming_the_mapped_columns(make_project, themes) -> None:
    """An Excel export read without `delimiter: ';'` has one header cell: one line says so,
    naming the columns as the settings map them, not a line for each column, segment,
    `where` key or the themes' comment column the settings name."""
    metric = (
        "name: Zufriedenheit\nkind: csat\ntarget: 80\nresponses:\n"
        "  file: data/excel.csv\n  encoding: cp1252\n"
        "  date_format: '%d.%m.%Y'\n  missing: [k. A.]\n"
        "  columns: {date: Datum, score: Bewertung, comment: Kommentar}\n"
        "  segments: [Standort]\n  where: {Standort: Wien}\n" + themes
    )
    raw = (FIXTURES / "excel-semicolon-cp1252.csv").read_bytes()
    root = _project(make_project, metric, {"data/excel.csv": raw})
    assert [p.format() for p in load_project(root).problems if p.severity == "error"] == [
        "data/excel.csv:1:1: error E423: the header has no 'Datum' and 'Bewertung' columns: "
        "the file seems to use ';' between columns: set `delimiter: \";\"`",
    ]


def test_xlsx_first_sheet_dates_and_numbers(make_project, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Responses"
    sheet.append(["Submitted", "NPS", "Persona", "Why?"])
    sheet.append([dt.datetime(2026, 7, 3, 14, 22, 9), 10, "maya", "Quick checkout"])
    sheet.append([dt.datetime(2026, 7, 9, 9, 1, 0), 6.0, None, '=HYPERLINK("x")'])
    sheet.append([dt.date(2026, 8, 1), "9 - Very likely", "maya", "call 0161 496 0123"])
    book.create_sheet("Notes").append(["ignored"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    metric = (
        "name: NPS\nkind: nps\ntarget: 40\nresponses:\n  file: data/export.xlsx\n"
        "  columns: {date: Submitted, score: NPS, persona: Persona, comment: Why?}\n"
    )
    data = _data(_project(make_project, metric, {"data/export.xlsx": path.read_bytes()}))
    assert [(p.period, p.n, p.value) for p in data.points] == [
        ("2026-07", 2, 0.0),
        ("2026-08", 1, 100.0),
    ]
    assert data.breakdowns["persona"]["maya"].n == 2
    assert data.comments is not None
    # The formula's text is never shown, nor evaluated: a formula cell without a cached
    # value is empty, so that answer has no comment.
    assert [c.text for c in data.comments.samples] == ["call [phone]", "Quick checkout"]


def test_map_turns_export_labels_into_ids_and_null_ignores(make_project) -> None:
    metric = (
        "name: NPS\nkind: nps\ntarget: 40\nresponses:\n  file: data/a.csv\n"
        "  columns: {persona: Q9}\n"
        "  map:\n    persona: {Runner: maya, Other: null}\n"
    )
    text = "date,score,Q9\n2026-07-01,10,Runner\n2026-07-02,3,Other\n2026-07-03,9,maya\n"
    data = _data(_project(make_project, metric, {"data/a.csv": text}))
    assert data.points[0].n == 3
    assert {k: p.n for k, p in data.breakdowns["persona"].items()} == {"maya": 2}


def test_a_release_one_comment_column_is_not_published(make_project) -> None:
    metric = "name: NPS\nkind: nps\ntarget: 40\nresponses: data/a.csv\n"
    text = "date,score,comment\n2026-07-01,10,mail me at a@example.com\n"
    data = _data(_project(make_project, metric, {"data/a.csv": text}))
    assert data.comments is None


def test_build_publishes_masked_comments_in_page_search_and_json(make_project, tmp_path) -> None:
    from click.testing import CliRunner

    from cxsite.cli import cli

    text = (FIXTURES / "qualtrics.csv").read_text()
    text = text.replace("Great service", "<script>alert(1)</script> Long wait <b>x</b>")
    metric = QUALTRICS.replace("themes:", "comment_samples: 20\nthemes:")
    root = _project(make_project, metric, {"data/qualtrics.csv": text})
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(out), "--no-pdf"])
    assert result.exit_code == 0, result.output
    page = (out / "metrics" / "survey.html").read_text()
    assert "What customers say" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "[phone]" in page and "496 0123" not in page
    document = json.loads((out / "data" / "cx.json").read_text())
    said = document["metrics"]["survey"]["computed"]["comments"]
    assert [t["name"] for t in said["themes"]] == ["waiting", "booking"]
    assert "example.com" not in json.dumps(said) and "496 0123" not in json.dumps(said)
    index = (out / "search-index.js").read_text()
    assert "waiting" in index and "496 0123" not in index and "<script>" not in index


def test_xlsx_problems_at_row_and_column(make_project, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["When", "Score", "Persona"])
    sheet.append([None, "Response", "Response"])  # a second header row, as SurveyMonkey's
    sheet.append([dt.datetime(2026, 7, 3, 14, 22, 9), "Very likely", "maya"])
    sheet.append([dt.date(2026, 7, 4), 11, "mya"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    metric = (
        "name: NPS\nkind: nps\ntarget: 40\nresponses:\n  file: data/export.xlsx\n"
        "  header_rows: 2\n  columns: {date: When, score: Score, persona: Persona}\n"
    )
    root = _project(make_project, metric, {"data/export.xlsx": path.read_bytes()})
    assert [p.format() for p in load_project(root).problems if p.severity == "error"] == [
        "data/export.xlsx:3:2: error E425: score 'Very likely' is not a whole number and does "
        "not start with one; list it under 'missing' if it means no answer",
        "data/export.xlsx:4:2: error E426: score 11 is outside the NPS scale 0..10",
        "data/export.xlsx:4:3: error E427: unknown persona 'mya' (did you mean 'maya'?)",
    ]
