"""YAML events to plain data: YAML 1.2 core-schema scalars, marks, and the safety limits.

`TreeBuilder` consumes a parser's events one by one (so limits are checked before anything
is built), never constructs an object from a tag, and records the 1-based (line, col) of
every mapping key and list item.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_ALIASES = 100
MAX_DEPTH = 50
# An alias re-uses a subtree; this caps what the aliases expand to, so 100 aliases of
# aliases cannot make a billion-node document for the validators to walk.
MAX_EXPANDED_NODES = 200_000

Path_ = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:null|Null|NULL|~|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_SPECIAL_START = frozenset("0123456789+-.~nNtTfF")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
# The characters YAML refuses written raw (controls but tab, line breaks and NEL; lone
# surrogates; U+FFFE/U+FFFF). Written as escapes ("\x07", "\0", "\ud800") they would reach
# pages, SVG and PDFs, which cannot hold them (XML forbids them; UTF-8 cannot encode a
# lone surrogate), so they are refused the same way.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class YInt(int):
    """An int that remembers how it was written (`01234`), for text fields."""

    source: str


class YFloat(float):
    """A float that remembers how it was written (`1.50`), for text fields."""

    source: str


class Fail(Exception):
    """Stops parsing a file with one problem at a position."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col


def at(mark: Any) -> tuple[int, int]:
    """A PyYAML mark (0-based) as a 1-based (line, col)."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


def _number(cls: type, value: Any, text: str) -> Any:
    number = cls(value)
    number.source = text
    return number


def resolve_scalar(text: str, tag: str | None, plain: bool) -> Any:
    """A scalar's value under the YAML 1.2 core schema (`yes`/`no`/`on`/`off` stay text)."""
    if (tag is None and not plain) or tag in ("!", _STD + "str"):
        return text
    if tag is None and text and text[0] not in _SPECIAL_START:
        return text  # most scalars are words: skip the regexes
    if tag in (None, _STD + "null") and _NULL.match(text):
        return None
    if tag in (None, _STD + "bool") and text in _BOOL:
        return _BOOL[text]
    if tag in (None, _STD + "int"):
        if _INT.match(text):
            try:
                return _number(YInt, int(text, 10), text)
            except ValueError:  # more digits than Python converts (4,300): no finite number
                return _number(YFloat, float(text), text)
        if _OCT.match(text):
            return _number(YInt, int(text[2:], 8), text)
        if _HEX.match(text):
            return _number(YInt, int(text[2:], 16), text)
    if tag in (None, _STD + "float"):
        if _FLOAT.match(text):
            return _number(YFloat, float(text), text)
        if _INF.match(text):
            return _number(YFloat, float(text.replace(".", "", 1).lower()), text)
        if _NAN.match(text):
            return _number(YFloat, float("nan"), text)
    if tag is None:
        return text
    raise ValueError(f"'{text}' is not a valid {_short_tag(tag)}")


