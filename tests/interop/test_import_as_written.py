"""`cxsite import` writes YAML that passes `cxsite check` (SPEC 8.11), also by the rules
across files that no row shows alone: the project is checked as it would be, and what
would fail is reported at the sheet's cell, with nothing written."""

from __future__ import annotations

import pytest
from sheetkit import invoke, snapshot, write_sheet

JOE = "name: Joe Park\nrole: Weekend walker\n"


def test_an_emotion_for_a_persona_the_journey_lacks_is_a_bad_cell(make_project, here) -> None:
    root = make_project({"personas/joe.yaml": JOE})
    sheet = write_sheet(
        here,
        "stages.csv",
        "name,emotion,pain_points\n"
        "Search,maya: -1; joe: 1,\n"
        'Pay,1,"Slow [severity: high, personas: joe]"\n',
    )
    before = snapshot(root)
    result = invoke("import", "journey", sheet, str(root), "--persona", "maya")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "stages.csv:2:8: error E469: 'emotion' of stage 'Search': 'joe' is not a persona of "
        "this journey (its personas: maya)",
        "stages.csv:3:7: error E469: pain point 'personas': 'joe' is not a persona of this "
        "journey (its personas: maya)",
    ]
    assert result.stderr == "Error: nothing written: 2 problems in the sheet\n"
    assert snapshot(root) == before
    result = invoke("import", "journey", sheet, str(root), "--persona", "maya", "--persona", "joe")
    assert result.exit_code == 0, result.output
    assert invoke("check", str(root)).exit_code == 0


def test_a_photo_that_is_not_there_is_reported_at_its_cell(make_project, here) -> None:
    root = make_project({"assets/ana.jpg": b"\xff\xd8\xff\xe0 not much of a photo"})
    sheet = write_sheet(
        here,
        "people.csv",
        "name,role,photo\nAna Lopez,Planner,assets/ana.jpg\nBo Berg,Buyer,assets/bo.jpg\n",
    )
    before = snapshot(root)
    result = invoke("import", "personas", sheet, str(root))
    assert result.exit_code == 1
    assert result.stdout == (
        "people.csv:3:15: error E403: file not found: 'assets/bo.jpg' "
        "(did you mean 'assets/ana.jpg'?)\n"
    )
    assert snapshot(root) == before


DETAIL_USED = {
    "journeys/pickup.yaml": "title: Pick up\npersonas: [maya]\nstages:\n  - name: Go\n",
    "journeys/buy.yaml": (
        "title: Buy running shoes\npersonas: [maya]\nstages:\n"
        "  - name: Purchase\n    detail: pickup\n"
    ),
}


@pytest.mark.parametrize(
    ("journey_id", "line"),
    [
        (  # `visit` sorts after `buy`: the import's stage is the second to zoom in
            "visit",
            "stages.csv:3:9: error E469: journey 'pickup' is already the detail of stage "
            "'Purchase' of 'buy' (journeys/buy.yaml:5): a sub-journey zooms into one stage only",
        ),
        (  # `aaa` sorts first: the stage already there is the second, in a file not written
            "aaa",
            "journeys/buy.yaml:5:5: error E314: journey 'pickup' is already the detail of stage "
            "'Collect' of 'aaa' (journeys/aaa.yaml:8): a sub-journey zooms into one stage only",
        ),
    ],
)
def test_a_detail_another_stage_zooms_into_is_refused(
    make_project, here, journey_id: str, line: str
) -> None:
    """A sub-journey zoomed into twice is reported at the later stage, by file order: at
    the sheet's cell when that is the import's, else in the file already there."""
    root = make_project(DETAIL_USED)
    sheet = write_sheet(here, "stages.csv", "name,detail\nSearch,\nCollect,pickup\n")
    before = snapshot(root)
    args = ("import", "journey", sheet, str(root), "--persona", "maya", "--id", journey_id)
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.stdout == line + "\n"
    where = "in the sheet" if journey_id == "visit" else "it would bring into the project"
    assert result.stderr == f"Error: nothing written: 1 problem {where}\n"
    assert snapshot(root) == before


def test_problems_the_project_already_had_do_not_stop_an_import(make_project, here) -> None:
    """Also when the import changes their wording: the journey's unknown 'help-lines' gets
    the imported 'help-line' as its did-you-mean, and is still the problem it was."""
    root = make_project(
        {
            "touchpoints/kiosk.yaml": "name: Kiosk\nchannel: wab\nphase: during\n",
            "journeys/buy.yaml": (
                "title: Buy running shoes\npersonas: [maya]\nstages:\n"
                "  - name: Purchase\n    touchpoints: [web-shop, help-lines]\n"
            ),
        }
    )
    sheet = write_sheet(here, "points.csv", "name,channel,phase\nHelp line,phone,after\n")
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Wrote {root}/touchpoints/help-line.yaml (row 2; id from the name 'Help line')\n"
    )
    checked = invoke("check", str(root))
    assert [line for line in checked.stdout.splitlines() if ": error " in line] == [
        "journeys/buy.yaml:5:29: error E301: unknown touchpoint 'help-lines' (did you mean "
        "'help-line'?)",
        "touchpoints/kiosk.yaml:2:1: error E208: unknown channel 'wab' (did you mean 'web'?)",
    ]


