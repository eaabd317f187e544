"""Validation results kept between builds, so a one-file edit re-validates one file.

Each YAML file's parse result and validated model (with its problems, warnings included) is
kept by the SHA-256 of the file's bytes, each responses CSV's aggregate by the SHA-256 of the
CSV's bytes, the metric and the known ids (see load.py, validate.py, metricdata.py: the same
tables a long-running `serve` keeps in memory), and each metric's summary with the metric
and data it was made from (analyse.py re-uses it only for those very objects). The `repr`
hashes of the entities and summaries go along, so page records compare without a new `repr`.
The cross-file checks (references, paths, lint) always run again, so every problem is still
reported on every build.

The tables are stored as one pickle in `.cxsite-cache/validated.pickle`. Unpickling runs code
chosen by whoever wrote the file, so it is loaded only when its stamp (inode, nanosecond mtime
and size, see buildcache.py) proves this machine's cxsite wrote it, and its checksum matches;
a committed, copied or forged file is ignored (never unpickled) and validation runs in full.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path
from types import MappingProxyType

from cxsite import depgraph, load, metricdata, validate

_NAME = "validated.pickle"
_LIMIT = 512 * 1024 * 1024
_EVERY = 60.0  # seconds between two writes by one process
_SEEN: dict[Path, str] = {}  # the stamp of the file as this process last wrote or read it
_WRITTEN: dict[Path, float] = {}


def _key() -> bytes:
    from cxsite.buildcache import tool_key

    return f"cxsite validated {tool_key()}\n".encode()


def load_validated(cache_dir: Path) -> None:
    """Seed the in-process tables from the cache folder (nothing when unusable)."""
    from cxsite.buildcache import _read_regular, _read_with_stat, _stamp, _stamp_path

    path = cache_dir / _NAME
    try:
        if _SEEN.get(path) == _stamp(path.lstat()):
            return  # this process wrote or read it: its tables are already here
    except OSError:
        return
    try:
        raw, info = _read_with_stat(path, limit=_LIMIT)
        if _read_regular(_stamp_path(path), limit=4096).decode("ascii") != _stamp(info):
            return  # not written here: never unpickled
    except (OSError, ValueError):
        return
    head = _key()
    check, body = raw[len(head) : len(head) + 64], raw[len(head) + 64 :]
    if not raw.startswith(head) or check != hashlib.sha256(body).hexdigest().encode():
        return
    try:
        parsed, validated, responses, hashes, summaries = pickle.loads(body)  # stamped here
    except Exception:  # a damaged file only costs speed
        return
    if not (isinstance(parsed, dict) and isinstance(validated, dict)):
        return
    if not (isinstance(responses, dict) and isinstance(hashes, dict)):
        return
    if not isinstance(summaries, dict):
        return
    try:
        thawed = {k: (_thaw(*data), problems) for k, (data, problems) in responses.items()}
    except (TypeError, ValueError):
        return
    _SEEN[path] = _stamp(info)
    # entries this process already has stay (the same objects keep their memos elsewhere)
    for table, loaded in (
        (load._PARSED, parsed),
        (validate._VALIDATED, validated),
        (metricdata._RESPONSES, thawed),
    ):
        for key, value in loaded.items():
            table.setdefault(key, value)
    for key, value in hashes.items():  # the repr hashes the page records compare
        entity = validate._VALIDATED.get(key, (None, None))[1]
        if entity is validated.get(key, (None, None))[1] and isinstance(value, str):
            depgraph._BY_ID[id(entity)] = (entity, value)
    _seed_summaries(summaries)


def _seed_summaries(summaries: dict) -> None:
    """Put the loaded metric summaries (and their hashes) where `analyse` looks for them."""
    from cxsite import analyse

    for mid, (metric, data_key, summary, value) in summaries.items():
        found = metricdata._RESPONSES.get(data_key) if data_key is not None else None
        data = found[0] if found is not None else None
        if (data_key is None) != (data is None) or not isinstance(value, str):
            continue
        analyse._SUMMARIES.setdefault(mid, (metric, data, summary))
        if analyse._SUMMARIES[mid][2] is summary:
            depgraph._BY_ID[id(summary)] = (summary, value)


def _used_summaries(validated: dict, responses: dict) -> dict:
    """The metric summaries of this build, with the key of the data each was made from."""
    from cxsite import analyse

    keys = {id(metricdata._RESPONSES[k][0]): k for k in responses}
    metrics = {id(entity) for _, entity, _ in validated.values()}
    kept = {}
    for mid, (metric, data, summary) in analyse._SUMMARIES.items():
        if id(metric) in metrics and (data is None or id(data) in keys):
            key = keys[id(data)] if data is not None else None
            kept[mid] = (metric, key, summary, depgraph.repr_hash(summary))
    return kept


def _freeze(data: metricdata.MetricData) -> tuple[object, ...]:
    """MetricData as picklable parts (its breakdowns are read-only mapping proxies)."""
    breakdowns = {name: dict(by_id) for name, by_id in data.breakdowns.items()}
    return data.metric_id, data.points, data.source, breakdowns


def _thaw(metric_id: str, points: tuple, source: str, breakdowns: dict) -> metricdata.MetricData:
    proxies = {name: MappingProxyType(dict(by_id)) for name, by_id in breakdowns.items()}
    return metricdata.MetricData(metric_id, points, source, MappingProxyType(proxies))  # type: ignore[arg-type]


def save_validated(cache_dir: Path) -> None:
    """Store what this build validated (only the entries it used); failures cost speed only."""
    from cxsite.buildcache import _stamp, _stamp_path

    path = cache_dir / _NAME
    try:
        if (
            _SEEN.get(path) == _stamp(path.lstat())
            and time.monotonic() - _WRITTEN.get(path, -_EVERY) < _EVERY
        ):
            return  # a long-running process (`serve`) wrote it moments ago: only speed lost
    except OSError:
        pass
    parsed = {k: v for k, v in load._PARSED.items() if k in load.USED_PARSED}
    kept = {id(v[0]) for v in parsed.values() if v[0] is not None}
    validated = {k: v for k, v in validate._VALIDATED.items() if id(v[0]) in kept}
    responses = {
        k: (_freeze(data), problems)
        for k, (data, problems) in metricdata._RESPONSES.items()
        if k in metricdata.USED_RESPONSES
    }
    try:
        hashes = {k: depgraph.repr_hash(v[1]) for k, v in validated.items() if v[1] is not None}
        summaries = _used_summaries(validated, responses)
        body = pickle.dumps(
            (parsed, validated, responses, hashes, summaries), protocol=pickle.HIGHEST_PROTOCOL
        )
    except Exception:  # something not picklable: no cache, a full validation next time
        return
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    stamp = _stamp_path(path)
    stamp_tmp = stamp.with_name(stamp.name + f".tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(_key() + hashlib.sha256(body).hexdigest().encode() + body)
        os.replace(tmp, path)
        stamp_tmp.write_text(_stamp(path.lstat()), encoding="ascii")
        os.replace(stamp_tmp, stamp)
        _SEEN[path] = _stamp(path.lstat())
        _WRITTEN[path] = time.monotonic()
    except OSError:
        tmp.unlink(missing_ok=True)
        stamp_tmp.unlink(missing_ok=True)
