"""The example project in content/: clean under --strict, and its numbers are the CSVs' numbers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.analysis.hierarchy import has_blueprint, hierarchy
from cxsite.cli import cli
from cxsite.validate.project import load_project

CONTENT = Path(__file__).resolve().parent.parent / "content"
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "make_example_data.py"


@pytest.fixture(scope="module")
def result():
    return load_project(CONTENT)


# The example is dated: its surveys end in October 2026 and its reviews (`reviewed:`) were
# made up to November 2026, so some fall due in December 2026 and would then be overdue
# (W512). It is strict-clean as of its own date, whatever day the tests run.
EXAMPLE_EPOCH = "1795737600"  # 2026-11-27


def test_check_strict_passes_with_no_problem_lines() -> None:
    run = CliRunner(env={"SOURCE_DATE_EPOCH": EXAMPLE_EPOCH}).invoke(
        cli, ["check", str(CONTENT), "--strict"], catch_exceptions=False
    )
    assert run.exit_code == 0, run.output
    assert run.stdout == ""


def test_example_is_rich_enough(result) -> None:
    project = result.project
    assert project is not None
    assert len(project.personas) >= 4
    assert len(project.journeys) >= 3
    # SPEC 8.7: per-persona emotions on one journey, a to-be version of another
    assert any(s.per_persona for j in project.journeys.values() for s in j.stages)
    assert any(
        j.state == "future" and j.compare_to in project.journeys for j in project.journeys.values()
    )
    assert any(p.personas for j in project.journeys.values() for s in j.stages
               for p in s.pain_points)  # fmt: skip
    tree = hierarchy(project)
    assert len(tree.roots) == 4  # three as-is journeys, a to-be one, and a sub-journey
    assert all(5 <= len(project.journeys[j].stages) <= 7 for j in tree.roots)
    assert len(project.touchpoints) >= 20
    assert {m.kind for m in project.metrics.values()} == {
        "nps", "csat", "ces", "churn", "clv", "custom"
    }  # fmt: skip
    assert {t.pyramid for t in project.touchpoints.values()} == {
        "utility", "usability", "pleasurable"
    }  # fmt: skip
    assert sum(p.photo is not None for p in project.personas.values()) == 1
    kinds = {b.kind for b in project.config.brief_list()}
    assert kinds == {"executive", "persona", "personas", "journey"}


def test_october_nps_matches_the_csv_by_hand(result) -> None:
    # Counted in data/nps-responses.csv with
    #   awk -F, '$1 ~ /^2026-10/ {n++; if ($2>=9) p++; else if ($2<=6) d++} END {print n,p,d}'
    # -> 72 answers, 41 promoters, 9 detractors: NPS = (41 - 9) / 72 = 44.44 points,
    # margin 1.96 * sqrt((41/72 + 9/72 - (32/72)^2) / 72) = 16.28 points.
    october = result.metric_data["nps"].points[-1]
    assert october.period == "2026-10"
    assert october.n == 72
    assert october.value == pytest.approx(44.44, abs=0.005)
    assert october.moe == pytest.approx(16.28, abs=0.005)
    assert october.promoters == pytest.approx(41 / 72)
    assert october.detractors == pytest.approx(9 / 72)


def test_every_metric_has_data_and_responses_have_breakdowns(result) -> None:
    for metric_id, data in result.metric_data.items():
        assert data.points, metric_id
    nps = result.metric_data["nps"]
    assert [p.period for p in nps.points] == [f"2026-{m:02d}" for m in range(3, 11)]
    assert set(nps.breakdowns) == {"persona", "journey", "touchpoint"}
    assert set(nps.breakdowns["persona"]) == set(result.project.personas)
    ces = result.metric_data["returns-ces"]
    assert [p.period for p in ces.points] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    for data in (nps, result.metric_data["pickup-csat"], ces):
        assert sum(p.n for p in data.points) >= 300


def test_data_script_reproduces_the_committed_csvs(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_example_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for csv in sorted((CONTENT / "data").glob("*.csv")):
        assert (tmp_path / "data" / csv.name).read_bytes() == csv.read_bytes(), csv.name


def test_example_shows_the_journey_structure(result) -> None:
    project = result.project
    tree = hierarchy(project)
    assert tree.parents["pickup-at-the-counter"].stage_name == "Collect in store"
    blueprints = [j for j in project.journeys.values() if has_blueprint(j)]
    assert [j.id for j in blueprints] == ["click-and-collect"]
    pains = [p for s in blueprints[0].stages for p in s.pain_points]
    assert sum(p.fail_point for p in pains) == 2
    gamified = [t for t in project.touchpoints.values() if t.mechanics]
    assert len(gamified) == 2 and all(t.metrics for t in gamified)
