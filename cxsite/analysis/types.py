"""The frozen result types of the analyses (SPEC section 4), shared by the site, briefs and charts.

Every collection is in a deterministic order (declared vocabulary order or sorted ids), so
templates can iterate without sorting and builds stay reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from cxsite.analysis.evidence import EvidenceSummary
from cxsite.analysis.scores import JourneyHealth

if TYPE_CHECKING:
    from cxsite.metricdata.types import CommentSummary, PeriodPoint

QUADRANTS: tuple[str, ...] = (
    "Concentrate here",
    "Keep up the good work",
    "Low priority",
    "Possible overkill",
)
"""IPA quadrant names: (important, low satisfaction), (important, high), (less important,
low), (less important, high)."""


# --- journeys ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StageRef:
    """Where something happens: a stage of a journey (index is 0-based in journey order)."""

    journey_id: str
    stage_index: int
    stage_name: str


@dataclass(frozen=True)
class StageEmotion:
    """One stage on the emotion curve; `emotion` and `label` are None when not recorded."""

    index: int
    name: str
    phase: str | None
    emotion: float | None
    label: str | None  # config.emotion_label of the emotion rounded half away from zero


@dataclass(frozen=True)
class Drop:
    """A fall in emotion between two consecutive stages (`delta` < 0)."""

    from_index: int
    to_index: int
    delta: float


@dataclass(frozen=True)
class PersonaCurve:
    """One persona's emotion curve on a journey whose stages give emotions per persona.

    `emotions[i]`: the persona's emotion at stage i (a stage's single number counts for every
    persona; None where a mapping leaves the persona out). `peak`, `end`, `average` and
    `steepest_drop` follow the rules of `EmotionCurve` over these values; `end` is the index
    of the final stage (its emotion may be None).
    """

    persona_id: str
    name: str
    short: str  # the first name, or the whole name when two personas share a first name
    emotions: tuple[float | None, ...]
    peak: int | None
    end: int
    average: float | None
    steepest_drop: Drop | None

    @property
    def end_emotion(self) -> float | None:
        """The persona's emotion at the final stage."""
        return self.emotions[self.end]


