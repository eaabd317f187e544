"""The model of `journeys/<id>.yaml`: stages, pain points and opportunities.

Per-persona emotions, pain points of some personas, and as-is / to-be states (SPEC 8.7)
are the blocks marked "curves" below.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    Strict,
    Tag,
    ValidationInfo,
    model_validator,
)

from cxsite.model.fields import (
    Bool,
    Date,
    Level,
    Md,
    MdInline,
    Model,
    NonEmptyText,
    Phase,
    Ref,
    ReviewMonths,
    Text,
    owner_field,
    review_every_field,
    reviewed_field,
    rule_error,
    tolerated,
)
from cxsite.model.research import Confidence
from cxsite.model.shorthand import map_only_key_on_string


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
    # --- service blueprint (journeys-structure) ---
    fail_point: Bool = Field(
        False, description="true where the service breaks down: marked in the blueprint view."
    )
    # --- evidence (SPEC 8.8) ---
    evidence: list[Ref] = Field(
        default_factory=list, description="Ids of the research studies this rests on."
    )
    confidence: Confidence | None = Field(
        None,
        description="assumption, reasoned or validated; default: validated with evidence, "
        "assumption without.",
    )
    # --- curves: pain points per persona ---
    # None (not []) when absent, so a release-1 project's cx.json stays as it was
    personas: list[Ref] | None = Field(
        None, description="Ids of the journey's personas it hurts (default: all of them)."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        map_only_key_on_string(value, cls.model_fields)
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
    # --- evidence (SPEC 8.8) ---
    evidence: list[Ref] = Field(
        default_factory=list, description="Ids of the research studies this rests on."
    )
    confidence: Confidence | None = Field(
        None,
        description="assumption, reasoned or validated; default: validated with evidence, "
        "assumption without.",
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return _text_shorthand(value)


Score = Annotated[float, Strict(), Field(ge=-2, le=2, allow_inf_nan=False)]


def _emotion_form(value: Any) -> str:
    """Which form of `emotion` was written: a mapping, or (anything else) a number."""
    return "map" if isinstance(value, dict) else "number"


# The form is chosen from what was written, so a mistake is reported once, in that form's
# words ("out of range"), never also as "expected a number, got a mapping".
Emotion = Annotated[
    Annotated[Score, Tag("number")] | Annotated[dict[Ref, Score], Field(min_length=1), Tag("map")],
    Discriminator(_emotion_form),
]


class Stage(Model):
    """One stage of a journey."""

    name: NonEmptyText = Field(description="Stage name, unique within the journey.")
    phase: Phase | None = Field(None, description="before, during or after the purchase.")
    description: Md | None = Field(None, description="What happens in this stage (Markdown).")
    actions: list[MdInline] = Field(
        default_factory=list, description="What the customer does (inline Markdown each)."
    )
    # --- curves: one number for every persona, or persona id -> number ---
    emotion: Emotion | None = Field(
        None,
        description="-2 very negative ... +2 very positive; one number for every persona, "
        "or a mapping persona id -> number.",
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
        description="A string (severity medium) or "
        "{text, severity, touchpoint, evidence, confidence}.",
    )
    opportunities: list[Opportunity] = Field(
        default_factory=list, description="A string or {text, impact, effort, status, owner}."
    )
    backstage: list[MdInline] = Field(
        default_factory=list,
        description="Internal processes supporting the stage (inline Markdown each).",
    )
    # --- service blueprint and hierarchy (journeys-structure) ---
    frontstage: list[MdInline] = Field(
        default_factory=list,
        description="Employee actions the customer sees (inline Markdown each).",
    )
    support_processes: list[MdInline] = Field(
        default_factory=list,
        description="Systems and teams behind the backstage (inline Markdown each).",
    )
    physical_evidence: list[MdInline] = Field(
        default_factory=list,
        description="What the customer sees, holds or receives (inline Markdown each).",
    )
    detail: Ref | None = Field(None, description="Id of a sub-journey that zooms into this stage.")
    metrics: list[Ref] = Field(
        default_factory=list, description="Ids of the metrics measuring this stage."
    )
    # --- evidence (SPEC 8.8) ---
    evidence: list[Ref] = Field(
        default_factory=list, description="Ids of the research studies this rests on."
    )
    confidence: Confidence | None = Field(
        None,
        description="assumption, reasoned or validated; default: validated with evidence, "
        "assumption without.",
    )

    # --- curves: reading `emotion` ---
    @property
    def per_persona(self) -> bool:
        """Whether `emotion` is a mapping persona id -> number."""
        return isinstance(self.emotion, dict)

    @property
    def mean_emotion(self) -> float | None:
        """The stage's emotion over all its personas: the number, or the mapping's mean."""
        if isinstance(self.emotion, dict):
            values = list(self.emotion.values())
            return sum(values) / len(values) if values else None
        return self.emotion

    def emotion_of(self, persona_id: str) -> float | None:
        """The emotion of one persona at this stage (None when the mapping leaves it out)."""
        if isinstance(self.emotion, dict):
            return self.emotion.get(persona_id)
        return self.emotion


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
    owner: Text | None = owner_field()
    reviewed: Date | None = reviewed_field()
    review_every_months: ReviewMonths | None = review_every_field()
    # --- curves: as-is and to-be ---
    # None when absent (read as current), so a release-1 project's cx.json stays as it was
    state: Literal["current", "future"] | None = Field(
        None, description="current (as-is, the default) or future (to-be)."
    )
    compare_to: Ref | None = Field(
        None, description="Id of the journey in the other state (as-is or to-be) of this one."
    )

    @property
    def effective_state(self) -> str:
        """`current` or `future`: the `state` written, current by default."""
        return self.state or "current"

    @model_validator(mode="after")
    def _unique_stage_names(self, info: ValidationInfo) -> Journey:
        seen: dict[str, int] = {}
        for index, stage in enumerate(self.stages):
            key = stage.name.casefold()
            if key in seen and not tolerated(info, ("stages", index, "name")):
                raise rule_error(
                    ("stages", index, "name"),
                    f"stage name '{stage.name}' is used twice in this journey",
                    first=("stages", seen[key], "name"),
                )
            seen.setdefault(key, index)
        return self
