"""Imported data in the key order of the SPEC (the models' field order), for stable YAML."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from cxsite.model import Journey, Persona, Touchpoint
from cxsite.model.journey import Opportunity, PainPoint, Stage
from cxsite.model.persona import Evidence
from cxsite.model.touchpoint import Rating


def _fields(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    ordered = {key: data[key] for key in model.model_fields if key in data and key != "id"}
    ordered.update((key, value) for key, value in data.items() if key not in ordered)
    return ordered


def _item(model: type[BaseModel], value: Any) -> Any:
    """A pain point or opportunity: the bare text when it has no other key."""
    if isinstance(value, dict):
        return value["text"] if set(value) == {"text"} else _fields(model, value)
    return value


def ordered(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its keys (and its nested maps' keys) in the model's order."""
    out = _fields(model, data)
    if model is Touchpoint and isinstance(out.get("ratings"), dict):
        out["ratings"] = {p: _fields(Rating, r) for p, r in out["ratings"].items()}
    if model is Persona and isinstance(out.get("evidence"), list):
        out["evidence"] = [
            _fields(Evidence, e) if isinstance(e, dict) else e for e in out["evidence"]
        ]
    if model is Journey:  # the stages last: the journey's short keys stay together on top
        out["stages"] = [ordered(Stage, stage) for stage in out.pop("stages")]
    if model is Stage:
        for key, item_model in (("pain_points", PainPoint), ("opportunities", Opportunity)):
            if key in out:
                out[key] = [_item(item_model, value) for value in out[key]]
    return out
