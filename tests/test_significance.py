"""Is a change real? The tests of SPEC 8.1 against hand-computed and published cases, the
Student's t distribution against exact forms and tables, and the formats of SPEC 8.13."""

from __future__ import annotations

import math
import statistics

import pytest

from cxsite.analysis.formats import (
    gap_text,
    interval_text,
    metric_delta,
    metric_number,
    percent_number,
    trend_text,
)
from cxsite.analysis.metrics import summarise_metric, trend
from cxsite.analysis.significance import answers_needed, compare, welch
from cxsite.analysis.studentt import t_quantile, t_two_sided_p
from cxsite.metricdata.types import MetricData, PeriodPoint, aggregate, aggregate_counts, combine
from cxsite.model import Metric


def nps(period: str, promoters: int, passives: int, detractors: int) -> PeriodPoint:
    return aggregate_counts("nps", period, {10: promoters, 8: passives, 0: detractors})


# --- the tests --------------------------------------------------------------------------


def test_nps_case_of_the_issue_is_noise():
    # NPS 30 (n=100: 45 promoters, 40 passives, 15 detractors) -> 50 (n=80: 48/24/8)
    before, after = nps("2026-09", 45, 40, 15), nps("2026-10", 48, 24, 8)
    assert (round(before.value, 9), round(after.value, 9)) == (30, 50)
    sig = compare("nps", before, after)
    assert sig is not None and sig.method == "wald"
    assert sig.delta == pytest.approx(20)
    # v1 = .45 + .15 - .3^2 = .51, v2 = .6 + .1 - .5^2 = .45; SE = 100 sqrt(.51/100 + .45/80)
    assert sig.se == pytest.approx(100 * math.sqrt(0.0051 + 0.005625))
    assert round(sig.se, 2) == 10.36
    assert round(sig.statistic, 2) == 1.93
    # p = 0.0535: the issue's 0.054 is the p of z rounded to 1.93 first
    assert sig.p == pytest.approx(0.054, abs=0.001)
    assert sig.p == pytest.approx(math.erfc(sig.statistic / math.sqrt(2)))
    assert (round(sig.low, 1), round(sig.high, 1)) == (-0.3, 40.3)
    assert sig.verdict == "noise"
    assert (sig.n_previous, sig.n_latest) == (100, 80)
    assert interval_text(sig, "nps") == "−0.3 to +40.3"
    t = trend(after, before, True, "nps")
    assert trend_text(t, "nps") == "▲ +20 · within noise"
    assert t.tone == "flat"  # noise is grey


def test_csat_case_is_significant():
    # CSAT 70 % (140 of 200 answers 4-5) -> 80 % (200 of 250).
    before = aggregate_counts("csat", "2026-Q1", {5: 140, 2: 60})
    after = aggregate_counts("csat", "2026-Q2", {4: 200, 1: 50})
    sig = compare("csat", before, after)
    assert sig is not None
    # SE = 100 sqrt(.7 * .3 / 200 + .8 * .2 / 250) = 100 sqrt(.00169) = 4.111
    assert sig.se == pytest.approx(100 * math.sqrt(0.00169))
    assert sig.statistic == pytest.approx(10 / (100 * math.sqrt(0.00169)))
    assert round(sig.p, 4) == 0.0150
    assert (round(sig.low, 2), round(sig.high, 2)) == (1.94, 18.06)
    assert sig.verdict == "significant"
    t = trend(after, before, True, "csat")
    assert trend_text(t, "csat") == "▲ +10.0 · significant (p = 0.015)"
    assert t.tone == "good"
    worse = trend(before, after, True, "csat")
    assert (worse.tone, trend_text(worse, "csat")) == ("bad", "▼ −10.0 · significant (p = 0.015)")


