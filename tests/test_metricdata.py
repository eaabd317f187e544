"""Metric data: the arithmetic of NPS/CSAT/CES, `values` series and responses CSV checks."""

from __future__ import annotations

import datetime as dt
import math
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from projectfiles import HANG

from cxsite.metricdata.periods import PeriodError, bucket, parse_period
from cxsite.metricdata.types import MetricData, PeriodPoint, aggregate
from cxsite.validate.project import load_project

# --- arithmetic ------------------------------------------------------------------------


def test_nps_hand_computed_case() -> None:
    # 48 promoters (60 %), 24 passives, 8 detractors (10 %) of 80: NPS 50 +/- 14.7.
    point = aggregate("nps", "2026-07", [10] * 30 + [9] * 18 + [8] * 24 + [6] * 5 + [0] * 3)
    assert point.period == "2026-07"
    assert point.n == 80
    assert point.value == pytest.approx(50.0)
    # 1.96 * sqrt((0.6 + 0.1 - 0.25) / 80) * 100 = 1.96 * 0.075 * 100
    assert point.moe == pytest.approx(14.7)
    assert (point.promoters, point.passives, point.detractors) == (0.6, 0.3, 0.1)


def test_nps_all_promoters_has_no_margin() -> None:
    point = aggregate("nps", "2026", [9, 10, 10, 9])
    assert point.value == 100.0
    assert point.moe == 0.0
    assert (point.promoters, point.passives, point.detractors) == (1.0, 0.0, 0.0)


def test_nps_single_answer() -> None:
    point = aggregate("nps", "2026-Q1", [7])
    assert (point.value, point.n, point.moe) == (0.0, 1, 0.0)
    assert point.passives == 1.0
    detractor = aggregate("nps", "2026-Q1", [0])
    assert (detractor.value, detractor.n, detractor.moe) == (-100.0, 1, 0.0)


def test_nps_half_promoters_half_detractors() -> None:
    point = aggregate("nps", "2026", [10, 0] * 50)
    assert point.value == 0.0
    assert point.moe == pytest.approx(1.96 * math.sqrt(1 / 100) * 100)  # 19.6


def test_csat_is_share_of_four_and_five() -> None:
    point = aggregate("csat", "2026-07", [5, 4, 3, 2, 1, 5, 4, 4])
    assert point.value == pytest.approx(62.5)
    assert point.n == 8
    assert point.moe == pytest.approx(1.96 * math.sqrt(0.625 * 0.375 / 8) * 100)
    assert point.promoters is None


def test_ces_is_the_mean() -> None:
    point = aggregate("ces", "2026-Q3", [7, 5, 6, 2])
    assert point.value == 5.0
    assert point.n == 4
    assert point.moe == pytest.approx(1.96 * math.sqrt(14 / 3) / 2)
    assert aggregate("ces", "2026", [4]).moe is None


def test_a_whole_score_is_exact_in_the_data() -> None:
    """NPS and CSAT are worked out from the counts, so a whole score is that number in
    `cx.json` and `cxsite diff --format json`, not -60.00000000000001 (0.2 - 0.8, times 100)."""
    assert repr(aggregate("nps", "2026-07", [10] + [0] * 4).value) == "-60.0"
    assert repr(aggregate("nps", "2026-07", [9] * 7 + [8] * 6 + [3] * 7).value) == "0.0"
    assert repr(aggregate("csat", "2026-07", [5] * 29 + [2] * 71).value) == "29.0"


def test_aggregate_refuses_no_answers() -> None:
    with pytest.raises(ValueError):
        aggregate("nps", "2026", [])


# --- periods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "granularity"),
    [("2026", "year"), ("2026-Q3", "quarter"), ("2026-07", "month"), ("2026-07-14", "day")],
)
def test_period_forms(text: str, granularity: str) -> None:
    assert parse_period(text) == granularity


@pytest.mark.parametrize("text", ["2026-Q5", "2026-13", "2026-02-30", "26", "2026/07", "Q3"])
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_bucket() -> None:
    day = dt.date(2026, 8, 31)
    assert (bucket(day, "month"), bucket(day, "quarter"), bucket(day, "year")) == (
        "2026-08",
        "2026-Q3",
        "2026",
    )


