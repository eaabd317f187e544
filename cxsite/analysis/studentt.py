"""The normal and Student's t distributions, for the significance tests (SPEC 8.1).

A few lines instead of a statistics dependency: the t tail is the regularised incomplete
beta function, evaluated by its continued fraction (modified Lentz), and the quantile is
found by Newton's method on that tail, guarded by bisection.
"""

from __future__ import annotations

import math

_EPS = 1e-15
_TINY = 1e-300


def normal_two_sided_p(z: float) -> float:
    """P(|Z| >= |z|) for a standard normal Z."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (converges for x < (a+1)/(a+b+2))."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom."""
    if math.isinf(df):
        return normal_two_sided_p(t)
    return incomplete_beta(df / 2.0, 0.5, df / (df + t * t))


def _t_density(t: float, df: float) -> float:
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


def t_quantile(prob: float, df: float) -> float:
    """The t with P(T <= t) = prob (0 < prob < 1), e.g. t_quantile(0.975, 10) = 2.228."""
    if not 0.0 < prob < 1.0:
        raise ValueError("prob must be between 0 and 1")
    if prob < 0.5:
        return -t_quantile(1.0 - prob, df)
    if prob == 0.5:
        return 0.0
    target = 2.0 * (1.0 - prob)  # the two-sided tail beyond the answer
    low, high = 0.0, 1.0
    while t_two_sided_p(high, df) > target:  # bracket the answer
        low, high = high, high * 2.0
    t = (low + high) / 2.0
    for _ in range(100):
        gap = t_two_sided_p(t, df) - target  # falls as t grows
        if gap > 0:
            low = t
        else:
            high = t
        step = gap / (2.0 * _t_density(t, df))
        candidate = t + step
        t = candidate if low < candidate < high else (low + high) / 2.0
        if abs(step) < 1e-12 * max(1.0, t) or high - low < 1e-12 * max(1.0, t):
            break
    return t