@dataclass(frozen=True)
class StageGap:
    """One row of an as-is / to-be gap table: a stage matched by name, or one side only.

    `before`/`after`: the stage mean emotions (None where not recorded or the stage is
    missing on that side); `persona_deltas`: (persona name, before, after) for the personas
    of either journey whose emotion is given per persona on either side. `gone`: pain point
    texts of the as-is stage not in the to-be stage (all of them for a stage the to-be drops);
    `new`: the other way round (texts compared case- and whitespace-insensitively).
    """

    name: str
    before_index: int | None
    after_index: int | None
    before: float | None
    after: float | None
    gone: tuple[str, ...]
    new: tuple[str, ...]
    persona_deltas: tuple[tuple[str, float | None, float | None], ...] = ()

    @property
    def delta(self) -> float | None:
        """After minus before, when both are recorded."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    """An as-is journey and its to-be (`compare_to`), stage by stage.

    `rows`: the as-is stages in order, each to-be stage without an as-is match after the row
    of the to-be stage before it. `matched`: how many stages match by name.
    """

    current_id: str
    future_id: str
    rows: tuple[StageGap, ...]
    matched: int
    average_before: float | None
    average_after: float | None
    pains_gone: int
    pains_new: int


@dataclass(frozen=True)
class EmotionCurve:
    """A journey's emotion curve with its peak-end rule highlights.

    `peak`: index of the stage with the largest absolute emotion (ties: the earlier stage;
    None when no stage has an emotion). `end`: index of the final stage (always set; its
    emotion may be None). `average`: mean of the recorded emotions (None if none).
    `steepest_drop`: the most negative change between two consecutive stages that both have
    an emotion (ties: the earlier pair; None when the curve never falls).
    """

    journey_id: str
    title: str
    stages: tuple[StageEmotion, ...]
    peak: int | None
    end: int
    average: float | None
    steepest_drop: Drop | None
    # curves: one curve per persona when a stage gives emotions per persona, else ()
    personas: tuple[PersonaCurve, ...] = ()

    @property
    def per_persona(self) -> bool:
        """Whether the journey has a curve per persona (a stage's emotion is a mapping)."""
        return bool(self.personas)

    @property
    def has_emotions(self) -> bool:
        """Whether at least one stage records an emotion."""
        return self.peak is not None

    @property
    def missing(self) -> tuple[StageEmotion, ...]:
        """Stages without a recorded emotion."""
        return tuple(s for s in self.stages if s.emotion is None)


@dataclass(frozen=True)
class TouchpointUsage:
    """Which journeys, stages and personas use a touchpoint (via stage `touchpoints`)."""

    touchpoint_id: str
    journeys: tuple[str, ...]  # sorted ids
    stages: tuple[StageRef, ...]  # journey id order, then stage order
    personas: tuple[str, ...]  # sorted ids of the personas of those journeys


@dataclass(frozen=True)
class PainOccurrence:
    """One place a pain point is written, with its own severity and touchpoint."""

    where: StageRef
    text: str
    severity: str
    touchpoint: str | None
    personas: tuple[str, ...] = ()  # the personas it hurts when listed (default: all)


@dataclass(frozen=True)
class RankedPain:
    """A pain point merged across journeys (text compared case- and whitespace-insensitively).

    `severity` is the highest severity among the occurrences; `text` is the first spelling in
    journey id / stage order. Ranked by severity, then number of journeys, then number of
    personas, then number of occurrences (all descending), then text. `rank` starts at 1.
    """

    rank: int
    key: str
    text: str
    severity: str
    journeys: tuple[str, ...]
    personas: tuple[str, ...]
    touchpoints: tuple[str, ...]
    occurrences: tuple[PainOccurrence, ...]


@dataclass(frozen=True)
class OpportunityOccurrence:
    """One place an opportunity is written, with its own attributes."""

    where: StageRef
    text: str
    impact: str
    effort: str
    status: str
    owner: str | None


@dataclass(frozen=True)
class BacklogItem:
    """An opportunity merged across journeys (same text rule as pain points).

    `impact` is the highest and `effort` the highest (the cautious estimate) among the
    occurrences; `status` is the least advanced one (idea < planned < in-progress < done),
    since the work is only done when it is done everywhere. Ranked by impact (descending),
    then effort (ascending), then number of journeys (descending), then text.
    """

    rank: int
    key: str
    text: str
    impact: str
    effort: str
    status: str
    owners: tuple[str, ...]
    journeys: tuple[str, ...]
    personas: tuple[str, ...]
    occurrences: tuple[OpportunityOccurrence, ...]


@dataclass(frozen=True)
class Backlog:
    """The ranked opportunity backlog with its status counts and impact x effort matrix.

    `status_counts`: (status, count) for every status in declared order (zeros included).
    `matrix[i][j]`: number of items with impact LEVELS[i] and effort LEVELS[j]
    (LEVELS = low, medium, high).
    """

    items: tuple[BacklogItem, ...]
    status_counts: tuple[tuple[str, int], ...]
    matrix: tuple[tuple[int, ...], ...]


# --- touchpoints -------------------------------------------------------------------------


@dataclass(frozen=True)
class IpaPoint:
    """A touchpoint on the importance-performance matrix (means over `n` ratings)."""

    touchpoint_id: str
    name: str
    importance: float
    satisfaction: float
    n: int
    quadrant: str  # one of QUADRANTS


@dataclass(frozen=True)
class Ipa:
    """An importance-performance matrix, for one persona or overall (`persona_id` None).

    The quadrants split at (`importance_split`, `satisfaction_split`): with crosshair `mean`
    the grand means of all the ratings involved, with `midpoint` the scale midpoint 3.
    A value equal to the split counts as high.
    """

    persona_id: str | None
    crosshair: str
    importance_split: float
    satisfaction_split: float
    points: tuple[IpaPoint, ...]  # touchpoint id order

    def in_quadrant(self, quadrant: str) -> tuple[IpaPoint, ...]:
        """The points in one quadrant."""
        return tuple(p for p in self.points if p.quadrant == quadrant)


@dataclass(frozen=True)
class ImportanceMatrix:
    """Persona x touchpoint importance (None where a persona did not rate a touchpoint).

    Only personas and touchpoints with at least one rating appear, in id order.
    """

    personas: tuple[str, ...]
    touchpoints: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]  # values[persona][touchpoint]