# --- values series through load_project --------------------------------------------------


def _lines(root: Path) -> list[str]:
    return [p.format() for p in load_project(root).problems]


def test_values_series_is_kept_in_order(make_project) -> None:
    result = load_project(make_project())
    assert result.problems == []
    data = result.metric_data["nps"]
    assert data == MetricData(
        "nps", (PeriodPoint("2026-Q1", 31.0), PeriodPoint("2026-Q2", 35.0)), "values"
    )


def test_values_series_errors_point_at_the_period(make_project) -> None:
    root = make_project(
        {
            "metrics/nps.yaml": (
                "name: NPS\n"
                "kind: nps\n"
                "target: 40\n"
                "values:\n"
                "  - {period: 2026-01, value: 31}\n"
                "  - {period: 2026-Q2, value: 35}\n"
                "  - period: 2026-13\n"
                "    value: 1\n"
                "  - {period: 2026-03, value: 2}\n"
                "  - {period: 2026-03, value: 2}\n"
                "  - {period: 2026-02, value: 2}\n"
            )
        }
    )
    assert _lines(root) == [
        "metrics/nps.yaml:6:6: error E411: period '2026-Q2' is a quarter but the series uses "
        "months (from '2026-01' on line 5): use one granularity per metric",
        "metrics/nps.yaml:7:5: error E410: period '2026-13' has no month 13 (01..12)",
        "metrics/nps.yaml:10:6: error E412: period '2026-03' repeats '2026-03': periods must "
        "be strictly increasing, oldest first",
        "metrics/nps.yaml:11:6: error E412: period '2026-02' comes before '2026-03': periods "
        "must be strictly increasing, oldest first",
    ]


def test_year_written_as_a_number_is_a_period(make_project) -> None:
    metric = "name: N\nkind: nps\ntarget: 1\nvalues:\n  - {period: 2026, value: 1}\n"
    root = make_project({"metrics/nps.yaml": metric})
    assert _lines(root) == []
    assert load_project(root).metric_data["nps"].points == (PeriodPoint("2026", 1.0),)


# --- responses CSVs ----------------------------------------------------------------------

NPS_YAML = "name: NPS\nkind: nps\ntarget: 40\nresponses: data/nps.csv\n"


def _csv_project(make_project, csv: str | bytes, metric: str = NPS_YAML) -> Path:
    return make_project({"metrics/nps.yaml": metric, "data/nps.csv": csv})


def test_responses_aggregate_per_month_with_breakdowns(make_project) -> None:
    csv = (
        "date,score,persona,journey,touchpoint,comment\n"
        "2026-07-01,10,maya,buy,web-shop,great\n"
        "2026-07-20,6,,buy,,\n"
        '2026-08-02,9,maya,,web-shop,"fast, friendly"\n'
        "\n"
        "2026-08-30,8,maya,buy,web-shop,ok\n"
    )
    result = load_project(_csv_project(make_project, csv))
    assert result.problems == []
    data = result.metric_data["nps"]
    assert data.source == "responses"
    assert [(p.period, p.value, p.n) for p in data.points] == [
        ("2026-07", 0.0, 2),
        ("2026-08", 50.0, 2),
    ]
    assert data.breakdowns["persona"]["maya"].value == pytest.approx(200 / 3)
    assert data.breakdowns["persona"]["maya"].n == 3
    assert data.breakdowns["journey"]["buy"].n == 3
    assert set(data.breakdowns["touchpoint"]) == {"web-shop"}


def test_responses_by_quarter_and_year(make_project) -> None:
    csv = "date,score\n2025-12-31,2\n2026-01-01,4\n2026-03-31,5\n2026-04-01,1\n"
    quarter = NPS_YAML.replace("kind: nps", "kind: csat") + "period: quarter\n"
    points = load_project(_csv_project(make_project, csv, quarter)).metric_data["nps"].points
    assert [(p.period, p.value, p.n) for p in points] == [
        ("2025-Q4", 0.0, 1),
        ("2026-Q1", 100.0, 2),
        ("2026-Q2", 0.0, 1),
    ]
    year = NPS_YAML.replace("kind: nps", "kind: ces") + "period: year\nscale: [1, 5]\n"
    points = load_project(_csv_project(make_project, csv, year)).metric_data["nps"].points
    assert [(p.period, p.value, p.n) for p in points] == [("2025", 2.0, 1), ("2026", 10 / 3, 3)]
    assert load_project(_csv_project(make_project, csv, year)).metric_data["nps"].breakdowns == {}


