"""The session's memos kept between builds: Markdown conversions, the per-entity parts of
`data/cx.json`, each entity's search documents and the compiled templates.

They are stored in 16 signed pickles, `.cxsite-cache/memo-NN.pickle`, each holding the
entries whose key hashes to it; a build rewrites only the shards whose entries differ from
those it read (a one-file edit: one or two of them, not all 15 MB). A memo only saves
time: a missing or damaged shard means its entries are made again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from cxsite.cachefiles import (
    SHARDS,
    file_stamp,
    note_rewritten,
    read_pickle,
    rewritten_lately,
    shard_of,
    write_pickle,
)
from cxsite.incremental.buildcache import tool_key
from cxsite.session import Session

_TABLES = ("markdown", "cxjson", "search", "templates")
_UNSHARDED = "memo.pickle"  # all memos in one file, as cxsite wrote them until 28 Nov 2026


def _head() -> bytes:
    return f"cxsite memos {tool_key()}\n".encode()


def shard_path(cache_dir: Path, shard: int) -> Path:
    """The file of one shard."""
    return cache_dir / f"memo-{shard:02d}.pickle"


def _signature(body: dict[str, Any]) -> frozenset[tuple[Any, ...]]:
    """What a shard holds: its keys (each names its value) and each template's checksum."""
    return frozenset(
        [
            *(("m", kind, text) for kind, table in body["markdown"].items() for text in table),
            *(("j", key) for key in body["cxjson"]),
            *(("s", key) for key in body["search"]),
            *(("t", name, entry[0]) for name, entry in body["templates"].items()),
        ]
    )


def _valid(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and all(isinstance(body.get(name), dict) for name in _TABLES)
        and all(isinstance(table, dict) for table in body["markdown"].values())
    )


def load_memos(session: Session, cache_dir: Path) -> None:
    """Seed the session's memos from the cache folder (nothing from an unusable shard)."""
    # lazy: Markdown is slow to import, and an up-to-date build reads no memos
    from cxsite.render.markup import memo_import

    for shard in range(SHARDS):
        path = shard_path(cache_dir, shard)
        kept = session.written.get(path)
        if kept is not None and kept[0] == file_stamp(path):
            continue  # this process wrote or read that file: its memos are already here
        found = read_pickle(path, _head())
        if found is None or not _valid(found[0]):
            continue
        body, stamp = found
        memo_import(session.markdown, body["markdown"])
        for memo, name in ((session.json_fragments, "cxjson"), (session.search_docs, "search")):
            for key, value in body[name].items():
                memo.seed(key, value)
        for key, value in body["templates"].items():
            session.templates.setdefault(key, value)
        session.written[path] = (stamp, _signature(body))


def _bodies(session: Session) -> list[dict[str, Any]]:
    """This build's memos, by shard."""
    bodies: list[dict[str, Any]] = [
        {"markdown": {kind: {} for kind in session.markdown}, **{n: {} for n in _TABLES[1:]}}
        for _ in range(SHARDS)
    ]
    for kind, table in session.markdown.items():
        for text, html in table.items():
            bodies[shard_of(text)]["markdown"][kind][text] = html
    for memo, name in ((session.json_fragments, "cxjson"), (session.search_docs, "search")):
        for key, value in memo.used_items().items():
            bodies[shard_of(key)][name][key] = value
    for key, value in session.templates.items():
        bodies[shard_of(key)]["templates"][key] = value
    return bodies


def save_memos(session: Session, cache_dir: Path) -> None:
    """Persist the session's memos for the next build, rewriting only the shards whose
    entries changed; a failure to write only costs speed."""
    written_at = cache_dir / "memo-written"  # a key of `session.written`, not a file
    if rewritten_lately(session.written, written_at):
        return  # a long-running process (`serve`) wrote them moments ago
    for shard, body in enumerate(_bodies(session)):
        path = shard_path(cache_dir, shard)
        signature = _signature(body)
        kept = session.written.get(path)
        if kept is not None and kept[1] == signature and kept[0] == file_stamp(path):
            continue  # the file holds exactly these entries
        stamp = write_pickle(path, _head(), body)
        if stamp is not None:
            session.written[path] = (stamp, signature)
    note_rewritten(session.written, written_at)
    with contextlib.suppress(OSError):
        (cache_dir / _UNSHARDED).unlink(missing_ok=True)  # 15 MB no build reads any more
