"""The keys a sheet column may name, and their kinds, read off the content models.

Deriving them from the pydantic models keeps import and export in step with the model: a
key added to a touchpoint, persona or stage is a column without touching the interop code.
A map (`ratings`, `demographics`, `psychographics`) and a persona's `evidence` are spread
over dotted columns instead (interop/columns.py); `id` comes from the file name.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cxsite.model import Persona, Touchpoint
from cxsite.model.journey import Opportunity, PainPoint, Stage

Kind = Literal[
    "text",
    "md",
    "list",
    "number",
    "bool",
    "pains",
    "opportunities",
    "map-text",
    "map-list",
    "emotion",
]
# Keys spread over dotted columns (a family) rather than read from one column.
FAMILY_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "touchpoints": ("ratings",),
        "personas": ("demographics", "psychographics", "evidence"),
        "journey": (),
    }
)
_MODELS: Mapping[str, type[BaseModel]] = MappingProxyType(
    {"touchpoints": Touchpoint, "personas": Persona, "journey": Stage}
)
_ITEMS: Mapping[type, Kind] = MappingProxyType({PainPoint: "pains", Opportunity: "opportunities"})


def _bare(annotation: Any) -> Any:
    """`annotation` without `Annotated[...]` and without `| None`."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        if len(rest) == 1:
            return _bare(rest[0])
    return annotation


def kind_of(field: FieldInfo) -> Kind | None:
    """How a cell of the key `field` is read; None for a type no single column can hold."""
    annotation = _bare(field.annotation)
    if get_origin(annotation) in (Union, types.UnionType):
        parts = {get_origin(_bare(a)) or _bare(a) for a in get_args(annotation)}
        if dict in parts and parts & {int, float}:  # a stage's emotion: one, or per persona
            return "emotion"
    if get_origin(annotation) is list:
        item = _bare(get_args(annotation)[0])
        if item in _ITEMS:
            return _ITEMS[item]
        return "list" if item is str or get_origin(item) is Literal else None
    if annotation is bool:
        return "bool"
    if annotation in (int, float):
        return "number"
    if annotation is str:  # Markdown (`Md`) is text; its description says so
        return "md" if "(Markdown" in (field.description or "") else "text"
    if annotation is dt.date or get_origin(annotation) is Literal:
        return "text"
    return None


def model_keys(kind: str) -> dict[str, Kind]:
    """The one-column keys of a sheet kind, in the model's order, with their kinds (a key
    of a type no column can hold is left out: see `unsheeted`)."""
    keys: dict[str, Kind] = {}
    for name, field in _MODELS[kind].model_fields.items():
        found = kind_of(field)
        if name not in FAMILY_KEYS[kind] and found is not None:
            keys[name] = found
    return keys


def unsheeted(kind: str) -> tuple[str, ...]:
    """The keys of a sheet kind that neither a column nor a dotted family holds (a test
    keeps this list equal to the one docs/import-export.md gives)."""
    fields = _MODELS[kind].model_fields
    return tuple(
        name
        for name, field in fields.items()
        if name not in FAMILY_KEYS[kind] and kind_of(field) is None
    )


def required_keys(kind: str) -> tuple[str, ...]:
    """The keys a sheet of `kind` must have a column for (the model's required ones)."""
    fields = _MODELS[kind].model_fields
    return tuple(name for name, f in fields.items() if f.is_required() and name != "id")


def item_keys(model: type[BaseModel]) -> tuple[str, ...]:
    """The attributes of a pain point or opportunity written in its trailing `[...]`."""
    return tuple(name for name in model.model_fields if name != "text")
