"""English words of the command line's own messages (pages and briefs speak the project's
language through the message catalogue, i18n/)."""

from __future__ import annotations


def counted(count: int, word: str) -> str:
    """`1 file`, `2 files`: a count and an English word that takes an `s` in the plural."""
    return f"{count} {word}{'' if count == 1 else 's'}"
