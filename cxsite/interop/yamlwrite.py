"""Readable, stable YAML for imported data: block style, keys in the order given, quotes
only where a plain scalar would read differently, bidi and control characters escaped.

The text written is read back with cxsite's own loader and compared with the data, so a
file this module writes always loads as exactly what it was given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from cxsite.load.reader import load_yaml_bytes
from cxsite.load.yamltree import resolve_scalar
from cxsite.problems import CxError

# Characters shown as escapes in a double-quoted scalar: controls, line and paragraph
# separators, the BOM and the bidirectional formatting characters (Trojan Source).
_ESCAPE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_BREAKS = re.compile(r"[\t\r\n]")
_QUOTED = re.compile(r'[\\"\t\n\r]|' + _ESCAPE.pattern)
_NAMED = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
# Words other YAML readers (YAML 1.1) take for booleans: quoted, so no tool misreads them.
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


class YamlWriteError(CxError):
    """The YAML written does not read back as the data (a bug in this module): nothing is
    written, and the message says so instead of a traceback."""


def _plain(text: str) -> bool:
    if not text or text != text.strip() or _ESCAPE.search(text) or _BREAKS.search(text):
        return False
    if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return False
    if text.casefold() in _YAML11_WORDS or text == "<<":  # `<<` is the merge key
        return False
    value = resolve_scalar(text, None, True)
    return isinstance(value, str) and value == text


def _quoted(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _NAMED:
            return _NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return '"' + _QUOTED.sub(escape, text) + '"'


def _block(text: str, indent: str) -> str | None:
    """A literal block (`|-`) for multi-line text, or None when it cannot be one."""
    if "\n" not in text or "\r" in text or _ESCAPE.search(text) or "\t" in text:
        return None
    if text.endswith("\n\n") or text.startswith((" ", "\n")):
        return None
    lines = text.split("\n")
    chomp = ""
    if text.endswith("\n"):
        lines = lines[:-1]
    else:
        chomp = "-"
    if any(line != line.rstrip(" ") for line in lines):
        return None  # trailing spaces would be invisible in the file
    body = "\n".join(f"{indent}{line}" if line else "" for line in lines)
    return f"|{chomp}\n{body}"


def scalar(value: Any, indent: str = "  ") -> str:
    """One scalar as YAML text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise YamlWriteError(f"not a finite number: {value}")
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    if _plain(text):
        return text
    return _block(text, indent) or _quoted(text)


def _key(key: Any) -> str:
    return scalar(str(key))


def _lines(value: Any, indent: str) -> list[str]:
    """The lines of a mapping or a list at `indent` (each line already indented)."""
    out: list[str] = []
    inner = indent + "  "
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, Mapping | list | tuple) and item:
                out.append(f"{indent}{_key(key)}:")
                out += _lines(item, inner if isinstance(item, Mapping) else indent + "  ")
            else:
                out.append(f"{indent}{_key(key)}: {_inline(item, inner)}")
        return out
    for item in value:
        if (isinstance(item, Mapping) and item) or (isinstance(item, list | tuple) and item):
            nested = _lines(item, inner)
            out.append(f"{indent}- {nested[0][len(inner) :]}")
            out += nested[1:]
        else:
            out.append(f"{indent}- {_inline(item, inner)}")
    return out


def _inline(value: Any, indent: str) -> str:
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list | tuple):
        return "[]"
    return scalar(value, indent)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return list(map(str, a)) == list(map(str, b)) and all(
            _same(x, y) for x, y in zip(a.values(), b.values(), strict=True)
        )
    if isinstance(a, Sequence) and not isinstance(a, str):
        return (
            isinstance(b, Sequence)
            and not isinstance(b, str)
            and len(a) == len(b)
            and all(_same(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (a == b and type(a) is type(b))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def dump(data: Mapping[str, Any], comment: Sequence[str] = ()) -> str:
    """`data` as a YAML document, after `comment` lines (each written as `# line`)."""
    head = [f"# {_ESCAPE.sub(' ', line)}".rstrip() for line in comment]
    text = "\n".join([*head, *_lines(data, "")]) + "\n"
    loaded, problems = load_yaml_bytes(text.encode("utf-8"), "import")
    if loaded is None or not _same(data, loaded.data):
        reason = problems[0].format() if problems else "the data read back differs"
        raise YamlWriteError(f"the YAML written does not read back: {reason}")
    return text


def dump_block(key: str, items: Sequence[Any]) -> str:
    """`key:` followed by `items` as a block list, for appending to an existing file."""
    return "\n".join([f"{_key(key)}:", *_lines(list(items), "  ")]) + "\n"
