"""Evidence, confidence and journey health (SPEC 8.8, 8.9) on hand-built projects, with
hand-computed numbers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cxsite.analysis.analyse import analyse, emotion_curve
from cxsite.analysis.evidence import confidence_of, journey_coverage
from cxsite.analysis.health import freshness, ownership
from cxsite.analysis.scores import HealthPart, combine, health_order
from cxsite.cli import cli
from cxsite.metricdata.types import MetricData, PeriodPoint
from cxsite.model import Config, Journey, Metric, Persona, Project, Research
from cxsite.render.evidence import emotion_runs
from cxsite.validate.project import load_project

STUDY = Research(id="r1", title="Interviews", method="interview", date="2026-01-10")


def _metric(mid: str, target: float | None, value: float) -> tuple[Metric, MetricData]:
    metric = Metric(id=mid, name=mid, kind="csat", target=target)
    return metric, MetricData(mid, (PeriodPoint(period="2026-Q3", value=value),), "values")


def _stages(with_metrics: bool) -> list[dict[str, Any]]:
    return [
        {
            "name": "S0",
            "emotion": -1,
            "evidence": ["r1"],
            "pain_points": [{"text": "P1", "evidence": ["r1"]}, "P2"],
            "opportunities": ["O1"],
        },
        {
            "name": "S1",
            "emotion": 2,
            "pain_points": ["P3"],
            "metrics": ["m-on", "m-off"] if with_metrics else [],
        },
        {"name": "S2", "emotion": 0.5, "metrics": ["m-on", "m-none"] if with_metrics else []},
    ]


def _project(
    journeys: dict[str, list[dict[str, Any]]], research: bool = True, **config: Any
) -> tuple[Project, dict[str, MetricData]]:
    metrics = {
        mid: _metric(mid, target, value)
        for mid, target, value in (("m-on", 80, 85), ("m-off", 80, 70), ("m-none", None, 5))
    }
    project = Project(
        root=Path("."),
        config=Config(title="T", **config),
        personas={"p": Persona(id="p", name="P", role="R")},
        journeys={
            jid: Journey(id=jid, title=jid, personas=["p"], stages=stages)
            for jid, stages in journeys.items()
        },
        touchpoints={},
        metrics={mid: metric for mid, (metric, _) in metrics.items()},
        sources={},
        research={"r1": STUDY} if research else {},
    )
    return project, {mid: data for mid, (_, data) in metrics.items()}


# Freshness and ownership weigh 0 here: their data (SPEC 8.4) is not part of these journeys.
NO_OWNERS = {"freshness": 0, "ownership": 0}


def test_health_hand_computed_with_metrics() -> None:
    """evidence 2/6, kpis 1 of 2 with a target on target, experience ((2+2)/4 + (0.5+2)/4)/2
    = 0.8125 (peak S1 at +2, end S2 at +0.5), follow-up 2 of 3 pains: the mean is
    (1/3 + 0.5 + 0.8125 + 2/3) / 4 = 0.578125."""
    project, data = _project({"a": _stages(True)}, health_weights=NO_OWNERS)
    health = analyse(project, data).health["a"]
    values = {p.name: p.value for p in health.parts}
    assert values == pytest.approx(
        {
            "evidence": 2 / 6,
            "freshness": None,
            "kpis": 0.5,
            "experience": 0.8125,
            "follow_up": 2 / 3,
            "ownership": 0.0,  # no owner, but weighs 0
        }
    )
    assert health.score == pytest.approx(57.8125)
    assert health.rounded == 58
    assert health.part("kpis").count == 1 and health.part("kpis").total == 2
    assert health.part("evidence").share == pytest.approx(0.25)
    assert health.part("freshness").share is None
    assert sum(p.points or 0 for p in health.parts) == pytest.approx(health.score)


def test_health_weights_change_the_shares() -> None:
    """evidence weighs 2: (2 * 1/3 + 0.5 + 0.8125 + 2/3) / 5 = 0.5291666..."""
    project, data = _project({"a": _stages(True)}, health_weights={**NO_OWNERS, "evidence": 2})
    health = analyse(project, data).health["a"]
    assert health.score == pytest.approx(100 * (2 / 3 + 0.5 + 0.8125 + 2 / 3) / 5)
    assert health.rounded == 53
    assert health.part("evidence").share == pytest.approx(0.4)
    assert health.part("kpis").share == pytest.approx(0.2)


def test_weights_near_the_largest_float_give_the_same_score() -> None:
    """Weights are relative: 1e308 and 2e308-ish weights (valid for `check`) overflowed a
    plain sum to inf, and the build ended in 'cannot convert float NaN to integer'."""
    big = {name: 1e308 for name in ("kpis", "experience", "follow_up")}
    weights = {**NO_OWNERS, **big, "evidence": 1.7976931348623157e308}
    project, data = _project({"a": _stages(True)}, health_weights=weights)
    health = analyse(project, data).health["a"]
    evidence = 1.7976931348623157e308 / 1e308
    expected = (evidence / 3 + 0.5 + 0.8125 + 2 / 3) / (evidence + 3)
    assert health.score == pytest.approx(100 * expected)
    assert health.part("evidence").share == pytest.approx(evidence / (evidence + 3))


def test_health_of_a_journey_without_metrics_leaves_kpis_out() -> None:
    """No metric: KPIs left out, the three others weigh a third each:
    (1/3 + 0.8125 + 2/3) / 3 = 0.6041666..."""
    project, data = _project({"a": _stages(False)}, health_weights=NO_OWNERS)
    health = analyse(project, data).health["a"]
    assert health.part("kpis").value is None and health.part("kpis").share is None
    assert health.score == pytest.approx(100 * (1 / 3 + 0.8125 + 2 / 3) / 3)
    assert health.rounded == 60
    assert [p.share for p in health.parts if p.share is not None] == pytest.approx([1 / 3] * 3)


def test_a_project_without_research_leaves_evidence_out_and_marks_nothing() -> None:
    stages = [{"name": "A", "emotion": 1, "pain_points": ["x"]}, {"name": "B", "emotion": 0}]
    project, data = _project({"a": stages}, research=False, health_weights=NO_OWNERS)
    analysis = analyse(project, data)
    assert not analysis.evidence.tracked
    health = analysis.health["a"]
    # experience ((1+2)/4 + (0+2)/4)/2 = 0.625, follow-up 0 of 1
    assert health.part("evidence").value is None
    assert health.score == pytest.approx(100 * (0.625 + 0) / 2)


def test_a_journey_with_no_data_at_all_has_no_score() -> None:
    project, data = _project({"a": [{"name": "A"}]}, research=False, health_weights=NO_OWNERS)
    health = analyse(project, data).health["a"]
    assert health.score is None and health.rounded is None
    assert all(p.share is None for p in health.parts)


def test_journeys_by_health_lowest_first_unscored_last() -> None:
    project, data = _project(
        {
            "good": [{"name": "A", "emotion": 2}],
            "bad": [{"name": "A", "emotion": -2}],
            "none": [{"name": "A"}],
        },
        research=False,
        health_weights=NO_OWNERS,
    )
    health = analyse(project, data).health
    assert health_order(health) == ["bad", "good", "none"]


def test_combine_renormalises_over_the_parts_with_data() -> None:
    parts = [
        HealthPart("evidence", 1.0, 3.0),
        HealthPart("freshness", None, 1.0),
        HealthPart("kpis", 0.0, 1.0),
        HealthPart("experience", 0.5, 0.0),
    ]
    health = combine("j", parts)
    assert health.score == pytest.approx(75.0)
    assert [p.share for p in health.parts] == [0.75, None, 0.25, None]


def test_freshness_and_ownership_from_the_review_keys() -> None:
    """SPEC 8.4's review keys: fresh when reviewed and not overdue (due = reviewed +
    review_every_months, default 6), owned with an owner."""
    project, _ = _project({}, research=False)
    base = {"id": "j", "title": "J", "personas": ["p"], "stages": [{"name": "A"}]}
    as_of = dt.date(2026, 11, 4)
    never = Journey(**base)
    assert freshness(never, project, as_of) == 0.0 and ownership(never) == 0.0
    assert freshness(never, project, None) is None  # no "as of" date: left out
    due_today = Journey(**base, owner="CX", reviewed="2026-05-04")
    assert freshness(due_today, project, as_of) == 1.0 and ownership(due_today) == 1.0
    overdue = Journey(**base, reviewed="2026-05-03")
    assert freshness(overdue, project, as_of) == 0.0
    yearly = Journey(**base, reviewed="2026-01-04", review_every_months=12)
    assert freshness(yearly, project, as_of) == 1.0


def test_health_with_owner_and_review() -> None:
    """All six components: the journey of the first test, owned and reviewed in time:
    (1/3 + 1 + 0.5 + 0.8125 + 2/3 + 1) / 6 = 0.71875."""
    project, data = _project({"a": _stages(True)})
    journey = project.journeys["a"].model_copy(
        update={"owner": "CX", "reviewed": dt.date(2026, 9, 1)}
    )
    project = Project(**{**project.__dict__, "journeys": {"a": journey}})
    health = analyse(project, data, as_of=dt.date(2026, 11, 4)).health["a"]
    assert health.score == pytest.approx(71.875)
    assert health.rounded == 72
    # docs/evidence.md's worked example: without its metrics, then with evidence weighing 2
    no_metrics, _ = _project({"a": _stages(False)})
    bare = no_metrics.journeys["a"].model_copy(
        update=dict(journey.__dict__, stages=no_metrics.journeys["a"].stages)
    )
    no_metrics = Project(**{**no_metrics.__dict__, "journeys": {"a": bare}})
    assert analyse(no_metrics, data, as_of=dt.date(2026, 11, 4)).health["a"].score == pytest.approx(
        76.25
    )
    weighted = Project(
        **{**project.__dict__, "config": Config(title="T", health_weights={"evidence": 2})}
    )
    score = analyse(weighted, data, as_of=dt.date(2026, 11, 4)).health["a"].score
    assert score == pytest.approx(100 * (2 / 3 + 1 + 0.5 + 0.8125 + 2 / 3 + 1) / 7)
    assert round(score, 1) == 66.4
    late = analyse(project, data, as_of=dt.date(2027, 3, 2)).health["a"]
    assert late.part("freshness").value == 0.0
    assert late.score == pytest.approx(100 * (1 / 3 + 0 + 0.5 + 0.8125 + 2 / 3 + 1) / 6)


def test_confidence_is_derived_from_evidence_unless_written() -> None:
    journey = Journey(
        id="j",
        title="J",
        personas=["p"],
        stages=[
            {"name": "A", "evidence": ["r1"]},
            {"name": "B"},
            {"name": "C", "confidence": "reasoned"},
            {"name": "D", "evidence": ["r1"], "confidence": "assumption"},
        ],
    )
    assert [confidence_of(s) for s in journey.stages] == [
        "validated",
        "assumption",
        "reasoned",
        "assumption",
    ]
    coverage = journey_coverage(journey)
    assert (coverage.stages_with, coverage.stages, coverage.assumptions) == (2, 4, 2)
    assert coverage.share == 0.5


def test_emotion_runs_dash_every_segment_touching_an_assumption() -> None:
    journey = Journey(
        id="j",
        title="J",
        personas=["p"],
        stages=[{"name": n, "emotion": e} for n, e in zip("ABCDE", (1, 0, -1, 1, 2), strict=True)],
    )
    curve = emotion_curve(journey, Config(title="T"))
    runs = emotion_runs(curve, [False, False, True, False, False])
    assert runs == [
        ([(0, 1), (1, 0)], False),
        ([(1, 0), (2, -1), (3, 1)], True),
        ([(3, 1), (4, 2)], False),
    ]
    # Nothing assumed: one solid run per stretch of recorded emotions, as before.
    assert emotion_runs(curve, [False] * 5) == [([(0, 1), (1, 0), (2, -1), (3, 1), (4, 2)], False)]


def test_research_study_dates(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            "research/diary.yaml": "title: Diary\nmethod: diary-study\nstart: 2026-03-01\n"
            "end: 2026-03-21\nparticipants: 12\nlink: https://wiki.example/diary\n",
            "research/poll.yaml": "title: Poll\nmethod: survey\ndate: 2026-04-02\n",
        }
    )
    result = load_project(root)
    assert result.project is not None, result.problems
    research = result.project.research
    assert research["diary"].when == dt.date(2026, 3, 21)
    assert research["poll"].when == dt.date(2026, 4, 2)


def test_new_research_writes_a_valid_commented_study(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project()
    result = CliRunner().invoke(
        cli, ["new", "research", "pickup-diary", str(root)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    target = root / "research" / "pickup-diary.yaml"
    assert result.output == f"Created {target}\n"
    text = target.read_text()
    assert text.startswith('# Research study "pickup-diary"')
    assert 'title: "Pickup diary"' in text
    checked = CliRunner().invoke(cli, ["check", str(root)], catch_exceptions=False)
    assert "research/" not in checked.output
    assert load_project(root).project.research["pickup-diary"].method == "interview"


def test_schema_research() -> None:
    result = CliRunner().invoke(cli, ["schema", "research"], catch_exceptions=False)
    schema = json.loads(result.output)
    assert schema["required"] == ["title", "method"]
    assert "diary-study" in schema["properties"]["method"]["enum"]
    assert "id" not in schema["properties"]


def test_w515_only_once_the_project_records_evidence(make_project) -> None:  # type: ignore[no-untyped-def]
    journey = (
        "title: Buy\npersonas: [maya-chen]\nstages:\n  - name: Pay\n    touchpoints: [web-shop]\n"
        "    pain_points:\n      - {text: Card declined, severity: high}\n"
        "    opportunities: [Explain declines]\n"
    )
    root = make_project({"journeys/buy.yaml": journey})
    codes = [p.code for p in load_project(root).problems]
    assert "W515" not in codes
    (root / "research").mkdir()
    (root / "research" / "poll.yaml").write_text("title: Poll\nmethod: survey\ndate: 2026-04-02\n")
    lines = [p.format() for p in load_project(root).problems if p.code == "W515"]
    assert lines == [
        "journeys/buy.yaml:7:9: warning W515: high-severity pain point 'Card declined' rests on "
        "no evidence; add the research that shows it under 'evidence', or lower its severity"
    ]
