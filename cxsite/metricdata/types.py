"""The values of metric data: a period's point, a metric's series, and the aggregation of
scores into NPS, CSAT and CES points (SPEC 3.5). A leaf: it imports nothing of cxsite."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NamedTuple

MAX_CSV_BYTES = 50 * 1024 * 1024
BREAKDOWN_COLUMNS: tuple[str, ...] = ("persona", "journey", "touchpoint")


class PeriodPoint(NamedTuple):
    """One value of a metric series; `n`, `moe`, the NPS shares and the CES standard
    deviation (`sd`, of the scores, n - 1 in the denominator) only when computed.

    A named tuple, not a dataclass: a project holds tens of thousands (each metric broken
    down by every persona, journey and touchpoint), and a build reads them back from its
    cache, where a tuple unpickles in half the time (the same `repr`)."""

    period: str
    value: float
    n: int | None = None
    moe: float | None = None
    promoters: float | None = None
    passives: float | None = None
    detractors: float | None = None
    sd: float | None = None


@dataclass(frozen=True)
class Comment:
    """One answer's comment as published: its date, its text (personal data masked), score."""

    date: str
    text: str
    score: int | None


@dataclass(frozen=True)
class ThemeRow:
    """One theme of a metric's comments: mentions, their share of all comments, the metric
    among those answers (None when none has a score) and sample comments, latest first."""

    name: str
    mentions: int
    share: float
    point: PeriodPoint | None
    samples: tuple[Comment, ...]


@dataclass(frozen=True)
class CommentSummary:
    """What the comments of a responses file say (SPEC 8.3), over all periods."""

    total: int
    themes: tuple[ThemeRow, ...]
    unthemed: int
    samples: tuple[Comment, ...]  # the latest comments, shown when there are no themes

    @property
    def unthemed_share(self) -> float:
        """The share of comments that mention no theme."""
        return self.unthemed / self.total if self.total else 0.0


@dataclass(frozen=True)
class MetricData:
    """A metric's series in period order and, from responses, breakdowns by column and id.

    `segments`: export header -> segment value -> point (the `segments` columns), in the
    order the metric lists them. `unscored`: answers without a score left out, by period.
    """

    metric_id: str
    points: tuple[PeriodPoint, ...]
    source: Literal["values", "responses", "none"]
    breakdowns: Mapping[str, Mapping[str, PeriodPoint]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    segments: Mapping[str, Mapping[str, PeriodPoint]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    unscored: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    comments: CommentSummary | None = None

    @property
    def latest(self) -> PeriodPoint | None:
        """The last point of the series, if any."""
        return self.points[-1] if self.points else None


def aggregate(kind: str, period: str, scores: Sequence[int]) -> PeriodPoint:
    """One computed point from raw scores: NPS, CSAT % of 4-5, or CES mean (SPEC 3.5)."""
    return aggregate_counts(kind, period, Counter(scores))


def aggregate_counts(kind: str, period: str, counts: Mapping[int, int]) -> PeriodPoint:
    """One computed point from how many answers gave each score."""
    n = sum(counts.values())
    if n == 0:
        raise ValueError("cannot aggregate zero responses")
    if kind == "nps":
        promoters = sum(c for s, c in counts.items() if s >= 9)
        detractors = sum(c for s, c in counts.items() if s <= 6)
        p, d = promoters / n, detractors / n
        # Margin of error of a difference of two shares of one sample (95 %).
        variance = max(p + d - (p - d) ** 2, 0.0)
        moe = 1.96 * math.sqrt(variance / n) * 100
        passives = (n - promoters - detractors) / n
        # from the counts, so a whole score is exact (not 30.000000000000004 from p - d)
        return PeriodPoint(period, (promoters - detractors) * 100 / n, n, moe, p, passives, d)
    if kind == "csat":
        satisfied = sum(c for s, c in counts.items() if s >= 4)
        share = satisfied / n
        moe = 1.96 * math.sqrt(share * (1 - share) / n) * 100
        return PeriodPoint(period, satisfied * 100 / n, n, moe)
    mean = sum(s * c for s, c in counts.items()) / n
    moe = sd = None
    if n > 1:
        sd = math.sqrt(sum(c * (s - mean) ** 2 for s, c in counts.items()) / (n - 1))
        moe = 1.96 * sd / math.sqrt(n)
    return PeriodPoint(period, mean, n, moe, sd=sd)


def combine(kind: str, period: str, points: Sequence[PeriodPoint]) -> PeriodPoint | None:
    """One point for all the answers behind computed points (e.g. every period), the same as
    aggregating those answers together; None when no point has answers."""
    parts = [p for p in points if p.n]
    if not parts:
        return None
    total = sum(p.n for p in parts)  # type: ignore[misc]
    if kind == "nps" and all(p.promoters is not None and p.detractors is not None for p in parts):
        promoters = sum(round(p.promoters * p.n) for p in parts)  # type: ignore[operator]
        detractors = sum(round(p.detractors * p.n) for p in parts)  # type: ignore[operator]
        counts = {10: promoters, 0: detractors, 7: total - promoters - detractors}
        return aggregate_counts(kind, period, counts)
    if kind == "csat":
        satisfied = sum(round(p.value / 100 * p.n) for p in parts)  # type: ignore[operator]
        return aggregate_counts(kind, period, {5: satisfied, 1: total - satisfied})
    if kind != "ces":
        return None
    mean = sum(p.value * p.n for p in parts) / total  # type: ignore[operator]
    # Within-period squares plus between-period squares: the sum of squares of all answers.
    squares = sum((p.n - 1) * (p.sd or 0.0) ** 2 + p.n * (p.value - mean) ** 2 for p in parts)  # type: ignore[operator]
    sd = math.sqrt(squares / (total - 1)) if total > 1 else None
    moe = 1.96 * sd / math.sqrt(total) if sd is not None else None
    return PeriodPoint(period, mean, total, moe, sd=sd)
