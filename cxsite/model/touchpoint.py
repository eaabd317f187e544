"""The model of `touchpoints/<id>.yaml` and its persona ratings."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import (
    Field,
    Strict,
)

from cxsite.model.fields import (
    Bool,
    Date,
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
)

# Gamification mechanics a touchpoint may use (SPEC 8.7), in the order pages list them.
Mechanic = Literal["points", "badges", "levels", "leaderboard", "challenges", "rewards", "progress"]
MECHANICS: tuple[str, ...] = get_args(Mechanic)


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
    owner: Text | None = owner_field("Team accountable; reviews it.")
    reviewed: Date | None = reviewed_field()
    review_every_months: ReviewMonths | None = review_every_field()
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
    mechanics: list[Mechanic] = Field(
        default_factory=list,
        description="Gamification mechanics: points, badges, levels, leaderboard, challenges, "
        "rewards, progress.",
    )
    # --- evidence (SPEC 8.8) ---
    evidence: list[Ref] = Field(
        default_factory=list, description="Ids of the research studies this rests on."
    )
