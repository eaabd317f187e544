"""Shared pieces of the model: constants, text and id types, the base model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    WithJsonSchema,
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
# An id names files (`charts/compare-<id>_<id>.svg`, `briefs/<id>.pdf`): at most MAX_ID
# characters, so that every name made from ids stays within the 255 bytes of a file name.
MAX_ID = 100
ID_PATTERN = r"^[a-z][a-z0-9-]*$"
BASE_URL = r"^https?://[^\s/?#<>\"'`]+[^\s<>\"'`]*$"
HEX_COLOUR = r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"


def _scalar_text(value: Any) -> Any:
    """Keep a YAML number or boolean written where text is expected as the text it was written as.

    The loader gives numbers a `.source` attribute with their original spelling, so `01234`
    stays `01234` (YAML 1.2: where a string is expected, a scalar is a string).
    """
    if type(value) is str:  # nearly every value: no more to ask
        return value
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
    path: tuple[str | int, ...],
    message: str,
    needs: str | tuple[str, ...] | None = None,
    code: str = "E207",
    *,
    first: tuple[str | int, ...] | None = None,
) -> PydanticCustomError:
    """A model-level rule broken at `path` (relative to the model), e.g. ('responses',).

    validate.py reads `path` from the error context to point at the most relevant key.
    `needs` names the key whose absence breaks the rule: when validation had to drop that
    key (its value was wrong), the rule is not reported a second time (validate/partial.py).
    A tuple names the key first, then others whose absence breaks it as well ('date', or
    'start' and 'end').
    `first`: for a value used twice, where it was first used (the message then says
    "(first on line N)"). `code` is the problem code reported (E207 unless the rule has
    one of its own).
    """
    context = {"path": path, "message": message, "needs": needs, "first": first, "code": code}
    return PydanticCustomError("cx_rule", "{message}", context)


# The validation context key under which validate/partial.py passes the places of values used
# twice that a partial model keeps as written: a rule about such a value stays silent there.
TOLERATE = "tolerate"


def tolerated(info: ValidationInfo, path: tuple[str | int, ...]) -> bool:
    """Whether a rule about a value used twice at `path` (relative to a top-level model) is
    already reported, and the partial model of its file keeps the value (validate/partial.py)."""
    return isinstance(info.context, dict) and path in info.context.get(TOLERATE, ())


# In the JSON Schema, text also accepts a number or boolean: `period: 2026` is valid text
# (kept as written), and editors should not flag it.
# Every text value is rendered as Markdown somewhere (pages, search index), and Markdown
# rendering is superlinear on some input (thousands of `[`), so one value is capped: about
# 1,500 words, far above any real field, keeps the worst case near a second per value.
MAX_TEXT = 10_000
_TEXT_SCHEMA = {"type": ["string", "number", "boolean"], "maxLength": MAX_TEXT}
# The length limits come before the validator, so pydantic-core checks them in the string
# schema itself (a Python check per value when they come after: a third of the time an
# import of 100,000 rows spends in the schema).
Text = Annotated[
    str,
    Strict(),
    Field(max_length=MAX_TEXT),
    BeforeValidator(_scalar_text),
    WithJsonSchema(_TEXT_SCHEMA),
]
Date = Annotated[dt.date, BeforeValidator(_date_text)]
NonEmptyText = Annotated[
    str,
    Strict(),
    Field(min_length=1, max_length=MAX_TEXT),
    BeforeValidator(_scalar_text),
    WithJsonSchema({**_TEXT_SCHEMA, "minLength": 1}),
]
MdInline = NonEmptyText
Md = Text
Ref = Annotated[str, BeforeValidator(_scalar_text), Strict()]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Bool = Annotated[bool, Strict()]
Phase = Literal["before", "during", "after"]
# Months between reviews (SPEC 8.4): at most 10 years, so a due date is always a date.
ReviewMonths = Annotated[int, Strict(), Field(ge=1, le=120)]
Level = Literal["low", "medium", "high"]


class Model(BaseModel):
    """Base of every content model: immutable, unknown keys forbidden."""

    # Each model's validator is built when it first validates, not at import: a one-file
    # edit validates one kind of file, and reads the others' models from the cache.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def owner_field(description: str = "Person or team who keeps it true and reviews it.") -> Any:
    """The `owner` key every entity has (SPEC 8.4)."""
    return Field(None, description=description)


def reviewed_field() -> Any:
    """The `reviewed` key every entity has (SPEC 8.4)."""
    return Field(
        None, description="When its owner last confirmed it is true, YYYY-MM-DD (SPEC 8.4)."
    )


def review_every_field() -> Any:
    """The `review_every_months` key every entity has (SPEC 8.4)."""
    return Field(
        None,
        description="Months between reviews, 1..120; default from cxsite.yaml (6).",
    )