@dataclass(frozen=True)
class HeatmapPart:
    """The part of the importance matrix a page or chart shows, and how much there is."""

    matrix: ImportanceMatrix
    personas_total: int
    touchpoints_total: int

    @property
    def complete(self) -> bool:
        """Whether every persona and touchpoint of the matrix is shown."""
        shown = self.matrix
        return (len(shown.personas), len(shown.touchpoints)) == (
            self.personas_total,
            self.touchpoints_total,
        )


@dataclass(frozen=True)
class Coverage:
    """Coverage of the touchpoint catalogue.

    `channels`: channels with at least one touchpoint, in declared channel order.
    `channel_phase[i][j]`: touchpoint ids with channel `channels[i]` and phase PHASES[j].
    `pillars`: (pillar, count) for all ten pillars in declared order, zeros included;
    `no_pillar`: touchpoints without a pillar. `pyramid`: (level, count) for utility,
    usability, pleasurable; `no_pyramid` likewise. `per_persona`: persona id -> sorted ids
    of the touchpoints used in the journeys that persona takes (every persona present).
    """

    channels: tuple[str, ...]
    phases: tuple[str, ...]
    channel_phase: tuple[tuple[tuple[str, ...], ...], ...]
    pillars: tuple[tuple[str, int], ...]
    no_pillar: int
    pyramid: tuple[tuple[str, int], ...]
    no_pyramid: int
    per_persona: Mapping[str, tuple[str, ...]]

    def channel_phase_counts(self) -> tuple[tuple[int, ...], ...]:
        """The channel x phase matrix as counts."""
        return tuple(tuple(len(cell) for cell in row) for row in self.channel_phase)


# --- metrics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Significance:
    """Whether a change between two periods computed from responses is real (SPEC 8.1).

    `delta` = latest - previous (points for NPS and CSAT, score for CES), `se` its standard
    error, `low`..`high` its 95 % confidence interval, `p` the two-sided p-value of
    `statistic` (z for the unpooled Wald test of NPS and CSAT, t for Welch's test of CES,
    with `df` Welch-Satterthwaite degrees of freedom). `verdict`: `significant` (p < 0.05),
    `noise`, or `too-few` when either period has fewer than `min_responses` answers (the
    numbers are still given when they can be computed). A summary's earlier CES steps
    leave the interval out (None): only the latest change's interval is shown.
    """

    method: Literal["wald", "welch"]
    delta: float
    se: float | None
    low: float | None
    high: float | None
    statistic: float | None
    df: float | None
    p: float | None
    n_previous: int
    n_latest: int
    min_responses: int
    verdict: Literal["significant", "noise", "too-few"]


@dataclass(frozen=True)
class Trend:
    """One period against the one before: `direction` up/down/flat, `verdict`
    better/worse/same; `significance` when both periods were computed from responses."""

    previous_period: str
    delta: float
    direction: Literal["up", "down", "flat"]
    verdict: Literal["better", "worse", "same"]
    significance: Significance | None = None
    period: str = ""

    @property
    def tone(self) -> Literal["good", "bad", "flat"]:
        """How the arrow is coloured: good or bad only when the change is significant or the
        series has no n (SPEC 8.13); grey (`flat`) otherwise."""
        sig = self.significance
        if self.verdict == "same" or (sig is not None and sig.verdict != "significant"):
            return "flat"
        return "good" if self.verdict == "better" else "bad"


@dataclass(frozen=True)
class NpsShare:
    """Promoter/passive/detractor shares (0..1) of one NPS period."""

    period: str
    promoters: float
    passives: float
    detractors: float
    n: int | None


