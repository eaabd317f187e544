"""The sheets `cxsite import` reads, written from a project: touchpoints, personas, a journey.

Every column is named after its YAML key (see interop/columns.py), so exporting and
importing again gives the same data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from cxsite.interop.columns import ITEM_KEYS, KEYS
from cxsite.interop.csvout import join, number
from cxsite.model import Journey, Persona, Touchpoint
from cxsite.model.journey import Opportunity, PainPoint
from cxsite.model.persona import Evidence

Sheet = tuple[list[str], list[list[str]]]
_ITEM_MODELS: Mapping[str, type[BaseModel]] = {"pains": PainPoint, "opportunities": Opportunity}


def _defaults(kind: str) -> dict[str, Any]:
    """The default of each item attribute (what an item without it means)."""
    fields = _ITEM_MODELS[kind].model_fields
    return {key: fields[key].get_default(call_default_factory=True) for key in ITEM_KEYS[kind]}


def _attribute(value: Any) -> str:
    """An item attribute's value inside `[...]`: ids separated by spaces, a flag as true."""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return _cell(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list | tuple):
        return join(_cell(item) for item in value)
    return str(value)


def _item(entry: PainPoint | Opportunity, kind: str) -> str:
    """A pain point or opportunity as one line: its text and a `[key: value, ...]` of the
    attributes that differ from the defaults (always one when the text itself ends with `]`,
    so import never takes part of the text for attributes)."""
    defaults = _defaults(kind)
    attrs = [(k, getattr(entry, k)) for k, d in defaults.items() if getattr(entry, k) != d]
    if not attrs and entry.text.rstrip().endswith("]"):
        first = next(iter(defaults))
        attrs = [(first, defaults[first])]
    if not attrs:
        return entry.text
    return f"{entry.text} [{', '.join(f'{k}: {_attribute(v)}' for k, v in attrs)}]"


def _emotion(value: Any) -> str:
    """A stage's emotion cell: a number, or `dan: -1.5; walt: -2` when given per persona."""
    if isinstance(value, dict):
        return "; ".join(f"{pid}: {_cell(v)}" for pid, v in value.items())
    return _cell(value)


def touchpoints_sheet(touchpoints: Mapping[str, Touchpoint]) -> Sheet:
    """One row per touchpoint; `ratings.<persona>.importance/satisfaction` columns."""
    keys = list(KEYS["touchpoints"])
    raters = sorted({p for t in touchpoints.values() for p in t.ratings})
    header = [*keys, *(f"ratings.{p}.{f}" for p in raters for f in ("importance", "satisfaction"))]
    rows = []
    for tid in sorted(touchpoints):
        touchpoint = touchpoints[tid]
        row = [tid if k == "id" else _cell(getattr(touchpoint, k)) for k in keys]
        for persona in raters:
            rating = touchpoint.ratings.get(persona)
            row += [number(rating.importance), number(rating.satisfaction)] if rating else ["", ""]
        rows.append(row)
    return header, rows


def personas_sheet(personas: Mapping[str, Persona]) -> Sheet:
    """One row per persona; `demographics.<key>`, `psychographics.<key>` and the
    `evidence.source`, `.url`, `.date`, `.study` columns (one line per entry; a research
    study's id in `evidence.study` on a line of its own)."""
    keys = list(KEYS["personas"])
    ordered = [personas[pid] for pid in sorted(personas)]
    demo = list(dict.fromkeys(k for p in ordered for k in p.demographics))
    psycho = list(dict.fromkeys(k for p in ordered for k in p.psychographics))
    evidence = [
        f
        for f in ("source", "url", "date", "study")
        if any(_evidence_field(e, f) for p in ordered for e in p.evidence)
    ]
    header = [
        *keys,
        *(f"demographics.{k}" for k in demo),
        *(f"psychographics.{k}" for k in psycho),
        *(f"evidence.{f}" for f in evidence),
    ]
    rows = []
    for persona in ordered:
        row = [persona.id if k == "id" else _cell(getattr(persona, k)) for k in keys]
        row += [_cell(persona.demographics.get(k)) for k in demo]
        row += [_psychographic(persona.psychographics.get(k)) for k in psycho]
        for field in evidence:
            values = [_evidence_field(entry, field) for entry in persona.evidence]
            row.append(_aligned(values))
        rows.append(row)
    return header, rows


def _evidence_field(entry: Evidence | str, field: str) -> str:
    """One evidence line's cell in the `evidence.<field>` column: a study id only under
    `study`, an entry's source, url or date under its own."""
    if isinstance(entry, str):
        return entry if field == "study" else ""
    return "" if field == "study" else _cell(getattr(entry, field))


def _psychographic(value: str | list[str] | None) -> str:
    """Text as it is; a list always with a line break, so that import reads a list."""
    if not isinstance(value, list):
        return _cell(value)
    text = "\n".join(value)
    return text if "\n" in text else text + "\n"


def _aligned(values: list[str]) -> str:
    """Lines that line up with the other evidence columns (empty lines kept)."""
    text = "\n".join(values).rstrip("\n")
    if ";" in text and "\n" not in text:
        text += "\n"
    return text


def journey_sheet(journey: Journey) -> Sheet:
    """One row per stage, in order; pain points and opportunities one per line."""
    keys = list(KEYS["journey"])
    rows = []
    for stage in journey.stages:
        row = []
        for key in keys:
            value = getattr(stage, key)
            if key == "pain_points":
                row.append(join(_item(p, "pains") for p in value))
            elif key == "opportunities":
                row.append(join(_item(o, "opportunities") for o in value))
            elif key == "emotion":
                row.append(_emotion(value))
            else:
                row.append(_cell(value))
        rows.append(row)
    return keys, rows
