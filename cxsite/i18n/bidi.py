"""Right-to-left values in plain text: what markup cannot reach (attributes, the `<title>` and
`<desc>` of a chart, search entries) isolates a value with the Unicode characters FSI … PDI,
as a page's text does with `<bdi>`."""

from __future__ import annotations

import unicodedata

FSI, PDI = "\u2068", "\u2069"


def has_rtl(text: str) -> bool:
    """Whether the text holds a strong right-to-left character (Hebrew, Arabic, ...)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def isolate(value: object) -> str:
    """A value the user wrote, for a plain-text sentence: between FSI and PDI when it holds a
    right-to-left character, so it does not reorder the words and numbers beside it; as it
    is otherwise (Latin text keeps its exact bytes)."""
    text = str(value)
    return f"{FSI}{text}{PDI}" if has_rtl(text) else text
