"""The content model: frozen pydantic models for exactly the YAML format of SPEC section 3.

This module knows personas, journeys, touchpoints and metrics; it knows nothing about files.
Ids are not YAML keys: `validate.py` injects each entity's id from its file stem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

PILLARS: tuple[str, ...] = (
    "marketing",
    "communication",
    "digital",
    "content",
    "purchase",
    "delivery",
    "usage",
    "service",
    "support",
    "back-office",
)
BUILTIN_CHANNELS: tuple[str, ...] = (
    "web",
    "mobile-app",
    "store",
    "email",
    "phone",
    "chat",
    "chatbot",
    "social",
    "sms",
    "mail",
    "event",
    "partner",
    "word-of-mouth",
    "other",
)
PHASES: tuple[str, ...] = ("before", "during", "after")
LEVELS: tuple[str, ...] = ("low", "medium", "high")
# Position of each level in LEVELS, for ordering and comparing severity, impact and effort.
LEVEL_RANK: Mapping[str, int] = MappingProxyType({level: i for i, level in enumerate(LEVELS)})
STATUSES: tuple[str, ...] = ("idea", "planned", "in-progress", "done")
PYRAMID: tuple[str, ...] = ("utility", "usability", "pleasurable")
DEFAULT_EMOTION_LABELS: dict[int, str] = {
    -2: "Very negative",
    -1: "Negative",
    0: "Neutral",
    1: "Positive",
    2: "Very positive",
}
ID_PATTERN = r"^[a-z][a-z0-9-]*$"
BASE_URL = r"^https?://[^\s/?#<>\"'`]+[^\s<>\"'`]*$"
HEX_COLOUR = r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"


def _scalar_text(value: Any) -> Any:
    """Keep a YAML number or boolean written where text is expected as the text it was written as.

    The loader gives numbers a `.source` attribute with their original spelling, so `01234`
    stays `01234` (YAML 1.2: where a string is expected, a scalar is a string).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return getattr(value, "source", str(value))
    return value


def _date_text(value: Any) -> Any:
    """Only a written date is a date: pydantic would read the number 2026 as a timestamp."""
    if isinstance(value, str | dt.date):
        return value
    raise PydanticCustomError("date_type", "expected a date (YYYY-MM-DD)")


def rule_error(
    path: tuple[str | int, ...], message: str, needs: str | None = None
) -> PydanticCustomError:
    """A model-level rule broken at `path` (relative to the model), e.g. ('responses',).

    validate.py reads `path` from the error context to point at the most relevant key.
    `needs` names the key whose absence breaks the rule: when validation had to drop that
    key (its value was wrong), the rule is not reported a second time (validate/partial.py).
    """
    context = {"path": path, "message": message, "needs": needs}
    return PydanticCustomError("cx_rule", "{message}", context)


# In the JSON Schema, text also accepts a number or boolean: `period: 2026` is valid text
# (kept as written), and editors should not flag it.
# Every text value is rendered as Markdown somewhere (pages, search index), and Markdown
# rendering is superlinear on some input (thousands of `[`), so one value is capped: about
# 1,500 words, far above any real field, keeps the worst case near a second per value.
MAX_TEXT = 10_000
_TEXT_SCHEMA = {"type": ["string", "number", "boolean"], "maxLength": MAX_TEXT}
Text = Annotated[
    str,
    BeforeValidator(_scalar_text),
    Strict(),
    Field(max_length=MAX_TEXT),
    WithJsonSchema(_TEXT_SCHEMA),
]
Date = Annotated[dt.date, BeforeValidator(_date_text)]
NonEmptyText = Annotated[
    str,
    BeforeValidator(_scalar_text),
    Strict(),
    Field(min_length=1, max_length=MAX_TEXT),
    WithJsonSchema({**_TEXT_SCHEMA, "minLength": 1}),
]
MdInline = NonEmptyText
Md = Text
Ref = Annotated[str, BeforeValidator(_scalar_text), Strict()]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Bool = Annotated[bool, Strict()]
Phase = Literal["before", "during", "after"]
Level = Literal["low", "medium", "high"]


