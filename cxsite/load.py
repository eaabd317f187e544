"""Reading YAML files safely, with YAML 1.2 scalars and a position for every key and item.

This module knows YAML and positions, nothing about personas. It builds plain Python data
from PyYAML's event stream (libyaml's C parser when available) instead of PyYAML's
constructors: no object is ever constructed from a tag, limits (aliases, depth) are checked
on the events before anything is built, and every mapping key and list item gets a mark.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cxsite.problems import Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 50
# An alias re-uses a subtree; this caps what the aliases expand to, so 100 aliases of
# aliases cannot make a billion-node document for the validators to walk.
MAX_EXPANDED_NODES = 200_000

Path_ = tuple[str | int, ...]
Marks = Mapping[Path_, tuple[int, int]]

_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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


class YInt(int):
    """An int that remembers how it was written (`01234`), for text fields."""

    source: str


class YFloat(float):
    """A float that remembers how it was written (`1.50`), for text fields."""

    source: str


@dataclass(frozen=True)
class Loaded:
    """A parsed YAML file: plain data and the 1-based (line, col) of every key and item."""

    data: Any
    marks: Marks = field(default_factory=dict)


def position(marks: Marks, path: Path_) -> tuple[int, int]:
    """The mark of `path`, or of its nearest ancestor that has one; (1, 1) at worst."""
    for end in range(len(path), -1, -1):
        mark = marks.get(tuple(path[:end]))
        if mark is not None:
            return mark
    return (1, 1)


class _Fail(Exception):
    """Stops parsing a file with one problem at a position."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col


def _at(mark: Any) -> tuple[int, int]:
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
            return _number(YInt, int(text, 10), text)
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


