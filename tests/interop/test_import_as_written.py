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
    """Replacing a journey writes it without its own keys: a brief comparing it with its
    to-be version would then fail, so nothing is written and the brief's line says why."""
    root = make_project(
        {
            "cxsite.yaml": (
                "title: Test CX\nbriefs:\n  - id: buy-map\n    kind: journey\n"
                "    journey: buy\n    compare: true\n"
            ),
            "journeys/buy.yaml": (
                "title: Buy running shoes\npersonas: [maya]\nstate: current\n"
                "stages:\n  - name: Purchase\n"
            ),
            "journeys/buy-next.yaml": (
                "title: Buy, next year\npersonas: [maya]\nstate: future\ncompare_to: buy\n"
                "stages:\n  - name: Purchase\n"
            ),
        }
    )
    assert _invoke("check", str(root)).exit_code == 0
    sheet = _sheet(here, "stages.csv", "name\nPurchase\n")
    before = _snapshot(root)
    args = ("import", "journey", sheet, str(root), "--persona", "maya", "--id", "buy-next")
    result = _invoke(*args, "--force")
    assert result.exit_code == 1
    assert result.stdout == (
        "cxsite.yaml:6:5: error E313: brief 'buy-map' compares, but journey 'buy' has no "
        "as-is or to-be version: set 'compare_to' on one of the two journeys, or remove "
        "'compare'\n"
    )
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
