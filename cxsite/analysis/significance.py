"""Is a change real? The tests of SPEC 8.1 between two periods computed from responses.

NPS and CSAT: the unpooled Wald test on the difference of two independent samples (each
NPS answer scores +1, 0 or -1). CES: Welch's t-test (sample variances, Welch-Satterthwaite
degrees of freedom, p from Student's t). Also the answers per period needed to tell a gap
from noise (alpha 0.05, power 0.8).
"""

from __future__ import annotations

import math

from cxsite.analysis.studentt import normal_two_sided_p, t_quantile, t_two_sided_p
from cxsite.analysis.types import Significance
from cxsite.metricdata.types import PeriodPoint

Z_95 = 1.96  # the two-sided 95 % normal quantile, as the margins of error use
Z_POWER = 0.8416  # the normal quantile of a power of 0.8
ALPHA = 0.05
DEFAULT_MIN_RESPONSES = 30


def answer_variance(kind: str, point: PeriodPoint) -> float | None:
    """The variance of one answer behind a computed point: NPS `p + d - (p - d)^2` and CSAT
    `s (1 - s)` in shares (0..1), CES the sample variance of the scores; None without one."""
    if kind == "nps":
        if point.promoters is None or point.detractors is None:
            return None
        p, d = point.promoters, point.detractors
        return max(p + d - (p - d) ** 2, 0.0)
    if kind == "csat":
        if point.n is None:
            return None
        share = min(max(point.value / 100.0, 0.0), 1.0)
        return share * (1.0 - share)
    if kind == "ces":
        return None if point.sd is None else point.sd**2
    return None


def _verdict(p: float | None, too_few: bool) -> str:
    if too_few or p is None:
        return "too-few"
    return "significant" if p < ALPHA else "noise"


def wald(delta: float, v1: float, n1: int, v2: float, n2: int, scale: float = 100.0) -> tuple:
    """(SE, z, p, low, high) of the unpooled Wald test of `delta` (in points: `scale` times
    the shares whose per-answer variances are v1, v2)."""
    se = scale * math.sqrt(v1 / n1 + v2 / n2)
    if se == 0.0:  # every answer alike in both periods: any difference is certain
        return se, None, (1.0 if delta == 0 else 0.0), delta, delta
    z = delta / se
    return se, z, normal_two_sided_p(z), delta - Z_95 * se, delta + Z_95 * se


def welch(
    mean1: float,
    var1: float,
    n1: int,
    mean2: float,
    var2: float,
    n2: int,
    interval: bool = True,
) -> tuple[float, float | None, float | None, float, float | None, float | None]:
    """(SE, t, df, p, low, high) of Welch's t-test of mean2 - mean1 (sample variances);
    without `interval`, low and high are None (the t quantile is the costly part)."""
    delta = mean2 - mean1
    a, b = var1 / n1, var2 / n2
    se = math.sqrt(a + b)
    if se == 0.0:
        return se, None, None, (1.0 if delta == 0 else 0.0), delta, delta
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    t = delta / se
    if not interval:
        return se, t, df, t_two_sided_p(t, df), None, None
    margin = t_quantile(1 - ALPHA / 2, df) * se
    return se, t, df, t_two_sided_p(t, df), delta - margin, delta + margin


def compare(
    kind: str,
    previous: PeriodPoint,
    latest: PeriodPoint,
    min_responses: int = DEFAULT_MIN_RESPONSES,
    interval: bool = True,
) -> Significance | None:
    """The significance of the change from `previous` to `latest`, or None when either was not
    computed from responses (a `values` series has no n) or the kind has no test. Without
    `interval` a CES test leaves its confidence interval out (None)."""
    if kind not in ("nps", "csat", "ces") or not previous.n or not latest.n:
        return None
    n1, n2 = previous.n, latest.n
    delta = latest.value - previous.value
    too_few = min(n1, n2) < min_responses
    v1, v2 = answer_variance(kind, previous), answer_variance(kind, latest)
    if kind == "ces":
        if v1 is None or v2 is None or n1 < 2 or n2 < 2:
            return Significance("welch", delta, None, None, None, None, None, None,
                                n1, n2, min_responses, "too-few")  # fmt: skip
        se, t, df, p, low, high = welch(previous.value, v1, n1, latest.value, v2, n2, interval)
        verdict = _verdict(p, too_few)
        return Significance("welch", delta, se, low, high, t, df, p, n1, n2, min_responses,
                            verdict)  # type: ignore[arg-type]  # fmt: skip
    if v1 is None or v2 is None:
        return None
    se, z, p, low, high = wald(delta, v1, n1, v2, n2)
    return Significance("wald", delta, se, low, high, z, None, p, n1, n2, min_responses,
                        _verdict(p, too_few))  # type: ignore[arg-type]  # fmt: skip


def answers_needed(kind: str, latest: PeriodPoint, target: float | None) -> int | None:
    """Answers per period that would tell a change the size of the gap between `latest` and
    `target` from noise: `(1.96 + 0.8416)^2 * 2v / gap^2`, rounded up (SPEC 8.1); None
    without a gap, a variance or n (whether the target is missed is the caller's test)."""
    if target is None or not latest.n:
        return None
    variance = answer_variance(kind, latest)
    gap = abs(target - latest.value)
    if kind in ("nps", "csat"):
        gap /= 100.0  # the variance is in shares
    if variance is None or variance == 0.0 or gap == 0.0 or not math.isfinite(gap * gap):
        return None  # a target beyond any answer (1e160): no sample size can say anything
    return math.ceil((Z_95 + Z_POWER) ** 2 * 2 * variance / gap**2 - 1e-9)
