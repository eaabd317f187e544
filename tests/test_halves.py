"""Pages on two cores (halves.py): a forked helper renders every other page when many
pages are rendered and nothing else runs in the background; the output is the same.

A helper is forked only while the process has a single thread, and a pytest-xdist worker
has several: each case runs in a new Python process, as `cxsite build` does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

COMMON = """
import json, os, sys, threading
from cxsite import halves

def square_and_pid(x):
    return x * x, os.getpid()


got = {}
kept_in = set()


def keep(item, result):  # always called in this process
    got[item] = result
    kept_in.add(os.getpid())


def in_order():
    assert kept_in <= {os.getpid()}
    return [got[i] for i in range(9)]
"""

CASES = {
    "helper": """
learnt = halves.in_two(
    list(range(9)), square_and_pid, keep, workers=2, minimum=2, done=lambda: "from the helper"
)
print(json.dumps({"results": in_order(), "learnt": learnt, "me": os.getpid()}))
""",
    "failed helper": """
me = os.getpid()

def fails_elsewhere(x):
    if os.getpid() != me:
        raise RuntimeError("only in the helper")
    return square_and_pid(x)

learnt = halves.in_two(list(range(9)), fails_elsewhere, keep, workers=2, minimum=2)
print(json.dumps({"results": in_order(), "learnt": learnt, "me": me}))
""",
    "error": """
def bad(x):
    if x == 5:
        raise ValueError("item 5")
    return x

try:
    halves.in_two(list(range(9)), bad, keep, workers=2, minimum=2)
except ValueError as exc:
    print(json.dumps({"raised": str(exc), "threads": threading.active_count()}))
""",
    "one worker": """
learnt = halves.in_two(list(range(9)), square_and_pid, keep, workers=1, minimum=2,
                                done=lambda: "from the helper")
print(json.dumps({"results": in_order(), "learnt": learnt, "me": os.getpid()}))
""",
    "too few": """
learnt = halves.in_two(list(range(9)), square_and_pid, keep, workers=2, minimum=100,
                                done=lambda: "from the helper")
print(json.dumps({"results": in_order(), "learnt": learnt, "me": os.getpid()}))
""",
    "a thread": """
release = threading.Event()
other = threading.Thread(target=release.wait)
other.start()
learnt = halves.in_two(list(range(9)), square_and_pid, keep, workers=2, minimum=2,
                                done=lambda: "from the helper")
release.set()
other.join()
print(json.dumps({"results": in_order(), "learnt": learnt, "me": os.getpid()}))
""",
}


def _run(code: str, tmp_path: Path) -> dict:
    """What `code` prints (one JSON line), run in a new Python process with one thread."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr  # not even from the helper
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_helper_does_every_other_item_and_the_results_keep_their_order(
    tmp_path: Path,
) -> None:
    found = _run(COMMON + CASES["helper"], tmp_path)
    assert [value for value, _ in found["results"]] == [x * x for x in range(9)]
    pids = [pid for _, pid in found["results"]]
    assert set(pids[0::2]) == {found["me"]}
    assert len(set(pids[1::2])) == 1 and pids[1] != found["me"]
    assert found["learnt"] == "from the helper"


def test_what_a_failed_helper_could_not_do_is_done_here(tmp_path: Path) -> None:
    found = _run(COMMON + CASES["failed helper"], tmp_path)
    assert found["results"] == [[x * x, found["me"]] for x in range(9)]
    assert found["learnt"] is None


def test_an_error_is_raised_here_as_without_a_helper(tmp_path: Path) -> None:
    assert _run(COMMON + CASES["error"], tmp_path) == {"raised": "item 5", "threads": 1}


@pytest.mark.parametrize("why", ["one worker", "too few", "a thread"])
def test_no_helper_with_one_worker_few_items_or_another_thread(why: str, tmp_path: Path) -> None:
    found = _run(COMMON + CASES[why], tmp_path)
    assert {pid for _, pid in found["results"]} == {found["me"]}
    assert found["learnt"] is None


