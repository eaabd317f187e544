"""The analyses of SPEC section 4 on small hand-built projects, with hand-computed numbers."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from cxsite.analysis.analyse import (
    QUADRANTS,
    analyse,
    emotion_curve,
    emotion_word,
    ipa,
    summarise_metric,
)
from cxsite.analysis.journeys import opportunity_order, pain_order
from cxsite.metricdata.types import MetricData, PeriodPoint
from cxsite.model import Config, Journey, Metric, Persona, Project, Touchpoint


def persona(pid: str) -> Persona:
    return Persona(id=pid, name=pid.title(), role="Someone")


def tp(tid: str, **kw: Any) -> Touchpoint:
    kw.setdefault("channel", "web")
    kw.setdefault("phase", "during")
    return Touchpoint(id=tid, name=kw.pop("name", tid.title()), **kw)


def journey(jid: str, personas: list[str], stages: list[dict[str, Any]]) -> Journey:
    return Journey(id=jid, title=jid.title(), personas=personas, stages=stages)


def project(personas=(), journeys=(), touchpoints=(), metrics=(), **config: Any) -> Project:
    return Project(
        root=Path("."),
        config=Config(title="T", **config),
        personas={p.id: p for p in personas},
        journeys={j.id: j for j in journeys},
        touchpoints={t.id: t for t in touchpoints},
        metrics={m.id: m for m in metrics},
        sources={},
    )


def stages(*emotions: float | None) -> list[dict[str, Any]]:
    return [
        {"name": f"S{i}", **({} if e is None else {"emotion": e})} for i, e in enumerate(emotions)
    ]


# --- emotion curves --------------------------------------------------------------------------


def test_curve_peak_end_average_drop():
    curve = emotion_curve(journey("j", ["a"], stages(1, -1.5, 0.5, -2, 1.5)), Config(title="T"))
    assert curve.peak == 3  # |-2| is the largest
    assert curve.end == 4
    assert curve.average == pytest.approx((1 - 1.5 + 0.5 - 2 + 1.5) / 5)
    # drops: 1 -> -1.5 = -2.5, 0.5 -> -2 = -2.5 (tie: the earlier wins)
    assert (curve.steepest_drop.from_index, curve.steepest_drop.to_index) == (0, 1)
    assert curve.steepest_drop.delta == pytest.approx(-2.5)
    assert [s.label for s in curve.stages] == [
        "Positive",
        "Very negative",  # -1.5 rounds half away from zero to -2
        "Positive",
        "Very negative",
        "Very positive",
    ]


def test_curve_peak_tie_takes_earlier_and_missing_stages_are_skipped():
    curve = emotion_curve(journey("j", ["a"], stages(None, -1, 1, None, 0)), Config(title="T"))
    assert curve.peak == 1
    assert curve.end == 4
    assert curve.average == pytest.approx(0)
    assert curve.steepest_drop is None  # -1 -> 1 rises; 1 -> None -> 0 is not consecutive
    assert [s.index for s in curve.missing] == [0, 3]


def test_curve_without_emotions():
    curve = emotion_curve(journey("j", ["a"], stages(None)), Config(title="T"))
    assert (curve.peak, curve.end, curve.average, curve.steepest_drop) == (None, 0, None, None)
    assert not curve.has_emotions


def test_emotion_words_follow_config():
    config = Config(title="T", emotion_labels={2: "Delighted", -1: "Annoyed"})
    assert emotion_word(config, 1.6) == "Delighted"
    assert emotion_word(config, -0.5) == "Annoyed"
    assert emotion_word(config, 0.49) == "Neutral"


# --- usage, pains, backlog ---------------------------------------------------------------------


def _journeys_project() -> Project:
    j1 = journey(
        "buy",
        ["ann", "bob"],
        [
            {
                "name": "Search",
                "touchpoints": ["web", "app", "web"],
                "pain_points": [
                    "Slow  search",
                    {"text": "Hidden fees", "severity": "high", "touchpoint": "web"},
                ],
                "opportunities": [
                    {"text": "Faster search", "impact": "high", "effort": "high"},
                    {
                        "text": "Show fees early",
                        "impact": "high",
                        "effort": "low",
                        "status": "done",
                        "owner": "Pricing",
                    },
                ],
            },
            {"name": "Pay", "touchpoints": ["web"], "pain_points": ["slow search"]},
        ],
    )
    j2 = journey(
        "return",
        ["cy"],
        [
            {
                "name": "Ship back",
                "touchpoints": ["store"],
                "pain_points": [{"text": "slow SEARCH", "severity": "low"}, "Long queue"],
                "opportunities": [
                    {
                        "text": "show fees  EARLY",
                        "impact": "low",
                        "effort": "medium",
                        "status": "planned",
                        "owner": "Ops",
                    },
                    "Self-service kiosk",
                ],
            }
        ],
    )
    return project(
        personas=[persona("ann"), persona("bob"), persona("cy")],
        journeys=[j2, j1],
        touchpoints=[tp("web"), tp("app"), tp("store"), tp("unused")],
    )


def test_touchpoint_usage():
    usage = analyse(_journeys_project(), {}).usage
    assert list(usage) == ["app", "store", "unused", "web"]
    web = usage["web"]
    assert web.journeys == ("buy",)
    assert [(s.journey_id, s.stage_index, s.stage_name) for s in web.stages] == [
        ("buy", 0, "Search"),
        ("buy", 1, "Pay"),
    ]
    assert web.personas == ("ann", "bob")
    assert usage["store"].personas == ("cy",)
    assert usage["unused"].stages == ()


def test_pain_ranking():
    pains = analyse(_journeys_project(), {}).pains
    assert [(p.rank, p.text, p.severity, p.journeys, p.personas) for p in pains] == [
        (1, "Hidden fees", "high", ("buy",), ("ann", "bob")),
        # medium beats low: 'slow search' (max medium) in 2 journeys before 'Long queue'
        (2, "Slow  search", "medium", ("buy", "return"), ("ann", "bob", "cy")),
        (3, "Long queue", "medium", ("return",), ("cy",)),
    ]
    slow = pains[1]
    assert slow.key == "slow search"
    assert [(o.where.journey_id, o.where.stage_name, o.severity) for o in slow.occurrences] == [
        ("buy", "Search", "medium"),
        ("buy", "Pay", "medium"),
        ("return", "Ship back", "low"),
    ]
    assert pains[0].touchpoints == ("web",)


def test_backlog_ranking_status_and_matrix():
    backlog = analyse(_journeys_project(), {}).backlog
    assert [(i.rank, i.text, i.impact, i.effort, i.status) for i in backlog.items] == [
        # merged: impact max (high), effort max (medium), least advanced status (planned)
        (1, "Show fees early", "high", "medium", "planned"),
        (2, "Faster search", "high", "high", "idea"),
        (3, "Self-service kiosk", "medium", "medium", "idea"),
    ]
    assert backlog.items[0].owners == ("Ops", "Pricing")
    assert backlog.items[0].journeys == ("buy", "return")
    assert backlog.status_counts == (("idea", 2), ("planned", 1), ("in-progress", 0), ("done", 0))
    # rows impact low/medium/high, columns effort low/medium/high
    assert backlog.matrix == ((0, 0, 0), (0, 1, 0), (0, 1, 1))


def test_the_orders_the_briefs_share():
    assert sorted(["low", "high", "medium"], key=pain_order) == ["high", "medium", "low"]
    pairs = [("low", "low"), ("high", "high"), ("medium", "low"), ("high", "low")]
    assert sorted(pairs, key=lambda p: opportunity_order(*p)) == [
        ("high", "low"),
        ("high", "high"),
        ("medium", "low"),
        ("low", "low"),
    ]


# --- IPA, importance, coverage --------------------------------------------------------------


def _rated_project(**config: Any) -> Project:
    return project(
        personas=[persona("ann"), persona("bob")],
        touchpoints=[
            tp(
                "a",
                ratings={
                    "ann": {"importance": 5, "satisfaction": 2},
                    "bob": {"importance": 4, "satisfaction": 4},
                },
            ),
            tp("b", ratings={"ann": {"importance": 2, "satisfaction": 5}}),
            tp("c", ratings={"bob": {"importance": 1, "satisfaction": 1}}),
            tp("d"),
        ],
        **config,
    )


def test_ipa_overall_mean_crosshair():
    overall = ipa(_rated_project(), None)
    # grand means over the four ratings: importance 12/4 = 3, satisfaction 12/4 = 3
    assert (overall.importance_split, overall.satisfaction_split) == (3, 3)
    got = [(p.touchpoint_id, p.importance, p.satisfaction, p.n, p.quadrant) for p in overall.points]
    assert got == [
        ("a", 4.5, 3.0, 2, "Keep up the good work"),  # satisfaction equal to split counts high
        ("b", 2.0, 5.0, 1, "Possible overkill"),
        ("c", 1.0, 1.0, 1, "Low priority"),
    ]


def test_ipa_per_persona_and_midpoint():
    ann = ipa(_rated_project(), "ann")
    assert (ann.importance_split, ann.satisfaction_split) == (3.5, 3.5)
    assert [(p.touchpoint_id, p.quadrant) for p in ann.points] == [
        ("a", "Concentrate here"),
        ("b", "Possible overkill"),
    ]
    mid = ipa(_rated_project(ipa_crosshair="midpoint"), "bob")
    assert (mid.importance_split, mid.satisfaction_split) == (3, 3)
    assert [p.quadrant for p in mid.points] == ["Keep up the good work", "Low priority"]
    assert mid.in_quadrant(QUADRANTS[2])[0].touchpoint_id == "c"


def test_ipa_without_ratings():
    result = analyse(project(personas=[persona("ann")], touchpoints=[tp("x")]), {})
    assert result.ipa_overall.points == ()
    assert result.ipa_by_persona["ann"].points == ()
    assert result.importance.personas == () and result.importance.values == ()


def test_importance_matrix():
    m = analyse(_rated_project(), {}).importance
    assert m.personas == ("ann", "bob")
    assert m.touchpoints == ("a", "b", "c")
    assert m.values == ((5, 2, None), (4, None, 1))


def test_coverage():
    p = project(
        personas=[persona("ann"), persona("zed")],
        journeys=[journey("j", ["ann"], [{"name": "S", "touchpoints": ["w1", "s1"]}])],
        touchpoints=[
            tp("w1", channel="web", phase="before", pillar="digital", pyramid="utility"),
            tp("w2", channel="web", phase="before", pillar="digital"),
            tp("s1", channel="store", phase="after", pyramid="pleasurable"),
            tp("e1", channel="kiosk", phase="during"),
        ],
        channels=["kiosk"],
    )
    cov = analyse(p, {}).coverage
    assert cov.channels == ("web", "store", "kiosk")  # declared order, unused channels left out
    assert cov.channel_phase == ((("w1", "w2"), (), ()), ((), (), ("s1",)), ((), ("e1",), ()))
    assert cov.channel_phase_counts() == ((2, 0, 0), (0, 0, 1), (0, 1, 0))
    assert len(cov.pillars) == 10
    assert dict(cov.pillars)["digital"] == 2 and dict(cov.pillars)["marketing"] == 0
    assert cov.no_pillar == 2
    assert cov.pyramid == (("utility", 1), ("usability", 0), ("pleasurable", 1))
    assert cov.no_pyramid == 2
    assert cov.per_persona == {"ann": ("s1", "w1"), "zed": ()}


# --- metrics ---------------------------------------------------------------------------------


def metric(mid: str = "m", **kw: Any) -> Metric:
    kw.setdefault("kind", "nps")
    return Metric(id=mid, name=mid.upper(), **kw)


def data(*points: PeriodPoint, source: str = "values", **breakdowns: Any) -> MetricData:
    return MetricData("m", tuple(points), source, breakdowns)  # type: ignore[arg-type]


def test_metric_status_and_trend_higher_is_better():
    s = summarise_metric(
        metric(target=40), data(PeriodPoint("2026-Q1", 42), PeriodPoint("2026-Q2", 40))
    )
    assert s.latest.value == 40 and s.status == "on"  # reaching the target is on target
    assert (s.trend.direction, s.trend.verdict, s.trend.delta) == ("down", "worse", -2)
    assert s.trend.previous_period == "2026-Q1"


def test_metric_status_and_trend_lower_is_better():
    s = summarise_metric(
        metric(kind="churn", target=5), data(PeriodPoint("2026", 6.5), PeriodPoint("2027", 5.5))
    )
    assert s.status == "off"
    assert (s.trend.direction, s.trend.verdict) == ("down", "better")
    assert s.trend.delta == pytest.approx(-1)
    assert s.unit == "%"


def test_metric_without_target_one_point_or_no_data():
    s = summarise_metric(metric(), data(PeriodPoint("2026", 3)))
    assert (s.status, s.trend) == (None, None)
    empty = summarise_metric(metric(target=1), data(source="none"))
    assert (empty.latest, empty.status, empty.trend, empty.points) == (None, None, None, ())
    flat = summarise_metric(metric(), data(PeriodPoint("2026", 3), PeriodPoint("2027", 3)))
    assert (flat.trend.direction, flat.trend.verdict) == ("flat", "same")


def test_metric_falls_back_to_values_and_skips_non_finite():
    m = metric(values=[{"period": "2026", "value": 10}, {"period": "2027", "value": 12}])
    assert [p.value for p in summarise_metric(m, None).points] == [10, 12]
    s = summarise_metric(metric(), data(PeriodPoint("2026", math.nan), PeriodPoint("2027", 1)))
    assert [p.period for p in s.points] == ["2027"] and s.skipped == 1


def test_nps_composition_and_breakdowns():
    p1 = PeriodPoint("2026-01", -20, 10, 30.1, 0.2, 0.4, 0.4)
    p2 = PeriodPoint("2026-02", 50, 4, 40.0, 0.5, 0.5, 0.0)
    by_persona = {"zoe": PeriodPoint("all", 10, 2), "al": PeriodPoint("all", -5, 3)}
    d = data(p1, p2, source="responses", persona=by_persona)
    s = summarise_metric(metric(), d)
    assert [(c.period, c.promoters, c.passives, c.detractors, c.n) for c in s.composition] == [
        ("2026-01", 0.2, 0.4, 0.4, 10),
        ("2026-02", 0.5, 0.5, 0.0, 4),
    ]
    assert s.has_moe
    assert [k for k, _ in s.breakdowns["persona"]] == ["al", "zoe"]
    assert summarise_metric(metric(kind="csat"), d).composition == ()


def test_analysis_is_comparable_and_picklable():
    import pickle

    first = analyse(_journeys_project(), {})
    assert pickle.loads(pickle.dumps(first)) == first  # briefs may send it to worker processes
    assert analyse(_journeys_project(), {}) == first
