"""The "did you mean" of every message: the closest spelling, or a name that contains what
was typed (`kiosk` -> `check-in-kiosk`) or is contained in it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

_SHORTEST = 3  # a shorter word is contained in too many names to point at one


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The choice the user most likely meant by `word`, or None."""
    names = sorted(set(choices))
    text = str(word)
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.6)
    if close:
        return close[0]
    folded = text.casefold()
    if len(folded) < _SHORTEST:
        return None
    around = [
        name
        for name in names
        if len(name) >= _SHORTEST and (folded in name.casefold() or name.casefold() in folded)
    ]
    return min(around, key=lambda name: (abs(len(name) - len(text)), name), default=None)


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or an empty string."""
    found = closest(word, choices)
    return f" (did you mean '{found}'?)" if found is not None else ""


class RememberedHints:
    """`did_you_mean` remembered per word and collection of choices, for one run that checks
    many rows against the same unchanging collections (an import of 100,000 rows with the
    same misspelt channel asks difflib once)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, int], tuple[str, Iterable[str]]] = {}

    def __call__(self, word: object, choices: Iterable[str]) -> str:
        key = (str(word), id(choices))
        found = self._found.get(key)
        if found is None or found[1] is not choices:
            # the choices are kept with the answer, so their id cannot be reused meanwhile
            found = (did_you_mean(word, choices), choices)
            self._found[key] = found
        return found[0]