class Model(BaseModel):
    """Base of every content model: immutable, unknown keys forbidden."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- cxsite.yaml -------------------------------------------------------------------------


class Brand(Model):
    """Brand colours and logo, used by the site and the briefs."""

    primary: Annotated[str, Strict(), Field(pattern=HEX_COLOUR)] = Field(
        "#1f4e79", description="Primary colour, CSS hex (#1f4e79)."
    )
    accent: Annotated[str, Strict(), Field(pattern=HEX_COLOUR)] = Field(
        "#e07a1f", description="Accent colour, CSS hex."
    )
    logo: Text | None = Field(None, description="Path to a logo image inside the project.")


class Brief(Model):
    """One PDF brief to build (SPEC 3.6)."""

    id: Annotated[str, Strict(), Field(pattern=ID_PATTERN)] = Field(
        description="Slug; output briefs/<id>.pdf."
    )
    kind: Literal["executive", "persona", "journey", "personas"] = Field(
        description="executive, persona, journey or personas."
    )
    title: Text | None = Field(None, description="Default from the kind.")
    persona: Ref | None = Field(None, description="Subject of a `persona` brief.")
    journey: Ref | None = Field(None, description="Subject of a `journey` brief.")
    paper: Literal["A4", "Letter"] = Field("A4", description="Paper size: A4 (default) or Letter.")

    @model_validator(mode="after")
    def _subject(self) -> Brief:
        if self.kind == "persona" and not self.persona:
            raise rule_error(("kind",), "a 'persona' brief needs 'persona: <id>'", "persona")
        if self.kind == "journey" and not self.journey:
            raise rule_error(("kind",), "a 'journey' brief needs 'journey: <id>'", "journey")
        return self


class Config(Model):
    """The project configuration, `cxsite.yaml`."""

    title: NonEmptyText = Field(description="Site title.")
    organization: Text | None = Field(None, description="Shown in the header and on PDF covers.")
    description: Md | None = Field(None, description="Home page intro (Markdown).")
    # Pages link through base_url (canonical links, 404.html), so only http(s) is allowed:
    # `javascript:` here would be a script on every 404 page.
    base_url: Annotated[Text, Field(pattern=BASE_URL)] | None = Field(
        None, description="Absolute http(s) URL for sitemap/canonical links."
    )
    language: Text = Field("en", description="BCP 47 language tag.")
    theme: Text = Field("default", description="`default` or a path to a theme folder.")
    brand: Brand = Field(
        default_factory=Brand, description="Brand colours (primary, accent) and logo."
    )
    emotion_labels: dict[Annotated[int, Field(ge=-2, le=2)], NonEmptyText] = Field(
        default_factory=dict, description="Override the words for -2..+2."
    )
    stale_after_months: Annotated[int, Strict(), Field(ge=1)] = Field(
        18, description="Evidence age that triggers warning W508."
    )
    ipa_crosshair: Literal["mean", "midpoint"] = Field(
        "mean", description="Where the importance-performance quadrants split."
    )
    channels: list[Annotated[str, Strict(), Field(pattern=ID_PATTERN)]] = Field(
        default_factory=list, description="Extra channel names besides the built-in list."
    )
    briefs: list[Brief] | None = Field(
        None, description="PDF briefs to build; default one executive brief."
    )

    def emotion_label(self, value: int) -> str:
        """The word for an emotion score -2..+2."""
        return self.emotion_labels.get(value, DEFAULT_EMOTION_LABELS[value])

    def all_channels(self) -> tuple[str, ...]:
        """Built-in channels plus the project's own."""
        return BUILTIN_CHANNELS + tuple(c for c in self.channels if c not in BUILTIN_CHANNELS)

    def brief_list(self) -> tuple[Brief, ...]:
        """The briefs to build: the configured ones, or one executive brief."""
        if self.briefs is None:
            return (Brief(id="executive", kind="executive"),)
        return tuple(self.briefs)


# --- personas ---------------------------------------------------------------------------


class Evidence(Model):
    """One source a persona rests on."""

    source: NonEmptyText = Field(
        description="What the persona rests on, e.g. '12 customer interviews'."
    )
    url: Text | None = Field(None, description="Where to read the source.")
    date: Date | None = Field(
        None, description="When it was gathered, YYYY-MM-DD; old evidence triggers a warning."
    )


