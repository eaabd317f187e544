"""The model of `cxsite.yaml`: title, brand, briefs and options."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    Strict,
    model_validator,
)

from cxsite.model.fields import (
    BASE_URL,
    BUILTIN_CHANNELS,
    DEFAULT_EMOTION_LABELS,
    HEX_COLOUR,
    ID_PATTERN,
    Bool,
    Md,
    Model,
    NonEmptyText,
    Ref,
    Text,
    rule_error,
)


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
    # curves: a journey brief may print the journey's other state (as-is / to-be) as well
    compare: Bool | None = Field(
        None,
        description="Journey briefs: also print the as-is and to-be curves and the gap table.",
    )

    @model_validator(mode="after")
    def _subject(self) -> Brief:
        if self.compare and self.kind != "journey":
            raise rule_error(("compare",), "'compare' is only for 'journey' briefs")
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
