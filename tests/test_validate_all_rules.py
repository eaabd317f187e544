"""SPEC 8.14, continued: a schema error hides neither a cross-key rule of its file, nor what
hangs off a list item that lacks a required key, nor the data file a metric reads.

Each test writes one file with several independent mistakes into a small clean project and
asserts every line `cxsite check` prints.
"""

from __future__ import annotations

import pytest
from onerun import check_lines

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
    code, lines = check_lines(make_project, {R: text})
    assert lines == expected
    assert code == 1


def test_a_study_with_several_mistakes_is_still_read(make_project, monkeypatch) -> None:
    """A missing title, a misspelt method, a bad date and a bad count: each reported once,
    no rule about the dates that could not be read, and the study's overdue review (lint of
    the parts that were read) beside them."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    text = "method: surv\nstart: 2026-01-01\nend: soon\nparticipants: many\nreviewed: 2020-01-01\n"
    code, lines = check_lines(make_project, {R: text})
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
    code, lines = check_lines(make_project, files)
    assert lines == [f"{R}:4:1: error E206: 'end': expected a date (YYYY-MM-DD), got 'soon'"]
    assert code == 1


J = "journeys/buy.yaml"


def test_a_stage_missing_its_name_still_has_its_references_checked(make_project) -> None:
    """The stage is read with a stand-in name: its unknown touchpoint and metric are
    reported, and no warning names the stand-in (the stage has no opportunity, but W506
    would have to name it)."""
    text = (
        "title: Buy\npersonas: [maya]\nstages:\n"
        "  - {emotion: 1, touchpoints: [wbe], metrics: [nsp]}\n"
        "  - {emotion: 1, pain_points: [Slow], touchpoints: [web]}\n"
    )
    code, lines = check_lines(make_project, {J: text})
    assert lines == [
        f"{J}:4:5: error E202: missing required key 'name'",
        f"{J}:4:32: error E301: unknown touchpoint 'wbe' (did you mean 'web'?)",
        f"{J}:4:48: error E303: unknown metric 'nsp' (no file metrics/nsp.yaml)",
        f"{J}:5:5: error E202: missing required key 'name'",
    ]
    assert code == 1


def test_pain_points_and_opportunities_missing_their_text_are_still_checked(
    make_project,
) -> None:
    """Each item is read with a stand-in text: its touchpoint, research and other values
    are still checked; the stage's W506 (pain points, no opportunity) stays true."""
    text = (
        "title: Buy\npersonas: [maya]\nstages:\n"
        "  - name: Browse\n"
        "    emotion: 1\n"
        "    touchpoints: [web]\n"
        "    pain_points:\n"
        "      - {severity: high, touchpoint: wbe, evidence: [nostudy]}\n"
        "  - name: Pay\n"
        "    emotion: 1\n"
        "    touchpoints: [web]\n"
        "    pain_points: [Slow]\n"
        "    opportunities:\n"
        "      - {impact: hgh, evidence: [nostudy]}\n"
    )
    code, lines = check_lines(make_project, {J: text})
    assert lines == [
        f"{J}:8:9: error E202: missing required key 'text'",
        f"{J}:8:26: error E301: unknown touchpoint 'wbe' (did you mean 'web'?)",
        f"{J}:8:54: error E320: unknown research study 'nostudy' (no file research/nostudy.yaml)",
        f"{J}:14:9: error E202: missing required key 'text'",
        f"{J}:14:10: error E205: unknown value 'hgh' for 'impact' (did you mean 'high'?)",
        f"{J}:14:34: error E320: unknown research study 'nostudy' (no file research/nostudy.yaml)",
        f"{J}:7:5: warning W506: stage 'Browse' has pain points but no opportunities; add at "
        "least one idea under 'opportunities'",
    ]
    assert code == 1


def test_a_nameless_stage_is_not_named_in_its_problems(make_project) -> None:
    """A persona outside the journey in a nameless stage's emotion mapping is still E209,
    without naming the stand-in; a stage really named '-' is no duplicate of it."""
    text = (
        "title: Buy\npersonas: [maya]\nstages:\n"
        "  - {name: '-', emotion: 1, touchpoints: [web]}\n"
        "  - {emotion: {maya: 1, joe: 2}, touchpoints: [web], metrics: [nsp]}\n"
    )
    code, lines = check_lines(make_project, {J: text})
    assert lines == [
        f"{J}:5:5: error E202: missing required key 'name'",
        f"{J}:5:25: error E209: 'emotion' of this stage: 'joe' is not a persona of this "
        "journey (its personas: maya)",
        f"{J}:5:64: error E303: unknown metric 'nsp' (no file metrics/nsp.yaml)",
    ]
    assert code == 1


