"""Validation results kept between builds, so a one-file edit re-validates one file.

Each YAML file's parse result and validated model (with its problems, warnings included) is
kept by the SHA-256 of the file's bytes, each responses CSV's aggregate by the SHA-256 of the
CSV's bytes, the metric and the known ids (the same tables of the `Session` that a
long-running `serve` keeps in memory), and each metric's summary with the hashes of
the metric and the key of the data it was made from (re-used only for a metric with the same
hash and that very data, see analysis/analyse.py). The `repr` hashes of the entities and
summaries go along, so page records compare without a new `repr`. The cross-file checks (references,
paths, lint) always run again, so every problem is still reported on every build.

The tables are stored in 16 pickles, `.cxsite-cache/validated-NN.pickle`, each holding the
files whose project path hashes to it; a build rewrites only the shards whose entries
changed (a one-file edit: one shard). Unpickling runs code chosen by whoever wrote the file,
so a shard is loaded only when its MAC under this user's secret key verifies (see
cachefiles.py): a committed, copied or forged file is ignored (never unpickled) and its files
are validated in full.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
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
from cxsite.incremental.depgraph import repr_hash
from cxsite.metricdata.types import CommentSummary, MetricData
from cxsite.session import Session

log = logging.getLogger(__name__)

_LIMIT = 512 * 1024 * 1024


@dataclass
class ValidationCache:
    """What `restore` read, shard by shard, for `persist` to compare with."""

    signatures: dict[int, frozenset[tuple[Any, ...]]] = field(default_factory=dict)


def _key() -> bytes:
    return f"cxsite validated {tool_key()}\n".encode()


def shard_path(cache_dir: Path, shard: int) -> Path:
    """The file of one shard."""
    return cache_dir / f"validated-{shard:02d}.pickle"


def _read_shard(path: Path, session: Session) -> tuple[Any, ...] | None:
    """The unpickled body of a shard this user's cxsite wrote, else None (not unpickled)."""
    found = read_pickle(path, _key(), limit=_LIMIT)
    if found is None:
        return None  # not signed with this user's key, or another version of cxsite
    parts, stamp = found
    if not (isinstance(parts, tuple) and len(parts) == 5):
        return None
    if not all(isinstance(part, dict) for part in parts):
        return None
    session.written[path] = stamp
    return parts


def restore(session: Session, cache_dir: Path) -> ValidationCache:
    """Seed the session's tables from the cache folder (nothing from unusable shards)."""
    state = ValidationCache()
    loaded: dict[int, tuple[Any, ...]] = {}
    for shard in range(SHARDS):
        path = shard_path(cache_dir, shard)
        try:
            if session.written.get(path) == file_stamp(path):
                continue  # this process wrote or read it: its tables are already here
        except OSError:
            continue
        parts = _read_shard(path, session)
        if parts is not None and _seed(session, *parts[:4]):
            loaded[shard] = parts
    for parts in loaded.values():
        _seed_summaries(session, parts[4])
    for shard, (parsed, validated, responses, _hashes, summaries) in loaded.items():
        state.signatures[shard] = _signature(session, parsed, validated, responses, summaries)
    return state


def responses_table(session: Session) -> dict:
    """Every aggregated responses CSV of this process's table, picklable as in a shard (what
    a helper that read CSVs ahead sends back, see validate/ahead.py)."""
    return {k: (_freeze(data), found) for k, (data, found) in session.responses.items.items()}


def seed_responses(session: Session, responses: dict) -> None:
    """Put another process's `responses_table` into the session's (entries it has stay)."""
    _seed(session, {}, {}, responses, {})


def _seed(session: Session, parsed: dict, validated: dict, responses: dict, hashes: dict) -> bool:
    """Put one shard's entries into the session's tables (entries it has stay)."""
    try:
        thawed = {k: (_thaw(*data), problems) for k, (data, problems) in responses.items()}
    except (TypeError, ValueError):
        return False
    for memo, entries in (
        (session.parsed, parsed),
        (session.validated, validated),
        (session.responses, thawed),
    ):
        for key, value in entries.items():
            memo.seed(key, value)
    for key, value in hashes.items():  # the repr hashes the page records compare
        entity = (session.validated.peek(key) or (None, None))[1]
        if entity is validated.get(key, (None, None))[1] and isinstance(value, str):
            session.hashes.put(id(entity), (entity, value))
    return True


def _seed_summaries(session: Session, summaries: dict) -> None:
    """Put loaded metric summaries (and their hashes) where `analyse` looks for them: each
    beside the validated metric whose hash it was made from and the data of its key."""
    for mid, (vkey, metric_hash, data_key, summary, value) in summaries.items():
        entry = session.validated.peek(vkey)
        found = session.responses.peek(data_key) if data_key is not None else None
        if entry is None or (data_key is not None and found is None):
            continue
        metric = entry[1]
        if metric is None or repr_hash(metric, session.hashes) != metric_hash:
            continue
        if isinstance(value, str):
            session.summaries.setdefault(mid, (metric, found[0] if found else None, summary))
            if session.summaries[mid][2] is summary:
                session.hashes.put(id(summary), (summary, value))


