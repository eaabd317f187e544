"""Which sheet columns an import reads: the YAML keys of each kind, and how a cell becomes a value.

A header names a YAML key, matched case-insensitively with spaces and hyphens read as
underscores (`Moment of truth` is `moment_of_truth`). Maps are spread over dotted columns:
`ratings.<persona>.importance`, `demographics.<key>`, `psychographics.<key>`,
`evidence.source` / `evidence.url` / `evidence.date` / `evidence.study` (one line per
entry). The one-column keys and their kinds come from the models (interop/keys.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from cxsite.interop.keys import Kind, item_keys, model_keys, required_keys
from cxsite.interop.table import Cell
from cxsite.model.journey import Opportunity, PainPoint

_TOUCHPOINT = MappingProxyType(model_keys("touchpoints"))
_PERSONA = MappingProxyType(model_keys("personas"))
_STAGE = MappingProxyType(model_keys("journey"))
_VALUES: Mapping[str, Kind] = MappingProxyType({"period": "text", "value": "number"})

KEYS: Mapping[str, Mapping[str, Kind]] = MappingProxyType(
    {"touchpoints": _TOUCHPOINT, "personas": _PERSONA, "journey": _STAGE, "values": _VALUES}
)
REQUIRED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "touchpoints": required_keys("touchpoints"),
        "personas": required_keys("personas"),
        "journey": required_keys("journey"),
        "values": ("period", "value"),
    }
)
# Dotted column families per kind: prefix -> the allowed last parts (None: any text).
FAMILIES: Mapping[str, Mapping[str, tuple[str, ...] | None]] = MappingProxyType(
    {
        "touchpoints": {"ratings": ("importance", "satisfaction")},
        "personas": {
            "demographics": None,
            "psychographics": None,
            "evidence": ("source", "url", "date", "study"),
        },
        "journey": {},
        "values": {},
    }
)
# The attributes a pain point or opportunity item may carry in a trailing `[key: value, ...]`.
ITEM_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"pains": item_keys(PainPoint), "opportunities": item_keys(Opportunity)}
)
# How an item attribute's value is read: a list of ids is split at spaces, a flag is a bool.
_ITEM_LISTS = ("evidence", "personas")
_ITEM_FLAGS = ("fail_point",)

# A problem found in a sheet: the cell, the code and the message.
Cell_Problem = tuple[Cell, str, str]

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TRUE = {"true", "yes", "y", "x", "1"}
_FALSE = {"false", "no", "n", "0"}
_ATTRIBUTES = re.compile(r"^(?P<text>.*\S)\s*\[(?P<attrs>[^\[\]]*)\]$", re.DOTALL)


def _first_column(line: int, index: int) -> tuple[int, int]:
    return line, 1


def normalise(header: str) -> str:
    """A header as a key: case-folded, trimmed, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", header.strip().casefold())


@dataclass(frozen=True)
class Column:
    """A header cell understood: the data path it fills and how its cells are read."""

    cell: Cell
    path: tuple[str, ...]  # ("channel",), ("ratings", "maya", "importance"), ("evidence", "url")
    kind: Kind


def split_list(text: str) -> list[str]:
    """A list cell's items: split at line breaks when it has any, else at `;`; blanks dropped."""
    parts = LINE_BREAK.split(text) if "\n" in text or "\r" in text else text.split(";")
    return [item for part in parts if (item := part.strip())]


def number(text: str) -> Any:
    """A number cell's value (`text` stripped): an int or float when it reads as one, else
    its text (an error the schema reports with the cell's position)."""
    if text.isascii() and "_" not in text and text[-1:].isdigit():
        try:  # the common case, at C speed: a plain number
            result = float(text)
        except ValueError:
            pass
        else:
            return int(result) if result.is_integer() and abs(result) < 1e15 else result
    text = text.replace("\u2212", "-")  # the minus sign spreadsheets sometimes write
    if not _NUMBER.fullmatch(text):
        return text
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma
    result = float(text)
    return int(result) if result.is_integer() and abs(result) < 1e15 else result


def boolean(text: str) -> Any:
    """true/false (also yes/no, y/n, x, 1/0), else the text for the schema to report."""
    word = text.casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return text


def item(text: str, keys: tuple[str, ...]) -> str | dict[str, Any]:
    """A pain point or opportunity: its text, with the attributes of a trailing
    `[key: value, ...]` when every part of that bracket is a known `key: value`
    (`evidence: a b` lists ids split at spaces; `fail_point: true` reads as a cell would)."""
    match = _ATTRIBUTES.match(text)
    if not match:
        return text
    attributes: dict[str, Any] = {}
    for part in match["attrs"].split(","):
        key, colon, value = part.partition(":")
        key = normalise(key)
        if not colon or key not in keys or key in attributes or not value.strip():
            return text
        value = value.strip()
        if key in _ITEM_LISTS:
            attributes[key] = value.split()
        elif key in _ITEM_FLAGS:
            attributes[key] = boolean(value)
        else:
            attributes[key] = value
    return {"text": match["text"], **attributes}


