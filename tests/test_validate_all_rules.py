"""SPEC 8.14, continued: a schema error hides neither a cross-key rule of its file, nor what
hangs off a list item that lacks a required key, nor the data file a metric reads.

Each test writes one file with several independent mistakes into a small clean project and
asserts every line `cxsite check` prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli

BASE = {
    "cxsite.yaml": "title: T\n",
    "personas/maya.yaml": (
        "name: Maya\nrole: Runner\nevidence: [{source: Interviews, date: 2026-10-01}]\n"
    ),
    "touchpoints/web.yaml": "name: Web shop\nchannel: web\nphase: during\n",
    "journeys/buy.yaml": (
        "title: Buy\npersonas: [maya]\nstages:\n"
        "  - {name: Browse, emotion: 1, touchpoints: [web]}\n"
    ),
}


def _check(make_project, files: dict[str, str | bytes]) -> tuple[int, list[str]]:
    root: Path = make_project({**BASE, **files}, base=False)
    result = CliRunner().invoke(cli, ["check", str(root)], catch_exceptions=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout.splitlines()


R = "research/b.yaml"
END_BEFORE_START = "error E207: 'end' (2025-01-01) is before 'start' (2026-01-01)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: B\nmethod: survey\nstart: 2026-01-01\nend: 2025-01-01\nparticipants: many\n",
            [
                f"{R}:4:1: {END_BEFORE_START}",
                f"{R}:5:1: error E203: 'participants': expected a whole number, got text 'many'",
            ],
        ),
        (
            "method: survey\nstart: 2026-01-01\nend: 2025-01-01\n",
            [f"{R}:1:1: error E202: missing required key 'title'", f"{R}:3:1: {END_BEFORE_START}"],
        ),
        (
            "title: B\nmethod: survey\nstart: 2026-01-01\nend: 2025-01-01\nfoo: 1\n",
            [f"{R}:4:1: {END_BEFORE_START}", f"{R}:5:1: error E201: unknown key 'foo'"],
        ),
        (
            "title: B\nmethod: surv\nstart: 2026-01-01\nend: 2025-01-01\n",
            [
                f"{R}:2:1: error E205: unknown value 'surv' for 'method' (did you mean 'survey'?)",
                f"{R}:4:1: {END_BEFORE_START}",
            ],
        ),
    ],
)
def test_a_schema_error_does_not_hide_the_dates_rule_of_a_study(
    make_project, text: str, expected: list[str]
) -> None:
    """The study's own rule ('end' before 'start') runs only on a valid model: it is still
    reported beside the schema error, and no "missing 'date'" is made up on the way."""
    code, lines = _check(make_project, {R: text})
    assert lines == expected
    assert code == 1


def test_a_study_with_several_mistakes_is_still_read(make_project, monkeypatch) -> None:
    """A missing title, a misspelt method, a bad date and a bad count: each reported once,
    no rule about the dates that could not be read, and the study's overdue review (lint of
    the parts that were read) beside them."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    text = "method: surv\nstart: 2026-01-01\nend: soon\nparticipants: many\nreviewed: 2020-01-01\n"
    code, lines = _check(make_project, {R: text})
    assert lines == [
        f"{R}:1:1: error E202: missing required key 'title'",
        f"{R}:1:1: error E205: unknown value 'surv' for 'method' (did you mean 'survey'?)",
        f"{R}:3:1: error E206: 'end': expected a date (YYYY-MM-DD), got 'soon'",
        f"{R}:4:1: error E203: 'participants': expected a whole number, got text 'many'",
        f"{R}:5:1: warning W512: review overdue: reviewed 2020-01-01, due 2020-07-01 (every 6 "
        "months), before 2026-12-01; confirm the page is still true, then set 'reviewed' to "
        "that day",
    ]
    assert code == 1


def test_a_study_whose_dates_could_not_be_read_makes_no_persona_evidence_stale(
    make_project,
) -> None:
    """The persona's other evidence is old, but the study it also rests on may be recent:
    no W508 while that study's dates are in error."""
    files = {
        "personas/maya.yaml": (
            "name: Maya\nrole: Runner\nevidence: [{source: Interviews, date: 2020-10-01}, b]\n"
        ),
        R: "title: B\nmethod: survey\nstart: 2026-01-01\nend: soon\n",
    }
    code, lines = _check(make_project, files)
    assert lines == [f"{R}:4:1: error E206: 'end': expected a date (YYYY-MM-DD), got 'soon'"]
    assert code == 1
