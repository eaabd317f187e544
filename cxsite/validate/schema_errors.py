"""Pydantic validation errors turned into E2xx problems at the `line:col` of the YAML key.

Pydantic's `loc` names fields, list indexes, dict keys and, inside unions, the union member;
the member names are dropped by walking the loc along the data actually loaded, so what is
left is a path that `load.position` knows.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from cxsite.english import counted
from cxsite.hints import did_you_mean
from cxsite.load.reader import Marks, position
from cxsite.load.yamltree import resolve_scalar
from cxsite.metricdata.periods import impossible_date
from cxsite.problems import Problem

DataPath = tuple[str | int, ...]

_EXPECTED = {
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
}
_DATE_TYPES = {t for t, name in _EXPECTED.items() if name.startswith("a date")}
_PATTERNS = {
    r"^[a-z][a-z0-9-]*$": "an id: lowercase letters, digits and hyphens, starting with a letter",
    r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$": "a CSS hex colour such as #1f4e79",
    r"^[A-Z]{3}$": "a three-letter ISO currency code such as USD",
    r"^https?://[^\s/?#<>\"'`]+[^\s<>\"'`]*$": "an absolute http:// or https:// URL",
}


def error_loc(error: Mapping[str, Any]) -> tuple[Any, ...]:
    """Where a pydantic error is: its `loc`, and for a rule of cxsite's (`cx_rule`) the path
    the rule names in its context, under it."""
    loc = tuple(error["loc"])
    if error["type"] == "cx_rule":
        loc += tuple((error.get("ctx") or {}).get("path", ()))
    return loc


def describe(value: Any) -> str:
    """How a user would call the YAML value they wrote: text, a number, a list..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _source(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(getattr(value, "source", value))
    # A problem stays one readable line, even for a 5,000-digit number.
    return text if len(text) <= 60 else f"{text[:20]}… ({len(text)} characters)"


def resolve(data: Any, loc: tuple[Any, ...]) -> tuple[DataPath, bool]:
    """The part of `loc` that exists in `data`, and whether the error is about a dict key."""
    path: list[str | int] = []
    current = data
    is_key = False
    for part in loc:
        if part == "[key]":
            is_key = True
            continue
        step = _child(current, part)
        if step is not None:
            path.append(step[0])
            current = step[1]
    return tuple(path), is_key


def _child(current: Any, part: Any) -> tuple[Any, Any] | None:
    """(the data's own key, the value) for one loc element, or None for a union member."""
    if isinstance(current, dict) and not isinstance(part, bool):
        for key in current:
            if key == part and type(key) is not bool:
                return key, current[key]
    if isinstance(current, list) and type(part) is int and 0 <= part < len(current):
        return part, current[part]
    return None


def _options(annotation: Any) -> Iterator[Any]:
    """The alternatives of an annotation, with Annotated and Optional unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _options(typing.get_args(annotation)[0])
    elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        for arg in typing.get_args(annotation):
            yield from _options(arg)
    else:
        yield annotation


def _step(annotation: Any, part: str | int, key: bool = False) -> Any:
    """The annotation one level down: a model's field, a list's or dict's element, a dict's key."""
    for option in _options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            if isinstance(part, str) and part in option.model_fields:
                return option.model_fields[part]
            continue
        origin = typing.get_origin(option)
        if origin is list and isinstance(part, int):
            return typing.get_args(option)[0]
        if origin is dict:
            return typing.get_args(option)[0 if key else 1]
    return None


def _annotation_at(model: type[BaseModel], path: DataPath, is_key: bool = False) -> Any:
    current: Any = model
    for index, part in enumerate(path):
        if isinstance(current, FieldInfo):
            current = current.annotation
        current = _step(current, part, key=is_key and index == len(path) - 1)
        if current is None:
            return None
    return current


def model_at(model: type[BaseModel], path: DataPath) -> type[BaseModel] | None:
    """The model of the mapping at `path` of `model`'s data (None if no model is there)."""
    found = _annotation_at(model, path) if path else model
    if isinstance(found, FieldInfo):
        found = found.annotation
    for option in _options(found):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None


def _bounds(node: Any, seen: int = 0) -> dict[str, float]:
    """ge/le/gt/lt constraints found anywhere in a field's annotation."""
    found: dict[str, float] = {}
    if seen > 8:
        return found
    items: list[Any] = []
    if isinstance(node, FieldInfo):
        items = [*node.metadata, node.annotation]
    else:
        items = list(typing.get_args(node))
    for item in items:
        for name in ("ge", "le", "gt", "lt"):
            value = getattr(item, name, None)
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.setdefault(name, value)
        if isinstance(item, FieldInfo) or typing.get_args(item):
            for name, value in _bounds(item, seen + 1).items():
                found.setdefault(name, value)
    return found


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _label(path: DataPath, is_key: bool = False) -> str:
    """How a message names the place: 'emotion', item 2 of 'goals', key 2026 of 'ratings'."""
    # List indexes are plain ints; a YAML key written as a number is a YInt.
    names = [part for part in path if type(part) is not int]
    if not names:
        return "the file"
    if is_key:
        parent = f" of '{names[-2]}'" if len(names) > 1 else ""
        return f"key '{_source(names[-1])}'{parent}"
    if type(path[-1]) is int:
        return f"item {path[-1] + 1} of '{names[-1]}'"
    return f"'{names[-1]}'"


_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")
_PERCENT = re.compile(r"([-+]?\d+(?:[.,]\d+)?)\s*%")


def _number_hint(text: str) -> str:
    """What to write instead of text that was meant as a number."""
    if isinstance(resolve_scalar(text, None, True), int | float):  # YAML's numbers: not `1_0`
        return " (remove the quotes)"
    if _DECIMAL_COMMA.fullmatch(text):
        return f": write decimals with a point: {text.replace(',', '.')}"
    percent = _PERCENT.fullmatch(text)
    if percent:
        share = float(percent.group(1).replace(",", ".")) / 100
        return f" (a share from 0 to 1, e.g. {share:g})"
    return ""


def _type_message(expected: str, value: Any) -> str:
    got = describe(value)
    hint = ""
    if expected == "text" and isinstance(value, int | float):
        hint = f' (quote it: "{_source(value)}")'
    elif value is None:
        hint = " (give a value or remove the key)"
    elif expected == "true or false" and isinstance(value, str):
        got = f"text '{value}'"
        if isinstance(resolve_scalar(value.strip(), None, True), bool):  # "true", "False"
            hint = " (remove the quotes)"
    elif expected == "a whole number" and isinstance(value, int | float):
        got = f"{_source(value)}"
    elif "number" in expected and isinstance(value, str):
        got = f"text '{value}'"
        hint = _number_hint(value.strip())
    elif expected.startswith("a date") and isinstance(value, str):
        got = f"'{value}'"
    if isinstance(value, bool) and expected != "true or false":
        got = f"{got} (a boolean)"
    return f"expected {expected}, got {got}{hint}"


def _message(
    error: Mapping[str, Any], path: DataPath, model: type[BaseModel], is_key: bool = False
) -> tuple[str, str]:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    label = _label(path, is_key)
    if kind == "extra_forbidden":
        key = path[-1] if path else error["loc"][-1]
        parent = model_at(model, path[:-1])
        fields = [n for n, f in (parent.model_fields if parent else {}).items() if not f.exclude]
        if key == "id" and parent is not None and "id" in parent.model_fields:
            return "E201", "unknown key 'id' (the id comes from the file name)"
        return "E201", f"unknown key '{key}'{did_you_mean(key, fields)}"
    if kind == "missing":
        return "E202", f"missing required key '{error['loc'][-1]}'"
    if kind in ("cx_rule", "value_error"):
        message = str(ctx.get("message") or ctx.get("error") or error["msg"])
        return str(ctx.get("code") or "E207"), message
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        if not isinstance(value, str):
            return "E205", f"{label}: expected one of {', '.join(allowed)}, got {describe(value)}"
        hint = did_you_mean(value, allowed) or f" (expected one of: {', '.join(allowed)})"
        return "E205", f"unknown value '{value}' for {label}{hint}"
    if kind in _DATE_TYPES:
        why = impossible_date(value) if isinstance(value, str) else None
        if why:
            return "E206", f"{label}: '{value}' is not a real date: {why}"
        return "E206", f"{label}: {_type_message('a date (YYYY-MM-DD)', value)}"
    if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        # a whole number too large for a float (400 digits) is as unusable as 1e999
        return "E204", f"{label}: expected a finite number, got {_source(value)}"
    if kind in _EXPECTED:
        message = f"{label}: {_type_message(_EXPECTED[kind], value)}"
        if value is None and path and path[-1] in ("primary", "accent"):
            # `primary: #1f4e79` is a comment in YAML: the colour silently vanished.
            message = (
                f'{label}: expected a colour, got nothing (quote it: "#1f4e79"; # starts a comment)'
            )
        return "E203", message
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bounds = _bounds(_annotation_at(model, path, is_key) or {})
        low, high = bounds.get("ge", bounds.get("gt")), bounds.get("le", bounds.get("lt"))
        entry = len(path) > 1 and type(path[-2]) is str and not is_key
        if entry and model_at(model, path[:-1]) is None:
            # an entry of a mapping (`emotion: {maya: 3}`): name the key and the entry
            label = f"'{path[-2]}' of '{_source(path[-1])}'"
        if low is not None and high is not None:
            return "E204", f"{label} is {_source(value)}, out of range {_num(low)}..{_num(high)}"
        words = {"ge": "at least", "gt": "above", "le": "at most", "lt": "below"}
        limit = next((f"{words[k]} {_num(v)}" for k, v in ctx.items() if k in words), "")
        return "E204", f"{label} is {_source(value)}, but must be {limit}"
    if kind == "invalid_key":
        return "E203", f"{_label(path, True)}: {_type_message('text', value)}"
    if kind == "finite_number":
        return "E204", f"{label}: expected a finite number, got {_source(value)}"
    if kind in ("too_short", "string_too_short"):
        if isinstance(value, str):
            return "E204", f"{label} must not be empty"
        least = ctx.get("min_length", 1)
        return "E204", f"{label} needs at least {counted(least, 'item')}"
    if kind in ("too_long", "string_too_long") and isinstance(value, str):
        most = ctx.get("max_length")
        return "E204", f"{label} is {len(value):,} characters long, at most {most:,}"
    if kind in ("too_long", "string_too_long"):
        return "E204", f"{label} has too many items (at most {ctx.get('max_length')})"
    if kind == "string_pattern_mismatch":
        wanted = _PATTERNS.get(str(ctx.get("pattern")), f"text matching {ctx.get('pattern')}")
        return "E204", f"{label}: expected {wanted}, got '{value}'"
    return "E203", f"{label}: {error['msg']}"


def _split_decimal(data: Any, path: DataPath) -> str | None:
    """`11.2` when the key at `path` is what YAML split off a decimal comma in braces:
    `{value: 11,2}` reads as `value: 11` and a key `2` without a value."""
    parent = data
    for part in path[:-1]:
        step = _child(parent, part)
        if step is None:
            return None
        parent = step[1]
    key = path[-1] if path else None
    if not isinstance(parent, dict) or not _whole(key) or parent.get(key) is not None:
        return None
    keys = list(parent)
    before = parent[keys[keys.index(key) - 1]] if keys.index(key) > 0 else None
    return f"{_source(before)}.{_source(key)}" if _whole(before) else None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _first_use(error: Mapping[str, Any], data: Any, marks: Marks) -> str:
    """` (first on line N)` for a rule naming where a value used twice was first used."""
    first = (error.get("ctx") or {}).get("first") if error["type"] == "cx_rule" else None
    if not first:
        return ""
    path, _ = resolve(data, tuple(error["loc"]) + tuple(first))
    return f" (first on line {position(marks, path)[0]})"


def model_problems(
    exc: ValidationError | list[Mapping[str, Any]],
    model: type[BaseModel],
    data: Any,
    rel: str,
    marks: Marks,
) -> list[Problem]:
    """One problem per distinct place pydantic complains about (an error or its `errors()`)."""
    errors = exc.errors(include_url=False) if isinstance(exc, ValidationError) else exc
    groups: dict[tuple[DataPath, bool], list[Mapping[str, Any]]] = {}
    for error in errors:
        path, is_key = resolve(data, error_loc(error))
        groups.setdefault((path, is_key), []).append(error)
    problems: list[Problem] = []
    for (path, is_key), errors in groups.items():
        line, col = position(marks, path)
        expected = [_EXPECTED[e["type"]] for e in errors if e["type"] in _EXPECTED]
        if len(errors) > 1 and len(expected) == len(errors):
            # A union (text or number...): one message naming every accepted type.
            names = list(dict.fromkeys(expected))
            wanted = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
            label = _label(path, is_key)
            code, message = "E203", f"{label}: {_type_message(wanted, errors[0]['input'])}"
        else:
            code, message = _message(errors[0], path, model, is_key)
            message += _first_use(errors[0], data, marks)
            split = _split_decimal(data, path) if errors[0]["type"] == "invalid_key" else None
            if split:
                message = (
                    f"{_label(path, True)}: write decimals with a point: {split} "
                    f"(in braces, YAML reads '{split.replace('.', ',')}' as two entries)"
                )
            for extra in errors[1:]:
                extra_code, extra_message = _message(extra, path, model, is_key)
                problems.append(Problem(rel, line, col, "error", extra_code, extra_message))
        problems.append(Problem(rel, line, col, "error", code, message))
    return problems