def emotion(raw: str) -> Any:
    """A stage's emotion: a number, or `id: number` parts apart by `;` or line breaks (one
    per persona); a part that is not `id: value` leaves the text for the schema to report."""
    text = raw.strip()
    if ":" not in text:
        return number(text)
    found: dict[str, Any] = {}
    for part in split_list(raw):
        key, colon, value = part.partition(":")
        if not colon or not key.strip() or not value.strip():
            return text
        found[key.strip()] = number(value.strip())
    return found


def cell_value(raw: str, kind: Kind) -> Any:
    """The YAML value of one non-empty cell, its text as read, of a column of `kind`."""
    if kind == "number" or kind == "map-text":  # a demographics value: a number if it reads so
        return number(raw.strip())
    if kind == "emotion":
        return emotion(raw)
    if kind == "bool":
        return boolean(raw.strip())
    if kind == "list":
        return split_list(raw)
    if kind in ITEM_KEYS:
        return [item(part, ITEM_KEYS[kind]) for part in split_list(raw)]
    if kind == "map-list":  # a psychographics value: a list when the cell has a line break
        return split_list(raw) if "\n" in raw or "\r" in raw else raw.strip()
    if kind == "md":  # Markdown of several lines keeps its final line break
        text = raw.strip()
        ends = raw.rstrip(" \t").endswith(("\n", "\r"))
        return text + "\n" if "\n" in text and ends else text
    return raw.strip()


def _family_column(kind: str, cell: Cell, prefix: str, rest: str) -> Column | str:
    """A dotted column of a map family, or the message saying what is wrong with it."""
    allowed = FAMILIES[kind][prefix]
    if prefix == "ratings":
        persona, _, field = rest.rpartition(".")
        field = normalise(field)
        if not persona.strip() or field not in (allowed or ()):
            return (
                f"column '{cell.text}' must be 'ratings.<persona id>.importance' "
                "or 'ratings.<persona id>.satisfaction'"
            )
        return Column(cell, ("ratings", persona.strip(), field), "number")
    if allowed is not None:
        field = normalise(rest)
        if field not in allowed:
            from_ = ", ".join(f"'{prefix}.{name}'" for name in allowed)
            return f"unknown column '{cell.text}' (the {prefix} columns are {from_})"
        return Column(cell, (prefix, field), "list")
    key = rest.strip()
    if not key:
        return f"column '{cell.text}' needs a key after the dot, e.g. '{prefix}.Age'"
    return Column(cell, (prefix, key), "map-text" if prefix == "demographics" else "map-list")


def _word_hint(name: str, keys: Mapping[str, Kind]) -> str:
    """` (did you mean 'name'?)` for a header holding a key as a word (`Stage name`)."""
    words = name.split("_")
    found = [key for key in keys if key in words or key in ("_".join(words[1:]), words[0])]
    return f" (did you mean '{max(found, key=len)}'?)" if found else ""


def read_header(kind: str, cells: list[Cell]) -> tuple[list[Column | None], list[Cell_Problem]]:
    """Each header cell as a column (None for an empty one) and the header's problems."""
    # lazy: difflib is only needed for a header with a typo
    from cxsite.validate.schema_errors import did_you_mean

    keys = KEYS[kind]
    families = FAMILIES[kind]
    columns: list[Column | None] = []
    problems: list[Cell_Problem] = []
    seen: dict[tuple[str, ...], Cell] = {}
    for cell in cells:
        text = cell.text
        if not text:
            columns.append(None)
            continue
        name = normalise(text)
        prefix, dot, rest = text.partition(".")
        column: Column | str
        if name in keys:
            column = Column(cell, (name,), keys[name])
        elif dot and normalise(prefix) in families:
            column = _family_column(kind, cell, normalise(prefix), rest)
        else:
            choices = [*keys, *(f"{p}.…" for p in families)]
            hint = did_you_mean(name, choices) or _word_hint(name, keys)
            column = f"unknown column '{text}'{hint}"
        if isinstance(column, str):
            problems.append((cell, "E462", column))
            columns.append(None)
            continue
        first = seen.get(column.path)
        if first is not None:
            message = f"column '{text}' appears twice (first in column {first.index + 1})"
            problems.append((cell, "E464", message))
            columns.append(None)
            continue
        seen[column.path] = cell
        columns.append(column)
    present = {column.path[0] for column in columns if column is not None}
    suggested = {m.group(1) for _, _, msg in problems if (m := re.search(r"mean '(\w+)'", msg))}
    line = cells[0].line if cells else 1  # the header row's line
    for key in REQUIRED[kind]:
        if key not in present and key not in suggested:
            hint = ",".join(REQUIRED[kind])
            message = (
                f"the header has no '{key}' column: the first row names the columns "
                f"after the YAML keys, e.g. '{hint}'"
            )
            problems.append((Cell("", line, 0, _first_column), "E463", message))
    return columns, problems
