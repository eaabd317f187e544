"""Lint rules W501-W511: a positive and a negative case each, with the exact warning line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cxsite.model import add_months
from cxsite.problems import sort_problems
from cxsite.validate.lint import lint_project
from cxsite.validate.personal_data import find_personal_data
from cxsite.validate.project import load_project

AS_OF = dt.date(2026, 11, 26)


def lint(root: Path, as_of: dt.date = AS_OF) -> list[str]:
    """The lint lines of a project that has no errors, in report order."""
    result = load_project(root)
    assert result.project is not None, [p.format() for p in result.problems]
    problems = lint_project(result.project, result.marks, result.metric_data, as_of)
    assert all(p.severity == "warning" for p in problems)
    return [p.format() for p in sort_problems(problems)]


PERSONA_ANA = "name: Ana Lopez\nrole: Weekend hiker\nevidence:\n  - source: Survey\n"
TOUCHPOINT_APP = "name: App\nchannel: mobile-app\nphase: before\n"


def journey(stages: str, personas: str = "[maya]") -> str:
    return f"title: Buy\npersonas: {personas}\nstages:\n{stages}"


def test_the_base_project_is_clean(make_project) -> None:
    assert lint(make_project()) == []


# W503 / W504: persona and touchpoint in no journey


def test_persona_in_no_journey(make_project) -> None:
    root = make_project({"personas/ana.yaml": PERSONA_ANA})
    assert lint(root) == [
        "personas/ana.yaml:1:1: warning W503: persona 'ana' is in no journey; add it to the "
        "'personas' of a journey that it takes, or remove the file",
    ]
    stages = "  - name: Purchase\n    emotion: 1\n    touchpoints: [web-shop]\n"
    root = make_project(
        {"personas/ana.yaml": PERSONA_ANA, "journeys/buy.yaml": journey(stages, "[maya, ana]")}
    )
    assert lint(root) == []


def test_touchpoint_in_no_journey(make_project) -> None:
    root = make_project({"touchpoints/app.yaml": TOUCHPOINT_APP})
    assert lint(root) == [
        "touchpoints/app.yaml:1:1: warning W504: touchpoint 'app' is in no journey; add it to "
        "the 'touchpoints' of the stages where it is used, or remove the file",
    ]


def test_touchpoint_named_by_a_pain_point_is_used(make_project) -> None:
    stages = (
        "  - name: Purchase\n"
        "    emotion: 1\n"
        "    touchpoints: [web-shop]\n"
        "    pain_points: [{text: Slow app, touchpoint: app}]\n"
        "    opportunities: [Faster app]\n"
    )
    root = make_project(
        {"touchpoints/app.yaml": TOUCHPOINT_APP, "journeys/buy.yaml": journey(stages)}
    )
    assert lint(root) == []


# W505 / W506 / W510: stages


def test_stage_without_touchpoints(make_project) -> None:
    stages = (
        "  - name: Purchase\n    emotion: 1\n    touchpoints: [web-shop]\n"
        "  - name: Use\n    emotion: 0\n"
    )
    assert lint(make_project({"journeys/buy.yaml": journey(stages)})) == [
        "journeys/buy.yaml:7:5: warning W505: stage 'Use' has no touchpoints; list where the "
        "customer meets us in this stage under 'touchpoints'",
    ]


def test_pain_points_without_opportunities(make_project) -> None:
    stages = (
        "  - name: Purchase\n"
        "    emotion: 1\n"
        "    touchpoints: [web-shop]\n"
        "    pain_points:\n"
        "      - Checkout is slow\n"
    )
    assert lint(make_project({"journeys/buy.yaml": journey(stages)})) == [
        "journeys/buy.yaml:7:5: warning W506: stage 'Purchase' has pain points but no "
        "opportunities; add at least one idea under 'opportunities'",
    ]
    with_idea = stages + "    opportunities: [One-click checkout]\n"
    assert lint(make_project({"journeys/buy.yaml": journey(with_idea)})) == []


def test_stage_without_emotion_when_others_have_one(make_project) -> None:
    stages = (
        "  - name: Purchase\n    emotion: 1\n    touchpoints: [web-shop]\n"
        "  - name: Use\n    touchpoints: [web-shop]\n"
        "  - name: Return\n    emotion: -1.5\n    touchpoints: [web-shop]\n"
    )
    assert lint(make_project({"journeys/buy.yaml": journey(stages)})) == [
        "journeys/buy.yaml:7:5: warning W510: stage 'Use' has no emotion while 2 other "
        "stage(s) have one; add 'emotion: <-2..2>' so the curve has no gap",
    ]
    no_emotions = (
        "  - name: Purchase\n    touchpoints: [web-shop]\n"
        "  - name: Use\n    touchpoints: [web-shop]\n"
    )
    assert lint(make_project({"journeys/buy.yaml": journey(no_emotions)})) == []


# W501 / W502: metrics


def test_metric_without_target(make_project) -> None:
    metric = "name: NPS\nkind: nps\nvalues:\n  - {period: 2026-Q1, value: 31}\n"
    assert lint(make_project({"metrics/nps.yaml": metric})) == [
        "metrics/nps.yaml:1:1: warning W501: metric has no target; add 'target: <number>' "
        "so its status can be shown",
    ]


def test_metric_without_data(make_project) -> None:
    hint = (
        "metric has no data; add 'values' (period and value) or 'responses' (a CSV of survey "
        "answers) with at least one entry"
    )
    assert lint(make_project({"metrics/nps.yaml": "name: NPS\nkind: nps\ntarget: 40\n"})) == [
        f"metrics/nps.yaml:1:1: warning W502: {hint}",
    ]
    empty = "name: NPS\nkind: nps\ntarget: 40\nvalues: []\n"
    assert lint(make_project({"metrics/nps.yaml": empty})) == [
        f"metrics/nps.yaml:4:1: warning W502: {hint}",
    ]


# W509: moments of truth


def test_moment_of_truth_without_a_metric(make_project) -> None:
    touchpoint = "name: Web shop\nchannel: web\nphase: during\nmoment_of_truth: true\n"
    assert lint(make_project({"touchpoints/web-shop.yaml": touchpoint})) == [
        "touchpoints/web-shop.yaml:4:1: warning W509: moment of truth without a metric; add "
        "the KPI that measures it under 'metrics'",
    ]
    # Measured through a metric's scope is measured too.
    scoped = (
        "name: NPS\nkind: nps\ntarget: 40\nvalues: [{period: 2026, value: 1}]\n"
        "scope: {touchpoints: [web-shop]}\n"
    )
    root = make_project({"touchpoints/web-shop.yaml": touchpoint, "metrics/nps.yaml": scoped})
    assert lint(root) == []
    assert lint(make_project({"touchpoints/web-shop.yaml": touchpoint + "metrics: [nps]\n"})) == []


# W507 / W508: evidence


def test_persona_without_evidence(make_project) -> None:
    assert lint(make_project({"personas/maya.yaml": "name: Maya Chen\nrole: Runner\n"})) == [
        "personas/maya.yaml:1:1: warning W507: persona has no evidence; list the interviews, "
        "surveys or data it rests on under 'evidence'",
    ]


def stale_persona(*dates: str) -> str:
    items = "".join(f"  - source: Study {i}\n    date: {d}\n" for i, d in enumerate(dates))
    return f"name: Maya Chen\nrole: Runner\nevidence:\n{items}"


def test_stale_evidence_points_at_the_newest_date(make_project) -> None:
    root = make_project({"personas/maya.yaml": stale_persona("2023-02-01", "2025-05-25")})
    assert lint(root) == [
        "personas/maya.yaml:7:5: warning W508: newest evidence is from 2025-05-25, more than 18 "
        "months before 2026-11-26; refresh the research or raise 'stale_after_months' in "
        "cxsite.yaml",
    ]


def test_recent_or_undated_evidence_is_not_stale(make_project) -> None:
    assert (
        lint(make_project({"personas/maya.yaml": stale_persona("2023-02-01", "2025-05-26")})) == []
    )
    undated = "name: Maya Chen\nrole: Runner\nevidence:\n  - source: Old survey\n"
    assert lint(make_project({"personas/maya.yaml": undated})) == []


def test_stale_after_months_comes_from_the_config(make_project) -> None:
    files = {
        "cxsite.yaml": "title: Test CX\nstale_after_months: 6\n",
        "personas/maya.yaml": stale_persona("2026-05-25"),
    }
    assert [line.split(": ", 2)[1] for line in lint(make_project(files))] == ["warning W508"]
    files["cxsite.yaml"] = "title: Test CX\nstale_after_months: 7\n"
    assert lint(make_project(files)) == []
    files["cxsite.yaml"] = "title: Test CX\nstale_after_months: 99999999\n"  # never stale
    assert lint(make_project(files)) == []  # it was a traceback


def test_months_before_clamps_to_the_month_end_and_the_calendar() -> None:
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 26), -18) == dt.date(2025, 5, 26)
    assert add_months(dt.date(2026, 1, 15), -13) == dt.date(2024, 12, 15)
    # `stale_after_months: 99999999` raised "year -8331308 is out of range" from lint
    assert add_months(dt.date(2026, 1, 15), -99_999_999) == dt.date.min
    # `reviewed: 9999-06-30` six months on: December 9999 (it raised "year 10000")
    assert add_months(dt.date(9999, 6, 30), 6) == dt.date(9999, 12, 30)


# W511: personal data in verbatims


def test_personal_data_in_quotes_and_thoughts(make_project) -> None:
    persona = (
        "name: Maya Chen\nrole: Runner\n"
        'quote: "Write to me at maya.chen@example.com"\n'
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    )
    stages = (
        "  - name: Purchase\n"
        "    emotion: 1\n"
        "    touchpoints: [web-shop]\n"
        "    thoughts:\n"
        "      - I called (303) 555-0199 twice\n"
        "    pain_points:\n"
        "      - text: Gave my number +44 20 7946 0958 and nobody rang\n"
        "        severity: high\n"
        "    opportunities: [Call back]\n"
    )
    root = make_project({"personas/maya.yaml": persona, "journeys/buy.yaml": journey(stages)})
    tail = "; remove it or replace it with a placeholder such as [email] or [phone]"
    assert lint(root) == [
        "journeys/buy.yaml:8:9: warning W511: personal data in a verbatim: phone number "
        f"'(303) 555-0199'{tail}",
        "journeys/buy.yaml:10:9: warning W511: personal data in a verbatim: phone number "
        f"'+44 20 7946 0958'{tail}",
        "personas/maya.yaml:3:1: warning W511: personal data in a verbatim: e-mail address "
        f"'maya.chen@example.com'{tail}",
    ]


def test_personal_data_in_every_persona_text(make_project) -> None:
    """W511 looks at every persona text: the role, demographics and psychographics values
    (lists included), not only the verbatims."""
    persona = (
        "name: Maya Chen\nrole: Runner, maya@example.org\n"
        "demographics:\n  Age: 34\n  Contact: 0170 1234 5678\n"
        "psychographics:\n  Values: [Speed, write to m.chen@example.net]\n"
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    )
    tail = "; remove it or replace it with a placeholder such as [email] or [phone]"
    assert lint(make_project({"personas/maya.yaml": persona})) == [
        "personas/maya.yaml:2:1: warning W511: personal data in a verbatim: e-mail address "
        f"'maya@example.org'{tail}",
        "personas/maya.yaml:5:3: warning W511: personal data in a verbatim: phone number "
        f"'0170 1234 5678'{tail}",
        "personas/maya.yaml:7:19: warning W511: personal data in a verbatim: e-mail address "
        f"'m.chen@example.net'{tail}",
    ]


def test_years_prices_and_dates_are_not_phone_numbers(make_project) -> None:
    persona = (
        "name: Maya Chen\nrole: Runner\n"
        'quote: "Since 2019 I spent $1,299.00 a year, last time on 2026-07-14 at 5:30"\n'
        "frustrations:\n  - Order 4410092231 took 10-12 days in 2024 2025 2026\n"
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    )
    assert lint(make_project({"personas/maya.yaml": persona})) == []


@pytest.mark.parametrize(
    "text",
    ["555-123-4567", "303.555.0199", "+1 303 555 0199", "06 12 34 56 78", "call 07700900123"],
)
def test_phone_number_shapes(text: str) -> None:
    assert [kind for kind, _ in find_personal_data(text)] == ["phone number"]


@pytest.mark.parametrize(
    "text",
    ["$349 tent", "ISBN 978-3-16-148410-0", "14.07.2026", "1 299 dollars", "up 12.5% in 2025"],
)
def test_not_phone_numbers(text: str) -> None:
    assert list(find_personal_data(text)) == []
