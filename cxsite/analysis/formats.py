"""How a metric's numbers read: one rule per kind, shared by pages, charts and briefs.

SPEC 8.13: NPS in whole points; CSAT, churn and CES with one decimal; money (CLV) without
decimals unless under 100; other metrics with at most one decimal. Ratings (importance and
satisfaction, 1..5, and their means and gaps) read as a kind of their own, `rating`, with
one decimal: `4.0` beside `4.7` in a column, the same in the catalogue and the IPA table;
margins of error too, as `moe` (`± 12.0` beside `± 11.8`).
Halves round away from zero, as people round (and as emotion words do), so 44.5 reads 45
everywhere.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

from cxsite.analysis.types import Significance, Trend
from cxsite.i18n.catalogue import Messages

# Wide enough for any float (up to 309 digits before the point): the default 28 digits made
# a value of 1e30 an error (decimal.InvalidOperation) when it was rounded.
_WIDE = Context(prec=400)
DIGITS = {"nps": 0, "csat": 1, "churn": 1, "ces": 1, "rating": 1, "moe": 1}
ARROWS = {"up": "▲", "down": "▼"}


def round_half_away(value: float, digits: int) -> Decimal:
    """`value` rounded to `digits` decimals, halves away from zero (2.5 -> 3, -0.5 -> -1).

    The float is first cleared of binary noise beyond nine decimals (113/200 * 100 is
    56.49999999999999), then its shortest decimal is rounded, so 2.675 gives 2.68 and a
    56.5 % share 57, as a reader expects."""
    exact = Decimal(repr(round(float(value), 9)))
    return exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP, _WIDE)


def metric_digits(kind: str, value: float) -> int | None:
    """Decimals a value of this kind shows; None: at most one, without a trailing zero."""
    if kind in DIGITS:
        return DIGITS[kind]
    if kind == "clv":
        return 0 if abs(round_half_away(value, 2)) >= 100 else 2
    return None


def _text(value: float, digits: int | None) -> str:
    if digits is None:
        text = f"{round_half_away(value, 1):,.1f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    else:
        text = f"{round_half_away(value, digits):,.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no -0


def metric_number(value: float | None, kind: str) -> str:
    """A value of a metric of `kind`: `44`, `86.4`, `1,234`, `42.50`; `–` when missing."""
    if value is None or not math.isfinite(value):
        return "–"
    return _text(value, metric_digits(kind, value))


def percent_number(share: float | None, digits: int = 0) -> str:
    """A share 0..1 as a number of percent, halves away from zero: 0.565 -> `57`."""
    if share is None or not math.isfinite(share):
        return "–"
    return _text(share * 100, digits)


def metric_delta(
    delta: float | None, kind: str, minus: str = "−", scale: float | None = None
) -> str:
    """A change with its sign, in the kind's digits: `+20`, `−4.4`, `0`. Money takes the
    digits of `scale` (a value of the series) when given: 611 -> 630 is `+19`, not `+19.00`."""
    if delta is None or not math.isfinite(delta):
        return "–"
    size = abs(scale) if scale is not None and math.isfinite(scale) else abs(delta)
    text = _text(abs(delta), metric_digits(kind, size))
    if not text.strip("0.,"):
        return text
    return ("+" if delta > 0 else minus) + text


def p_text(p: float, messages: Messages | None = None) -> str:
    """A p-value as a reader sees it: `p = 0.031`, `p < 0.001` (in the messages' language)."""
    words = messages or Messages()
    if p < 0.001:
        return words.text("stats.p.below", p=words.number("0.001"))
    return words.text("stats.p.equals", p=words.number(f"{round_half_away(p, 3):.3f}"))


def verdict_text(sig: Significance, messages: Messages | None = None) -> str:
    """`significant (p = 0.031)`, `within noise` or `too few answers`."""
    words = messages or Messages()
    if sig.verdict == "significant" and sig.p is not None:
        return words.text("stats.verdict.significant", p=p_text(sig.p, words))
    key = f"stats.verdict.{sig.verdict}"
    return words.text(key) if words.has(key) else sig.verdict


def trend_text(
    trend: Trend,
    kind: str,
    minus: str = "−",
    scale: float | None = None,
    messages: Messages | None = None,
) -> str:
    """A trend as one line: `▲ +20 · significant (p = 0.031)`, `▲ +4.4 · within noise`,
    `▼ −2 · too few answers`; a `values` series (no n): the arrow and the change only."""
    words = messages or Messages()
    arrow = ARROWS.get(trend.direction, "▶")
    text = f"{arrow} {words.number(metric_delta(trend.delta, kind, minus, scale))}"
    if trend.significance is not None:
        text += f" · {verdict_text(trend.significance, words)}"
    return text


def interval_text(
    sig: Significance, kind: str, minus: str = "−", messages: Messages | None = None
) -> str:
    """The 95 % confidence interval of a change: `−0.3 to +40.3` (one decimal more than the
    kind's values, at least one, so a small interval is not rounded away)."""
    if sig.low is None or sig.high is None:
        return "–"
    words = messages or Messages()
    digits = (metric_digits(kind, abs(sig.delta)) or 0) + 1

    def signed(x: float) -> str:
        text = _text(abs(x), digits)
        text = text if not text.strip("0.,") else ("+" if x > 0 else minus) + text
        return words.number(text)

    return words.text("stats.interval", low=signed(sig.low), high=signed(sig.high))


def gap_text(gap: float, kind: str, points: bool, messages: Messages | None = None) -> str:
    """How far the latest value misses its target, in the kind's digits (one more when those
    round it to nothing): `the latest value misses the target by 1 point.` for an NPS of 44.4
    against 45, as its values read 44 and 45."""
    words = messages or Messages()
    digits = metric_digits(kind, gap)
    shown = round_half_away(abs(gap), 1 if digits is None else digits)
    if not shown and digits is not None:
        digits += 1
        shown = round_half_away(abs(gap), digits)
    text = words.number(_text(abs(gap), digits))
    if not points:
        return words.text("metric.needed.gap", gap=text)
    return words.plural("metric.needed.gap.points", float(shown), gap=text)


def unit_label(unit: str, messages: Messages | None = None) -> str:
    """A unit as shown beside a value ("points" -> "pts"; a bare "score" shows nothing)."""
    if unit == "points":
        return (messages or Messages()).text("unit.points")
    return "" if unit == "score" else unit