def test_bom_and_crlf_are_fine(make_project) -> None:
    csv = "\ufeffDate , Score\r\n2026-07-01,10\r\n".encode()
    result = load_project(_csv_project(make_project, csv))
    assert result.problems == []
    assert result.metric_data["nps"].points[0].value == 100.0


def test_every_bad_row_at_its_line_and_column(make_project) -> None:
    csv = (
        "date,score,persona,note\n"
        "2026-07-01,10,maya,ok\n"
        "2026-07-02,11,mya,x\n"
        "2026-13-01,abc,maya\n"
        '2026-07-03,7,,"two\n'
        'lines",extra\n'
        "20260704,9.5\n"
        "2026-07-04,1_0\n"
        "2026-07-05\n"
        ",,,\n"
        "2026-07-06,-1\n"
        "2026-02-30,7\n"
    )
    assert _lines(_csv_project(make_project, csv)) == [
        "data/nps.csv:3:12: error E426: score 11 is outside the NPS scale 0..10",
        "data/nps.csv:3:15: error E427: unknown persona 'mya' (did you mean 'maya'?)",
        "data/nps.csv:4:1: error E424: date '2026-13-01' is not a real date: "
        "there is no month 13 (01..12)",
        "data/nps.csv:4:12: error E425: score 'abc' is not a whole number and does not start "
        "with one; list it under 'missing' if it means no answer",
        "data/nps.csv:6:8: error E428: the row has 5 values but the header names 4 columns: "
        "quote any value that contains a comma",
        "data/nps.csv:7:1: error E424: date '20260704' is not an ISO date (YYYY-MM-DD); "
        "set 'date_format' for other forms, e.g. '%m/%d/%Y %H:%M:%S'",
        "data/nps.csv:7:10: error E425: score '9.5' is not a whole number",
        "data/nps.csv:8:12: error E425: score '1_0' is not a whole number",
        "data/nps.csv:11:12: error E426: score -1 is outside the NPS scale 0..10",
        "data/nps.csv:12:1: error E424: date '2026-02-30' is not a real date: "
        "February 2026 has no day 30",
    ]


def test_a_score_of_thousands_of_digits_is_outside_the_scale(make_project) -> None:
    """int() refuses over 4,300 digits: such a score was a traceback, as a label's too."""
    csv = f"date,score\n2026-07-01,{'1' * 5000}\n2026-07-02,{'9' * 30} - Very likely\n"
    assert _lines(_csv_project(make_project, csv)) == [
        "data/nps.csv:2:12: error E426: score 111111111111… (5000 digits) is outside the NPS "
        "scale 0..10",
        "data/nps.csv:3:12: error E426: score 999999999999… (30 digits) is outside the NPS "
        "scale 0..10",
    ]


def test_a_date_format_with_a_code_twice_is_an_error_not_a_traceback(make_project) -> None:
    """Python's strptime cannot use `%Y%Y` (re.error: every row raised it)."""
    metric = NPS_YAML.replace(
        "responses: data/nps.csv\n",
        'responses:\n  file: data/nps.csv\n  date_format: "%Y%Y-%m-%d"\n',
    )
    assert metric != NPS_YAML
    lines = _lines(_csv_project(make_project, "date,score\n2026-07-01,9\n", metric))
    assert lines == [
        "metrics/nps.yaml:6:3: error E207: 'date_format' '%Y%Y-%m-%d' cannot be read: each "
        "strftime code such as %Y may appear once"
    ]


@pytest.mark.parametrize(
    ("date_format", "why"),
    [
        ("%", "a '%' at its end has no code after it (write '%%' for a percent sign)"),
        ("%d/%Q/%Y", "'%Q' is not a strftime code (such as %Y, %m, %d, %H, %M)"),
    ],
)
def test_a_date_format_strptime_refuses_is_one_error_at_its_key(
    make_project, date_format: str, why: str
) -> None:
    """A stray '%' or an unknown code was one E424 per row of the file (hostile audit)."""
    metric = NPS_YAML.replace(
        "responses: data/nps.csv\n",
        f'responses:\n  file: data/nps.csv\n  date_format: "{date_format}"\n',
    )
    csv = "date,score\n" + "2026-07-01,9\n" * 5
    assert _lines(_csv_project(make_project, csv, metric)) == [
        f"metrics/nps.yaml:6:3: error E207: 'date_format' '{date_format}' cannot be read: {why}"
    ]