class _Builder:
    """Turns one document's events into data and marks, enforcing the limits as it goes."""

    def __init__(self, parser: Any):
        self.parser = parser
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, nodes, height
        self.aliases = 0
        self.nodes = 0
        self.problems: list[tuple[str, str, int, int]] = []

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
            raise _Fail("E110", f"tag '{_short_tag(tag)}' is not allowed", *_at(event.start_mark))
        if isinstance(event, yaml.ScalarEvent):
            value, size, height = self.scalar(event), 1, 0
        elif isinstance(event, yaml.SequenceStartEvent):
            value, size, height = self.sequence(event, path, depth + 1)
        elif isinstance(event, yaml.MappingStartEvent):
            value, size, height = self.mapping(event, path, depth + 1)
        else:  # pragma: no cover - the parser only yields nodes here
            raise _Fail("E105", "unexpected YAML structure", *_at(event.start_mark))
        self.count(size, event)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, size, height)
        return value, size, height

    def count(self, size: int, event: Any) -> None:
        self.nodes += size
        if self.nodes > MAX_EXPANDED_NODES:
            raise _Fail(
                "E111",
                f"the document expands to more than {MAX_EXPANDED_NODES} values through aliases",
                *_at(event.start_mark),
            )

    def alias(self, event: Any, depth: int) -> tuple[Any, int, int]:
        self.aliases += 1
        where = _at(event.start_mark)
        if self.aliases > MAX_ALIASES:
            raise _Fail("E111", f"more than {MAX_ALIASES} aliases in one file", *where)
        if event.anchor not in self.anchors:
            raise _Fail("E105", f"alias '*{event.anchor}' refers to no anchor above it", *where)
        value, size, height = self.anchors[event.anchor]
        if depth + height > MAX_DEPTH:
            raise _Fail("E112", f"nesting deeper than {MAX_DEPTH} levels", *where)
        self.count(size, event)
        return value, size, height

    def scalar(self, event: Any) -> Any:
        try:
            return resolve_scalar(event.value, event.tag, event.implicit[0])
        except ValueError as exc:
            raise _Fail("E110", str(exc), *_at(event.start_mark)) from None

    def enter(self, event: Any, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise _Fail("E112", f"nesting deeper than {MAX_DEPTH} levels", *_at(event.start_mark))

    def sequence(self, start: Any, path: Path_, depth: int) -> tuple[list[Any], int, int]:
        self.enter(start, depth)
        items: list[Any] = []
        size, height = 1, 0
        while not self.parser.check_event(yaml.SequenceEndEvent):
            item_path = (*path, len(items))
            self.marks[item_path] = _at(self.parser.peek_event().start_mark)
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
            key_mark = _at(key_event.start_mark)
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
            raise _Fail("E109", f"a key must be text, not {shown} (quote it)", *mark)
        return key

    def merge(self, result: dict[Any, Any], value: Any, mark: tuple[int, int], path: Path_) -> None:
        """YAML merge keys (`<<: *base`): keys already present win, the rest keep this place."""
        for source in value if isinstance(value, list) else [value]:
            if not isinstance(source, dict):
                raise _Fail("E105", "'<<' merges only mappings (aliases of mappings)", *mark)
            for key, item in source.items():
                if key not in result:
                    result[key] = item
                    self.marks[(*path, key)] = mark


def _decode(raw: bytes) -> str:
    """UTF-8 text without a BOM; raises _Fail with the line of an invalid byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Fail(
            "E102",
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8",
            line,
            col,
        ) from None


def _parse(text: str) -> tuple[Any, dict[Path_, tuple[int, int]], list[tuple[str, str, int, int]]]:
    parser = None
    try:
        parser = _Parser(text)  # the pure-Python reader checks characters right here
        parser.get_event()  # StreamStart
        if parser.check_event(yaml.StreamEndEvent):
            raise _Fail("E103", "the file is empty")
        parser.get_event()  # DocumentStart
        root_event = parser.peek_event()
        if (
            isinstance(root_event, yaml.ScalarEvent)
            and root_event.value == ""
            and root_event.implicit[0]
        ):
            raise _Fail("E103", "the file is empty")
        builder = _Builder(parser)
        data, _, _ = builder.node((), 0)
        builder.marks.setdefault((), _at(root_event.start_mark))
        parser.get_event()  # DocumentEnd
        if not parser.check_event(yaml.StreamEndEvent):
            extra = parser.peek_event()
            raise _Fail(
                "E106",
                "several YAML documents in one file: keep one (remove the '---' line)",
                *_at(extra.start_mark),
            )
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else "a single value"
            raise _Fail(
                "E107",
                f"the file must be a mapping of keys, not {kind}",
                *_at(root_event.start_mark),
            )
        return data, builder.marks, builder.problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _at(mark)
        message = exc.problem or "invalid YAML"
        source_line = _line(text, line)
        indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
        if "\t" in indent or "tab" in message:
            tab_col = indent.index("\t") + 1 if "\t" in indent else col
            raise _Fail(
                "E104", "a tab is used for indentation: indent with spaces", line, tab_col
            ) from None
        if "nesting depth" in message:
            raise _Fail("E112", f"nesting deeper than {MAX_DEPTH} levels", line, col) from None
        raise _Fail("E105", _syntax_message(exc), line, col) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise _Fail(
            "E105", f"character #x{exc.character:04x} is not allowed in YAML", line, col
        ) from None
    finally:
        if parser is not None:
            parser.dispose()


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's wording, with what to do for the mistakes people actually make."""
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    opened = f" (opened on line {exc.context_mark.line + 1})" if exc.context_mark else ""
    if "quoted scalar" in context and "end of stream" in problem:
        return f"YAML syntax error: a quoted value is never closed{opened}"
    if "flow sequence" in context:
        return f"YAML syntax error: a '[' list is not closed with ']'{opened}"
    if "flow mapping" in context:
        return f"YAML syntax error: a '{{' mapping is not closed with '}}'{opened}"
    hint = (
        " (check the indentation; quote a value that contains ': ' or ' #', "
        "or that starts with a quote but goes on after it)"
    )
    return f"YAML syntax error: {problem}" + (f" {context}" if context else "") + hint


def _line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def load_yaml(path: Path, rel: str) -> tuple[Loaded | None, list[Problem]]:
    """Parse one YAML file; on any problem the data is None and the problems say why."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [Problem(rel, 1, 1, "error", "E113", f"cannot read the file: {exc.strerror}")]
    try:
        if len(raw) > MAX_BYTES:
            raise _Fail("E101", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        data, marks, problems = _parse(_decode(raw))
    except _Fail as fail:
        return None, [Problem(rel, fail.line, fail.col, "error", fail.code, fail.message)]
    except RecursionError:
        return None, [
            Problem(rel, 1, 1, "error", "E112", f"nesting deeper than {MAX_DEPTH} levels")
        ]
    if problems:
        return None, [
            Problem(rel, line, col, "error", code, msg) for code, msg, line, col in problems
        ]
    return Loaded(data, marks), []