def test_welch_matches_r_on_the_sleep_data():
    # R: t.test(extra ~ group, data = sleep) -> t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95 percent confidence interval: -3.3654832 0.2054832
    group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    m1, v1 = statistics.mean(group1), statistics.variance(group1)
    m2, v2 = statistics.mean(group2), statistics.variance(group2)
    _se, t, df, p, low, high = welch(m2, v2, 10, m1, v1, 10)  # group1 - group2, as R
    assert round(t, 4) == -1.8608
    assert round(df, 3) == 17.776
    assert round(p, 5) == 0.07939
    assert (round(low, 7), round(high, 7)) == (-3.3654832, 0.2054832)


def _t_density(x: float, df: float) -> float:
    c = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    return c * (1 + x * x / df) ** (-(df + 1) / 2)


def _two_sided_by_simpson(t: float, df: float, steps: int = 20000) -> float:
    """P(|T| >= |t|) as 1 - 2 * the integral of the density over [0, |t|] (Simpson's rule):
    an independent way to the p-value, sharing no code with cxsite's incomplete beta."""
    h = abs(t) / steps
    total = _t_density(0, df) + _t_density(abs(t), df)
    total += sum((4 if i % 2 else 2) * _t_density(i * h, df) for i in range(1, steps))
    return 1 - 2 * total * h / 3


def test_ces_pair_against_an_independent_welch_computation():
    before_scores = [2] * 9 + [3] * 14 + [4] * 11 + [5] * 8 + [6] * 6 + [7] * 2  # n = 50
    after_scores = [3] * 5 + [4] * 10 + [5] * 13 + [6] * 12 + [7] * 4  # n = 44
    before = aggregate("ces", "2026-Q2", before_scores)
    after = aggregate("ces", "2026-Q3", after_scores)
    sig = compare("ces", before, after)
    assert sig is not None and sig.method == "welch"

    # Welch by hand from the raw scores.
    m1, m2 = statistics.mean(before_scores), statistics.mean(after_scores)
    a = statistics.variance(before_scores) / len(before_scores)
    b = statistics.variance(after_scores) / len(after_scores)
    se = math.sqrt(a + b)
    df = (a + b) ** 2 / (a**2 / (len(before_scores) - 1) + b**2 / (len(after_scores) - 1))
    t = (m2 - m1) / se
    assert sig.delta == pytest.approx(m2 - m1)
    assert sig.se == pytest.approx(se)
    assert sig.statistic == pytest.approx(t)
    assert sig.df == pytest.approx(df)
    assert sig.p == pytest.approx(_two_sided_by_simpson(t, df), abs=1e-7)
    # The interval's t quantile: the point where the integrated tail is 2.5 %.
    q = (sig.high - sig.low) / 2 / se
    assert _two_sided_by_simpson(q, df) == pytest.approx(0.05, abs=1e-7)
    assert sig.verdict == "significant"
    assert round(sig.p, 4) == round(_two_sided_by_simpson(t, df), 4)


def test_too_few_answers():
    small, large = nps("2026-09", 15, 10, 4), nps("2026-10", 60, 30, 10)  # n = 29 and 100
    sig = compare("nps", small, large)
    assert sig is not None and sig.verdict == "too-few"
    assert sig.p is not None  # still computed, for data/cx.json, but not judged
    t = trend(large, small, True, "nps")
    assert trend_text(t, "nps").endswith(" · too few answers")
    assert t.tone == "flat"
    # the threshold comes from cxsite.yaml's min_responses
    assert compare("nps", small, large, min_responses=20).verdict == "noise"
    # CES with a single answer has no variance: too few whatever the threshold
    one = aggregate("ces", "2026-Q1", [4])
    two = aggregate("ces", "2026-Q2", [4, 5, 6])
    assert compare("ces", one, two, min_responses=2).verdict == "too-few"


def test_values_series_have_no_test_and_keep_their_colour():
    t = trend(PeriodPoint("2026", 4.5), PeriodPoint("2025", 6), False, "churn")
    assert t.significance is None
    assert (t.tone, trend_text(t, "churn")) == ("good", "▼ −1.5")
    assert compare("nps", PeriodPoint("2025", 30), PeriodPoint("2026", 50)) is None


