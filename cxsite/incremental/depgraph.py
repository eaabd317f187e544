"""Which values each page reads: recording views of the project, the analysis and the charts.

Templates see `project`, `analysis` and `charts` through these views. Every read is noted as
a dependency (root, attribute, how, key); `Resolver` later turns a dependency into a hash of
the value it denotes in the current build, so a page is re-used only when everything it read
is unchanged. Whole-collection reads (a loop, `length`, a filter) depend on the whole
collection; a lookup by id depends on that one entity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from cxsite.session import Memo

# (root, attribute, how, key); how: "get" (one item), "has" (membership), "all" (the whole
# collection), "value" (a plain attribute), "field" (key "<id>\n<field>": one field of an entity)
Dep = tuple[str, str, str, str]

_MISSING = object()


class Recorder:
    """The set of dependencies of the page being rendered (None: not recording)."""

    def __init__(self) -> None:
        self.deps: set[Dep] | None = None

    def note(self, dep: Dep) -> None:
        """Remember one read (only while a page renders)."""
        if self.deps is not None:
            self.deps.add(dep)


class RecordingMapping(Mapping):
    """A read-only dict that notes every lookup, membership test and full read."""

    def __init__(
        self, data: Mapping, recorder: Recorder, root: str, attr: str, entities: bool = False
    ):
        self._data = data
        self._recorder = recorder
        self._root = root
        self._attr = attr
        self._entities = entities

    def _key(self, how: str, key: Any) -> None:
        if isinstance(key, str):
            self._recorder.note((self._root, self._attr, how, key))
        else:  # a key JSON cannot hold: depend on the whole collection
            self._all()

    def _all(self) -> None:
        self._recorder.note((self._root, self._attr, "all", ""))

    def _item(self, key: Any, value: Any) -> Any:
        if self._entities and isinstance(key, str) and "\n" not in key:
            # An entity looked up by id: depend on the fields the page reads, not on all of it.
            self._recorder.note((self._root, self._attr, "has", key))
            return EntityView(value, self._recorder, self._root, self._attr, key)
        self._key("get", key)
        return value

    def __getitem__(self, key: Any) -> Any:
        return self._item(key, self._data[key])

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self._data:
            return self._item(key, self._data[key])
        self._key("has", key)
        return default

    def __contains__(self, key: object) -> bool:
        self._key("has", key)
        return key in self._data

    def _keys(self) -> None:
        # Entity collections: a loop depends on the ids (and then on the fields it reads).
        how = "keys" if self._entities else "all"
        self._recorder.note((self._root, self._attr, how, ""))

    def _view(self, key: Any, value: Any) -> Any:
        if self._entities and isinstance(key, str) and "\n" not in key:
            return EntityView(value, self._recorder, self._root, self._attr, key)
        return value

    def __iter__(self) -> Iterator:
        self._keys()
        return iter(self._data)

    def __len__(self) -> int:
        self._keys()
        return len(self._data)

    def keys(self):  # type: ignore[override]
        self._keys()
        return self._data.keys()

    def values(self):  # type: ignore[override]
        self._keys()
        return [self._view(k, v) for k, v in self._data.items()]

    def items(self):  # type: ignore[override]
        self._keys()
        return [(k, self._view(k, v)) for k, v in self._data.items()]

    def __bool__(self) -> bool:
        self._keys()
        return bool(self._data)

    def __eq__(self, other: object) -> bool:
        self._all()
        return self._data == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._all()
        return repr(self._data)


class EntityView:
    """One entity (a persona, a touchpoint...) whose field reads are noted one by one."""

    def __init__(self, target: Any, recorder: Recorder, root: str, attr: str, key: str):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_note", (recorder, root, attr, key))

    def __getattr__(self, name: str) -> Any:
        recorder, root, attr, key = self._note
        recorder.note((root, attr, "field", f"{key}\n{name}"))
        return getattr(self._target, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("read-only view")

    def __eq__(self, other: object) -> bool:
        recorder, root, attr, key = self._note
        recorder.note((root, attr, "get", key))
        return self._target == (other._target if isinstance(other, EntityView) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        recorder, root, attr, key = self._note
        recorder.note((root, attr, "get", key))
        return repr(self._target)

    __str__ = __repr__


class RecordingObject:
    """An object (the project, the analysis) whose attribute reads are noted."""

    def __init__(self, target: Any, recorder: Recorder, root: str):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_recorder", recorder)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_views", {})

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if isinstance(value, Mapping):
            views = self._views
            if name not in views:
                entities = self._root == "project" and name != "sources"
                views[name] = RecordingMapping(value, self._recorder, self._root, name, entities)
            return views[name]
        self._recorder.note((self._root, name, "value", ""))
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("read-only view")

    def __repr__(self) -> str:
        self._recorder.note((self._root, "", "value", ""))
        return repr(self._target)


def _h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _frozen(value: Any) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    if params is not None:
        return bool(params.frozen)
    config = getattr(type(value), "model_config", None)
    return isinstance(config, dict) and bool(config.get("frozen"))


def repr_hash(value: Any, memo: Memo[int, tuple[Any, str]] | None = None) -> str:
    """`_h(repr(value))`, remembered by identity in `memo` (a session's `hashes`) for frozen
    models and dataclasses, the object kept beside its hash so its id cannot be re-used: a
    long-running process gets the same objects back for unchanged files and metrics, so
    their (large) reprs are not computed again on every rebuild."""
    if memo is None:
        return _h(repr(value))
    found = memo.get(id(value))  # noted as used: kept for the next build (Session.new_build)
    if found is not None and found[0] is value:  # only frozen values are ever kept
        return found[1]
    if not _frozen(value):
        return _h(repr(value))
    return memo.put(id(value), (value, _h(repr(value))))[1]


def parts_hash(parts: tuple[Any, ...], memo: Memo[int, tuple[Any, str]] | None = None) -> str:
    """A hash of what something is made from: each text as it is, each other part by its
    `repr_hash` (unchanged entities are not turned into text again in `serve`)."""
    return _h("\x1e".join(p if isinstance(p, str) else repr_hash(p, memo) for p in parts))


def mapping_hash(value: Mapping[Any, Any], memo: Memo[int, tuple[Any, str]] | None = None) -> str:
    """A hash of a mapping's keys and values, in order (each value via `_item_hash`)."""
    return _h("\x1e".join(f"{key!r}\x1d{_item_hash(item, memo)}" for key, item in value.items()))


def _item_hash(item: Any, memo: Memo[int, tuple[Any, str]] | None) -> str:
    """`repr_hash`, except that a tuple or list is hashed from its items' hashes: the same
    frozen value in the lists of many pages (a pain shown on every touchpoint it touches)
    is turned into text once, not once per page."""
    if type(item) in (tuple, list):
        return _h(type(item).__name__ + "\x1f".join(_item_hash(x, memo) for x in item))
    if type(item) is str:  # an id: its repr, hashed with the rest (a quote: never a hash)
        return repr(item)
    return repr_hash(item, memo)


class Resolver:
    """Hashes of the current values of dependencies, each computed once per build."""

    def __init__(self, roots: Mapping[str, Any], hashes: Memo[int, tuple[Any, str]] | None = None):
        self._roots = roots
        self._hashes = hashes
        self._memo: dict[str, str] = {}

    def value_hash(self, dep: str) -> str:
        """The hash of what `dep` (see `encode`) denotes now (a missing entity: "missing")."""
        found = self._memo.get(dep)
        if found is not None:
            return found
        parts = dep.split("\x1f")
        if len(parts) != 4:
            raise ValueError(f"not a dependency: {dep!r}")
        root, attr, how, key = parts
        target = self._roots[root]
        if attr == "":
            result = _h(repr(target))
        else:
            value = getattr(target, attr, _MISSING)
            if how == "value" or not isinstance(value, Mapping):
                # by item: a tuple of summaries hashes each one once (by identity)
                result = (
                    _h(f"{how}:{_item_hash(value, self._hashes)}")
                    if value is not _MISSING
                    else "missing"
                )
            elif how == "all":
                result = mapping_hash(value, self._hashes)
            elif how == "keys":
                result = _h(repr(list(value)))
            elif how == "has":
                result = "yes" if key in value else "no"
            elif how == "field":
                eid, _, name = key.partition("\n")
                item = value.get(eid, _MISSING)
                field = getattr(item, name, _MISSING) if item is not _MISSING else _MISSING
                result = repr_hash(field, self._hashes) if field is not _MISSING else "missing"
            else:
                item = value.get(key, _MISSING)
                result = repr_hash(item, self._hashes) if item is not _MISSING else "missing"
        self._memo[dep] = result
        return result


def encode(dep: Dep) -> str:
    """One dependency as a string, compact in the cache file (see `Resolver.value_hash`)."""
    return "\x1f".join(dep)