C = "cxsite.yaml"
BAD_ID = "error E204: 'id': expected an id: lowercase letters, digits and hyphens, starting"


def test_a_brief_with_a_bad_id_or_no_kind_still_has_its_subject_checked(make_project) -> None:
    """A brief missing its id or kind is read with a stand-in: its subject is checked, its
    rules still run on a kind written, and two stand-in ids are no duplicate (E305)."""
    text = (
        "title: T\nkpis: [nps]\nbriefs:\n"
        "  - {id: B_x, kind: journey, journey: by}\n"
        "  - {id: B_y, kind: journey, journey: buy, compare: true}\n"
        "  - {kind: persona, headline: Hi, persona: mya}\n"
        "  - {id: bz, journey: by, compare: true}\n"
        "  - {id: ex, kind: executive, kpi_notes: {csat: ''}}\n"
    )
    metric = "kind: {0}\ntarget: 1\nvalues: [{{period: '2026', value: 1}}]\n"
    files = {
        C: text,
        "metrics/nps.yaml": "name: N\n" + metric.format("nps"),
        "metrics/csat.yaml": "name: C\n" + metric.format("csat"),
    }
    code, lines = check_lines(make_project, files)
    assert lines == [
        f"{C}:4:6: {BAD_ID} with a letter, got 'B_x'",
        f"{C}:4:30: error E304: unknown journey 'by' (did you mean 'buy'?)",
        f"{C}:5:6: {BAD_ID} with a letter, got 'B_y'",
        f"{C}:5:44: error E313: this brief compares, but journey 'buy' has no as-is or to-be "
        "version: set 'compare_to' on one of the two journeys, or remove 'compare'",
        f"{C}:6:5: error E202: missing required key 'id'",
        f"{C}:6:21: error E207: 'headline' is only for 'executive' briefs",
        f"{C}:6:35: error E302: unknown persona 'mya' (did you mean 'maya'?)",
        f"{C}:7:5: error E202: missing required key 'kind'",
        f"{C}:7:14: error E304: unknown journey 'by' (did you mean 'buy'?)",
        f"{C}:8:43: error E204: 'csat' must not be empty",
        f"{C}:8:43: error E321: kpi_notes: metric 'csat' is not one of the KPIs (add it to "
        "'kpis' or remove the note)",
    ]
    assert code == 1


M = "metrics/c.yaml"
WEEK = "error E205: unknown value 'week' for 'period' (expected one of: month, quarter, year)"
METRIC = "name: C\nkind: nps\ntarget: 1\nperiod: week\nresponses: data/{0}.csv\n"


def test_a_bad_period_does_not_hide_a_missing_responses_file(make_project) -> None:
    """The period only groups the rows: the file they come from is still looked for."""
    code, lines = check_lines(make_project, {M: METRIC.format("none")})
    assert lines == [f"{M}:4:1: {WEEK}", f"{M}:5:1: error E403: file not found: 'data/none.csv'"]
    assert code == 1


def test_a_bad_period_does_not_hide_the_bad_rows_of_the_responses(make_project) -> None:
    """Each row is still checked; what the rows add up to is not (no made-up warning)."""
    files = {
        M: METRIC.format("r"),
        "data/r.csv": "date,score\n2026-01-05,11\n2026-01-06,9\n2026-01-07,x\n",
    }
    code, lines = check_lines(make_project, files)
    assert lines == [
        "data/r.csv:2:12: error E426: score 11 is outside the NPS scale 0..10",
        "data/r.csv:4:12: error E425: score 'x' is not a whole number and does not start with "
        "one; list it under 'missing' if it means no answer",
        f"{M}:4:1: {WEEK}",
    ]
    assert code == 1


def test_responses_in_error_do_not_make_up_the_themes_rule(make_project) -> None:
    """'themes' needs 'responses': not reported when 'responses' is written but in error."""
    text = "name: C\nkind: nps\ntarget: x\nresponses: [data/r.csv]\nthemes: {Speed: [fast]}\n"
    code, lines = check_lines(make_project, {M: text})
    assert lines == [
        f"{M}:3:1: error E203: 'target': expected a number, got text 'x'",
        f"{M}:4:1: error E203: 'responses': expected a mapping of keys, got a list",
    ]
    assert code == 1