@dataclass(frozen=True)
class MetricSummary:
    """A metric's series and derived status.

    `points`: the finite data points in period order (`skipped` counts non-finite ones left
    out). `status`: "on" / "off" target for the latest value honouring `better_high`
    (reaching the target exactly is on target); None without a target or without data.
    `trend`: None with fewer than two points; `steps`: the trend of every point after the
    first, in period order (the last is `trend`). `breakdowns`: column (persona, journey,
    touchpoint) -> ((entity id, aggregate point), ...) sorted by id; `overall`: every answer
    of every period as one point (period `all`), from responses only. `answers_needed`: the
    answers per period that would tell a change the size of the gap to the target from
    noise, when the latest value computed from responses misses its target (SPEC 8.1).
    `min_responses`: the threshold the significance tests used.
    """

    metric_id: str
    name: str
    kind: str
    unit: str
    better_high: bool
    target: float | None
    source: str
    points: tuple[PeriodPoint, ...]
    skipped: int
    latest: PeriodPoint | None
    status: Literal["on", "off"] | None
    trend: Trend | None
    composition: tuple[NpsShare, ...]
    breakdowns: Mapping[str, tuple[tuple[str, PeriodPoint], ...]]
    steps: tuple[Trend, ...] = ()
    overall: PeriodPoint | None = None
    answers_needed: int | None = None
    min_responses: int = 30
    # The `segments` columns: export header -> ((value, point), ...) sorted by value;
    # answers without a score left out, by period; what the comments say (SPEC 8.2, 8.3).
    segments: Mapping[str, tuple[tuple[str, PeriodPoint], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    unscored: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    comments: CommentSummary | None = None
    # The breakdowns by entity, for the pages of personas, journeys and touchpoints to look
    # their own value up: column -> entity id -> the value among the answers attributed to
    # it (all periods). Left out of the repr, which has the breakdowns it is made from.
    attributed: Mapping[str, Mapping[str, PeriodPoint]] = field(default_factory=dict, repr=False)

    @property
    def unscored_total(self) -> int:
        """Answers without a score left out, over all periods."""
        return sum(self.unscored.values())

    @property
    def has_moe(self) -> bool:
        """Whether any point carries a margin of error."""
        return any(p.moe is not None for p in self.points)


# --- sub-journeys (a stage's `detail`) ---------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """What a parent stage shows of the sub-journey it zooms into."""

    journey_id: str
    stages: int
    lowest: float | None  # the lowest emotion of any stage (any persona), None: none recorded
    lowest_stage: str | None  # the name of the stage where it is
    high_pains: int  # high-severity pain points


@dataclass(frozen=True)
class Hierarchy:
    """How journeys nest: each sub-journey zooms into one stage of its parent."""

    parents: Mapping[str, StageRef]  # sub-journey id -> the stage it zooms into, id order
    children: Mapping[str, tuple[str, ...]]  # journey id -> its sub-journeys, in stage order
    roots: tuple[str, ...]  # journeys that are no stage's detail, id order
    rollups: Mapping[str, Rollup]  # sub-journey id -> its roll-up, id order

    def ancestors(self, journey_id: str) -> tuple[StageRef, ...]:
        """The stages `journey_id` is part of, from its root journey down to its parent."""
        chain: list[StageRef] = []
        ref = self.parents.get(journey_id)
        while ref is not None and len(chain) <= len(self.parents):
            chain.append(ref)
            ref = self.parents.get(ref.journey_id)
        return tuple(reversed(chain))


# --- everything --------------------------------------------------------------------------


@dataclass(frozen=True)
class Analysis:
    """Everything SPEC section 4 derives from a validated project, in deterministic order."""

    curves: Mapping[str, EmotionCurve]  # journey id -> curve, id order
    usage: Mapping[str, TouchpointUsage]  # touchpoint id -> usage, id order (all touchpoints)
    pains: tuple[RankedPain, ...]
    backlog: Backlog
    ipa_overall: Ipa
    ipa_by_persona: Mapping[str, Ipa]  # persona id -> matrix (every persona, maybe empty)
    importance: ImportanceMatrix
    coverage: Coverage
    metrics: Mapping[str, MetricSummary]  # metric id -> summary, id order
    hierarchy: Hierarchy  # sub-journeys, their parents and roll-ups
    # --- evidence and health (SPEC 8.8, 8.9) ---
    evidence: EvidenceSummary
    health: Mapping[str, JourneyHealth]  # journey id -> health, id order
    kpis: tuple[str, ...] = ()  # metric ids of the KPI tiles and table, in their order
    # curves: as-is / to-be pairs, by the id of either journey (both map to one Comparison)
    comparisons: Mapping[str, Comparison] = field(default_factory=dict)

    @property
    def kpi_summaries(self) -> list[MetricSummary]:
        """The summaries of the KPIs, in the order the home page and briefs show them."""
        return [self.metrics[mid] for mid in self.kpis]
