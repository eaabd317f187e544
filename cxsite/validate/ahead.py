"""Reading a project ahead on two cores: a forked helper aggregates the larger responses
CSVs while this process parses and checks every YAML file (halves.py), for a process that
has most of the files still to read (a cold build, `cxsite check`).
"""

from __future__ import annotations

from pathlib import Path

from cxsite.halves import in_two
from cxsite.incremental import validcache
from cxsite.load.discover import EntityFile, entity_ids
from cxsite.model import Metric
from cxsite.session import Session
from cxsite.validate.crossfile import DATA_SUFFIXES, metric_data
from cxsite.validate.onefile import FileRead, read_entity_file
from cxsite.validate.paths import SafePath, check_path
from cxsite.validate.refs import Known

# Files below which reading them ahead on a second core is not worth a fork (parsing and
# checking a file takes about a millisecond, a responses CSV tens of them).
AHEAD_MIN_FILES = 200
# What reading a byte of a responses CSV costs, against a byte of YAML (measured at N=200:
# 5.1 MB of CSV in 1.2 s, 1.5 MB of YAML in 0.85 s).
CSV_BYTE_COST = 0.4


def read_ahead(root: Path, files: list[EntityFile], session: Session, workers: int) -> None:
    """Parse and check every file, and aggregate each metric's responses CSV, into the
    session's tables, with a forked helper aggregating CSVs (halves.py) while this process
    parses: the validation that follows then finds every file done. The same work as
    `_load_entities` and `metric_data` do, with their problems left for them to report.

    Only aggregates are worth sending back: a parsed and checked file costs about as much
    to pickle and unpickle as to read. So the helper takes CSVs (largest first) up to about
    half of the work, weighed in bytes; their metrics are read here first, before the fork.
    Nothing is done with one worker, fewer than AHEAD_MIN_FILES files, or half of them
    parsed already (an edit after the validation cache was read, or `serve`).
    """
    if workers < 2 or len(files) < max(AHEAD_MIN_FILES, 2 * len(session.parsed.items)):
        return
    data_ids = Known(ids=entity_ids(files), channels=()).data_ids()

    def entry(entity_file: EntityFile) -> FileRead | None:
        return read_entity_file(entity_file, session)[1]

    def read(entity_file: EntityFile) -> None:
        found = entry(entity_file)
        if found is not None and not found.partial and isinstance(found.entity, Metric):
            metric_data(root, found.entity, found.rel, found.marks, data_ids,
                        session.responses, session.digests)  # fmt: skip

    work = sum(_size(f.path) for f in files)
    csvs: dict[str, float] = {}
    for entity_file in files:
        found = entry(entity_file) if entity_file.kind == "metrics" else None
        if found is not None and not found.partial and found.entity.responses is not None:
            csv = check_path(root, found.entity.responses.file, DATA_SUFFIXES)
            if isinstance(csv, SafePath):
                csvs[entity_file.rel] = CSV_BYTE_COST * _size(csv.path)
    theirs, taken = set(), 0.0
    for rel, weight in sorted(csvs.items(), key=lambda item: (-item[1], item[0])):
        if taken + weight <= (work + sum(csvs.values())) / 2:
            theirs.add(rel)
            taken += weight
    learnt = in_two(
        files,
        read,
        lambda entity_file, nothing: None,
        workers=workers if theirs else 1,
        done=lambda: validcache.responses_table(session),
        minimum=AHEAD_MIN_FILES,
        helper_takes=lambda index, entity_file: entity_file.rel in theirs,
    )
    if learnt is not None:
        validcache.seed_responses(session, learnt)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
