"""Drawing charts while the caller does other work, and the one worker-pool policy.

`charts_in_background` starts the workers at once, draws on a waiter thread, and when the
caller has finished its own work and waits, this process draws the chunks that no worker
has started yet. One core stays with the caller while it is busy; none is idle after.
`charts_drawn` is the route every command takes to its charts (memory, checked cache
entries, then drawing). `pool_context` decides how every worker process of cxsite starts
(charts and PDF briefs): forked only while this process has a single thread.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.context import BaseContext
from pathlib import Path

from cxsite.charts.cache import (
    _read_cache,
    _write_cache,
    build_charts,
    cache_usable,
    cached_charts,
)
from cxsite.charts.jobs import ChartJob, ChartResult, job_digest
from cxsite.forks import end_with_parent
from cxsite.gcpause import collection_paused
from cxsite.halves import can_fork
from cxsite.problems import CxError
from cxsite.session import Memo

log = logging.getLogger(__name__)

Renderer = Callable[[Mapping[str, ChartJob], Path, int], ChartResult]
# Waits for the charts; its argument, if any, runs first while workers draw.
Waiter = Callable[..., ChartResult]

# Fewer missing charts than this are drawn after the pages, not in the background (about
# 0.3 s of drawing), while this process has a single thread (see `charts_drawn`).
FEW_CHARTS = 16

# What a worker started from a fork server needs to draw: imported there once, not per worker.
_DRAWING_MODULES = ("cxsite.charts.pool", "cxsite.charts.draw")


def pool_context(
    warm: Callable[[], object] | None = None, preload: Sequence[str] = ()
) -> BaseContext:
    """How the worker processes of every pool start (charts and briefs alike).

    Fork while this process has a single thread: nothing is imported again, and `warm`
    (run here first) leaves the workers with its imports. With more threads (`cxsite
    serve` rebuilds on its watcher thread while the HTTP server's threads run), forking can
    deadlock the child on a lock another thread held, so the workers come from a fork
    server (one clean process, started once, which imports `preload` first), or are
    spawned where there is none.
    """
    if can_fork():
        if warm is not None:
            warm()
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        if preload:  # only counts before the server starts (once per process)
            context.set_forkserver_preload(list(preload))
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _warm_drawing() -> None:
    # lazy: matplotlib is slow to import and only a build that draws charts needs it
    from cxsite.charts.draw import configure

    configure()


def process_pool(
    workers: int,
    warm: Callable[[], object] | None = None,
    preload: Sequence[str] = _DRAWING_MODULES,
) -> ProcessPoolExecutor:
    """A pool of `workers` processes under the one policy of every cxsite pool (charts and
    briefs): started as `pool_context` says (`warm` run here first when they are forked,
    `preload` imported by a fork server), each leaving Ctrl+C and SIGTERM to this process
    and ending when the process that started it ends (`_in_worker`)."""
    context = pool_context(warm, preload)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_in_worker)


@contextmanager
def worker_pool(
    workers: int,
    warm: Callable[[], object] | None = None,
    preload: Sequence[str] = _DRAWING_MODULES,
) -> Iterator[ProcessPoolExecutor]:
    """`process_pool` for a block: leaving it, by an error or Ctrl+C too, cancels the work
    no worker has started and waits for the workers to end."""
    pool = process_pool(workers, warm, preload)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_worker() -> None:
    """A worker's start. Ctrl+C and SIGTERM are for the process that started it, which
    cancels what is not started and ends its workers: a worker ended by a signal while it
    sent a result back left half a message in the pipe, and that process then waited for
    the rest forever (a build sent SIGTERM as a group, 1 run in 40). The worker still ends
    when that process ends, however it ends (`end_with_parent`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    end_with_parent()


def _draw_chunk(items: Sequence[tuple[str, ChartJob]], folder: Path | None) -> list[bytes]:
    return [_draw_one(item, folder) for item in items]


@dataclass(eq=False)
class _Chunk:
    items: Sequence[tuple[str, ChartJob]]
    folder: Path | None
    remote: Future
    local: Future = field(default_factory=Future)
    claimed: bool = False  # taken over by this process (its `remote` is then cancelled)


class DrawingPool:
    """Worker processes drawing chunks of charts, which this process can join (`help`)."""

    def __init__(self, workers: int):
        # Not warm: a build with every chart cached never imports matplotlib, and one that
        # draws does not import it first in the process that renders the pages.
        self._executor = process_pool(workers)
        try:  # starts every worker now (forked while there is one thread), importing matplotlib
            self._executor.submit(_warm_drawing)
        except OSError as exc:  # too many processes or open files for this machine's limits
            # the workers started so far wait for work forever: end them, or exit hangs
            # (SIGKILL: a SIGTERM that reaches a worker still returning from fork is lost)
            for process in (getattr(self._executor, "_processes", None) or {}).values():
                process.kill()
            self._executor.shutdown(wait=True, cancel_futures=True)
            raise CxError(
                f"could not start {workers} worker processes ({exc.strerror}): "
                "try fewer with --jobs"
            ) from exc
        self._lock = threading.Lock()
        self._chunks: list[_Chunk] = []
        self._failed = False

    def draw(
        self, items: Sequence[tuple[str, ChartJob]], size: int, folder: Path | None
    ) -> list[bytes]:
        """The SVG bytes of `items`, in order, drawn in chunks of `size` by whoever is free
        (and written to the cache `folder` by whoever drew them)."""
        return self.collect(self.submit(items, size, folder))

    def submit(
        self, items: Sequence[tuple[str, ChartJob]], size: int, folder: Path | None
    ) -> list[_Chunk]:
        """Hand `items` to the workers in chunks of `size`."""
        parts = [items[i : i + size] for i in range(0, len(items), size)]
        chunks = [
            _Chunk(part, folder, self._executor.submit(_draw_chunk, part, folder)) for part in parts
        ]
        with self._lock:
            self._chunks.extend(chunks)
        return chunks

    def collect(self, chunks: list[_Chunk]) -> list[bytes]:
        """The SVG bytes of submitted chunks, in order, whoever drew them."""
        out: list[bytes] = []
        try:
            for chunk in chunks:
                try:
                    out.extend(chunk.remote.result())
                except CancelledError:
                    if not chunk.claimed:
                        raise  # cancelled by `close`: the build is being abandoned
                    out.extend(chunk.local.result())
        except BaseException:
            self._failed = True
            raise
        return out

    def help(self) -> int:
        """Draw here the chunks no worker has started, the last ones first; how many."""
        with self._lock:
            chunks = self._chunks[::-1]
        drawn = 0
        for chunk in chunks:
            if self._failed:
                break
            chunk.claimed = True
            if not chunk.remote.cancel():  # a worker has it, or has drawn it
                chunk.claimed = False
                continue
            try:
                chunk.local.set_result(_draw_chunk(chunk.items, chunk.folder))
            except BaseException as exc:
                chunk.local.set_exception(exc)
                raise
            drawn += 1
        log.debug("charts: %d chunks drawn by this process", drawn)
        return drawn

    def close(self, cancel: bool) -> None:
        """End the workers, first cancelling what they have not started when `cancel`
        (the build is abandoned: a chunk this process claimed but was interrupted before
        drawing is cancelled too, or the thread collecting it would wait forever)."""
        if cancel:
            with self._lock:
                chunks = list(self._chunks)
            for chunk in chunks:
                if chunk.claimed and not chunk.local.done():
                    chunk.local.cancel()
        self._executor.shutdown(wait=True, cancel_futures=cancel)


@contextmanager
def early_pool(cache_dir: Path, workers: int, expected: int) -> Iterator[DrawingPool | None]:
    """Drawing workers started before the charts are planned, when this build will surely
    draw many: no chart was ever cached in `cache_dir` (a first or a cold build) and about
    `expected` charts (at least FEW_CHARTS) are to come. Their start (importing matplotlib,
    about 0.4 s) then overlaps the analysis, while one core would idle. None otherwise (a
    pool's threads keep pages from a forked helper). Leaving the block ends the workers,
    unless `charts_drawn` has taken and ended them."""
    try:
        cached = any((cache_dir / "charts").iterdir())
    except OSError:
        cached = False
    if workers <= 1 or cached or expected < FEW_CHARTS:
        yield None
        return
    pool = DrawingPool(workers - 1)
    try:
        yield pool
    finally:
        pool.close(cancel=True)


@contextmanager
def charts_in_background(
    draw: Callable[[Renderer], ChartResult], workers: int, early: DrawingPool | None = None
) -> Iterator[Waiter]:
    """Run `draw(render)` while the caller goes on; yield a function that waits for its result.

    `render` is `render_charts` on `workers - 1` processes (`early`'s, when given) and, once
    the caller waits, this one. With one worker nothing runs early: waiting draws the charts
    in this process. The wait first runs its `meanwhile`, if given, while workers draw (not
    with one worker: it is then not run at all). What drawing raised is raised by the wait;
    leaving the block early cancels the drawing.
    """
    if workers <= 1:
        yield lambda meanwhile=None: draw(render_charts)
        return
    pool = early or DrawingPool(workers - 1)
    waiter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxsite-charts")
    done = False

    def wait(meanwhile: Callable[[], object] | None = None) -> ChartResult:
        if meanwhile is not None:
            meanwhile()  # while the workers draw, before this process joins them
        pool.help()
        return pending.result()

    try:
        with _quick_handover():
            pending = waiter.submit(draw, partial(render_charts, pool=pool))
            yield wait
        done = True
    finally:
        if not done:
            pool.close(cancel=True)
        waiter.shutdown(wait=True)
        pool.close(cancel=False)


# While this process renders pages, the threads that take a worker's charts off the pipe
# and hand it its next chunk wait for the GIL: at Python's 5 ms switch interval the worker
# of a cold N=200 build sat idle for 0.7-0.9 s in all, at 0.5 ms for about 0.1 s, and the
# build took 14.8 s instead of 16.7 s (medians of 5 alternating cold builds).
_HANDOVER_INTERVAL = 0.0005


@contextmanager
def _quick_handover() -> Iterator[None]:
    """Python's thread switch interval at most `_HANDOVER_INTERVAL` inside, as before after."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, _HANDOVER_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@contextmanager
def charts_drawn(
    jobs: Mapping[str, ChartJob],
    cache_dir: Path,
    workers: int,
    svgs: Memo[str, tuple[bytes, list[int]]],
    *,
    complete: bool = True,
    early: DrawingPool | None = None,
) -> Iterator[Waiter]:
    """The charts of `jobs`, by the one route of `build`, `pdf` and `serve`: held in memory
    or cache entries an earlier build checked (`cached_charts`), the rest read from the
    cache or drawn (`render_charts`) in the background (on `early`'s workers if given).
    Yields a function that waits for them. `complete`: `jobs` are all the project's charts
    (not only the briefs' few)."""
    cached = cached_charts(jobs, cache_dir, svgs)
    missing = len(jobs) - len(cached.known)  # workers are started only when one is missing
    # While this process has a single thread (`cxsite build`), a few missing charts wait
    # until the caller is done, so that a forked helper can render pages on the other core
    # meanwhile (halves.py); a background pool would start a thread and rule it out.
    background = missing >= FEW_CHARTS or (missing > 0 and not can_fork())

    def draw(render: Renderer) -> ChartResult:
        return build_charts(jobs, cached, cache_dir, workers, render, svgs, complete=complete)

    with charts_in_background(
        draw, workers if background else 1, early if background else None
    ) as drawn:
        yield drawn


def _draw_one(item: tuple[str, ChartJob], folder: Path | None = None) -> bytes:
    """One chart's SVG from (job digest, job), written to the cache `folder` where it was
    drawn: the workers share the writing, and the build does not end writing them all."""
    # lazy: matplotlib is slow to import; only the processes that draw import it
    from cxsite.charts.draw import draw

    # A figure is a web of reference cycles (artists, axes, transforms): collections
    # while it is drawn would walk its live objects again and again (a tenth of the
    # drawing time); one young collection after it frees them all, walking each once.
    with collection_paused(young_after=True):
        data = draw(item[1])
    if folder is not None:
        _write_cache(folder / f"{item[0]}.svg", data)
    return data


def _draw_many(
    items: Sequence[tuple[str, ChartJob]],
    workers: int,
    folder: Path | None,
    pool: DrawingPool | None = None,
) -> list[bytes]:
    if pool is None and (workers <= 1 or len(items) < 2):
        return [_draw_one(item, folder) for item in items]
    # Small chunks: a worker that shares its core with other work still finishes with the
    # others, and this process can take over the chunks no worker has started.
    chunk = max(1, min(4, len(items) // (max(workers, 1) * 8)))
    if pool is not None:
        return pool.draw(items, chunk, folder)
    with worker_pool(min(workers, len(items)), _warm_drawing) as own:
        return list(own.map(partial(_draw_one, folder=folder), items, chunksize=chunk))


def render_charts(
    jobs: Mapping[str, ChartJob],
    cache_dir: Path,
    workers: int | None,
    pool: DrawingPool | None = None,
) -> ChartResult:
    """Draw every job to SVG, taking unchanged charts from `<cache_dir>/charts/<digest>.svg`.

    Misses are drawn in `workers` processes (None or <= 0: all cores), each writing back
    to the cache what it drew (or on `pool`, see `cxsite.charts.pool`).
    """
    if workers is None or workers <= 0:
        workers = os.cpu_count() or 1
    folder = Path(cache_dir) / "charts"
    usable = cache_usable(Path(cache_dir))
    keys = sorted(jobs)
    digests = {key: job_digest(jobs[key]) for key in keys}
    svgs: dict[str, bytes] = {}
    todo: dict[str, ChartJob] = {}  # digest -> job; identical jobs are drawn once
    for key in keys:
        hit = _read_cache(folder / f"{digests[key]}.svg", jobs[key]) if usable else None
        if hit is None:
            todo.setdefault(digests[key], jobs[key])
        else:
            svgs[key] = hit
    cached = len(svgs)
    # big charts first, so no worker is left drawing a heatmap alone at the end
    items = sorted(todo.items(), key=lambda item: (-len(repr(item[1].data)), item[0]))
    if usable and items:  # there while drawing, as the entries will be (or not: see below)
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
    made = _draw_many(items, workers, folder if usable else None, pool)
    drawn = dict(zip([d for d, _ in items], made, strict=True))
    unwritten = [d for d in drawn if usable and not (folder / f"{d}.svg").is_file()]
    if unwritten:  # a read-only checkout or a full disk: said once, not once per chart
        log.warning(
            "could not write %d of %d charts to the cache %s: they are drawn again next time",
            len(unwritten),
            len(drawn),
            folder,
        )
    for key in keys:
        if key not in svgs:
            svgs[key] = drawn[digests[key]]
    log.debug("charts: %d drawn, %d from the cache", len(drawn), cached)
    return ChartResult(svgs={k: svgs[k] for k in keys}, rendered=len(drawn), cached=cached)