def test_ces_scale_comes_from_the_metric(make_project) -> None:
    ces = "name: CES\nkind: ces\ntarget: 5\nresponses: data/nps.csv\nscale: [1, 5]\n"
    csv = "date,score\n2026-07-01,5\n2026-07-02,6\n2026-07-03,0\n"
    assert _lines(_csv_project(make_project, csv, ces)) == [
        "data/nps.csv:3:12: error E426: score 6 is outside the CES scale 1..5",
        "data/nps.csv:4:12: error E426: score 0 is outside the CES scale 1..5",
    ]


def test_missing_required_column(make_project) -> None:
    csv = "date,scores\n2026-07-01,10\n"
    assert _lines(_csv_project(make_project, csv)) == [
        "data/nps.csv:1:1: error E423: the header has no 'score' column "
        "(did you mean 'scores'?): the first row must name the columns, e.g. 'date,score'",
    ]


def test_duplicate_column(make_project) -> None:
    csv = "date,score,score\n2026-07-01,10,9\n"
    assert _lines(_csv_project(make_project, csv)) == [
        "data/nps.csv:1:12: error E432: column 'score' appears twice in the header",
    ]


def test_empty_csv(make_project) -> None:
    assert _lines(_csv_project(make_project, "\n\n")) == [
        "data/nps.csv:1:1: error E422: the file is empty: it needs a header row with 'date,score'",
    ]


def test_header_only_is_a_metric_without_data(make_project) -> None:
    result = load_project(_csv_project(make_project, "date,score\n"))
    assert [p.format() for p in result.problems] == [
        "metrics/nps.yaml:4:1: warning W502: metric has no data; add 'values' (period and "
        "value) or 'responses' (a CSV of survey answers) with at least one entry",
    ]


def test_invalid_utf8_names_its_line(make_project) -> None:
    csv = b"date,score,persona\n2026-07-01,10,maya\n2026-07-02,9,caf\xe9\n"
    assert _lines(_csv_project(make_project, csv)) == [
        "data/nps.csv:3:17: error E421: the file is not valid UTF-8 "
        "(try 'encoding: cp1252' for an Excel CSV from Windows)",
    ]


def test_unterminated_quote_names_the_line_where_it_opened(make_project) -> None:
    csv = 'date,score\n2026-07-01,9\n2026-07-02,"10\n2026-07-03,8\n'
    assert _lines(_csv_project(make_project, csv)) == [
        "data/nps.csv:3:1: error E431: cannot parse the CSV here (unexpected end of data): "
        "check the quotes",
    ]


def test_text_after_a_closing_quote(make_project) -> None:
    csv = 'date,score\n2026-07-01,"10"x\n'
    assert _lines(_csv_project(make_project, csv)) == [
        "data/nps.csv:2:1: error E431: cannot parse the CSV here (',' expected after '\"'): "
        "check the quotes",
    ]


def test_every_bad_row_is_reported_up_to_a_thousand_then_counted(make_project) -> None:
    # SPEC 5: "every bad row is reported with its CSV line number": each of the first 1,000
    # problems of a file with its position, the rest counted in one line where they start
    # (a 50 MB file of bad rows listed 24 million lines, in minutes and gigabytes)
    csv = "date,score\n" + "".join(f"2026-07-01,{11 + i}\n" for i in range(1500))
    lines = _lines(_csv_project(make_project, csv))
    assert lines == [
        *(
            f"data/nps.csv:{i + 2}:12: error E426: score {11 + i} is outside the NPS scale 0..10"
            for i in range(1000)
        ),
        "data/nps.csv:1002:1: error E429: 500 more problem(s) in this file from this line on "
        "are not listed (the first 1,000 are): fix those and run again",
    ]


