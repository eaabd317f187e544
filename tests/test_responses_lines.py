"""Problem lines in a responses CSV whose quoted comments span lines (the reader works a
row's line out only for a problem or a comment, from where the CSV parser stands)."""

from __future__ import annotations

from pathlib import Path

from cxsite.validate.project import load_project

METRIC = (
    "name: Visit NPS\nkind: nps\nresponses:\n  file: data/answers.csv\n"
    "  columns: {date: date, score: score, comment: comment}\ncomment_samples: 5\n"
)


def test_lines_after_and_inside_multi_line_comments(make_project) -> None:
    rows = (
        "date,score,comment\r\n"
        '2026-07-01,9,"Two\r\nlines"\r\n'  # lines 2-3
        "2026-07-01,eleven,\r\n"  # line 4: bad score
        '2026-07-02,12,"Three\nlines\rhere"\r\n'  # lines 5-7: bad score, a lone \n and \r
        "\r\n"  # line 8: blank
        "2026-07-0x,8,Fine\r\n"  # line 9: bad date
    )
    root: Path = make_project({"metrics/nps.yaml": METRIC, "data/answers.csv": rows.encode()})
    result = load_project(root)
    lines = [p.format() for p in result.problems if p.severity == "error"]
    assert [line.split(": error")[0] for line in lines] == [
        "data/answers.csv:4:12",
        "data/answers.csv:5:12",
        "data/answers.csv:9:1",
    ]


def test_comments_latest_first_by_date_then_line(make_project) -> None:
    rows = (
        "date,score,comment\n"
        '2026-07-02,9,"first on the 2nd\nover two lines"\n'
        "2026-07-01,9,on the 1st\n"
        "2026-07-02,3,second on the 2nd\n"
    )
    root: Path = make_project({"metrics/nps.yaml": METRIC, "data/answers.csv": rows})
    result = load_project(root)
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    comments = result.metric_data["nps"].comments
    assert comments is not None
    assert [c.text for c in comments.samples] == [
        "second on the 2nd",
        "first on the 2nd\nover two lines",
        "on the 1st",
    ]
