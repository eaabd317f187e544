"""Right-to-left values in plain text: what markup cannot reach (attributes, the `<title>` and
`<desc>` of a chart, search entries) isolates a value with the Unicode characters FSI … PDI,
as a page's text does with `<bdi>`."""

from __future__ import annotations

import unicodedata

FSI, PDI = "\u2068", "\u2069"
_RTL = ("R", "AL")  # the bidirectional classes of strong right-to-left letters


def has_rtl(text: str) -> bool:
    """Whether the text holds a strong right-to-left character (Hebrew, Arabic, ...)."""
    return any(unicodedata.bidirectional(char) in _RTL for char in text)


def text_dir(text: object) -> str:
    """`rtl` or `ltr` by the first strong character of a value the user wrote, else `auto`
    (what a browser's dir=auto finds; the PDF renderer lays out by the given direction)."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind in _RTL:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "auto"


def isolate(value: object) -> str:
    """A value the user wrote, for a plain-text sentence: between FSI and PDI when it holds a
    right-to-left character, so it does not reorder the words and numbers beside it; as it
    is otherwise (Latin text keeps its exact bytes)."""
    text = str(value)
    return f"{FSI}{text}{PDI}" if has_rtl(text) else text
