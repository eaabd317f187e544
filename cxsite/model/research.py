"""The model of `research/<id>.yaml`: one study that stages, pains and personas rest on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, Strict, model_validator

from cxsite.model.fields import (
    BASE_URL,
    Date,
    Md,
    Model,
    NonEmptyText,
    ReviewMonths,
    Text,
    owner_field,
    review_every_field,
    reviewed_field,
    rule_error,
)

Method = Literal[
    "interview",
    "survey",
    "usability-test",
    "analytics",
    "support-tickets",
    "diary-study",
    "field-observation",
    "desk-research",
    "other",
]
Confidence = Literal["assumption", "reasoned", "validated"]
METHODS: tuple[str, ...] = get_args(Method)
CONFIDENCES: tuple[str, ...] = get_args(Confidence)


class Research(Model):
    """A study, `research/<id>.yaml`."""

    id: str = Field(description="From the file name.", exclude=True)
    title: NonEmptyText = Field(description="The study's title.")
    method: Method = Field(
        description="interview, survey, usability-test, analytics, support-tickets, "
        "diary-study, field-observation, desk-research or other."
    )
    date: Date | None = Field(
        None, description="When it was done, YYYY-MM-DD (or give 'start' and 'end')."
    )
    start: Date | None = Field(None, description="First day of a study that ran over time.")
    end: Date | None = Field(None, description="Last day of a study that ran over time.")
    participants: Annotated[int, Strict(), Field(ge=0)] | None = Field(
        None, description="How many people took part."
    )
    summary: Md | None = Field(None, description="What was learnt (Markdown).")
    # Shown as a link, never fetched: only http(s), so no `javascript:` reaches a page.
    link: Annotated[Text, Field(pattern=BASE_URL)] | None = Field(
        None, description="Where to read the study, an http(s) URL (never fetched)."
    )
    tags: list[Text] = Field(default_factory=list, description="Free labels.")
    owner: Text | None = owner_field("Team or person who owns the study.")
    reviewed: Date | None = reviewed_field()
    review_every_months: ReviewMonths | None = review_every_field()

    @model_validator(mode="after")
    def _dates(self) -> Research:
        if self.date is not None and (self.start is not None or self.end is not None):
            key = "start" if self.start is not None else "end"
            raise rule_error((key,), "give 'date' or 'start' and 'end', not both")
        if self.date is None:
            if self.start is None and self.end is None:
                message = "missing required key 'date' (or 'start' and 'end')"
                raise rule_error((), message, ("date", "start", "end"), "E202")
            if self.start is None or self.end is None:
                given, other = ("start", "end") if self.start is not None else ("end", "start")
                message = f"missing required key '{other}': '{given}' needs '{other}'"
                raise rule_error((given,), message, other, "E202")
            if self.end < self.start:
                message = (
                    f"'end' ({self.end.isoformat()}) is before 'start' ({self.start.isoformat()})"
                )
                raise rule_error(("end",), message)
        return self

    @property
    def when(self) -> Date | None:
        """The day the study's evidence dates from: its date, or its last day (None only in
        the partial model of a file with errors)."""
        return self.date or self.end


def research_ids(evidence: Iterable[Any]) -> tuple[str, ...]:
    """The research ids of an evidence list (a persona's also holds {source, ...} entries)."""
    return tuple(e for e in evidence if isinstance(e, str))


def confidence_of(item: Any) -> str:
    """An item's confidence: as written, else `validated` with evidence, `assumption` without."""
    written = getattr(item, "confidence", None)
    if written is not None:
        return str(written)
    return "validated" if getattr(item, "evidence", None) else "assumption"


def tracks_evidence(research: Mapping[str, Any], journeys: Mapping[str, Any]) -> bool:
    """Whether a project records evidence at all: a study, or a `confidence` written on a
    stage, pain point or opportunity. Until then nothing is marked as an assumption."""
    if research:
        return True
    for journey in journeys.values():
        for stage in journey.stages:
            items = [stage, *stage.pain_points, *stage.opportunities]
            if any(getattr(item, "confidence", None) is not None for item in items):
                return True
    return False