class Persona(Model):
    """A persona, `personas/<id>.yaml`."""

    id: str = Field(description="From the file name.", exclude=True)
    name: NonEmptyText = Field(description="The persona's name.")
    role: NonEmptyText = Field(description='One-line tagline, e.g. "Busy urban runner".')
    quote: Text | None = Field(None, description="A quote in the persona's voice.")
    photo: Text | None = Field(None, description="Image path inside the project.")
    segment_share: Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)] | None = (
        Field(None, description="Share of the customer base, 0..1.")
    )
    summary: Md | None = Field(None, description="Who they are (Markdown).")
    demographics: dict[str, Text | Number] = Field(
        default_factory=dict,
        description="Free keys to text or numbers, e.g. 'Age: 34'; order kept.",
    )
    psychographics: dict[str, Text | list[Text]] = Field(
        default_factory=dict,
        description="Free keys to text or lists of text (interests, values); order kept.",
    )
    goals: list[MdInline] = Field(
        default_factory=list, description="What they want to achieve (inline Markdown each)."
    )
    needs: list[MdInline] = Field(
        default_factory=list, description="What they need from us (inline Markdown each)."
    )
    motivations: list[MdInline] = Field(
        default_factory=list, description="What drives them (inline Markdown each)."
    )
    frustrations: list[MdInline] = Field(
        default_factory=list, description="What annoys them (inline Markdown each)."
    )
    behaviors: list[MdInline] = Field(
        default_factory=list, description="How they behave (inline Markdown each)."
    )
    need_states: list[MdInline] = Field(
        default_factory=list,
        description="Situations that change what they need (inline Markdown each).",
    )
    channels: list[Text] = Field(default_factory=list, description="Preferred channels.")
    evidence: list[Evidence] = Field(
        default_factory=list, description="The research the persona rests on."
    )
    tags: list[Text] = Field(default_factory=list, description="Free labels.")


# --- journeys ---------------------------------------------------------------------------


def _text_shorthand(value: Any) -> Any:
    """A bare string stands for `{text: <string>}` with the defaults."""
    if isinstance(value, str):
        return {"text": value}
    return value


