"""W512 (review overdue) and W513 (no owner under require_owners): exact lines, the edges of
the due date, and silence where a key could not be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from cxsite.cli import cli
from cxsite.problems import sort_problems
from cxsite.validate.lint import lint_project
from cxsite.validate.project import load_project

AS_OF = dt.date(2026, 11, 4)
EPOCH = "1793750400"  # 2026-11-04 00:00 UTC
MAYA = (
    "name: Maya Chen\nrole: Busy urban runner\n"
    "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
)


def lint(root: Path, as_of: dt.date = AS_OF) -> list[str]:
    result = load_project(root)
    assert result.project is not None, [p.format() for p in result.problems]
    problems = lint_project(result.project, result.marks, result.metric_data, as_of)
    return [p.format() for p in sort_problems(problems)]


def test_overdue_review_names_both_dates(make_project) -> None:
    root = make_project(
        {"personas/maya.yaml": MAYA + "owner: Research team\nreviewed: 2026-05-03\n"}
    )
    assert lint(root) == [
        "personas/maya.yaml:7:1: warning W512: review overdue: reviewed 2026-05-03, due "
        "2026-11-03 (every 6 months), before 2026-11-04; confirm the page is still true, "
        "then set 'reviewed' to that day",
    ]
    # due on the "as of" date itself is not overdue yet
    root = make_project({"personas/maya.yaml": MAYA + "reviewed: 2026-05-04\n"})
    assert lint(root) == []


def test_the_period_comes_from_the_entity_then_the_config(make_project) -> None:
    journey = (
        "title: Buy running shoes\npersonas: [maya]\nreviewed: 2026-01-10\n"
        "review_every_months: 12\nstages:\n  - name: Purchase\n    emotion: 1\n"
        "    touchpoints: [web-shop]\n    metrics: [nps]\n"
    )
    assert lint(make_project({"journeys/buy.yaml": journey})) == []
    metric = (
        "name: Net Promoter Score\nkind: nps\ntarget: 40\nreviewed: 2026-07-31\n"
        "review_every_months: 1\nvalues:\n  - {period: 2026-Q1, value: 31}\n"
    )
    assert lint(make_project({"metrics/nps.yaml": metric})) == [
        "metrics/nps.yaml:4:1: warning W512: review overdue: reviewed 2026-07-31, due "
        "2026-08-31 (every 1 month), before 2026-11-04; confirm the page is still true, "
        "then set 'reviewed' to that day",
    ]
    touchpoint = (
        "name: Web shop\nchannel: web\nphase: during\nmetrics: [nps]\nreviewed: 2026-03-01\n"
    )
    config = "title: Test CX\nreview_every_months: 9\n"
    root = make_project({"touchpoints/web-shop.yaml": touchpoint, "cxsite.yaml": config})
    assert lint(root) == []  # due 2026-12-01
    root = make_project({"touchpoints/web-shop.yaml": touchpoint})
    assert lint(root) == [
        "touchpoints/web-shop.yaml:5:1: warning W512: review overdue: reviewed 2026-03-01, "
        "due 2026-09-01 (every 6 months), before 2026-11-04; confirm the page is still true, "
        "then set 'reviewed' to that day",
    ]


def test_never_reviewed_is_no_warning(make_project) -> None:
    assert lint(make_project()) == []


def test_owners_required(make_project) -> None:
    config = "title: Test CX\nrequire_owners: true\n"
    root = make_project(
        {"cxsite.yaml": config, "personas/maya.yaml": MAYA + "owner: Research team\n"}
    )
    assert lint(root) == [
        "journeys/buy.yaml:1:1: warning W513: journey has no owner; add 'owner: <person or "
        "team>' (cxsite.yaml sets 'require_owners: true')",
        "metrics/nps.yaml:1:1: warning W513: metric has no owner; add 'owner: <person or "
        "team>' (cxsite.yaml sets 'require_owners: true')",
        "touchpoints/web-shop.yaml:1:1: warning W513: touchpoint has no owner; add 'owner: "
        "<person or team>' (cxsite.yaml sets 'require_owners: true')",
    ]
    # without require_owners (default false) nobody needs an owner
    assert lint(make_project({"cxsite.yaml": "title: Test CX\nrequire_owners: false\n"})) == []
    # an empty owner is no owner
    root = make_project({"cxsite.yaml": config, "personas/maya.yaml": MAYA + 'owner: ""\n'})
    assert "personas/maya.yaml:1:1: warning W513" in "\n".join(lint(root))


def test_silent_where_a_key_could_not_be_read(make_project) -> None:
    # a bad `review_every_months` is an error; the review it would time is not guessed
    persona = MAYA + "reviewed: 2026-01-01\nreview_every_months: 0\n"
    config = "title: Test CX\nrequire_owners: true\n"
    root = make_project({"personas/maya.yaml": persona})
    assert [p.format() for p in load_project(root).problems] == [
        "personas/maya.yaml:7:1: error E204: 'review_every_months' is 0, out of range 1..120",
    ]
    # a bad owner is an error, not also a missing owner; a bad date is not "never reviewed"
    persona = MAYA + "owner: [a]\nreviewed: 2025-13-01\n"
    root = make_project({"personas/maya.yaml": persona, "cxsite.yaml": config})
    lines = [p.format() for p in load_project(root).problems if p.path.startswith("personas")]
    assert lines == [
        "personas/maya.yaml:6:1: error E203: 'owner': expected text, got a list",
        "personas/maya.yaml:7:1: error E206: 'reviewed': expected a date (YYYY-MM-DD), "
        "got '2025-13-01'",
    ]
    # a config that could not be read says nothing of periods or owners
    root = make_project(
        {
            "cxsite.yaml": "title: Test CX\nrequire_owners: maybe\nreview_every_months: 99999\n",
            "personas/maya.yaml": MAYA + "reviewed: 2020-01-01\n",
        }
    )
    codes = [p.code for p in load_project(root).problems]
    assert codes == ["E203", "E204"]


def test_cli_lines_and_strict_exit(make_project) -> None:
    root = make_project(
        {
            "cxsite.yaml": "title: Test CX\nrequire_owners: true\n",
            "personas/maya.yaml": MAYA + "owner: Research team\nreviewed: 2025-11-03\n"
            "review_every_months: 12\n",
            "journeys/buy.yaml": (
                "title: Buy running shoes\npersonas: [maya]\nowner: CX team\nreviewed: 2026-10-01\n"
                "stages:\n  - name: Purchase\n    emotion: 1\n    touchpoints: [web-shop]\n"
                "    metrics: [nps]\n"
            ),
            "touchpoints/web-shop.yaml": (
                "name: Web shop\nchannel: web\nphase: during\nowner: Digital team\nmetrics: [nps]\n"
            ),
        }
    )
    runner = CliRunner(env={"SOURCE_DATE_EPOCH": EPOCH})
    run = runner.invoke(cli, ["check", str(root), "--strict"], catch_exceptions=False)
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [
        "metrics/nps.yaml:1:1: warning W513: metric has no owner; add 'owner: <person or "
        "team>' (cxsite.yaml sets 'require_owners: true')",
        "personas/maya.yaml:7:1: warning W512: review overdue: reviewed 2025-11-03, due "
        "2026-11-03 (every 12 months), before 2026-11-04; confirm the page is still true, "
        "then set 'reviewed' to that day",
    ]
    run = runner.invoke(cli, ["check", str(root)], catch_exceptions=False)
    assert run.exit_code == 0
