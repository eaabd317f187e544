"""The model of `metrics/<id>.yaml`: kind, target, values or responses, scope."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    Strict,
    model_validator,
)

from cxsite.model.fields import (
    Bool,
    Date,
    Md,
    Model,
    NonEmptyText,
    Number,
    Ref,
    ReviewMonths,
    Text,
    owner_field,
    review_every_field,
    reviewed_field,
    rule_error,
)
from cxsite.model.responses import Responses, Visible

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
    owner: Text | None = owner_field("Team accountable for the metric; reviews it.")
    reviewed: Date | None = reviewed_field()
    review_every_months: ReviewMonths | None = review_every_field()
    description: Md | None = Field(None, description="How it is measured (Markdown).")
    values: list[PeriodValue] | None = Field(
        None, description="Pre-aggregated series [{period, value}], periods strictly increasing."
    )
    responses: Responses | None = Field(
        None,
        description="Raw survey responses: a path to a CSV, or {file, header_rows, columns, ...}.",
    )
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
    themes: Annotated[dict[Visible, list[Visible]], Field(max_length=100)] | None = Field(
        None,
        description="Theme -> phrases a comment mentions it by (whole words, any case).",
    )
    comment_samples: Annotated[int, Strict(), Field(ge=0)] = Field(
        3, description="Example comments shown per theme, latest first (default 3; 0 hides)."
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
        if self.themes is not None and self.responses is None:
            message = "'themes' needs 'responses' with a comment column"
            raise rule_error(("themes",), message, "responses")
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
