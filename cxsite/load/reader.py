"""Reading YAML files safely, with YAML 1.2 scalars and a position for every key and item.

This module knows YAML and positions, nothing about personas. It reads bytes, refuses
oversized files before parsing, decodes UTF-8, and feeds PyYAML's event stream (libyaml's
C parser when available) to `yamltree.TreeBuilder`; every failure becomes an E1xx problem.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cxsite.cachefiles import Digests, known_digest
from cxsite.load.yamltree import (
    MAX_DEPTH,
    Fail,
    Path_,
    TreeBuilder,
    YFloat,
    YInt,
    at,
    resolve_scalar,
)
from cxsite.problems import Problem
from cxsite.session import Memo

__all__ = ["Loaded", "Marks", "YFloat", "YInt", "load_yaml", "position", "resolve_scalar"]

MAX_BYTES = 2 * 1024 * 1024
Marks = Mapping[Path_, tuple[int, int]]
_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def _decode(raw: bytes) -> str:
    """UTF-8 text; raises Fail for a byte-order mark (SPEC 5: an error, as some YAML tools
    read it as part of the first key) and with the line of an invalid byte."""
    if raw.startswith(codecs.BOM_UTF8):
        raise Fail(
            "E117",
            "the file starts with a byte-order mark (BOM): save it as UTF-8 without BOM",
            1,
            1,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        hint = "the file is UTF-16: save it as UTF-8" if utf16 else "save the file as UTF-8"
        raise Fail(
            "E102",
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}): {hint}",
            line,
            col,
        ) from None


Parsed = tuple[Any, dict[Path_, tuple[int, int]], list[tuple[str, str, int, int]], list[Problem]]


# PyYAML breaks lines at NEL, LS and PS, as YAML 1.1 did; YAML 1.2 and editors take them for
# characters of the text. While a file is parsed, each stands in as a private-use character
# the file does not hold, so that lines count as the editor counts them (a problem's line)
# and the values keep them as written.
_YAML11_BREAKS = "\x85\u2028\u2029"


def _stand_ins(text: str) -> tuple[str, dict[int, int] | None]:
    """`text` with NEL, LS and PS stood in for, and the table that puts them back."""
    if not any(c in text for c in _YAML11_BREAKS):
        return text, None
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    table = {ord(c): next(free) for c in _YAML11_BREAKS}
    return text.translate(table), {ord(stand_in): c for c, stand_in in table.items()}


def _parse(text: str, rel: str) -> Parsed:
    parser = None
    text, restore = _stand_ins(text)
    try:
        parser = _Parser(text)  # the pure-Python reader checks characters right here
        parser.get_event()  # StreamStart
        if parser.check_event(yaml.StreamEndEvent):
            raise Fail("E103", "the file is empty")
        parser.get_event()  # DocumentStart
        root_event = parser.peek_event()
        if (
            isinstance(root_event, yaml.ScalarEvent)
            and root_event.value == ""
            and root_event.implicit[0]
        ):
            raise Fail("E103", "the file is empty")
        builder = TreeBuilder(parser, restore)
        data, _, _ = builder.node((), 0)
        builder.marks.setdefault((), at(root_event.start_mark))
        parser.get_event()  # DocumentEnd
        if not parser.check_event(yaml.StreamEndEvent):
            extra = parser.peek_event()
            raise Fail(
                "E106",
                "several YAML documents in one file: keep one (remove the '---' line)",
                *at(extra.start_mark),
            )
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else "a single value"
            raise Fail(
                "E107",
                f"the file must be a mapping of keys, not {kind}",
                *at(root_event.start_mark),
            )
        warnings = _swallowed_items(text, rel, builder.folded_items)
        return data, builder.marks, builder.problems, warnings
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = at(mark)
        message = exc.problem or "invalid YAML"
        source_line = _line(text, line)
        indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
        if "\t" in indent or "tab" in message:
            tab_col = indent.index("\t") + 1 if "\t" in indent else col
            raise Fail(
                "E104", "a tab is used for indentation: indent with spaces", line, tab_col
            ) from None
        if "nesting depth" in message:
            raise Fail("E112", f"nesting deeper than {MAX_DEPTH} levels", line, col) from None
        raise Fail("E105", _syntax_message(exc), line, col) from None
    except yaml.reader.ReaderError as exc:
        at_char = exc.position
        if _Parser is not yaml.SafeLoader:  # libyaml counts bytes of the UTF-8 text
            encoded = text.encode("utf-8", "surrogatepass")[: exc.position]
            at_char = len(encoded.decode("utf-8", "replace"))
        line = text.count("\n", 0, at_char) + 1
        col = at_char - (text.rfind("\n", 0, at_char) + 1) + 1
        raise Fail(
            "E105", f"character #x{exc.character:04x} is not allowed in YAML", line, col
        ) from None
    except yaml.YAMLError as exc:  # anything else PyYAML may raise: still a line, no traceback
        raise Fail("E105", f"YAML error: {exc}".splitlines()[0]) from None
    finally:
        if parser is not None:
            parser.dispose()


def _swallowed_items(text: str, rel: str, folded: list[tuple[int, int]]) -> list[Problem]:
    """W519 for a one-line list item that swallowed the next item: indented one space too far,
    `- second` continues the plain text of the item above instead of starting a new one."""
    if not folded:
        return []
    lines = text.splitlines()
    warnings = []
    for first, last in folded:
        for index in range(first + 1, min(last, len(lines) - 1) + 1):
            stripped = lines[index].lstrip(" ")
            if stripped.startswith("- "):
                col = len(lines[index]) - len(stripped) + 1
                warnings.append(
                    Problem(
                        rel,
                        index + 1,
                        col,
                        "warning",
                        "W519",
                        f"this '- ' continues the list item of line {first + 1} instead of "
                        "starting a new one: indent it like that item's '-'",
                    )
                )
                break
    return warnings


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
    if "escape" in problem:
        return f"YAML syntax error: {problem} (in a double-quoted value, write a real character)"
    hint = (
        " (check the indentation; quote a value that contains ': ' or ' #', "
        "or that starts with a quote but goes on after it)"
    )
    return f"YAML syntax error: {problem}" + (f" {context}" if context else "") + hint


def _line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def load_yaml(
    path: Path,
    rel: str,
    memo: Memo[Any, Any] | None = None,
    known: Digests | None = None,
    *,
    despite_duplicates: bool = False,
) -> tuple[Loaded | None, list[Problem]]:
    """Parse one YAML file; on any error the data is None and the problems say why.

    `despite_duplicates` (validation, SPEC 5: all problems in one run): a file whose only
    errors are duplicate keys (E108) is still given, each key with its last value, so that
    the rest of it is checked too; commands that write from what they read never ask so.

    `memo` (a session's `parsed`) keeps results by path and SHA-256 of the bytes, so a
    long-running process (`cxsite serve`) parses only the files that changed. With `known`
    (a session's `digests`), a file whose digest is known from its stat figures and whose
    result is kept is not even read.
    """
    if memo is not None and known is not None:
        sha = known_digest(path, known)
        found = memo.get((rel, sha)) if sha is not None else None
        if found is not None:
            return _unless_errors(found, despite_duplicates)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [Problem(rel, 1, 1, "error", "E113", f"cannot read the file: {exc.strerror}")]
    if memo is None:
        found = _load_bytes(raw, rel)
    else:
        key = (rel, hashlib.sha256(raw).digest())
        found = memo.get(key) or memo.put(key, _load_bytes(raw, rel))
    return _unless_errors(found, despite_duplicates)


def _unless_errors(
    found: tuple[Loaded | None, list[Problem]], despite_duplicates: bool
) -> tuple[Loaded | None, list[Problem]]:
    """What a caller gets: no data where the file has an error (but duplicate keys when it
    reads despite them)."""
    loaded, problems = found
    errors = [p for p in problems if p.severity == "error"]
    if errors and not (despite_duplicates and all(p.code == "E108" for p in errors)):
        loaded = None
    return loaded, list(problems)


def _load_bytes(raw: bytes, rel: str) -> tuple[Loaded | None, list[Problem]]:
    try:
        if len(raw) > MAX_BYTES:
            raise Fail("E101", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        data, marks, problems, warnings = _parse(_decode(raw), rel)
    except Fail as fail:
        return None, [Problem(rel, fail.line, fail.col, "error", fail.code, fail.message)]
    except RecursionError:
        return None, [
            Problem(rel, 1, 1, "error", "E112", f"nesting deeper than {MAX_DEPTH} levels")
        ]
    # duplicate keys (E108), the one error that leaves the rest readable: the data is kept
    # here, and `load_yaml` gives it only to a caller that reads despite them
    duplicates = [Problem(rel, line, col, "error", code, msg) for code, msg, line, col in problems]
    return Loaded(data, marks), duplicates + warnings


def load_yaml_bytes(
    raw: bytes, rel: str, *, despite_duplicates: bool = False
) -> tuple[Loaded | None, list[Problem]]:
    """Parse YAML given as bytes (a file about to be written), as `load_yaml` parses a file."""
    return _unless_errors(_load_bytes(raw, rel), despite_duplicates)
