"""`cxsite import` writes YAML that passes `cxsite check` (SPEC 8.11), also by the rules
across files that no row shows alone: the project is checked as it would be, and what
would fail is reported at the sheet's cell, with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _sheet(here: Path, name: str, text: str) -> str:
    (here / name).write_text(text, encoding="utf-8", newline="")
    return name


JOE = "name: Joe Park\nrole: Weekend walker\n"


def test_an_emotion_for_a_persona_the_journey_lacks_is_a_bad_cell(make_project, here) -> None:
    root = make_project({"personas/joe.yaml": JOE})
    sheet = _sheet(
        here,
        "stages.csv",
        "name,emotion,pain_points\n"
        "Search,maya: -1; joe: 1,\n"
        'Pay,1,"Slow [severity: high, personas: joe]"\n',
    )
    before = _snapshot(root)
    result = _invoke("import", "journey", sheet, str(root), "--persona", "maya")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "stages.csv:2:8: error E469: 'emotion' of stage 'Search': 'joe' is not a persona of "
        "this journey (its personas: maya)",
        "stages.csv:3:7: error E469: pain point 'personas': 'joe' is not a persona of this "
        "journey (its personas: maya)",
    ]
    assert result.stderr == "Error: nothing written: 2 problems in the sheet\n"
    assert _snapshot(root) == before
    result = _invoke("import", "journey", sheet, str(root), "--persona", "maya", "--persona", "joe")
    assert result.exit_code == 0, result.output
    assert _invoke("check", str(root)).exit_code == 0


def test_a_detail_another_stage_zooms_into_is_a_bad_cell(make_project, here) -> None:
    root = make_project(
        {
            "journeys/pickup.yaml": "title: Pick up\npersonas: [maya]\nstages:\n  - name: Go\n",
            "journeys/buy.yaml": (
                "title: Buy running shoes\npersonas: [maya]\nstages:\n"
                "  - name: Purchase\n    detail: pickup\n"
            ),
        }
    )
    sheet = _sheet(here, "stages.csv", "name,detail\nSearch,\nCollect,pickup\n")
    before = _snapshot(root)
    result = _invoke("import", "journey", sheet, str(root), "--persona", "maya", "--id", "visit")
    assert result.exit_code == 1
    assert result.stdout == (
        "stages.csv:3:9: error E469: journey 'pickup' is already the detail of stage "
        "'Purchase' of 'buy' (journeys/buy.yaml:5): a sub-journey zooms into one stage only\n"
    )
    assert _snapshot(root) == before


def test_a_photo_that_is_not_there_is_reported_at_its_cell(make_project, here) -> None:
    root = make_project({"assets/ana.jpg": b"\xff\xd8\xff\xe0 not much of a photo"})
    sheet = _sheet(
        here,
        "people.csv",
        "name,role,photo\nAna Lopez,Planner,assets/ana.jpg\nBo Berg,Buyer,assets/bo.jpg\n",
    )
    before = _snapshot(root)
    result = _invoke("import", "personas", sheet, str(root))
    assert result.exit_code == 1
    assert result.stdout == (
        "people.csv:3:15: error E403: file not found: 'assets/bo.jpg' "
        "(did you mean 'assets/ana.jpg'?)\n"
    )
    assert _snapshot(root) == before


def test_a_problem_the_import_makes_in_another_file_is_shown_there(make_project, here) -> None:
    """A sub-journey zoomed into twice is reported at the later stage, by file order: here
    in the file already there, which the import does not write."""
    root = make_project(
        {
            "journeys/pickup.yaml": "title: Pick up\npersonas: [maya]\nstages:\n  - name: Go\n",
            "journeys/buy.yaml": (
                "title: Buy running shoes\npersonas: [maya]\nstages:\n"
                "  - name: Purchase\n    detail: pickup\n"
            ),
        }
    )
    sheet = _sheet(here, "stages.csv", "name,detail\nCollect,pickup\n")
    before = _snapshot(root)
    result = _invoke("import", "journey", sheet, str(root), "--persona", "maya", "--id", "aaa")
    assert result.exit_code == 1
    assert result.stdout == (
        "journeys/buy.yaml:5:5: error E314: journey 'pickup' is already the detail of stage "
        "'Collect' of 'aaa' (journeys/aaa.yaml:7): a sub-journey zooms into one stage only\n"
    )
    assert result.stderr == "Error: nothing written: 1 problem in the sheet\n"
    assert _snapshot(root) == before


def test_problems_the_project_already_had_do_not_stop_an_import(make_project, here) -> None:
    root = make_project({"touchpoints/kiosk.yaml": "name: Kiosk\nchannel: wab\nphase: during\n"})
    sheet = _sheet(here, "points.csv", "name,channel,phase\nHelp line,phone,after\n")
    result = _invoke("import", "touchpoints", sheet, str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Wrote touchpoints/help-line.yaml (row 2; id from the name 'Help line')\n"
    )
    checked = _invoke("check", str(root))
    assert [line for line in checked.stdout.splitlines() if ": error " in line] == [
        "touchpoints/kiosk.yaml:2:1: error E208: unknown channel 'wab' (did you mean 'web'?)"
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
    sheet = _sheet(here, "stages.csv", "name,emotion\nSearch,-1\nPay,1\n")
    args = ("import", "journey", sheet, str(root), "--persona", "maya", "--id", "buy", "--force")
    result = _invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Wrote journeys/buy.yaml (2 stages from rows 2-3; its other keys kept from "
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
    result = _invoke(*args, "--title", "Buy trail shoes")
    assert result.exit_code == 0, result.output
    assert "title: Buy trail shoes\n" in (root / "journeys/buy.yaml").read_text(encoding="utf-8")