def _signature(
    session: Session, parsed: dict, validated: dict, responses: dict, summaries: dict
) -> frozenset[tuple[Any, ...]]:
    """Which table entries (by identity) a shard holds, as they are in the tables now."""
    return frozenset(
        [
            *(("p", k, id(session.parsed.peek(k))) for k in parsed),
            *(("v", k, id(session.validated.peek(k))) for k in validated),
            *(("r", k, id(session.responses.peek(k))) for k in responses),
            *(("s", k, id(session.summaries.get(k, (0, 0, None))[2])) for k in summaries),
        ]
    )


def _freeze(data: MetricData) -> tuple[object, ...]:
    """MetricData as picklable parts (its mappings are read-only mapping proxies)."""
    breakdowns = {name: dict(by_id) for name, by_id in data.breakdowns.items()}
    segments = {name: dict(by_value) for name, by_value in data.segments.items()}
    return (
        data.metric_id,
        data.points,
        data.source,
        breakdowns,
        segments,
        dict(data.unscored),
        data.comments,
    )


def _thaw(
    metric_id: str,
    points: tuple,
    source: str,
    breakdowns: dict,
    segments: dict,
    unscored: dict,
    comments: CommentSummary | None,
) -> MetricData:
    def proxies(tables: dict) -> MappingProxyType:
        return MappingProxyType({name: MappingProxyType(dict(t)) for name, t in tables.items()})

    return MetricData(
        metric_id,
        points,
        source,  # type: ignore[arg-type]
        proxies(breakdowns),
        proxies(segments),
        MappingProxyType(dict(unscored)),
        comments,
    )


def _used(session: Session) -> list[tuple[dict, dict, dict, dict]]:
    """This build's entries, by shard: parsed, validated, responses, summaries."""
    shards: list[tuple[dict, dict, dict, dict]] = [({}, {}, {}, {}) for _ in range(SHARDS)]
    kept = set()
    for key, value in session.parsed.used_items().items():
        shards[shard_of(key[0])][0][key] = value
        kept.add(id(value[0]))
    metrics = {}
    for key, value in session.validated.items.items():
        if id(value[0]) in kept:
            shards[shard_of(key[1])][1][key] = value
            metrics[id(value[1])] = key
    data_keys = {}
    for key, value in session.responses.used_items().items():
        shards[shard_of(key[0])][2][key] = value
        data_keys[id(value[0])] = key
    for mid, (metric, data, summary) in session.summaries.items():
        vkey = metrics.get(id(metric))
        if vkey is not None and (data is None or id(data) in data_keys):
            dkey = data_keys.get(id(data))
            # beside its data when it has some: the two share their points in one pickle
            shard = shard_of(dkey[0] if dkey is not None else vkey[1])
            shards[shard][3][mid] = (vkey, dkey, summary)
    return shards


def persist(session: Session, cache_dir: Path, state: ValidationCache | None = None) -> None:
    """Store what this build validated (only the entries it used), rewriting only the shards
    whose entries differ from those `state` says were read; failures cost speed only."""
    written_at = cache_dir / "validated-written"  # a key of `session.written`, not a file
    if rewritten_lately(session.written, written_at):
        return  # a long-running process (`serve`) wrote them moments ago: only speed lost
    for shard, (parsed, validated, responses, summaries) in enumerate(_used(session)):
        path = shard_path(cache_dir, shard)
        if state is not None and state.signatures.get(shard) == _signature(
            session, parsed, validated, responses, summaries
        ):
            continue  # read from this very file and unchanged
        try:
            hashes = {
                k: repr_hash(v[1], session.hashes) for k, v in validated.items() if v[1] is not None
            }
            frozen = {k: (_freeze(data), problems) for k, (data, problems) in responses.items()}
            kept = {
                mid: (
                    vkey,
                    repr_hash(session.validated.items[vkey][1], session.hashes),
                    dkey,
                    summary,
                )
                for mid, (vkey, dkey, summary) in summaries.items()
            }
            described = {
                mid: (*entry, repr_hash(entry[3], session.hashes)) for mid, entry in kept.items()
            }
            stamp = write_pickle(path, _key(), (parsed, validated, frozen, hashes, described))
        except Exception as exc:  # something not picklable: this shard is validated again
            # next time; said in the debug log, as it hid an unpicklable summary for a day
            log.debug("validation cache: shard %d not written: %r", shard, exc)
            continue
        if stamp is not None:
            session.written[path] = stamp
    note_rewritten(session.written, written_at)