def test_a_file_of_bad_rows_under_the_limit_stays_small_and_quick(make_project) -> None:
    """400,000 bad rows: one thousand lines and a count, in bounded memory (all listed, they
    took 400 MB; the hostile audit's 49 MB of them took 6 GB before the build was killed)."""
    import resource

    root = _csv_project(make_project, "date,score\n" + "x,y\n" * 400_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lines = _lines(root)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert len(lines) == 1001
    assert lines[-1].startswith("data/nps.csv:502:1: error E429: 799,000 more problem(s)")
    assert grown_mb < 150, f"{grown_mb:.0f} MB"


def test_oversized_csv_is_refused_before_reading(make_project, monkeypatch) -> None:
    root = _csv_project(make_project, "date,score\n")
    with (root / "data/nps.csv").open("r+b") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: no 60 MB written to disk
    monkeypatch.setattr(Path, "read_bytes", _never_read)
    assert _lines(root) == [
        "data/nps.csv:1:1: error E420: the file is 60.0 MB, over the 50 MB limit: "
        "split it or pre-aggregate it into 'values'",
    ]


def _never_read(self: Path) -> bytes:
    if self.suffix == ".csv":
        raise AssertionError("an oversized CSV must not be read")
    return Path.read_text(self, encoding="utf-8").encode()


def test_spaces_and_missing_optional_cells_are_fine(make_project) -> None:
    csv = "date,score,persona,journey\n 2026-07-01 , 10 , maya \n2026-07-02,0\n"
    result = load_project(_csv_project(make_project, csv))
    assert result.problems == []
    data = result.metric_data["nps"]
    assert [(p.period, p.value, p.n) for p in data.points] == [("2026-07", 0.0, 2)]
    assert dict(data.breakdowns["persona"]) == {"maya": aggregate("nps", "all", [10])}
    assert dict(data.breakdowns["journey"]) == {}


@pytest.mark.slow
def test_a_large_broken_export_stays_fast_and_readable(make_project) -> None:
    rows = "".join(f"2026-07-{i % 28 + 1:02d},{11 + i % 5},mya\n" for i in range(300_000))
    root = _csv_project(make_project, "date,score,persona\n" + rows)
    started = time.perf_counter()
    lines = _lines(root)
    assert time.perf_counter() - started < HANG
    assert len(lines) == 1001  # each row's score and persona, the first 1,000, and a count
    assert lines[1] == (
        "data/nps.csv:2:15: error E427: unknown persona 'mya' (did you mean 'maya'?)"
    )
    assert lines[-1] == (
        "data/nps.csv:502:1: error E429: 599,000 more problem(s) in this file from this line "
        "on are not listed (the first 1,000 are): fix those and run again"
    )


@given(st.lists(st.integers(0, 10), min_size=1, max_size=300))
def test_nps_properties(scores: list[int]) -> None:
    point = aggregate("nps", "2026", scores)
    assert -100 <= point.value <= 100
    assert point.moe is not None and 0 <= point.moe <= 196
    assert point.promoters + point.passives + point.detractors == pytest.approx(1)
    assert point.value == pytest.approx((point.promoters - point.detractors) * 100)
    assert point.n == len(scores)


@given(st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31)), st.integers(1, 400))
def test_periods_sort_like_the_dates_they_hold(day: dt.date, days: int) -> None:
    later = day + dt.timedelta(days=min(days, (dt.date.max - day).days))  # no overflow
    for period in ("month", "quarter", "year"):
        assert bucket(day, period) <= bucket(later, period)
        assert parse_period(bucket(day, period)) == period


def test_comment_samples_has_no_upper_bound(make_project) -> None:
    # SPEC 8.3: "up to `comment_samples` (metric key, default 3; 0 hides them)": no maximum
    rows = "".join(f"2026-07-{day:02d},9,queue number {day}\n" for day in range(1, 26))
    metric = NPS_YAML + "themes: {queues: [queue]}\ncomment_samples: 50\n"
    result = load_project(_csv_project(make_project, "date,score,comment\n" + rows, metric))
    assert result.problems == []
    comments = result.metric_data["nps"].comments
    assert comments is not None
    (queues,) = comments.themes
    assert [c.text for c in queues.samples] == [f"queue number {day}" for day in range(25, 0, -1)]
