"""The model of `journeys/<id>.yaml`: stages, pain points and opportunities."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    Strict,
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

    @model_validator(mode="after")
    def _unique_stage_names(self) -> Journey:
        seen: dict[str, int] = {}
        for index, stage in enumerate(self.stages):
            key = stage.name.casefold()
            if key in seen:
                raise rule_error(
                    ("stages", index, "name"),
                    f"stage name '{stage.name}' is used twice in this journey",
                    first=("stages", seen[key], "name"),
                )
            seen[key] = index
        return self