def test_identical_periods_without_spread():
    everyone = nps("2026-09", 40, 0, 0)  # all promoters: no variance
    sig = compare("nps", everyone, nps("2026-10", 40, 0, 0))
    assert (sig.se, sig.p, sig.verdict) == (0.0, 1.0, "noise")
    flipped = compare("nps", everyone, nps("2026-10", 0, 0, 40))
    assert (flipped.p, flipped.verdict) == (0.0, "significant")


# --- answers needed ------------------------------------------------------------------------


def test_answers_needed_by_the_spec_formula():
    latest = aggregate_counts("csat", "2026-10", {5: 80, 1: 20})  # 80 %, v = .16
    # n = (1.96 + 0.8416)^2 * 2 * .16 / .05^2 = 1004.67 -> 1005
    assert answers_needed("csat", latest, 85) == 1005
    assert answers_needed("csat", latest, 80) is None  # no gap
    assert answers_needed("csat", latest, 1e160) is None  # beyond any answer (OverflowError)
    ces = aggregate("ces", "2026-Q3", [3, 4, 5, 6])  # sample variance 5/3
    assert answers_needed("ces", ces, 5.5) == math.ceil(2.8016**2 * 2 * (5 / 3) / 1.0**2)


def test_summary_says_answers_needed_only_when_the_target_is_missed():
    metric = Metric.model_validate({"id": "sat", "name": "Sat", "kind": "csat", "target": 85})
    points = (
        aggregate_counts("csat", "2026-09", {5: 70, 1: 30}),
        aggregate_counts("csat", "2026-10", {5: 80, 1: 20}),
    )
    summary = summarise_metric(metric, MetricData("sat", points, "responses"))
    assert summary.status == "off" and summary.answers_needed == 1005
    assert summary.trend.significance.verdict == "noise"
    assert [s.period for s in summary.steps] == ["2026-10"]
    assert summary.overall.n == 200 and summary.overall.value == pytest.approx(75)
    met = Metric.model_validate({"id": "sat", "name": "Sat", "kind": "csat", "target": 75})
    assert summarise_metric(met, MetricData("sat", points, "responses")).answers_needed is None
    strict = summarise_metric(metric, MetricData("sat", points, "responses"), min_responses=101)
    assert strict.trend.significance.verdict == "too-few" and strict.min_responses == 101


def test_combined_periods_equal_one_aggregation_of_all_answers():
    first, second = [1, 2, 2, 5, 7, 7], [3, 3, 4, 6, 6, 6, 7]
    for kind, a, b in (
        ("ces", first, second),
        ("csat", [1, 2, 4, 5, 5], [3, 4, 4, 5]),
        ("nps", [0, 6, 7, 9, 10], [8, 9, 10, 10, 3]),
    ):
        points = [aggregate(kind, "1", a), aggregate(kind, "2", b)]
        together = aggregate(kind, "all", a + b)
        combined = combine(kind, "all", points)
        assert combined.n == together.n
        assert combined.value == pytest.approx(together.value)
        assert combined.moe == pytest.approx(together.moe)


# --- Student's t ----------------------------------------------------------------------------


def t_cdf(t: float, df: float) -> float:
    """P(T <= t), from the two-sided tail."""
    tail = t_two_sided_p(t, df) / 2.0
    return 1.0 - tail if t > 0 else tail


@pytest.mark.parametrize("t", [-7.5, -1.2, 0.0, 0.3, 2.0, 31.8])
def test_t_cdf_equals_the_closed_forms_for_one_and_two_degrees(t: float):
    assert t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-12)
    assert t_cdf(t, 2) == pytest.approx(0.5 + t / (2 * math.sqrt(2 + t * t)), abs=1e-12)
    three = 0.5 + (t / (math.sqrt(3) * (1 + t * t / 3)) + math.atan(t / math.sqrt(3))) / math.pi
    assert t_cdf(t, 3) == pytest.approx(three, abs=1e-12)