def test_a_journey_replaced_keeps_the_keys_no_sheet_holds(make_project, here) -> None:
    """Export, edit, import --force: the owner, goal, review date, state and compare_to of
    the journey stay, and its title too unless --title gives another."""
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy running shoes\nowner: Web team\nreviewed: 2026-06-01\n"
                "goal: Shoes that fit, first time\npersonas: [maya]\nstages:\n"
                "  - name: Purchase\n"
            ),
        }
    )
    sheet = write_sheet(here, "stages.csv", "name,emotion\nSearch,-1\nPay,1\n")
    args = ("import", "journey", sheet, str(root), "--persona", "maya", "--id", "buy", "--force")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Wrote {root}/journeys/buy.yaml (2 stages from rows 2-3; its other keys kept from "
        "journeys/buy.yaml)\n"
    )
    assert (root / "journeys/buy.yaml").read_text(encoding="utf-8") == (
        "# Imported from stages.csv, rows 2-3 (cxsite import journey).\n"
        "title: Buy running shoes\n"
        "personas:\n"
        "  - maya\n"
        "goal: Shoes that fit, first time\n"
        "owner: Web team\n"
        "reviewed: 2026-06-01\n"
        "stages:\n"
        "  - name: Search\n"
        "    emotion: -1\n"
        "  - name: Pay\n"
        "    emotion: 1\n"
    )
    result = invoke(*args, "--title", "Buy trail shoes")
    assert result.exit_code == 0, result.output
    assert "title: Buy trail shoes\n" in (root / "journeys/buy.yaml").read_text(encoding="utf-8")


def test_values_replacing_responses_that_themes_need_are_refused_at_the_themes(
    make_project, here
) -> None:
    """`--force` drops a metric's `responses`; its `themes` need them: the problem is the
    metric file's, shown at its `themes` as they are written now, not at a cell."""
    root = make_project(
        {
            "metrics/visit-nps.yaml": (
                "name: Visit NPS\nkind: nps\nresponses:\n  file: data/visit.csv\n"
                "  columns: {date: date, score: score, comment: comment}\n"
                "themes:\n  queues: [queue, wait]\n"
            ),
            "data/visit.csv": "date,score,comment\n2026-01-03,9,no queue\n",
        }
    )
    assert invoke("check", str(root)).exit_code == 0
    sheet = write_sheet(here, "v.csv", "period,value\n2026-01,40\n")
    before = snapshot(root)
    result = invoke("import", "values", sheet, str(root), "--metric", "visit-nps", "--force")
    assert result.exit_code == 1
    assert result.stdout == (
        "metrics/visit-nps.yaml:6:1: error E207: 'themes' needs 'responses' with a comment column\n"
    )
    assert result.stderr == "Error: nothing written: 1 problem it would bring into the project\n"
    assert snapshot(root) == before


def test_a_kept_key_with_a_problem_is_shown_where_it_is_now(make_project, here) -> None:
    """The journey's own `compare_to` names no journey: the replaced file would fail check,
    so nothing is written, and the line is the one in the file as it is (not cell 1:1)."""
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy running shoes\npersonas: [maya]\nstages:\n  - name: Purchase\n"
                "# the plan\ncompare_to: buy-next\n"
            ),
        }
    )
    sheet = write_sheet(here, "stages.csv", "name\nPay\n")
    before = snapshot(root)
    args = ("import", "journey", sheet, str(root), "--persona", "maya", "--id", "buy", "--force")
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "journeys/buy.yaml:6:1: error E304: unknown journey 'buy-next' (did you mean 'buy'?)"
    ]
    assert snapshot(root) == before


def test_a_stage_zooming_into_the_journey_imported_is_a_cycle(make_project, here) -> None:
    """The journey being imported is known to its own stages: a `detail` naming it is the
    cycle `cxsite check` would find, not an unknown journey."""
    root = make_project()
    sheet = write_sheet(here, "k.csv", "name,detail\nWalk in,visit\n")
    result = invoke("import", "journey", sheet, str(root), "--persona", "maya", "--id", "visit")
    assert result.exit_code == 1
    assert result.stdout == (
        "k.csv:2:9: error E469: detail cycle 'visit' (stage 'Walk in') -> 'visit': a journey "
        "cannot zoom into itself, directly or through its sub-journeys; remove one 'detail'\n"
    )


def test_a_title_no_yaml_can_hold_and_one_file_there_are_said_plainly(make_project, here):
    root = make_project()
    sheet = write_sheet(here, "k.csv", "name\nWalk in\n")
    args = ("import", "journey", sheet, str(root), "--persona", "maya", "--id", "buy")
    result = invoke(*args, "--title", "Buy\x01")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --title holds the control character U+0001, which a YAML file cannot hold: "
        "remove it\n"
    )
    result = invoke(*args)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: nothing written: journeys/buy.yaml already exists; use --force to overwrite\n"
    )
