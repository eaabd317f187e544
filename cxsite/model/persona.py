"""The model of `personas/<id>.yaml`."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    Discriminator,
    Field,
    Strict,
    Tag,
)

from cxsite.model.fields import (
    Date,
    Md,
    MdInline,
    Model,
    NonEmptyText,
    Number,
    Ref,
    ReviewMonths,
    Text,
    owner_field,
    review_every_field,
    reviewed_field,
)


class Evidence(Model):
    """One source a persona rests on."""

    source: NonEmptyText = Field(
        description="What the persona rests on, e.g. '12 customer interviews'."
    )
    url: Text | None = Field(None, description="Where to read the source.")
    date: Date | None = Field(
        None, description="When it was gathered, YYYY-MM-DD; old evidence triggers a warning."
    )


def _evidence_kind(value: Any) -> str:
    """Text is a research id; anything else is read as a {source, url, date} entry, so a
    broken entry gets that entry's errors only."""
    return "study" if isinstance(value, str | int | float) else "entry"


# A persona's evidence entry: {source, url?, date?}, or the id of a research study.
EvidenceItem = Annotated[
    Annotated[Evidence, Tag("entry")] | Annotated[Ref, Tag("study")],
    Discriminator(_evidence_kind),
]


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
    evidence: list[EvidenceItem] = Field(
        default_factory=list,
        description="The research the persona rests on: {source, url, date} entries and "
        "ids of research studies.",
    )
    tags: list[Text] = Field(default_factory=list, description="Free labels.")
    owner: Text | None = owner_field()
    reviewed: Date | None = reviewed_field()
    review_every_months: ReviewMonths | None = review_every_field()