BUILDS = """
import hashlib, json, logging, os, shutil, sys
from contextlib import contextmanager
from pathlib import Path
from cxsite.cachefiles import CACHE_DIR
from cxsite.charts import pool
from cxsite.commands.build import build_site
from cxsite.resources import example_dir
from cxsite.session import Session
from cxsite import halves

os.environ["SOURCE_DATE_EPOCH"] = "1780000000"
halves.MIN_ITEMS = 2  # the helper for any number of pages
pool.FEW_CHARTS = 10_000  # charts drawn after the pages: no thread rules the helper out
said = []
halves.log.debug = lambda text, *args: said.append(text % args)


class Told:
    def __init__(self):
        self.total, self.paths = 0, []

    def step(self, message):
        pass

    @contextmanager
    def pages(self, total):
        self.total = total
        yield self.paths.append

    def problems(self, lines):
        pass


def tree(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


one, two = Path("one"), Path("two")
for folder in (one, two):
    shutil.copytree(example_dir(), folder / "project", ignore=shutil.ignore_patterns(CACHE_DIR))
serial, parallel, told = Session(), Session(), Told()
build_site(one / "project", one / "out", pdf=False, jobs=1, session=serial)
first = build_site(two / "project", two / "out", pdf=False, jobs=2, session=parallel, report=told)
same_first = tree(one / "out") == tree(two / "out")
for folder in (one, two):
    persona = sorted((folder / "project" / "personas").glob("*.yaml"))[0]
    text = persona.read_text(encoding="utf-8")
    persona.write_text(text.replace("name: ", "name: Dr ", 1), encoding="utf-8")
build_site(one / "project", one / "out", pdf=False, jobs=1, session=Session())
build_site(two / "project", two / "out", pdf=False, jobs=2, session=Session())
print(json.dumps({
    "helped": sum("by a helper process" in line for line in said),
    "same_first": same_first,
    "same_markdown": parallel.markdown == serial.markdown,
    "pages": first.pages,
    "told_total": told.total,
    "told": len(told.paths),
    "told_distinct": len(set(told.paths)),
    "same_after_edit": tree(one / "out") == tree(two / "out"),
}))
"""


def test_a_site_rendered_on_two_cores_equals_one_rendered_on_one(tmp_path: Path) -> None:
    """The example project with the helper used for any number of pages: the same bytes as
    on one core, each page told to the progress display once, the helper's Markdown
    conversions kept for the next build, and its page records good for an incremental
    build after a persona is renamed."""
    found = _run(BUILDS, tmp_path)
    assert found["helped"] == 2, found  # the first build and the incremental one
    assert found["same_first"] and found["same_markdown"] and found["same_after_edit"], found
    assert found["told_total"] == found["told"] == found["told_distinct"] == found["pages"]


READ_AHEAD = """
import json, logging, os, shutil
from pathlib import Path
from cxsite.cachefiles import CACHE_DIR
from cxsite.resources import example_dir
from cxsite.session import Session
from cxsite import halves
from cxsite.metricdata import read
from cxsite.validate import ahead, project

ahead.AHEAD_MIN_FILES = 2  # read ahead for any number of files
here = []
read_responses = read.read_responses
read.read_responses = lambda *args, **kwargs: here.append(1) or read_responses(*args, **kwargs)
said = []
halves.log.debug = lambda text, *args: said.append(text % args)
root = Path("project")
shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(CACHE_DIR))
csv = root / "data" / "pickup-csat-responses.csv"
csv.write_text(csv.read_text(encoding="utf-8").replace(",5,", ",five,", 1), encoding="utf-8")
with open(root / "metrics" / "nps.yaml", "a", encoding="utf-8") as handle:
    handle.write("colour: blue\\n")
first = sorted((root / "touchpoints").glob("*.yaml"))[0]
text = first.read_text(encoding="utf-8")
first.write_text(text.replace("channel: ", "channel: no-such-", 1), encoding="utf-8")


def checked(workers):
    here.clear()
    session = Session()
    result = project.load_project(root, session, workers)
    return {
        "problems": [p.format() for p in result.problems],
        "data": {k: repr(v) for k, v in sorted(result.metric_data.items())},
        "aggregated": sorted(map(repr, session.responses.used_items())),
        "read here": len(here),
    }


alone, helped = checked(1), checked(2)
print(json.dumps({
    "helped": [line for line in said if "by a helper process" in line],
    "read here": [alone.pop("read here"), helped.pop("read here")],
    "same": alone == helped,
    "problems": alone["problems"],
    "aggregated": len(alone["aggregated"]),
}))
"""


def test_validation_with_csvs_read_ahead_by_a_helper_finds_what_one_process_finds(
    tmp_path: Path,
) -> None:
    """`load_project(workers=2)` with many files not yet read: a forked helper aggregates
    responses CSVs while this process parses (validate/ahead.py). Every
    problem line, every metric's data and the session's tables are those of one process."""
    found = _run(READ_AHEAD, tmp_path)
    assert found["helped"] and found["helped"][0].endswith("by a helper process")
    assert found["same"] is True
    lines = found["problems"]
    assert any("pickup-csat-responses.csv" in line and "error E" in line for line in lines)
    assert any(line.startswith("metrics/nps.yaml:") and "colour" in line for line in lines)
    assert any("no-such-" in line and "error E" in line for line in lines)
    assert found["aggregated"] >= 4
    alone, helped = found["read here"]
    assert alone == found["aggregated"] and 0 < helped < alone  # the rest came from the helper
