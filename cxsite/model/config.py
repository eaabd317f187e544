"""The model of `cxsite.yaml`: title, brand, briefs and options."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    Strict,
    model_validator,
)

from cxsite.hints import did_you_mean
from cxsite.i18n.catalogue import (
    LANGUAGES,
    MAX_FILLED,
    Messages,
    label_keys,
    message_keys,
    text_locale,
)
from cxsite.model.fields import (
    BASE_URL,
    BUILTIN_CHANNELS,
    HEX_COLOUR,
    ID_PATTERN,
    MAX_ID,
    Bool,
    Md,
    MdInline,
    Model,
    NonEmptyText,
    Ref,
    ReviewMonths,
    Text,
    rule_error,
)
from cxsite.model.review import DEFAULT_REVIEW_MONTHS, Review, review_of


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

    id: Annotated[str, Strict(), Field(pattern=ID_PATTERN, max_length=MAX_ID)] = Field(
        description="Slug; output briefs/<id>.pdf."
    )
    kind: Literal["executive", "persona", "journey", "personas"] = Field(
        description="executive, persona, journey or personas."
    )
    title: Text | None = Field(None, description="Default from the kind.")
    persona: Ref | None = Field(None, description="Subject of a `persona` brief.")
    journey: Ref | None = Field(None, description="Subject of a `journey` brief.")
    paper: Literal["A4", "A3", "Letter"] = Field(
        "A4", description="Paper size: A4 (default), A3 (a journey map as a wall poster) or Letter."
    )
    since: Text | None = Field(
        None,
        description="Executive brief: a git revision; adds a 'What changed' page since it.",
    )
    # curves: a journey brief may print the journey's other state (as-is / to-be) as well
    compare: Bool | None = Field(
        None,
        description="Journey briefs: also print the as-is and to-be curves and the gap table.",
    )

    # executive brief v2 (SPEC 8.10): the summary page's message, asks and KPI sentences
    headline: MdInline | None = Field(
        None, description="Executive brief: the key message, first on the summary page."
    )
    # None (not [] or {}) when absent, so a release-1 project's cx.json stays as it was
    decisions: list[MdInline] | None = Field(
        None,
        description="Executive brief: the decisions requested of the board, one per item.",
    )
    kpi_notes: dict[Ref, MdInline] | None = Field(
        None,
        description="Executive brief: metric id -> a sentence printed beside that KPI.",
    )

    @model_validator(mode="after")
    def _subject(self) -> Brief:
        if self.compare and self.kind != "journey":
            raise rule_error(("compare",), "'compare' is only for 'journey' briefs")
        if self.kind != "executive":
            for key in ("headline", "decisions", "kpi_notes"):
                if getattr(self, key):
                    raise rule_error((key,), f"'{key}' is only for 'executive' briefs")
        if self.kind == "persona" and not self.persona:
            raise rule_error(("kind",), "a 'persona' brief needs 'persona: <id>'", "persona")
        if self.kind == "journey" and not self.journey:
            raise rule_error(("kind",), "a 'journey' brief needs 'journey: <id>'", "journey")
        return self


# --- journey health (SPEC 8.9) ---
HEALTH_COMPONENTS: tuple[str, ...] = (
    "evidence",
    "freshness",
    "kpis",
    "experience",
    "follow_up",
    "ownership",
)
_Weight = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]


class HealthWeights(Model):
    """The weight of each journey health component (a key not given weighs 1)."""

    evidence: _Weight = Field(1.0, description="Evidence coverage.")
    freshness: _Weight = Field(1.0, description="Reviewed and not overdue.")
    kpis: _Weight = Field(1.0, description="Share of the journey's metrics on target.")
    experience: _Weight = Field(1.0, description="Peak and end emotion.")
    follow_up: _Weight = Field(1.0, description="Pain points whose stage has an opportunity.")
    ownership: _Weight = Field(1.0, description="The journey has an owner.")

    @model_validator(mode="after")
    def _not_all_zero(self) -> HealthWeights:
        if not any(getattr(self, name) for name in HEALTH_COMPONENTS):
            raise rule_error(
                (), "every health weight is 0: give at least one component a weight above 0"
            )
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
    language: Text = Field(
        "en",
        description="BCP 47 language tag of the interface text: en, de and fr are shipped (a "
        "region such as de-CH uses its language); any other language takes its dates, numbers "
        "and plural forms from CLDR and its words from labels (English where none is given).",
    )
    labels: dict[str, Text] = Field(
        default_factory=dict,
        description="Interface text by message key, over the language's own "
        "(`phase.before: Before the visit`, `customers: patients`); `cxsite labels` lists "
        "the keys.",
    )
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
    min_responses: Annotated[int, Strict(), Field(ge=2)] = Field(
        30,
        description="Answers each period needs before a change is tested for significance "
        "(at least 2; default 30).",
    )
    review_every_months: ReviewMonths = Field(
        DEFAULT_REVIEW_MONTHS,
        description="Months between reviews of an entity (default 6); W512 when overdue.",
    )
    require_owners: Bool = Field(
        False, description="true: every entity needs an 'owner' (warning W513)."
    )
    ipa_crosshair: Literal["mean", "midpoint"] = Field(
        "mean", description="Where the importance-performance quadrants split."
    )
    channels: list[NonEmptyText] = Field(
        default_factory=list, description="Extra channel names besides the built-in list."
    )
    briefs: list[Brief] | None = Field(
        None, description="PDF briefs to build; default one executive brief."
    )
    show_authors: Bool | None = Field(
        None, description="true: show commit author names beside each page's last change."
    )
    changes_since: Text | None = Field(
        None, description="A git revision (tag, branch, commit): changes.html compares with it."
    )
    kpis: list[Ref] = Field(
        default_factory=list,
        description="Metric ids for the home page KPI tiles and the executive brief's KPI "
        "table, in this order (default: metrics with a target first, then by category and "
        "name).",
    )
    health_weights: HealthWeights = Field(
        default_factory=HealthWeights,
        description="Weight of each journey health component (evidence, freshness, kpis, "
        "experience, follow_up, ownership); each defaults to 1.",
    )

    @model_validator(mode="after")
    def _words(self) -> Config:
        if text_locale(self.language) is None:
            raise rule_error(
                ("language",),
                f"unknown language '{self.language}': not a BCP 47 language tag CLDR knows "
                f"(cxsite ships {', '.join(LANGUAGES)}; any other language takes its words "
                "from labels)",
                code="E205",
            )
        # the project's own channels are named by labels as the built-in ones (SPEC 8.12)
        messages = set(message_keys()) | {f"channel.{name}" for name in self.channels}
        for key in self.labels:
            # the plural forms of the language are looked up (in CLDR) only for a key that
            # is no message of the catalogue
            if key not in messages and key not in (keys := label_keys(self.language)):
                raise rule_error(
                    ("labels", key),
                    f"unknown label '{key}'{did_you_mean(key, sorted(keys))}",
                    code="E201",
                )
        self._labels_fill_short()
        return self

    def _labels_fill_short(self) -> None:
        """E204 for the first label that, its braces filled in, is longer than MAX_FILLED:
        ten `{b}` in `a`, ten `{c}` in `b`... multiply, and a page would hold gigabytes."""
        written = {f"emotion.{value}": ("emotion_labels", value) for value in self.emotion_labels}
        written.update({key: ("labels", key) for key in self.labels})  # `labels` wins
        messages = Messages(self.language, self._label_texts())  # not cached on the model
        for key, path in written.items():
            if (length := messages.filled_length(key)) > MAX_FILLED:
                raise rule_error(
                    path,
                    f"label '{key}' is {length:,} characters long once the labels it names in "
                    f"braces are filled in, at most {MAX_FILLED:,}: name fewer labels in it, "
                    "or shorter ones",
                    code="E204",
                )

    @functools.cached_property
    def messages(self) -> Messages:
        """The interface text: the language's catalogue under `emotion_labels` and `labels`."""
        return Messages(self.language, self._label_texts())

    def _label_texts(self) -> dict[str, str]:
        emotions = {f"emotion.{value}": text for value, text in self.emotion_labels.items()}
        return {**emotions, **self.labels}

    def emotion_label(self, value: int) -> str:
        """The word for an emotion score -2..+2."""
        return self.messages.text(f"emotion.{value}")

    def all_channels(self) -> tuple[str, ...]:
        """Built-in channels plus the project's own."""
        return BUILTIN_CHANNELS + tuple(c for c in self.channels if c not in BUILTIN_CHANNELS)

    def review(self, entity: Any, as_of: dt.date) -> Review:
        """An entity's owner, due date and review status on `as_of` (SPEC 8.4)."""
        return review_of(entity, self.review_every_months, as_of)

    def brief_list(self) -> tuple[Brief, ...]:
        """The briefs to build: the configured ones, or one executive brief."""
        if self.briefs is None:
            return (Brief(id="executive", kind="executive"),)
        return tuple(self.briefs)
