"""The PDF briefs of `cxsite serve`, rendered in the background after each rebuild.

The site is rebuilt and the open pages reload first; the briefs follow in a child process
(at a lower priority, so the next rebuild is not slowed down), each set into a new folder
under `.cxsite-cache/serve-briefs/`. Only when a set is complete does the server switch to
it, in one step: until then the site's brief links get the previous PDFs. A newer rebuild
stops the rendering of an older set. A failure is shown like a failed build.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from cxsite.charts.pool import pool_context
from cxsite.commands.check import kept_validation
from cxsite.commands.pdf import produce_briefs
from cxsite.commands.report import Reporter
from cxsite.commands.serve_paths import preview_problem
from cxsite.english import counted
from cxsite.load.asof import as_of_date
from cxsite.problems import BriefsFailed, CxError, error_boundary
from cxsite.session import Session
from cxsite.validate.project import require_valid

# What the child process needs, imported once by the fork server (when it starts it).
_MODULES = ("cxsite.commands.serve_briefs", "weasyprint")
_FAILED = "the briefs could not be built ({reason}); still serving the previous briefs"


def render_into(root: Path, stage: Path, jobs: int, reply: Connection) -> None:
    """In the child process: validate, analyse and render every brief into `stage/briefs/`,
    then send ("ok", count) or ("error", the user-facing message)."""
    os.setpgid(0, 0)  # a group of its own: stopping it stops its own workers too
    os.nice(10)  # the next rebuild of the site comes first
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for `serve`, which stops this
    try:
        with error_boundary(BriefsFailed, _FAILED):
            session = Session()
            session.new_build(as_of_date(root))
            kept_validation(root, session)
            checked = require_valid(root, strict=False, session=session)
            assert checked.project is not None  # require_valid raises on errors
            project, data = checked.project, checked.metric_data
            written = produce_briefs(project, data, stage, None, jobs, session)
        reply.send(("ok", len(written)))
    except CxError as exc:
        reply.send(("error", exc.format_message()))
    finally:
        reply.close()


def newest_set(folder: Path) -> Path | None:
    """The briefs of the newest complete set in `folder` (one an earlier `serve` left is
    served until this one has rendered its own)."""
    sets = sorted(p for p in folder.glob("[0-9]*") if (p / "briefs").is_dir())
    return sets[-1] / "briefs" if sets else None


def _stop(child: BaseProcess) -> None:
    """End `child` and the workers it started (its process group)."""
    if child.pid is None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
    except OSError:  # not yet a group of its own (or already gone): the child alone
        child.terminate()


class BackgroundBriefs:
    """Renders the briefs of the latest successful build, one set at a time."""

    def __init__(
        self,
        root: Path,
        folder: Path,
        published: Callable[[Path], int],
        failed: Callable[[str], None],
        report: Reporter,
    ):
        """`folder` holds one sub-folder per set; `published(briefs_dir)` switches the server
        to a complete set (and returns its number), `failed(message)` shows a failure."""
        self._root = root
        self._folder = folder
        self._published = published
        self._failed = failed
        self._report = report
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._wanted = 0  # sets asked for; the newest is the only one worth finishing
        self._closed = False
        self._child: BaseProcess | None = None
        self._thread = threading.Thread(target=self._run, name="cxsite-briefs", daemon=True)

    def current(self) -> Path | None:
        """The briefs of the newest complete set in the folder."""
        return newest_set(self._folder)

    def start(self) -> None:
        """Start waiting for requests; leftovers of a `serve` that was stopped are removed."""
        for stale in self._folder.glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self._thread.start()

    def request(self) -> None:
        """A build is in place: render its briefs, stopping any older set still rendering."""
        with self._lock:
            self._wanted += 1
            if self._child is not None:
                _stop(self._child)
            self._wake.notify()

    def close(self) -> None:
        """Stop rendering and waiting (when `serve` stops)."""
        with self._lock:
            self._closed = True
            if self._child is not None:
                _stop(self._child)
            self._wake.notify()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        done = 0
        while True:
            with self._lock:
                while self._wanted == done and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                done = self._wanted
            try:
                self._render(done)
            except Exception as exc:  # serve must survive anything here too
                self._report.step(f"Briefs failed: {exc}; still serving the previous briefs.")

    def _superseded(self, wanted: int) -> bool:
        with self._lock:
            return self._closed or self._wanted != wanted

    def _render(self, wanted: int) -> None:
        """Render set number `wanted` into a new folder; publish it unless superseded."""
        if self._refused():
            return
        name = f"{time.time_ns():020d}"
        stage = self._folder / f".tmp-{name}"
        stage.mkdir(parents=True)
        context = pool_context(preload=_MODULES)
        receive, send = context.Pipe(duplex=False)
        jobs = max(1, (os.cpu_count() or 1) - 1)  # a core stays with the next rebuild
        child = context.Process(
            target=render_into, args=(self._root, stage, jobs, send), name="cxsite-briefs"
        )
        try:
            with self._lock:
                if self._closed or self._wanted != wanted:
                    return
                child.start()
                self._child = child
            send.close()  # the child holds the only writer: its end is the pipe's end
            child.join()
            with self._lock:
                self._child = None
            try:
                outcome = receive.recv()
            except EOFError:  # ended without a word: stopped, or killed
                outcome = ("error", None)
            if self._superseded(wanted):
                return
            if outcome[0] != "ok":
                message = outcome[1] or _FAILED.format(
                    reason=f"the briefs process ended with code {child.exitcode}"
                )
                self._failed(message)
                self._report.step(f"Briefs failed: {message}")
                return
            if self._refused():
                return
            final = self._folder / name
            os.replace(stage, final)  # complete: it may now be served
            number = self._published(final / "briefs")
            briefs = counted(outcome[1], "PDF brief")
            self._report.step(f"Briefs rebuilt ({briefs}, set {number})")
            self._remove_old(keep=(final,))
        finally:
            receive.close()
            with contextlib.suppress(OSError):
                send.close()
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)

    def _refused(self) -> bool:
        """True (the failure shown) when the briefs' folder became unusable while `serve`
        runs (a link leading out of the project): nothing is published or removed there."""
        problem = preview_problem(self._root)
        if problem is not None:
            self._failed(problem)
            self._report.step(f"Briefs failed: {problem}")
        return problem is not None

    def _remove_old(self, keep: tuple[Path, ...]) -> None:
        """Remove the sets older than the newest, but the one just replaced: a request
        that began before the switch may still be reading from it."""
        sets = sorted(p for p in self._folder.glob("[0-9]*") if p not in keep)
        for old in sets[:-1]:
            shutil.rmtree(old, ignore_errors=True)
