"""The short form of list items (a pain point written as a bare string) given a key of the
map form: a clear error (E214) with the map form to write instead, not a confusing pair of
'missing text' and 'unknown key' errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cxsite.model.fields import rule_error


def _quoted(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', "'")[:60] + '"'


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = " ".join(str(value).split())
    return text[:40] if text else "..."


def _hint(key: str, text: str, value: Any) -> str:
    return (
        f"'{key}' on a pain point written as a string: use the map form "
        f"{{text: {_quoted(text)}, {key}: {_yaml(value)}}}"
    )


def map_only_key_on_string(value: Any, fields: Mapping[str, Any]) -> None:
    """Raise E214 when `value`, meant as the string form, carries a map-only key.

    The shapes YAML gives such a mistake: `- Card declined, fail_point: true` (one key
    naming both), `- Card declined:` with `fail_point: true` under it (a key with no value
    beside the map key), `- "Card declined": {fail_point: true}` (a nested map) and a quoted
    `"Card declined, fail_point: true"` (a string naming the key)."""
    keys = [name for name in fields if name != "text"]
    if isinstance(value, str):
        # Only keys no sentence contains: "touchpoint:" may well start a clause of a text.
        for key in (k for k in keys if "_" in k):
            match = re.search(rf"[\s,;{{(]*\b{key}\s*:", value)
            if match:
                text, given = value[: match.start()] or value, value[match.end() :]
                raise rule_error((), _hint(key, text, given), code="E214")
        return
    if not isinstance(value, dict) or "text" in value:
        return
    for written, inner in value.items():
        if not isinstance(written, str) or written in fields:
            continue
        for key in keys:
            named = re.search(rf"[\s,;{{(]*\b{key}\s*$", written)
            nested = isinstance(inner, dict) and key in inner
            beside = inner is None and key in value
            if named or nested or beside:
                text = (written[: named.start()] if named else written) or written
                given = inner if named else inner[key] if nested else value[key]
                raise rule_error((), _hint(key, text, given), code="E214")
