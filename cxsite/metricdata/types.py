"""The values of metric data: a period's point, a metric's series, and the aggregation of
scores into NPS, CSAT and CES points (SPEC 3.5). A leaf: it imports nothing of cxsite."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

MAX_CSV_BYTES = 50 * 1024 * 1024
BREAKDOWN_COLUMNS: tuple[str, ...] = ("persona", "journey", "touchpoint")


@dataclass(frozen=True)
class PeriodPoint:
    """One value of a metric series; `n`, `moe` and the NPS shares only when computed."""

    period: str
    value: float
    n: int | None = None
    moe: float | None = None
    promoters: float | None = None
    passives: float | None = None
    detractors: float | None = None


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
        return PeriodPoint(period, (p - d) * 100, n, moe, p, passives, d)
    if kind == "csat":
        share = sum(c for s, c in counts.items() if s >= 4) / n
        moe = 1.96 * math.sqrt(share * (1 - share) / n) * 100
        return PeriodPoint(period, share * 100, n, moe)
    mean = sum(s * c for s, c in counts.items()) / n
    moe = None
    if n > 1:
        sd = math.sqrt(sum(c * (s - mean) ** 2 for s, c in counts.items()) / (n - 1))
        moe = 1.96 * sd / math.sqrt(n)
    return PeriodPoint(period, mean, n, moe)
