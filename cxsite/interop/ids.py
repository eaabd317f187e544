"""Ids derived from names when a sheet has no `id` column: lowercase, hyphens, unique."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from cxsite.load.discover import ID_RE

MAX_ID = 60


def slug(name: str, fallback: str) -> str:
    """`name` as an id (`Web shop: checkout` -> `web-shop-checkout`); accents dropped,
    a leading digit gets `fallback-` in front, and a name with no letter or digit left
    gives `fallback`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    text = text[:MAX_ID].rstrip("-")
    if not text:
        return fallback
    if not text[0].isalpha():
        text = f"{fallback}-{text}"
    assert ID_RE.match(text), text
    return text


def unique(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`... the first not in `taken`."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
