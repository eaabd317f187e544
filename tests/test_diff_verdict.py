"""`cxsite diff` judges a metric's latest value between two versions (SPEC 8.1): two
versions of the same period (answers added or corrected) or two periods, with the test of
the metric's kind, in text, markdown and json; a change that reads 0 has no arrow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from gitkit import commit, init

from cxsite.cli import cli

EPOCH = "1790000000"


def answers(promoters: int, passives: int, detractors: int, day: str = "2026-02-10") -> str:
    """An NPS export of one period: so many 10s, 8s and 3s."""
    scores = [10] * promoters + [8] * passives + [3] * detractors
    return "date,score\n" + "".join(f"{day},{s}\n" for s in scores)


def project(data: str, min_responses: int | None = None) -> dict[str, str]:
    config = "title: Verdict CX\n" + (f"min_responses: {min_responses}\n" if min_responses else "")
    return {
        "cxsite.yaml": config,
        "metrics/nps.yaml": (
            "name: Store NPS\nkind: nps\ntarget: 60\nresponses: data/nps.csv\nperiod: quarter\n"
        ),
        "data/nps.csv": data,
    }


def diff(repo: Path, fmt: str) -> Result:
    result = CliRunner().invoke(
        cli,
        ["diff", str(repo), "v1", "v2", "--format", fmt],
        catch_exceptions=False,
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def two_versions(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """v1 and v2 of a project whose NPS export changed (the parameters: both exports and
    cxsite.yaml's min_responses)."""
    before, after, least = request.param
    repo = init(tmp_path / "repo")
    commit(repo, "v1", project(before, least), date="2026-05-01T09:00:00Z", tag="v1")
    commit(repo, "v2", project(after, least), date="2026-05-02T09:00:00Z", tag="v2")
    return repo


# NPS 30 (n=100: 45/40/15) -> 50 (n=80: 48/24/8): d = +20, p = 0.054 (issue 12's case).
NOISE = (answers(45, 40, 15), answers(48, 24, 8), None)
# NPS 30 (n=100) -> 60 (n=200: 140/40/20): p < 0.001.
SIGNIFICANT = (answers(45, 40, 15), answers(140, 40, 20), None)
# The same change with min_responses 150: the first version has 100 answers.
TOO_FEW = (answers(45, 40, 15), answers(140, 40, 20), 150)


@pytest.mark.parametrize("two_versions", [NOISE], indirect=True)
def test_same_period_within_noise(two_versions: Path) -> None:
    assert diff(two_versions, "text").stdout.splitlines() == [
        "cxsite diff: v1 → v2",
        "1 change in 1 entity.",
        "",
        "Metric: Store NPS (nps)",
        "  Latest value · 2026-Q1 → 2026-Q1: 30 -> 50 · within noise ▲",
    ]
    doc = json.loads(diff(two_versions, "json").stdout)
    assert [(c["change"], c["before"], c["after"], c["detail"]) for c in doc["changes"]] == [
        ("latest", pytest.approx(30), pytest.approx(50),
         {"before_period": "2026-Q1", "after_period": "2026-Q1", "before_n": 100,
          "after_n": 80, "verdict": "noise", "kind": "nps"}),
    ]  # fmt: skip


@pytest.mark.parametrize("two_versions", [SIGNIFICANT], indirect=True)
def test_same_period_significant(two_versions: Path) -> None:
    lines = diff(two_versions, "text").stdout.splitlines()
    assert lines[-1] == "  Latest value · 2026-Q1 → 2026-Q1: 30 -> 60 · significant ▲"
    markdown = diff(two_versions, "markdown").stdout.splitlines()
    assert markdown[-1] == "| Latest value | 2026-Q1 → 2026-Q1 | 30 | 60 · significant ▲ |"
    doc = json.loads(diff(two_versions, "json").stdout)
    assert doc["changes"][0]["detail"]["verdict"] == "significant"


@pytest.mark.parametrize("two_versions", [TOO_FEW], indirect=True)
def test_too_few_answers_under_min_responses(two_versions: Path) -> None:
    lines = diff(two_versions, "text").stdout.splitlines()
    assert lines[-1] == "  Latest value · 2026-Q1 → 2026-Q1: 30 -> 60 · too few answers ▲"
    doc = json.loads(diff(two_versions, "json").stdout)
    assert doc["changes"][0]["detail"]["verdict"] == "too-few"


# NPS 30.0 (n=100) -> 29.6 (n=125: 56/50/19): reads 30 -> 30, so no arrow either way.
ROUNDS_TO_ZERO = (answers(45, 40, 15), answers(56, 50, 19), None)


@pytest.mark.parametrize("two_versions", [ROUNDS_TO_ZERO], indirect=True)
def test_a_change_that_reads_0_has_no_arrow(two_versions: Path) -> None:
    lines = diff(two_versions, "text").stdout.splitlines()
    assert lines[-1] == "  Latest value · 2026-Q1 → 2026-Q1: 30 -> 30 · within noise"
    markdown = diff(two_versions, "markdown").stdout.splitlines()
    assert markdown[-1] == "| Latest value | 2026-Q1 → 2026-Q1 | 30 | 30 · within noise |"
    doc = json.loads(diff(two_versions, "json").stdout)
    assert doc["changes"][0]["after"] == pytest.approx(29.6)


def test_values_series_has_no_verdict(tmp_path: Path) -> None:
    files = {
        "cxsite.yaml": "title: Values CX\n",
        "metrics/nps.yaml": (
            "name: Panel NPS\nkind: nps\nvalues:\n  - {period: 2026-Q1, value: 30}\n"
        ),
    }
    repo = init(tmp_path / "repo")
    commit(repo, "v1", files, date="2026-05-01T09:00:00Z", tag="v1")
    files["metrics/nps.yaml"] = files["metrics/nps.yaml"].replace("value: 30", "value: 34")
    commit(repo, "v2", files, date="2026-05-02T09:00:00Z", tag="v2")
    lines = diff(repo, "text").stdout.splitlines()
    assert lines[-1] == "  Latest value · 2026-Q1 → 2026-Q1: 30 -> 34 ▲"
    doc = json.loads(diff(repo, "json").stdout)
    assert doc["changes"][0]["detail"]["verdict"] is None