@pytest.mark.parametrize(
    ("df", "critical"),
    [(1, 12.706), (2, 4.303), (5, 2.571), (10, 2.228), (30, 2.042), (120, 1.980), (1e7, 1.960)],
)
def test_t_quantile_matches_the_printed_tables(df: float, critical: float):
    assert round(t_quantile(0.975, df), 3) == critical
    assert t_two_sided_p(t_quantile(0.975, df), df) == pytest.approx(0.05, abs=1e-10)
    assert t_quantile(0.025, df) == pytest.approx(-t_quantile(0.975, df))


def test_t_p_value_with_fractional_degrees():
    assert t_two_sided_p(2.5, 7.3) == pytest.approx(_two_sided_by_simpson(2.5, 7.3), abs=1e-8)


# --- one format per kind (SPEC 8.13) -------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("nps", 44.444, "44"),
        ("nps", 44.5, "45"),
        ("nps", -44.5, "-45"),
        ("nps", -0.4, "0"),
        ("csat", 86.0, "86.0"),
        ("csat", 86.45, "86.5"),
        ("churn", 2.25, "2.3"),
        ("ces", 5.25, "5.3"),
        ("clv", 611.4, "611"),
        ("clv", 1234.5, "1,235"),
        ("clv", 42.5, "42.50"),
        ("custom", 95.0, "95"),
        ("custom", 95.34, "95.3"),
        # past the 28 digits of Python's default decimal context (it raised InvalidOperation)
        ("churn", 1e30, "1,000,000,000,000,000,000,000,000,000,000.0"),
        ("clv", -1e30, "-1,000,000,000,000,000,000,000,000,000,000"),
    ],
)
def test_metric_numbers_by_kind(kind: str, value: float, text: str):
    assert metric_number(value, kind) == text


def test_deltas_and_shares():
    assert metric_delta(20, "nps") == "+20"
    assert metric_delta(-4.44, "csat") == "−4.4"
    assert metric_delta(0.04, "csat") == "0.0"
    assert metric_delta(19, "clv", scale=611) == "+19"
    assert metric_delta(2.75, "clv", scale=42.5) == "+2.75"
    assert percent_number(0.125) == "13"  # half away from zero, as the composition chart
    assert percent_number(0.565) == "57"


def test_only_the_latest_ces_change_pays_for_its_interval():
    metric = Metric.model_validate({"id": "ces", "name": "Effort", "kind": "ces"})
    points = tuple(
        aggregate("ces", f"2026-0{i}", [3, 4, 5, 6] * (10 + i) + [7] * i) for i in range(1, 5)
    )
    summary = summarise_metric(metric, MetricData("ces", points, "responses"))
    earlier, latest = summary.steps[:-1], summary.steps[-1]
    assert all(s.significance.low is None and s.significance.p is not None for s in earlier)
    whole = compare("ces", points[-2], points[-1])
    assert latest.significance == whole and whole.low is not None


@pytest.mark.parametrize(
    ("gap", "kind", "points", "text"),
    [
        # an NPS of 44.4 against 45 reads 44 and 45: the gap reads as whole points too
        (0.6, "nps", True, "the latest value misses the target by 1 point."),
        (-3.4, "nps", True, "the latest value misses the target by 3 points."),
        (35.6, "csat", True, "the latest value misses the target by 35.6 points."),
        # one decimal more when the kind's digits would round the gap away
        (0.04, "csat", True, "the latest value misses the target by 0.04 points."),
        (0.25, "ces", False, "the latest value misses the target by 0.3."),
        (1.26, "custom", False, "the latest value misses the target by 1.3."),
    ],
)
def test_the_gap_to_a_target_reads_as_the_kinds_values(gap, kind, points, text) -> None:
    assert gap_text(gap, kind, points) == text


def test_ratings_and_margins_of_error_keep_one_decimal_in_a_column() -> None:
    assert [metric_number(x, "rating") for x in (4.0, 4.666, 3.45)] == ["4.0", "4.7", "3.5"]
    assert [metric_number(x, "moe") for x in (12.02, 11.84)] == ["12.0", "11.8"]
    assert metric_delta(4.033 - 4.667, "rating") == "−0.6"