class PainPoint(Model):
    """A pain point of a stage; a bare string means severity `medium`."""

    text: MdInline = Field(description="The pain point (inline Markdown).")
    severity: Level = Field("medium", description="low, medium (default) or high.")
    touchpoint: Ref | None = Field(None, description="Id of the touchpoint where it happens.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return _text_shorthand(value)


class Opportunity(Model):
    """An improvement idea for a stage; a bare string takes the defaults."""

    text: MdInline = Field(description="The improvement idea (inline Markdown).")
    impact: Level = Field("medium", description="low, medium (default) or high.")
    effort: Level = Field("medium", description="low, medium (default) or high.")
    status: Literal["idea", "planned", "in-progress", "done"] = Field(
        "idea", description="idea (default), planned, in-progress or done."
    )
    owner: Text | None = Field(None, description="Team or person who owns it.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return _text_shorthand(value)


class Stage(Model):
    """One stage of a journey."""

    name: NonEmptyText = Field(description="Stage name, unique within the journey.")
    phase: Phase | None = Field(None, description="before, during or after the purchase.")
    description: Md | None = Field(None, description="What happens in this stage (Markdown).")
    actions: list[MdInline] = Field(
        default_factory=list, description="What the customer does (inline Markdown each)."
    )
    emotion: Annotated[float, Strict(), Field(ge=-2, le=2, allow_inf_nan=False)] | None = Field(
        None, description="-2 very negative ... +2 very positive."
    )
    feelings: list[Text] = Field(
        default_factory=list, description="Words for the customer's feelings, e.g. curious."
    )
    thoughts: list[Text] = Field(
        default_factory=list, description="Quotes in the customer's voice."
    )
    touchpoints: list[Ref] = Field(
        default_factory=list, description="Ids of the touchpoints used in this stage."
    )
    pain_points: list[PainPoint] = Field(
        default_factory=list,
        description="A string (severity medium) or {text, severity, touchpoint}.",
    )
    opportunities: list[Opportunity] = Field(
        default_factory=list, description="A string or {text, impact, effort, status, owner}."
    )
    backstage: list[MdInline] = Field(
        default_factory=list,
        description="Internal processes supporting the stage (inline Markdown each).",
    )
    metrics: list[Ref] = Field(
        default_factory=list, description="Ids of the metrics measuring this stage."
    )


class Journey(Model):
    """A journey, `journeys/<id>.yaml`."""

    id: str = Field(description="From the file name.", exclude=True)
    title: NonEmptyText = Field(description="The journey's title.")
    personas: Annotated[list[Ref], Field(min_length=1)] = Field(
        description="Ids of the personas taking this journey (at least one)."
    )
    goal: MdInline | None = Field(None, description="The job to be done.")
    summary: Md | None = Field(None, description="Why this journey matters (Markdown).")
    stages: Annotated[list[Stage], Field(min_length=1)] = Field(
        description="The stages, in order (at least one)."
    )
    tags: list[Text] = Field(default_factory=list, description="Free labels.")

    @model_validator(mode="after")
    def _unique_stage_names(self) -> Journey:
        seen: set[str] = set()
        for index, stage in enumerate(self.stages):
            key = stage.name.casefold()
            if key in seen:
                raise rule_error(
                    ("stages", index, "name"),
                    f"stage name '{stage.name}' is used twice in this journey",
                )
            seen.add(key)
        return self


# --- touchpoints ------------------------------------------------------------------------


class Rating(Model):
    """A persona's importance and satisfaction ratings of a touchpoint, 1..5."""

    importance: Annotated[float, Strict(), Field(ge=1, le=5, allow_inf_nan=False)] = Field(
        description="How important the touchpoint is to the persona, 1..5."
    )
    satisfaction: Annotated[float, Strict(), Field(ge=1, le=5, allow_inf_nan=False)] = Field(
        description="How satisfied the persona is with it, 1..5."
    )


class Touchpoint(Model):
    """A touchpoint, `touchpoints/<id>.yaml`."""

    id: str = Field(description="From the file name.", exclude=True)
    name: NonEmptyText = Field(description="The touchpoint's name.")
    channel: Text = Field(description="A built-in channel or one listed in cxsite.yaml.")
    phase: Phase = Field(description="before, during or after the purchase.")
    pillar: (
        Literal[
            "marketing",
            "communication",
            "digital",
            "content",
            "purchase",
            "delivery",
            "usage",
            "service",
            "support",
            "back-office",
        ]
        | None
    ) = Field(None, description="One of the ten CX pillars, e.g. digital or support.")
    owner: Text | None = Field(None, description="Team accountable.")
    provider: Literal["company", "influencer", "third-party"] = Field(
        "company", description="company (default), influencer or third-party."
    )
    description: Md | None = Field(None, description="What it is (Markdown).")
    expectations: list[MdInline] = Field(
        default_factory=list, description="What customers expect here (inline Markdown each)."
    )
    moment_of_truth: Bool = Field(
        False, description="true for a make-or-break moment (default false)."
    )
    pyramid: Literal["utility", "usability", "pleasurable"] | None = Field(
        None, description="CX pyramid level: utility, usability or pleasurable."
    )
    ratings: dict[str, Rating] = Field(default_factory=dict, description="persona id -> ratings")
    metrics: list[Ref] = Field(
        default_factory=list, description="Ids of the metrics measuring this touchpoint."
    )


# --- metrics ----------------------------------------------------------------------------

DEFAULT_CATEGORY = {
    "nps": "satisfaction",
    "csat": "satisfaction",
    "ces": "satisfaction",
    "churn": "behavioral",
    "clv": "financial",
}
DEFAULT_UNIT = {"nps": "points", "csat": "%", "ces": "score", "churn": "%"}


class PeriodValue(Model):
    """One pre-aggregated value of a metric series."""

    period: Text = Field(description="2026, 2026-Q3, 2026-07 or 2026-07-14.")
    value: Number = Field(description="The value for that period.")


class Scope(Model):
    """What a metric measures."""

    personas: list[Ref] = Field(default_factory=list, description="Ids of the personas measured.")
    journeys: list[Ref] = Field(default_factory=list, description="Ids of the journeys measured.")
    touchpoints: list[Ref] = Field(
        default_factory=list, description="Ids of the touchpoints measured."
    )


class Metric(Model):
    """A metric, `metrics/<id>.yaml`."""

    id: str = Field(description="From the file name.", exclude=True)
    name: NonEmptyText = Field(description="The metric's name.")
    kind: Literal["nps", "csat", "ces", "churn", "clv", "custom"] = Field(
        description="nps, csat, ces, churn, clv or custom."
    )
    category: Literal["satisfaction", "behavioral", "financial", "operational"] | None = Field(
        None, description="Default from the kind; required for custom."
    )
    unit: Text | None = Field(None, description="Default from the kind.")
    currency: Annotated[str, Strict(), Field(pattern=r"^[A-Z]{3}$")] = Field(
        "USD", description="ISO currency code for clv (default USD)."
    )
    higher_is_better: Bool | None = Field(
        None, description="Default from the kind (churn: false); required for custom."
    )
    target: Number | None = Field(None, description="The target value.")
    owner: Text | None = Field(None, description="Team accountable for the metric.")
    description: Md | None = Field(None, description="How it is measured (Markdown).")
    values: list[PeriodValue] | None = Field(
        None, description="Pre-aggregated series [{period, value}], periods strictly increasing."
    )
    responses: Text | None = Field(None, description="Path to a CSV of raw survey responses.")
    period: Literal["month", "quarter", "year"] = Field(
        "month", description="Aggregation of responses: month (default), quarter or year."
    )
    scale: Annotated[list[Annotated[int, Strict()]], Field(min_length=2, max_length=2)] | None = (
        Field(None, description="ces only, default [1, 7].")
    )
    scope: Scope = Field(
        default_factory=Scope,
        description="What the metric measures: {personas, journeys, touchpoints}.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Metric:
        if self.values is not None and self.responses is not None:
            raise rule_error(
                ("responses",), "'values' and 'responses' are mutually exclusive: keep one"
            )
        if self.responses is not None and self.kind not in ("nps", "csat", "ces"):
            raise rule_error(
                ("responses",), f"'responses' is only for nps, csat and ces, not '{self.kind}'"
            )
        if self.kind == "custom" and self.category is None:
            raise rule_error(("kind",), "a custom metric needs 'category'", "category")
        if self.kind == "custom" and self.higher_is_better is None:
            raise rule_error(
                ("kind",), "a custom metric needs 'higher_is_better'", "higher_is_better"
            )
        if self.scale is not None and self.kind != "ces":
            raise rule_error(("scale",), "'scale' is only for ces metrics")
        if self.scale is not None and self.scale[0] >= self.scale[1]:
            raise rule_error(("scale",), "'scale' must be [min, max] with min < max")
        return self

    @property
    def effective_category(self) -> str:
        """The category, defaulted from the kind."""
        return self.category or DEFAULT_CATEGORY[self.kind]

    @property
    def effective_unit(self) -> str:
        """The unit, defaulted from the kind (clv: the currency)."""
        if self.unit:
            return self.unit
        if self.kind == "clv":
            return self.currency
        return DEFAULT_UNIT.get(self.kind, "")

    @property
    def better_high(self) -> bool:
        """Whether a higher value is better, defaulted from the kind."""
        if self.higher_is_better is not None:
            return self.higher_is_better
        return self.kind != "churn"

    @property
    def effective_scale(self) -> tuple[int, int]:
        """The response scale for this kind."""
        if self.kind == "nps":
            return (0, 10)
        if self.kind == "csat":
            return (1, 5)
        return tuple(self.scale) if self.scale else (1, 7)


# --- the whole project ------------------------------------------------------------------

KINDS: dict[str, type[Model]] = {
    "personas": Persona,
    "journeys": Journey,
    "touchpoints": Touchpoint,
    "metrics": Metric,
}


@dataclass(frozen=True)
class Project:
    """A validated project: the config and every entity, keyed by id in id order.

    `sources` maps "personas/maya-chen" style keys (and "cxsite") to the file path
    relative to the project root, for messages and links back to the source.
    """

    root: Path
    config: Config
    personas: Mapping[str, Persona]
    journeys: Mapping[str, Journey]
    touchpoints: Mapping[str, Touchpoint]
    metrics: Mapping[str, Metric]
    sources: Mapping[str, str]
