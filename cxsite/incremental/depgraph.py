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

# A dependency is one string "root\x1fattribute\x1fhow\x1fkey" (compact in the cache
# file, and made by one concatenation per read); how: "get" (one item), "has" (membership),
# "all" (the whole collection), "value" (a plain attribute), "keys" (an entity collection's
# ids), "field" (key "<id>\n<field>": one field of an entity). See `Resolver.value_hash`.
_SEP = "\x1f"

_MISSING = object()


class Recorder:
    """The set of dependencies of the page being rendered (None: not recording)."""

    def __init__(self) -> None:
        self.deps: set[str] | None = None

    def note(self, dep: str) -> None:
        """Remember one read (only while a page renders)."""
        if self.deps is not None:
            self.deps.add(dep)


def _head(root: str, attr: str, how: str) -> str:
    """The beginning of a dependency on `root.attr` read `how`, up to its key."""
    return f"{root}{_SEP}{attr}{_SEP}{how}{_SEP}"


class RecordingMapping(Mapping):
    """A read-only dict that notes every lookup, membership test and full read."""

    def __init__(
        self, data: Mapping, recorder: Recorder, root: str, attr: str, entities: bool = False
    ):
        self._data = data
        self._recorder = recorder
        self._entities = entities
        self._views: dict[str, EntityView] = {}
        self._get = _head(root, attr, "get")
        self._has = _head(root, attr, "has")
        self._field = _head(root, attr, "field")
        self._whole = _head(root, attr, "all")
        # Entity collections: a loop depends on the ids (and then on the fields it reads).
        self._loop = _head(root, attr, "keys") if entities else self._whole

    def _key(self, head: str, key: Any) -> None:
        # a key JSON cannot hold: depend on the whole collection
        self._recorder.note(head + key if isinstance(key, str) else self._whole)

    def _view(self, key: Any, value: Any) -> Any:
        """An entity's view (made once per render: pages look the same ones up again and
        again), or the value itself in any other collection."""
        if not (self._entities and isinstance(key, str) and "\n" not in key):
            return value
        view = self._views.get(key)
        if view is None:
            fields = self._field + key + "\n"
            view = self._views[key] = EntityView(value, self._recorder, fields, self._get + key)
        return view

    def _item(self, key: Any, value: Any) -> Any:
        view = self._view(key, value)
        # An entity looked up by id: depend on the fields the page reads, not on all of it.
        self._key(self._has if view is not value else self._get, key)
        return view

    def __getitem__(self, key: Any) -> Any:
        return self._item(key, self._data[key])

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self._data:
            return self._item(key, self._data[key])
        self._key(self._has, key)
        return default

    def __contains__(self, key: object) -> bool:
        self._key(self._has, key)
        return key in self._data

    def __iter__(self) -> Iterator:
        self._recorder.note(self._loop)
        return iter(self._data)

    def __len__(self) -> int:
        self._recorder.note(self._loop)
        return len(self._data)

    def keys(self):  # type: ignore[override]
        self._recorder.note(self._loop)
        return self._data.keys()

    def values(self):  # type: ignore[override]
        self._recorder.note(self._loop)
        return [self._view(k, v) for k, v in self._data.items()]

    def items(self):  # type: ignore[override]
        self._recorder.note(self._loop)
        return [(k, self._view(k, v)) for k, v in self._data.items()]

    def __bool__(self) -> bool:
        self._recorder.note(self._loop)
        return bool(self._data)

    def __eq__(self, other: object) -> bool:
        self._recorder.note(self._whole)
        return self._data == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._recorder.note(self._whole)
        return repr(self._data)


class EntityView:
    """One entity (a persona, a touchpoint...) whose field reads are noted one by one."""

    __slots__ = ("_fields", "_recorder", "_target", "_whole")

    def __init__(self, target: Any, recorder: Recorder, fields: str, whole: str):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_recorder", recorder)
        object.__setattr__(self, "_fields", fields)  # the dependency on a field, less its name
        object.__setattr__(self, "_whole", whole)  # the dependency on the whole entity

    def __getattr__(self, name: str) -> Any:
        deps = self._recorder.deps  # `Recorder.note` written out: the most frequent read
        if deps is not None:
            deps.add(self._fields + name)
        return getattr(self._target, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("read-only view")

    def __eq__(self, other: object) -> bool:
        self._recorder.note(self._whole)
        return self._target == (other._target if isinstance(other, EntityView) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._recorder.note(self._whole)
        return repr(self._target)

    __str__ = __repr__


class RecordingObject:
    """An object (the project, the analysis) whose attribute reads are noted."""

    def __init__(self, target: Any, recorder: Recorder, root: str):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_recorder", recorder)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_views", {})  # a RecordingMapping or a dependency, by name

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        views = self._views
        view = views.get(name)
        if view is None:
            if isinstance(value, Mapping):
                entities = self._root == "project" and name != "sources"
                view = RecordingMapping(value, self._recorder, self._root, name, entities)
            else:
                view = _head(self._root, name, "value")
            views[name] = view
        if type(view) is not str:
            return view
        self._recorder.note(view)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("read-only view")

    def __repr__(self) -> str:
        self._recorder.note(_head(self._root, "", "value"))
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
        """The hash of what `dep` (see `Recorder`) denotes now (a missing entity: "missing")."""
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
