"""Hints that point at the fix: the did-you-mean of ids, names and paths (issue 18, 1-4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxsite.hints import closest, did_you_mean
from cxsite.validate.project import load_project


def _lines(root: Path) -> list[str]:
    return [p.format() for p in load_project(root).problems if p.severity == "error"]


@pytest.mark.parametrize(
    ("typed", "choices", "meant"),
    [
        ("chekout", ["checkout", "live-chat"], "checkout"),  # a close spelling
        ("kiosk", ["check-in-kiosk", "checkout"], "check-in-kiosk"),  # contains what was typed
        ("web-shop-main", ["web-shop", "app"], "web-shop"),  # contained in what was typed
        ("Kiosk", ["check-in-kiosk", "kiosk-help-desk"], "check-in-kiosk"),  # nearest length
        ("ab", ["abc-def", "xyz"], None),  # too short to point at one
        ("zzz", ["checkout"], None),
    ],
)
def test_closest_spelling_or_containment(typed: str, choices: list[str], meant: str | None) -> None:
    assert closest(typed, choices) == meant
    assert did_you_mean(typed, choices) == (f" (did you mean '{meant}'?)" if meant else "")


def test_an_unknown_touchpoint_suggests_the_id_that_contains_it(make_project) -> None:
    root = make_project(
        {
            "touchpoints/check-in-kiosk.yaml": "name: Check-in kiosk\nchannel: store\n"
            "phase: during\npillar: digital\n",
            "journeys/buy.yaml": "title: Buy running shoes\npersonas: [maya]\nstages:\n"
            "  - name: Purchase\n    emotion: 1\n    touchpoints: [web-shop, kiosk]\n"
            "    metrics: [nps]\n",
        }
    )
    assert _lines(root) == [
        "journeys/buy.yaml:6:29: error E301: unknown touchpoint 'kiosk' "
        "(did you mean 'check-in-kiosk'?)"
    ]


def test_a_missing_file_suggests_the_closest_existing_path(make_project) -> None:
    metric = "name: CSAT\nkind: csat\ntarget: 80\nresponses: data/csat_visit.csv\n"
    root = make_project({"metrics/nps.yaml": metric, "data/csat-visit.csv": "date,score\n"})
    assert _lines(root) == [
        "metrics/nps.yaml:4:1: error E403: file not found: 'data/csat_visit.csv' "
        "(did you mean 'data/csat-visit.csv'?)"
    ]
    root = make_project({"metrics/nps.yaml": metric, "dta/csat-visit.csv": "date,score\n"})
    assert _lines(root)[0].endswith("(did you mean 'dta/csat-visit.csv'?)")
    root = make_project({"metrics/nps.yaml": metric.replace("data/csat_visit", "zz/q")})
    assert _lines(root) == ["metrics/nps.yaml:4:1: error E403: file not found: 'zz/q.csv'"]
    # a name longer than the file system allows (it was a traceback: ENAMETOOLONG)
    long = f"data/{'x' * 300}/q.csv"
    root = make_project({"metrics/nps.yaml": metric.replace("data/csat_visit.csv", long)})
    assert _lines(root) == [f"metrics/nps.yaml:4:1: error E403: file not found: '{long}'"]


def test_an_impossible_date_says_what_is_impossible(make_project) -> None:
    persona = (
        "name: Maya Chen\nrole: Busy urban runner\nevidence:\n"
        "  - source: Interviews\n    date: 2026-02-29\n"
    )
    root = make_project({"personas/maya.yaml": persona})
    assert _lines(root) == [
        "personas/maya.yaml:5:5: error E206: 'date': '2026-02-29' is not a real date: "
        "February 2026 has no day 29"
    ]
    root = make_project({"personas/maya.yaml": persona.replace("2026-02-29", "2028-02-29")})
    assert _lines(root) == []  # a leap year


def test_a_decimal_comma_or_a_percentage_gets_the_number_to_write(make_project) -> None:
    metric = (
        "name: Net Promoter Score\nkind: nps\ntarget: 40\nvalues:\n"
        "  - {period: 2026-Q1, value: 11,2}\n"
        "  - period: 2026-Q2\n    value: 11,2\n"
        '  - period: 2026-Q3\n    value: "11,5"\n'
    )
    persona = (
        "name: Maya Chen\nrole: Busy urban runner\nsegment_share: 38%\nevidence:\n"
        "  - source: Interviews\n    date: 2026-06-01\n"
    )
    root = make_project({"metrics/nps.yaml": metric, "personas/maya.yaml": persona})
    assert _lines(root) == [
        "metrics/nps.yaml:5:33: error E203: key '2' of 'values': write decimals with a point: "
        "11.2 (in braces, YAML reads '11,2' as two entries)",
        "metrics/nps.yaml:7:5: error E203: 'value': expected a number, got text '11,2': "
        "write decimals with a point: 11.2",
        "metrics/nps.yaml:9:5: error E203: 'value': expected a number, got text '11,5': "
        "write decimals with a point: 11.5",
        "personas/maya.yaml:3:1: error E203: 'segment_share': expected a number, got text "
        "'38%' (a share from 0 to 1, e.g. 0.38)",
    ]


def test_a_list_item_that_swallowed_the_next_line_is_a_warning(make_project) -> None:
    """Indented one space too far, `- Track progress` continues the item above as text;
    the warning names the line where the second item was meant to start."""
    persona = (
        "name: Maya Chen\nrole: Busy urban runner\n"
        "goals:\n  - Finish fast\n   - Track progress\n  - Stay injury-free\n"
        "frustrations:\n  - Queues at the till,\n    even on weekdays\n"  # a real fold: fine
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    )
    problems = load_project(make_project({"personas/maya.yaml": persona})).problems
    assert [p.format() for p in problems if p.code == "W519"] == [
        "personas/maya.yaml:5:4: warning W519: this '- ' continues the list item of line 4 "
        "instead of starting a new one: indent it like that item's '-'"
    ]


def test_a_quoted_true_or_false_hints_to_remove_the_quotes(make_project) -> None:
    # as a quoted number does ("remove the quotes"); other text gets no hint
    root = make_project(
        {
            "touchpoints/kiosk.yaml": "name: Kiosk\nchannel: store\nphase: during\n"
            'moment_of_truth: "false"\n',
            "touchpoints/desk.yaml": "name: Desk\nchannel: store\nphase: during\n"
            "moment_of_truth: maybe\n",
        }
    )
    assert _lines(root) == [
        "touchpoints/desk.yaml:4:1: error E203: 'moment_of_truth': expected true or false, "
        "got text 'maybe'",
        "touchpoints/kiosk.yaml:4:1: error E203: 'moment_of_truth': expected true or false, "
        "got text 'false' (remove the quotes)",
    ]
