"""JSON Schemas (draft 2020-12) of the YAML files, generated from the models, for editors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from cxsite.model import Config, Journey, Metric, Persona, Research, Touchpoint

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_KINDS: dict[str, tuple[type[BaseModel], str]] = {
    "config": (Config, "cxsite.yaml"),
    "persona": (Persona, "personas/<id>.yaml"),
    "journey": (Journey, "journeys/<id>.yaml"),
    "touchpoint": (Touchpoint, "touchpoints/<id>.yaml"),
    "metric": (Metric, "metrics/<id>.yaml"),
    "research": (Research, "research/<id>.yaml"),
}
# These accept a bare string as shorthand for {text: ...} (model_validator, invisible to
# pydantic's schema generator).
_SHORTHANDS = ("PainPoint", "Opportunity")


def _without_id(schema: dict[str, Any]) -> None:
    """Entity ids come from file names: `id` is not a YAML key."""
    schema.get("properties", {}).pop("id", None)
    if "required" in schema:
        schema["required"] = [key for key in schema["required"] if key != "id"]


def kind_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file (`config`, `persona`, ...)."""
    model, where = SCHEMA_KINDS[kind]
    schema = model.model_json_schema(mode="validation")
    if kind != "config":
        _without_id(schema)
    for name in _SHORTHANDS:
        definition = schema.get("$defs", {}).get(name)
        if definition is not None:
            schema["$defs"][name] = {
                "description": definition.get("description", ""),
                "anyOf": [
                    {"type": "string", "minLength": 1},
                    {k: v for k, v in definition.items() if k != "description"},
                ],
            }
    return {
        "$schema": DRAFT,
        "$id": f"https://cxsite.invalid/schema/{kind}.json",
        "title": f"cxsite {kind} ({where})",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def all_schemas() -> dict[str, Any]:
    """Every kind's schema, as one JSON object mapping the kind to its schema."""
    return {kind: kind_schema(kind) for kind in SCHEMA_KINDS}


def schema_document(kind: str | None) -> dict[str, Any]:
    """One kind's JSON Schema, or all of them as a mapping kind -> schema (`cxsite schema`)."""
    return kind_schema(kind) if kind else all_schemas()
