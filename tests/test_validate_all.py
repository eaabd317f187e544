"""SPEC 8.14: a schema error in a file does not hide the rest of that file's problems.

A file with schema errors (E2xx) is still read without the parts in error, so its
references, paths, metric data, cross-key rules and lint warnings are reported in the same
run, and no warning is made up from a part that could not be read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from cxsite.cli import cli
from cxsite.model import Journey
from cxsite.session import Session
from cxsite.validate.partial import ITEM, best_effort
from cxsite.validate.project import load_project

W507 = (
    "warning W507: persona has no evidence; list the interviews, surveys or data it rests on "
    "under 'evidence'"
)


def _check(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", str(root)], catch_exceptions=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout.splitlines()


def _lines(root: Path) -> list[str]:
    return [p.format() for p in load_project(root).problems]


def test_three_mistakes_in_one_journey_are_reported_in_one_run(make_project) -> None:
    """The acceptance case: an unknown key, an unknown touchpoint and an emotion out of range
    in one journey of a clean project give exactly three lines (no made-up warning: the
    touchpoint the typo meant is not reported as in no journey)."""
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy running shoes\n"
                "personas: [maya]\n"
                "gaol: Find shoes that fit\n"
                "stages:\n"
                "  - name: Purchase\n"
                "    emotion: 3\n"
                "    touchpoints: [web-shp]\n"
                "    metrics: [nps]\n"
            )
        }
    )
    code, lines = _check(root)
    assert lines == [
        "journeys/buy.yaml:3:1: error E201: unknown key 'gaol' (did you mean 'goal'?)",
        "journeys/buy.yaml:6:5: error E204: 'emotion' is 3, out of range -2..2",
        "journeys/buy.yaml:7:19: error E301: unknown touchpoint 'web-shp' (did you mean "
        "'web-shop'?)",
    ]
    assert code == 1


def test_a_duplicate_key_does_not_hide_the_rest_of_its_file(make_project) -> None:
    """SPEC 5, all problems in one run: the file is read with each key's last value, so its
    unknown key and broken reference are reported beside the duplicate."""
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy running shoes\n"
                "title: Buy shoes\n"
                "personas: [maya]\n"
                "gaol: Find shoes that fit\n"
                "stages:\n"
                "  - name: Purchase\n"
                "    emotion: 1\n"
                "    touchpoints: [web-shp]\n"
            )
        }
    )
    code, lines = _check(root)
    assert lines == [
        "journeys/buy.yaml:2:1: error E108: duplicate key 'title' (first on line 1, again on "
        "line 2)",
        "journeys/buy.yaml:4:1: error E201: unknown key 'gaol' (did you mean 'goal'?)",
        "journeys/buy.yaml:8:19: error E301: unknown touchpoint 'web-shp' (did you mean "
        "'web-shop'?)",
    ]
    assert code == 1


def test_unknown_key_unknown_touchpoint_and_unknown_persona(make_project) -> None:
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy running shoes\n"
                "personas: [mya]\n"
                "stages:\n"
                "  - name: Purchase\n"
                "    emotion: 1\n"
                "    touchpoints: [web-shp]\n"
                "    metrics: [nps]\n"
                "    emotions: 2\n"
            )
        }
    )
    code, lines = _check(root)
    assert lines == [
        "journeys/buy.yaml:2:12: error E302: unknown persona 'mya' (did you mean 'maya'?)",
        "journeys/buy.yaml:6:19: error E301: unknown touchpoint 'web-shp' (did you mean "
        "'web-shop'?)",
        "journeys/buy.yaml:8:5: error E201: unknown key 'emotions' (did you mean 'emotion'?)",
    ]
    assert code == 1


def test_persona_with_a_wrong_type_still_gets_its_lint_warnings(make_project) -> None:
    root = make_project(
        {
            "personas/maya.yaml": (
                "name: Maya Chen\nrole: [Busy urban runner]\n"
                "quote: Write to me at maya@example.com\nchannels: [mobile]\n"
            )
        }
    )
    assert _lines(root) == [
        "personas/maya.yaml:2:1: error E203: 'role': expected text, got a list",
        "personas/maya.yaml:4:12: error E208: unknown channel 'mobile' (did you mean "
        "'mobile-app'?)",
        f"personas/maya.yaml:1:1: {W507}",
        "personas/maya.yaml:3:1: warning W511: personal data in a verbatim: e-mail address "
        "'maya@example.com'; remove it or replace it with a placeholder such as [email] or "
        "[phone]",
    ]


def test_metric_with_a_bad_field_and_a_missing_csv(make_project) -> None:
    """The missing CSV is reported; the target that could not be read is not "no target",
    and a metric whose data could not be read is not "without data"."""
    metric = (
        "name: NPS\nkind: nps\ntarget: high\nresponses: data/nps.csv\nscope:\n  journeys: [by]\n"
    )
    assert _lines(make_project({"metrics/nps.yaml": metric})) == [
        "metrics/nps.yaml:3:1: error E203: 'target': expected a number, got text 'high'",
        "metrics/nps.yaml:4:1: error E403: file not found: 'data/nps.csv'",
        "metrics/nps.yaml:6:14: error E304: unknown journey 'by' (did you mean 'buy'?)",
    ]


def test_touchpoint_with_unknown_channel_unknown_metric_and_a_schema_error(make_project) -> None:
    touchpoint = (
        "name: Web shop\nchannel: webb\nphase: durring\nmoment_of_truth: true\nmetrics: [nsp]\n"
    )
    assert _lines(make_project({"touchpoints/web-shop.yaml": touchpoint})) == [
        "touchpoints/web-shop.yaml:2:1: error E208: unknown channel 'webb' (did you mean 'web'?)",
        "touchpoints/web-shop.yaml:3:1: error E205: unknown value 'durring' for 'phase' (did you "
        "mean 'during'?)",
        "touchpoints/web-shop.yaml:5:11: error E303: unknown metric 'nsp' (did you mean 'nps'?)",
    ]


def test_missing_required_keys_keep_the_rest_checked(make_project) -> None:
    """A journey without a title and with an empty persona list still has its references
    checked; the persona it would list is not reported as in no journey."""
    root = make_project(
        {
            "journeys/buy.yaml": None,
            "journeys/return.yaml": "personas: []\nstages:\n  - name: Pay\n    touchpoints: [wb]\n",
        }
    )
    assert _lines(root) == [
        "journeys/return.yaml:1:1: error E202: missing required key 'title'",
        "journeys/return.yaml:1:1: error E204: 'personas' needs at least 1 item",
        "journeys/return.yaml:4:19: error E301: unknown touchpoint 'wb' (no file "
        "touchpoints/wb.yaml)",
    ]


def test_cross_key_rules_are_checked_beside_schema_errors(make_project) -> None:
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy\npersonas: [maya]\nfoo: 1\nstages:\n"
                "  - name: Pay\n    emotion: 1\n    touchpoints: [web-shop]\n    metrics: [nps]\n"
                "  - name: pay\n    emotion: 1\n    touchpoints: [web-shop]\n"
            ),
            "metrics/nps.yaml": (
                "name: NPS\nkind: nps\ntarget: x\nresponses: data/nps.csv\n"
                "values:\n  - {period: 2026-Q1, value: 31}\n"
            ),
            "metrics/ops.yaml": (
                "name: Ops\nkind: custom\nhigher_is_better: [yes]\ntarget: 90\n"
                "values:\n  - {period: 2026-Q1, value: 91}\n"
            ),
        }
    )
    assert _lines(root) == [
        "journeys/buy.yaml:3:1: error E201: unknown key 'foo'",
        "journeys/buy.yaml:9:5: error E207: stage name 'pay' is used twice in this journey "
        "(first on line 5)",
        "metrics/nps.yaml:3:1: error E203: 'target': expected a number, got text 'x'",
        "metrics/nps.yaml:4:1: error E207: 'values' and 'responses' are mutually exclusive: "
        "keep one",
        # no category was written: a real E207; none echoes the higher_is_better in error
        "metrics/ops.yaml:2:1: error E207: a custom metric needs 'category'",
        "metrics/ops.yaml:3:1: error E203: 'higher_is_better': expected true or false, got a list",
    ]


def test_a_rule_about_a_key_in_error_is_not_reported_twice(make_project) -> None:
    """A category or brief subject in error is not also "missing" (E207) once dropped."""
    metric = (
        "name: Ops\nkind: custom\ncategory: operationl\nhigher_is_better: true\ntarget: 90\n"
        "values:\n  - {period: 2026-Q1, value: 91}\n"
    )
    config = "title: T\nbriefs:\n  - {id: maya, kind: persona, persona: [maya]}\n"
    assert _lines(make_project({"metrics/ops.yaml": metric, "cxsite.yaml": config})) == [
        "cxsite.yaml:3:31: error E203: 'persona': expected text, got a list",
        "metrics/ops.yaml:3:1: error E205: unknown value 'operationl' for 'category' (did you "
        "mean 'operational'?)",
    ]


@pytest.mark.parametrize(
    ("stage", "silent"),
    [
        ("    opportunities:\n      - {text: Faster, impact: huge}\n", "W506"),
        ("    emotion: high\n", "W510"),
        ("    touchpoints: [{id: web-shop}]\n", "W505"),
    ],
)
def test_no_warning_about_a_part_that_could_not_be_read(make_project, stage, silent) -> None:
    """A stage whose only opportunity, emotion or touchpoint is in error is not reported as
    without one (W506, W510, W505)."""
    journey = (
        "title: Buy\npersonas: [maya]\nstages:\n"
        "  - name: Look\n    emotion: 1\n    touchpoints: [web-shop]\n    metrics: [nps]\n"
        "  - name: Pay\n    pain_points: [Slow]\n"
    )
    if silent != "W510":
        journey += "    emotion: 1\n"
    if silent != "W505":
        journey += "    touchpoints: [web-shop]\n"
    if silent != "W506":
        journey += "    opportunities: [Faster]\n"
    lines = _lines(make_project({"journeys/buy.yaml": journey + stage}))
    assert len(lines) == 1 and " error E20" in lines[0] and silent not in lines[0], lines


def test_lines_after_a_dropped_item_stay_right(make_project) -> None:
    """A stage dropped for a missing name does not shift the lines of the next stage."""
    journey = (
        "title: Buy\npersonas: [maya]\nstages:\n"
        "  - emotion: 1\n    touchpoints: [web-shop]\n"
        "  - name: Pay\n    emotion: 1\n    touchpoints: [web-shp]\n    metrics: [nps]\n"
        "    pain_points: [Slow]\n"
    )
    assert _lines(make_project({"journeys/buy.yaml": journey})) == [
        "journeys/buy.yaml:4:5: error E202: missing required key 'name'",
        "journeys/buy.yaml:8:19: error E301: unknown touchpoint 'web-shp' (did you mean "
        "'web-shop'?)",
        "journeys/buy.yaml:10:5: warning W506: stage 'Pay' has pain points but no "
        "opportunities; add at least one idea under 'opportunities'",
    ]


def test_cross_file_warnings_wait_for_files_that_could_not_be_read(make_project) -> None:
    """With a journey that is not valid YAML, nothing is "in no journey"; with every journey
    read, the lint rules across files run beside the errors."""
    priya = "name: Priya\nrole: Parent\nevidence: [{source: Interviews}]\n"
    broken = make_project({"journeys/buy.yaml": "title: [Buy\n", "personas/priya.yaml": priya})
    assert _lines(broken) == [
        "journeys/buy.yaml:2:1: error E105: YAML syntax error: a '[' list is not closed with "
        "']' (opened on line 1)"
    ]
    read = make_project({"personas/priya.yaml": priya + "segment_share: 2\n"})
    assert _lines(read) == [
        "personas/priya.yaml:4:1: error E204: 'segment_share' is 2, out of range 0..1",
        "personas/priya.yaml:1:1: warning W503: persona 'priya' is in no journey; add it to the "
        "'personas' of a journey that it takes, or remove the file",
    ]


def test_a_file_with_schema_errors_is_never_cached_or_built_as_valid(
    make_project, tmp_path: Path
) -> None:
    root = make_project({"metrics/nps.yaml": "name: NPS\nkind: nps\ntarget: x\nvalues: []\n"})
    session = Session()
    first = load_project(root, session)
    again = load_project(root, session)  # from the in-process cache
    assert first.problems == again.problems and first.errors == 1
    assert first.project is None and again.project is None
    assert "nps" not in again.metric_data  # the partial metric's data is not handed out
    entry = session.validated.items[("Metric", "metrics/nps.yaml", "nps")]
    assert entry[1] is None and entry[3] is not None  # no model; a partial one for the checks
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()


def test_best_effort_renumbers_marks_and_records_gaps() -> None:
    """Items in error are dropped, the marks of the rest renumbered, the places recorded.
    (A stage that is not a mapping is dropped; one only missing its name is kept, below.)"""
    data = {
        "id": "buy",
        "title": "Buy",
        "personas": ["maya", 3.5, {"x": 1}],
        "stages": [5, {"name": "Pay", "emotion": 9, "touchpoints": ["a"]}],
    }
    marks = {
        (): (1, 1),
        ("stages",): (3, 1),
        ("stages", 0): (4, 5),
        ("stages", 1): (5, 5),
        ("stages", 1, "touchpoints", 0): (7, 19),
    }
    with pytest.raises(ValidationError) as caught:
        Journey.model_validate(data)
    partial = best_effort(Journey, data, caught.value.errors(), "journeys/buy.yaml", marks)
    assert partial is not None
    assert [s.name for s in partial.entity.stages] == ["Pay"]
    assert partial.entity.personas == ["maya", "3.5"]
    assert partial.marks[("stages", 0, "touchpoints", 0)] == (7, 19)
    assert partial.gaps == {("stages", ITEM), ("stages", 0, "emotion"), ("personas", ITEM)}


def test_best_effort_gives_an_item_missing_its_name_a_stand_in() -> None:
    """A stage missing its name is kept with an inert stand-in, recorded as a gap."""
    data = {"id": "buy", "title": "Buy", "personas": ["maya"], "stages": [{"touchpoints": ["a"]}]}
    with pytest.raises(ValidationError) as caught:
        Journey.model_validate(data)
    partial = best_effort(Journey, data, caught.value.errors(), "journeys/buy.yaml", {})
    assert [s.touchpoints for s in partial.entity.stages] == [["a"]]
    assert partial.gaps == {("stages", 0, "name")}
