"""A journey with an emotion per persona (SPEC 8.7) in the features that read emotions next
to the curves: `cxsite diff`, the sub-journey roll-up, journey health, the Mermaid export,
and the journey sheet's export and import."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from gitkit import commit, init

from cxsite.analysis.analyse import analyse
from cxsite.analysis.hierarchy import rollup
from cxsite.cli import cli
from cxsite.interop.mermaid import journey_diagram
from cxsite.validate.project import load_project

TRIP = """title: Camping trip
personas: [dan, walt]
stages:
  - name: Pack
    emotion: {dan: -1.5, walt: -2}
    pain_points:
      - text: The tent poles are missing
        severity: high
        personas: [walt]
  - name: Drive
    emotion: 1
  - name: Arrive
    emotion: {dan: 0.5, walt: 2}
"""
FILES = {
    "cxsite.yaml": "title: Curves elsewhere\n",
    "personas/dan.yaml": "name: Dan Whitfield\nrole: Weekend camper\n",
    "personas/walt.yaml": "name: Walt Gruber\nrole: Retired hiker\n",
    "journeys/trip.yaml": TRIP,
}


def _invoke(*args: str):
    return CliRunner().invoke(
        cli, list(args), catch_exceptions=False, env={"SOURCE_DATE_EPOCH": "1790000000"}
    )


def _project(make_project):
    result = load_project(make_project(FILES, base=False))
    assert result.project is not None, result.problems  # lint warnings only
    return result.project


def test_the_roll_up_names_the_lowest_emotion_of_any_persona(make_project) -> None:
    up = rollup(_project(make_project).journeys["trip"])
    assert (up.lowest, up.lowest_stage) == (-2, "Pack")


def test_health_experience_reads_the_mean_at_peak_and_end(make_project) -> None:
    project = _project(make_project)
    analysis = analyse(project, {})
    curve = analysis.curves["trip"]
    assert [s.emotion for s in curve.stages] == [-1.75, 1, 1.25]
    parts = {p.name: p for p in analysis.health["trip"].parts}
    # peak Pack (mean -1.75), end Arrive (mean 1.25): ((0.25 / 4) + (3.25 / 4)) / 2
    assert parts["experience"].value == 0.4375


def test_mermaid_scores_the_mean_rounded_half_away_from_zero(make_project) -> None:
    text = journey_diagram(_project(make_project), "trip")
    assert "    Pack: 1: Dan Whitfield, Walt Gruber\n" in text  # mean -1.75 -> -2 -> 1
    assert "    Drive: 4: Dan Whitfield, Walt Gruber\n" in text
    assert "    Arrive: 4: Dan Whitfield, Walt Gruber\n" in text  # mean 1.25 -> 1 -> 4


def test_journey_sheet_writes_a_mapping_readably_and_reads_it_back(make_project) -> None:
    root = make_project(FILES, base=False)
    before = load_project(root).project
    sheet = root.parent / "trip.csv"
    result = _invoke("export", "journey-csv", str(root), "--journey", "trip", "-o", str(sheet))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert [r["emotion"] for r in rows] == ["dan: -1.5; walt: -2", "1", "dan: 0.5; walt: 2"]
    assert rows[0]["pain_points"] == ("The tent poles are missing [severity: high, personas: walt]")
    (root / "journeys/trip.yaml").unlink()
    args = ["--id", "trip", "--title", "Camping trip", "--persona", "dan", "--persona", "walt"]
    result = _invoke("import", "journey", str(sheet), str(root), *args)
    assert result.exit_code == 0, result.output
    after = load_project(root)
    assert after.project is not None, after.problems
    assert after.project.journeys["trip"].stages == before.journeys["trip"].stages


def test_import_reports_a_mapping_cell_it_cannot_read(make_project) -> None:
    root = make_project(FILES, base=False)
    sheet = root.parent / "bad.csv"
    sheet.write_text("name,emotion\nPack,dan: -1.5; walt\n", encoding="utf-8")
    args = ["--id", "bad", "--title", "Bad", "--persona", "dan", "--persona", "walt"]
    result = _invoke("import", "journey", str(sheet), str(root), *args)
    assert result.exit_code == 1
    assert "bad.csv:2:6: error E469:" in result.output
    assert not (root / "journeys/bad.yaml").exists()


def test_diff_reports_each_persona_whose_emotion_changed(tmp_path: Path) -> None:
    root = init(tmp_path / "repo")
    commit(root, "v1", FILES, date="2026-05-01T09:00:00Z", tag="v1")
    changed = TRIP.replace("{dan: -1.5, walt: -2}", "{dan: -1, walt: -2}").replace(
        "emotion: 1\n", "emotion: {dan: 1, walt: 0}\n"
    )
    commit(root, "v2", {"journeys/trip.yaml": changed}, date="2026-05-02T09:00:00Z", tag="v2")
    result = _invoke("diff", str(root), "v1", "v2", "--format", "json")
    assert result.exit_code == 0, result.output
    emotions = [
        (c["where"], c["subject"], c["before"], c["after"], c["detail"])
        for c in json.loads(result.stdout)["changes"]
        if c["change"] == "emotion"
    ]
    assert emotions == [
        ("Pack", "dan", -1.5, -1, {"persona": "Dan Whitfield"}),
        ("Drive", "walt", 1, 0, {"persona": "Walt Gruber"}),
    ]
    text = _invoke("diff", str(root), "v1", "v2").stdout
    assert "Pack · for Dan Whitfield" in text and "-1.5" in text
    assert "Drive · for Walt Gruber" in text
    assert "{" not in text  # no mapping printed as a Python or JSON value