class TreeBuilder:
    """Turns one document's events into data and marks, enforcing the limits as it goes."""

    def __init__(self, parser: Any, restore: dict[int, int] | None = None):
        self.parser = parser
        self.restore = restore  # characters that stood in for others while parsing (reader.py)
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, nodes, height
        self.aliases = 0
        self.nodes = 0
        self.problems: list[tuple[str, str, int, int]] = []
        # Plain list items written over several lines (first and last line), for W519.
        self.folded_items: list[tuple[int, int]] = []

    def node(self, path: Path_, depth: int) -> tuple[Any, int, int]:
        """Build the next node; returns (value, expanded node count, height)."""
        event = self.parser.get_event()
        if isinstance(event, yaml.AliasEvent):
            return self.alias(event, depth)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and not (
            tag.startswith(_STD)
            and tag[len(_STD) :] in ("str", "int", "float", "bool", "null", "map", "seq")
        ):
            raise Fail("E110", f"tag '{_short_tag(tag)}' is not allowed", *at(event.start_mark))
        if isinstance(event, yaml.ScalarEvent):
            value, size, height = self.scalar(event), 1, 0
        elif isinstance(event, yaml.SequenceStartEvent):
            value, size, height = self.sequence(event, path, depth + 1)
        elif isinstance(event, yaml.MappingStartEvent):
            value, size, height = self.mapping(event, path, depth + 1)
        else:  # pragma: no cover - the parser only yields nodes here
            raise Fail("E105", "unexpected YAML structure", *at(event.start_mark))
        self.count(size, event)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, size, height)
        return value, size, height

    def count(self, size: int, event: Any) -> None:
        self.nodes += size
        if self.nodes > MAX_EXPANDED_NODES:
            raise Fail(
                "E111",
                f"the document expands to more than {MAX_EXPANDED_NODES} values through aliases",
                *at(event.start_mark),
            )

    def alias(self, event: Any, depth: int) -> tuple[Any, int, int]:
        self.aliases += 1
        where = at(event.start_mark)
        if self.aliases > MAX_ALIASES:
            raise Fail("E111", f"more than {MAX_ALIASES} aliases in one file", *where)
        if event.anchor not in self.anchors:
            raise Fail("E105", f"alias '*{event.anchor}' refers to no anchor above it", *where)
        value, size, height = self.anchors[event.anchor]
        if depth + height > MAX_DEPTH:
            raise Fail("E112", f"nesting deeper than {MAX_DEPTH} levels", *where)
        self.count(size, event)
        return value, size, height

    def scalar(self, event: Any) -> Any:
        text = event.value if self.restore is None else event.value.translate(self.restore)
        bad = _CONTROL.search(text)
        if bad is not None:
            raise Fail(
                "E105",
                f"character #x{ord(bad.group()):04x} is not allowed in YAML (even escaped)",
                *at(event.start_mark),
            )
        try:
            return resolve_scalar(text, event.tag, event.implicit[0])
        except ValueError as exc:
            raise Fail("E110", str(exc), *at(event.start_mark)) from None

    def enter(self, event: Any, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise Fail("E112", f"nesting deeper than {MAX_DEPTH} levels", *at(event.start_mark))

    def sequence(self, start: Any, path: Path_, depth: int) -> tuple[list[Any], int, int]:
        self.enter(start, depth)
        items: list[Any] = []
        size, height = 1, 0
        while not self.parser.check_event(yaml.SequenceEndEvent):
            item_path = (*path, len(items))
            first = self.parser.peek_event()
            self.marks[item_path] = at(first.start_mark)
            plain = isinstance(first, yaml.ScalarEvent) and not first.style  # C parser: ''
            if plain and first.end_mark.line > first.start_mark.line:
                self.folded_items.append((first.start_mark.line, first.end_mark.line))
            value, n, h = self.node(item_path, depth)
            items.append(value)
            size, height = size + n, max(height, h + 1)
        self.parser.get_event()
        return items, size, height

    def mapping(self, start: Any, path: Path_, depth: int) -> tuple[dict[Any, Any], int, int]:
        self.enter(start, depth)
        result: dict[Any, Any] = {}
        lines: dict[Any, int] = {}  # explicit keys only: merged ones may be overridden
        size, height = 1, 0
        while not self.parser.check_event(yaml.MappingEndEvent):
            key_event = self.parser.peek_event()
            key_mark = at(key_event.start_mark)
            key, _, _ = self.node((*path, "<key>"), depth)
            key = self.check_key(key, key_event, key_mark)
            value_path = (*path, key)
            value, n, h = self.node(value_path, depth)
            size, height = size + n, max(height, h + 1)
            if key == "<<" and isinstance(key_event, yaml.ScalarEvent) and key_event.implicit[0]:
                self.merge(result, value, key_mark, path)
                continue
            if key in lines:
                self.problems.append(
                    (
                        "E108",
                        f"duplicate key '{key}' (first on line {lines[key]}, again on line "
                        f"{key_mark[0]})",
                        *key_mark,
                    )
                )
            lines.setdefault(key, key_mark[0])
            self.marks[value_path] = key_mark
            result[key] = value
        self.parser.get_event()
        return result, size, height

    def check_key(self, key: Any, event: Any, mark: tuple[int, int]) -> Any:
        if isinstance(key, bool) or key is None or isinstance(key, list | dict):
            shown = (
                "a list"
                if isinstance(key, list)
                else "a mapping"
                if isinstance(key, dict)
                else event.value
                if isinstance(event, yaml.ScalarEvent)
                else "null"
            )
            raise Fail("E109", f"a key must be text, not {shown} (quote it)", *mark)
        return key

    def merge(self, result: dict[Any, Any], value: Any, mark: tuple[int, int], path: Path_) -> None:
        """YAML merge keys (`<<: *base`): keys already present win, the rest keep this place."""
        for source in value if isinstance(value, list) else [value]:
            if not isinstance(source, dict):
                raise Fail("E105", "'<<' merges only mappings (aliases of mappings)", *mark)
            for key, item in source.items():
                if key not in result:
                    result[key] = item
                    self.marks[(*path, key)] = mark
