"""Everything one process keeps for one project between builds: `cxsite build` makes a
`Session`, `cxsite serve` keeps one for its lifetime, a test makes a new one where it means
"a new process". A leaf module: the tables hold other modules' values without importing them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A bounded table of results by key that notes which keys the current build used.

    When full it starts again empty: a cache miss costs only time, and the limits are far
    above what a build of a large project uses.
    """

    def __init__(self, limit: int) -> None:
        self.items: dict[K, V] = {}
        self.used: set[K] = set()
        self.limit = limit

    def get(self, key: K) -> V | None:
        """The value kept for `key` (noted as used by this build), or None."""
        self.used.add(key)
        return self.items.get(key)

    def peek(self, key: K) -> V | None:
        """The value kept for `key`, without noting it as used."""
        return self.items.get(key)

    def put(self, key: K, value: V) -> V:
        """Keep `value` for `key` and return it."""
        if len(self.items) >= self.limit and key not in self.items:
            self.items.clear()
        self.used.add(key)
        self.items[key] = value
        return value

    def seed(self, key: K, value: V) -> None:
        """Keep `value` from a persistent cache unless a value is kept already (not used)."""
        if key not in self.items and len(self.items) < self.limit:
            self.items[key] = value

    def keep_used(self) -> None:
        """Forget the entries the current build did not look up (it starts the next one)."""
        self.items = {k: v for k, v in self.items.items() if k in self.used}
        self.used = set()

    def used_items(self) -> dict[K, V]:
        """The entries the current build looked up: what the persistent caches keep."""
        return {k: v for k, v in self.items.items() if k in self.used}

    def clear(self) -> None:
        """Forget everything."""
        self.items.clear()
        self.used.clear()


def _markdown_tables() -> dict[str, dict[str, str]]:
    return {"md": {}, "inline": {}, "plain": {}}


@dataclass(eq=False)
class Session:
    """The in-process caches of one project, each keyed so a stale entry is never used.

    - `parsed`: YAML files by (path, SHA-256 of the bytes) -> (loaded, problems)
    - `validated`: models by (model, path, id) -> (loaded, model, problems)
    - `responses`: aggregated responses CSVs by what they depend on
    - `digests`: SHA-256 (and git blob id, once asked for) of project files by path, kept
      with their stat figures
    - `summaries`: metric summaries by metric id -> (metric, data, summary), identity-checked
    - `analyses`: analysis parts by name -> (the objects they were made from, result)
    - `hashes`: value hashes of immutable objects by `id()`, with the object kept alive
    - `svgs`: chart SVGs by job digest -> (bytes, stat of the cache entry)
    - `json_fragments`: cx.json text per entity, by a key of what it depends on
    - `search_docs`: each entity's search documents as JSON, by a key of what they show
    - `markdown`: Markdown conversions by kind ("md", "inline", "plain") and text
    - `glyphs`: the characters beyond ASCII of a project file, by the SHA-256 of its bytes
      (what the PDF briefs' fonts are asked about, briefs/glyphs.py)
    - `templates`: compiled Jinja templates by name -> (checksum, code)
    - `written`: what this process last wrote or read of each cache file (path -> state)
    - `versions`: the project at a git revision, validated and analysed, by revision and date
    - `history`: the git history last read, with the HEAD, folder and files it was read for
    - `living`: this build's git data (last changes, changes since a revision), or None
    - `made`: what the last build made (its project, analysis, pages), kept only with
      `keep_made`: a process that ends right after its build (`cxsite build`, see
      `cli.end_now`) then leaves without freeing them object by object; a long-running one
      (`serve`, the build server) frees them as soon as the build returns
    """

    parsed: Memo[Any, Any] = field(default_factory=lambda: Memo(50_000))
    validated: Memo[Any, Any] = field(default_factory=lambda: Memo(50_000))
    responses: Memo[Any, Any] = field(default_factory=lambda: Memo(2_000))
    digests: Memo[str, tuple[tuple[int, ...], bytes, str | None]] = field(
        default_factory=lambda: Memo(100_000)
    )
    summaries: dict[str, Any] = field(default_factory=dict)
    analyses: dict[str, Any] = field(default_factory=dict)
    hashes: Memo[int, tuple[Any, str]] = field(default_factory=lambda: Memo(200_000))
    svgs: Memo[str, tuple[bytes, list[int]]] = field(default_factory=lambda: Memo(20_000))
    json_fragments: Memo[str, str] = field(default_factory=lambda: Memo(500_000))
    search_docs: Memo[str, tuple[str, ...]] = field(default_factory=lambda: Memo(100_000))
    markdown: dict[str, dict[str, str]] = field(default_factory=_markdown_tables)
    glyphs: Memo[bytes, str] = field(default_factory=lambda: Memo(100_000))
    templates: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    written: dict[Path, Any] = field(default_factory=dict)
    versions: Memo[Any, Any] = field(default_factory=lambda: Memo(16))
    history: Any = None
    as_of: dt.date | None = None
    living: Any = None
    made: tuple[Any, ...] = ()
    keep_made: bool = False

    def new_build(self, as_of: dt.date | None = None) -> None:
        """Start a build: no key counts as used yet; `as_of` is this build's date."""
        for memo in (
            self.parsed,
            self.validated,
            self.responses,
            self.digests,
            self.svgs,
            self.json_fragments,
        ):
            memo.used.clear()
        self.search_docs.keep_used()  # in this process only: the last build's are enough
        # Hashes are kept by object: the last build's values come back when unchanged, any
        # older ones are gone for good (a long `serve` would keep every build's analysis).
        self.hashes.keep_used()
        self.as_of = as_of
        self.living = None
