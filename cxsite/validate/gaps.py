"""What validation could not read (validate/partial.py): the places of a file a partial
model dropped or stood in for, so that lint and the cross-file checks stay silent there.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DataPath = tuple[Any, ...]
FileGaps = Collection[DataPath]  # the places of one file a partial model could not read
ITEM = "[item]"  # the last part of a gap where a list item was dropped


@dataclass(frozen=True)
class Gaps:
    """What validation could not read: per file, places in its partial model (a dropped key,
    `ITEM` for a dropped list item, a stand-in key); and the kinds with a file not read at all
    (`cxsite` for the config)."""

    places: Mapping[str, frozenset[DataPath]] = field(default_factory=dict)
    unread: frozenset[str] = frozenset()

    def at(self, rel: str, *query: Any) -> bool:
        """Whether something at, under or above `query` in file `rel` was not read.

        A None in `query` stands for any key or index: ('stages', None, 'emotion').
        """
        return any(_overlaps(gap, query) for gap in self.places.get(rel, ()))

    def add(self, rel: str, place: DataPath) -> Gaps:
        """These gaps and one more place of file `rel`."""
        places = {**self.places, rel: self.places.get(rel, frozenset()) | {place}}
        return Gaps(places, self.unread)

    def anywhere(self, kind: str, *query: Any) -> bool:
        """`at` for every file of a kind; true as well when one of them was not read at all."""
        if kind in self.unread:
            return True
        return any(self.at(rel, *query) for rel in self.places if rel.startswith(f"{kind}/"))


def _overlaps(gap: DataPath, query: DataPath) -> bool:
    return all(q is None or g == q for g, q in zip(gap, query, strict=False))


def mapping_keys(mapping: Mapping[Any, Any], gaps: Iterable[DataPath], *path: Any) -> list[Any]:
    """The keys of the mapping at `path` of a model, with those of its entries a partial
    model dropped for their value (`gaps`): those keys were read and are still checked."""
    dropped = [
        gap[-1]
        for gap in gaps
        if len(gap) == len(path) + 1
        and gap[:-1] == path
        and type(gap[-1]) is str
        and gap[-1] != ITEM
    ]
    return [*mapping, *(key for key in dropped if key not in mapping)]
