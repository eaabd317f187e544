"""Pages on two cores (site/halves.py): a forked helper renders every other page when many
pages are rendered and nothing else runs in the background; the output is the same."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from cxsite.cachefiles import CACHE_DIR
from cxsite.charts import pool
from cxsite.commands.build import build_site
from cxsite.resources import example_dir
from cxsite.session import Session
from cxsite.site import halves


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def test_a_helper_does_every_other_item_and_the_results_keep_their_order() -> None:
    results, learnt = halves.in_two(
        list(range(9)), _square_and_pid, workers=2, minimum=2, done=lambda: "from the helper"
    )
    assert [value for value, _ in results] == [x * x for x in range(9)]
    pids = [pid for _, pid in results]
    assert set(pids[0::2]) == {os.getpid()}
    assert len(set(pids[1::2])) == 1 and pids[1] != os.getpid()
    assert learnt == "from the helper"


def test_what_a_failed_helper_could_not_do_is_done_here() -> None:
    me = os.getpid()

    def fails_elsewhere(x: int) -> tuple[int, int]:
        if os.getpid() != me:
            raise RuntimeError("only in the helper")
        return _square_and_pid(x)

    results, learnt = halves.in_two(list(range(9)), fails_elsewhere, workers=2, minimum=2)
    assert results == [(x * x, me) for x in range(9)] and learnt is None


def test_an_error_is_raised_here_as_without_a_helper() -> None:
    def bad(x: int) -> int:
        if x == 5:
            raise ValueError("item 5")
        return x

    with pytest.raises(ValueError, match="item 5"):
        halves.in_two(list(range(9)), bad, workers=2, minimum=2)


@pytest.mark.parametrize("why", ["one worker", "too few", "a thread"])
def test_no_helper_with_one_worker_few_items_or_another_thread(why: str) -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    if why == "a thread":
        other.start()
    try:
        results, learnt = halves.in_two(
            list(range(9)),
            _square_and_pid,
            workers=1 if why == "one worker" else 2,
            minimum=100 if why == "too few" else 2,
            done=lambda: "from the helper",
        )
    finally:
        release.set()
        if other.is_alive():
            other.join()
    assert {pid for _, pid in results} == {os.getpid()} and learnt is None


class _Told:
    """A reporter that keeps the pages it is told of."""

    def __init__(self) -> None:
        self.total = 0
        self.paths: list[str] = []

    def step(self, message: str) -> None:
        pass

    @contextmanager
    def pages(self, total: int) -> Iterator[Callable[[str], None]]:
        self.total = total
        yield self.paths.append

    def problems(self, lines: Sequence[str]) -> None:
        pass


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_site_rendered_on_two_cores_equals_one_rendered_on_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example project with the helper used for any number of pages (and its charts
    drawn after them, so no thread rules the helper out): the same bytes as on one core,
    the helper's Markdown conversions kept for the next build, and the page records it
    made good for an incremental build."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    monkeypatch.setattr(halves, "MIN_ITEMS", 2)
    monkeypatch.setattr(pool, "FEW_CHARTS", 10_000)  # charts after the pages, no thread
    said: list[str] = []
    real = halves.log.debug
    monkeypatch.setattr(halves.log, "debug", lambda text, *args: said.append(text % args))
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        shutil.copytree(example_dir(), folder / "project", ignore=shutil.ignore_patterns(CACHE_DIR))
    serial, parallel = Session(), Session()
    build_site(one / "project", one / "out", pdf=False, jobs=1, session=serial)
    told = _Told()
    summary = build_site(
        two / "project", two / "out", pdf=False, jobs=2, session=parallel, report=told
    )
    assert any("by a helper process" in line for line in said), said
    assert told.total == summary.pages and sorted(told.paths) == sorted(set(told.paths))
    assert len(told.paths) == summary.pages  # each page told once, by this process
    assert _tree(two / "out") == _tree(one / "out")
    assert parallel.markdown == serial.markdown
    for folder in (one, two):
        persona = next((folder / "project" / "personas").glob("*.yaml"))
        text = persona.read_text(encoding="utf-8")
        persona.write_text(text.replace("name: ", "name: Dr ", 1), encoding="utf-8")
    build_site(one / "project", one / "out", pdf=False, jobs=1, session=Session())
    again = build_site(two / "project", two / "out", pdf=False, jobs=2, session=Session())
    assert _tree(two / "out") == _tree(one / "out")
    assert again.pages == summary.pages
    monkeypatch.setattr(halves.log, "debug", real)
