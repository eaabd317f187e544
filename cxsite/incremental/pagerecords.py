"""The page records one build leaves for the next: what each page read, and its hash then.

One table holds every dependency any page read (see `depgraph.encode`) beside the hash its
value had in the build that wrote the table; each page keeps its static key and the indices
of its dependencies in the table. The next build hashes each distinct dependency once,
notes those whose hash differs, and re-uses a page only when it read none of them.

Every page's dependencies have the same values in the build that writes the table: a page
re-used as it was read values that compared equal, and a page rendered read the current ones.

A page that reads one field of an entity depends on that field only; the table also holds
the hash of each such entity as a whole, so a field of an entity whose hash is unchanged (the
same object in `serve`, a hash kept by the validation cache in a new process) is known to be
unchanged without hashing the field's value again.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Each page's dependencies are indices into the table, kept as an unsigned int array: one
# buffer to pickle, unpickle and bounds-check per page, not a tuple of Python ints.
_INDEX = "I"


@dataclass(frozen=True)
class PageRecords:
    """The dependency table with its hashes, and each page's static key and dependencies
    (sorted indices into the table)."""

    deps: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()
    pages: Mapping[str, tuple[str, array]] = field(default_factory=dict)

    # each dependency's index in the table
    position: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "position", {dep: i for i, dep in enumerate(self.deps)})

    def changed(self, value_hash: Callable[[str], str]) -> set[int]:
        """Indices of the dependencies whose value's hash now differs (or cannot be known)."""
        changed: set[int] = set()
        fields: list[tuple[int, str, str]] = []
        for index, (dep, old) in enumerate(zip(self.deps, self.hashes, strict=True)):
            whole = _entity_of(dep)
            if whole is not None:
                fields.append((index, dep, whole))
            elif not _same(value_hash, dep, old):
                changed.add(index)
        for index, dep, whole in fields:
            parent = self.position.get(whole)
            if parent is not None and parent not in changed:
                continue  # the whole entity is as it was, so is each of its fields
            if not _same(value_hash, dep, self.hashes[index]):
                changed.add(index)
        return changed

    def to_body(self) -> dict[str, Any]:
        """The records as plain picklable values (for the cache file)."""
        return {"deps": self.deps, "hashes": self.hashes, "pages": dict(self.pages)}


def _entity_of(dep: str) -> str | None:
    """For a dependency on one field of an entity, the dependency on the whole entity."""
    parts = dep.split("\x1f")
    if len(parts) != 4 or parts[2] != "field":
        return None
    return "\x1f".join((parts[0], parts[1], "get", parts[3].partition("\n")[0]))


def _same(value_hash: Callable[[str], str], dep: str, old: str) -> bool:
    # "" is the hash of a value that could not be hashed: never the same as anything
    return old != "" and _current(value_hash, dep) == old


def records_from_body(body: Any) -> PageRecords:
    """Records read back from a cache file; empty records when anything is not as written."""
    try:
        deps = tuple(body["deps"])
        hashes = tuple(body["hashes"])
        if len(deps) != len(hashes) or not all(isinstance(x, str) for x in (*deps, *hashes)):
            return PageRecords()
        size = len(deps)
        pages: dict[str, tuple[str, array]] = {}
        for path, (static, indices) in body["pages"].items():
            valid = type(indices) is array and indices.typecode == _INDEX
            if not (valid and isinstance(path, str) and isinstance(static, str)):
                return PageRecords()
            if indices and max(indices) >= size:
                return PageRecords()
            pages[path] = (static, indices)
    except (KeyError, TypeError, ValueError, AttributeError):
        return PageRecords()
    return PageRecords(deps, hashes, pages)


def make_records(
    entries: Mapping[str, tuple[str, Iterable[str]] | None],
    value_hash: Callable[[str], str],
    previous: PageRecords | None = None,
    changed: set[int] | None = None,
) -> PageRecords:
    """Records of pages given as (static key, encoded dependencies), or None for a page
    re-used as `previous` records it. `changed`: the indices of `previous`'s dependencies
    whose hash changed, the others' hashes are still current (None: none is known). Every
    other hash comes from `value_hash` (a dependency whose hash cannot be computed gets "",
    which no later hash equals).

    When the pages read nothing the previous table lacks (a text edit), the table is kept
    as it is, with the indices of every re-used page; dependencies no page reads any more
    stay in it until the table is made again."""
    previous = previous or PageRecords()
    position = previous.position
    fresh = {dep for entry in entries.values() if entry is not None for dep in entry[1]}
    if changed is not None and previous.deps and fresh.issubset(position):
        table, index = previous.deps, position
        hashes = [
            _current(value_hash, dep) if i in changed else old
            for i, (dep, old) in enumerate(zip(previous.deps, previous.hashes, strict=True))
        ]
        moved = None
    else:
        read = set(fresh)
        for path, entry in entries.items():
            if entry is None:
                read.update(previous.deps[i] for i in previous.pages[path][1])
        table, index, hashes = _table(read, value_hash, previous, changed)
        moved = [index.get(dep, -1) for dep in previous.deps]
    # Both tables are sorted, so a re-used page's indices stay sorted when moved over.
    pages: dict[str, tuple[str, array]] = {}
    for path, entry in entries.items():
        if entry is not None:
            pages[path] = (entry[0], array(_INDEX, sorted(index[dep] for dep in entry[1])))
            continue
        static, old = previous.pages[path]
        pages[path] = (static, old if moved is None else array(_INDEX, [moved[i] for i in old]))
    return PageRecords(table, tuple(hashes), pages)


def _table(
    read: set[str],
    value_hash: Callable[[str], str],
    previous: PageRecords,
    changed: set[int] | None,
) -> tuple[tuple[str, ...], dict[str, int], list[str]]:
    """A new table of the dependencies read and their entities as wholes, sorted; its index
    and hashes (those of `previous` where still current)."""
    wholes = {_entity_of(dep) for dep in read} - {None}
    table = tuple(sorted(read | wholes))  # type: ignore[operator]
    known = {}
    if changed is not None:
        known = {
            dep: old
            for i, (dep, old) in enumerate(zip(previous.deps, previous.hashes, strict=True))
            if i not in changed
        }
    hashes = [known.get(dep) or _current(value_hash, dep) for dep in table]
    return table, {dep: i for i, dep in enumerate(table)}, hashes


def _current(value_hash: Callable[[str], str], dep: str) -> str:
    try:
        return value_hash(dep)
    except (KeyError, ValueError, TypeError, AttributeError):
        return ""
