"""`cxsite serve`: build, serve over HTTP, rebuild on change, reload open pages.

Pages get a small script (injected when served, never written into the build) that polls
`/__cxsite/status`: a new build id reloads the page; a failed build shows its error lines in
an overlay while the last good build keeps being served. The PDF briefs follow each build
in the background (serve_briefs.py), so an edit reloads the pages without waiting for them.
"""

from __future__ import annotations

import errno
import html
import json
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from cxsite.cachefiles import CACHE_DIR, usable_cache_dir
from cxsite.commands.build import build_site
from cxsite.commands.report import SILENT, ProblemsOnly, Reporter
from cxsite.commands.serve_briefs import BackgroundBriefs, newest_set
from cxsite.commands.serve_paths import GIT_EVERY, ProjectFilter, git_state, preview_problem
from cxsite.incremental.memos import load_memos
from cxsite.incremental.validcache import restore
from cxsite.load.projectroot import not_a_project
from cxsite.load.reader import load_yaml
from cxsite.problems import CxError, ValidationFailed
from cxsite.session import Session

log = logging.getLogger(__name__)

STATUS_PATH = "/__cxsite/status"
LONG_POLL = 20.0  # seconds a status request with `?since=` waits for a change at most
SCRIPT_PATH = "/__cxsite/live.js"


def live_js() -> bytes:
    """The script every served page loads: waits for the next change of the build status
    (a request the server answers when it changes), reloads on a new build, shows a failed
    build over the page (package data: a file of its own, read as JS)."""
    return files("cxsite.commands").joinpath("live.js").read_bytes()


_PLACEHOLDER = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>cxsite: build failed</title><link rel="icon" href="data:,"></head>
<body style="font-family:system-ui,sans-serif;padding:2rem">
<h1>The site could not be built yet</h1><pre>{error}</pre>
<script src="/__cxsite/live.js"></script></body></html>
"""


class LiveState:
    """The current build id and error, and the folder of the briefs being served (with the
    number of sets rendered since the start), shared by the watcher and the handlers."""

    def __init__(self, *, with_briefs: bool = False, briefs_dir: Path | None = None) -> None:
        self.lock = threading.Lock()
        # a page waits on this for the next change instead of asking again and again
        self.changed = threading.Condition(self.lock)
        self.version = 0  # counts the changes a page shows: builds, errors, briefs
        self.build = 0
        self.error: str | None = None
        self.has_site = False
        self.with_briefs = with_briefs
        self.briefs = 0
        self.briefs_dir = briefs_dir

    def _note_change(self) -> None:  # with the lock held
        self.version += 1
        self.changed.notify_all()

    def succeeded(self) -> None:
        with self.lock:
            self.build += 1
            self.error = None
            self.has_site = True
            self._note_change()

    def failed(self, error: str) -> None:
        with self.lock:
            self.error = error
            self._note_change()

    def briefs_ready(self, folder: Path) -> int:
        """Serve the briefs in `folder` from now on; the number of this set."""
        with self.lock:
            self.briefs_dir = folder
            self.briefs += 1
            self._note_change()
            return self.briefs

    def briefs_folder(self) -> Path | None:
        """Where `/briefs/...` is served from (None: no briefs yet)."""
        with self.lock:
            return self.briefs_dir

    def snapshot(self) -> dict[str, object]:
        with self.lock:
            status: dict[str, object] = {
                "build": self.build,
                "error": self.error,
                "version": self.version,
            }
            if self.with_briefs:
                status["briefs"] = self.briefs
            return status

    def after(self, version: int, timeout: float = LONG_POLL) -> dict[str, object]:
        """The status once it differs from `version` (at once if it does), or after
        `timeout` seconds: an open page hears of a new build the moment it is in place."""
        with self.lock:
            self.changed.wait_for(lambda: self.version != version, timeout)
        return self.snapshot()


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationFailed):
        lines = [p.format() for p in exc.problems if p.severity == "error"] or [
            p.format() for p in exc.problems
        ]
        return "\n".join([*lines, exc.format_message()])
    if isinstance(exc, CxError):
        return exc.format_message()
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def rebuild(
    root: Path,
    out: Path,
    state: LiveState,
    pdf: bool,
    report: Reporter = SILENT,
    session: Session | None = None,
    briefs: BackgroundBriefs | None = None,
) -> bool:
    """Build once into `out` with serve's `session`; record success (as soon as the output is
    in place, before the caches are written) or the error lines in `state`; tell `report`
    the outcome. With `briefs`, the pages link to the briefs and `briefs` renders them
    after the build."""
    problem = preview_problem(root)
    if problem is not None:  # checked before every build, not only at the start
        state.failed(problem)  # the last good build went with the folder: nothing to serve
        report.step(f"Build failed: {problem}; the pages show this error until then.")
        return False
    started = time.perf_counter()
    try:
        build_site(
            root,
            out,
            pdf=pdf,
            strict=False,
            jobs=None,
            briefs_later=briefs is not None,
            in_place=True,  # the preview: changed files only, no staged copy of the site
            report=ProblemsOnly(report),  # problem lines, but no progress of each rebuild
            built=_announce(state),
            session=session,
        )
    except Exception as exc:  # serve must survive any broken edit
        state.failed(_error_text(exc))
        # Validation already told its problem lines; anything else is shown here.
        detail = "" if isinstance(exc, ValidationFailed) else f": {_error_text(exc)}"
        took = time.perf_counter() - started
        report.step(f"Build failed in {took:.2f} s{detail}; still serving the last good build.")
        return False
    took = time.perf_counter() - started
    report.step(f"Built in {took:.2f} s (build {state.snapshot()['build']})")
    if briefs is not None:
        briefs.request()
    return True


def _announce(state: LiveState) -> Callable[[object], None]:
    """A `built` callback for `build_site` that marks the new build as served."""

    def built(_summary: object) -> None:
        state.succeeded()

    return built


class Handler(SimpleHTTPRequestHandler):
    """Static files from the build, plus the live-reload endpoints and script injection."""

    state: LiveState
    root: Path

    def __init__(self, *args, state: LiveState, root: Path, **kwargs):  # type: ignore[no-untyped-def]
        self.state = state
        self.root = root
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)

    def _send(self, body: bytes, ctype: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _file(self) -> Path | None:
        """The requested file inside the build folder, or None (also for any traversal)."""
        raw = unquote(urlsplit(self.path).path)
        if "\x00" in raw or "\\" in raw:
            return None
        parts = [p for p in raw.split("/") if p not in ("", ".")]
        if any(p == ".." or p.startswith(".") for p in parts):
            return None
        base = Path(self.directory).resolve()
        briefs = self.state.briefs_folder()
        if parts[:1] == ["briefs"] and briefs is not None:
            base, parts = briefs.resolve(), parts[1:]  # the newest complete set of briefs
        path = base.joinpath(*parts) if parts else base
        try:  # a name too long for the file system (60,000 characters) is simply not there
            if path.is_dir():
                path = path / "index.html"
            resolved = path.resolve()
            if not resolved.is_relative_to(base) or not resolved.is_file():
                return None
        except OSError:
            return None
        return resolved

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        route = urlsplit(self.path).path
        if route == STATUS_PATH:
            since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
            now = self.state.after(int(since)) if since.isdigit() else self.state.snapshot()
            self._send(json.dumps(now).encode(), "application/json")
            return
        if route == SCRIPT_PATH:
            self._send(live_js(), "text/javascript; charset=utf-8")
            return
        if not self.state.snapshot()["build"]:
            error = html.escape(str(self.state.snapshot()["error"] or "Building…"))
            self._send(_PLACEHOLDER.format(error=error).encode(), "text/html; charset=utf-8")
            return
        problem = preview_problem(self.root)
        if problem is not None:  # nothing is served from where a link leads
            page = _PLACEHOLDER.format(error=html.escape(problem)).encode()
            self._send(page, "text/html; charset=utf-8", HTTPStatus.SERVICE_UNAVAILABLE)
            return
        path = self._file()
        status = HTTPStatus.OK
        if path is None:
            status = HTTPStatus.NOT_FOUND
            path = Path(self.directory) / "404.html"
            if not path.is_file():
                self._send(b"Not found", "text/plain; charset=utf-8", status)
                return
        data = path.read_bytes()
        ctype = self.guess_type(str(path))
        if path.suffix == ".html":
            tag = f'<script src="{SCRIPT_PATH}"></script>'.encode()
            data = data.replace(b"</body>", tag + b"</body>", 1)
            ctype = "text/html; charset=utf-8"
        self._send(data, ctype, status)


def _watch(
    root: Path,
    out: Path,
    state: LiveState,
    pdf: bool,
    report: Reporter,
    events: tuple[threading.Event, threading.Event, threading.Event],
    session: Session,
    briefs: BackgroundBriefs | None = None,
) -> None:
    """Rebuild on every change (`events`: stop, watching, first build done)."""
    # lazy: watchfiles is only needed by `serve`, and imported on the watcher thread
    from watchfiles import watch

    stop, ready, started = events
    base = root.resolve()  # watched as such: the paths of changes start with it

    # yield_on_timeout: the first (empty) yield proves the watches are registered, so no edit
    # made after `serve` announces itself can be missed.
    changes_seen = watch(
        base,
        watch_filter=ProjectFilter(base, out),
        stop_event=stop,
        debounce=300,
        step=20,  # an edit is picked up 20-40 ms after it is written, not 50-100 ms
        rust_timeout=250,
        yield_on_timeout=True,
        ignore_permission_denied=True,  # a folder it may not read (a link into /proc) is skipped
    )
    warm = True
    refused = False  # the last build found the preview folder unusable: check it again
    git_seen: tuple[object, ...] | None = git_state(root)  # as the first build reads it
    git_asked = time.monotonic()
    for changes in changes_seen:
        ready.set()
        git_now = git_seen
        if not changes and started.is_set() and time.monotonic() - git_asked >= GIT_EVERY:
            git_asked = time.monotonic()
            git_now = git_state(root)  # moved by a commit, a checkout, a moved tag
        if changes or git_now != git_seen or (refused and preview_problem(root) is None):
            git_seen = git_now if git_now != git_seen else git_state(root)
            built = rebuild(root, out, state, pdf, report, session, briefs)
            refused = not built and preview_problem(root) is not None
        elif warm and started.is_set():
            warm = False  # after the first build, unless an edit came first
            _warm_caches(root, session)


def _warm_caches(root: Path, session: Session) -> None:
    """Read the persistent caches into the session while nothing changes, so the first
    rebuild after an edit does not (the first build is often skipped as up to date)."""
    cache_dir = usable_cache_dir(root) if root.is_dir() else None
    if cache_dir is not None and cache_dir.is_dir():
        load_memos(session, cache_dir)
        restore(session, cache_dir)


def serve_project(
    project: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    pdf: bool = True,
    report: Reporter = SILENT,
) -> None:
    """Build `project`, serve it on host:port, and rebuild on every change until Ctrl+C."""
    root = Path(project)
    if not (root / "cxsite.yaml").is_file():
        raise CxError(not_a_project(root))
    problem = preview_problem(root)
    if problem is not None:  # a `.cxsite-cache` committed as a link would be written through
        raise CxError(problem)
    out, folder = root / CACHE_DIR / "serve", root / CACHE_DIR / "serve-briefs"
    state = LiveState(with_briefs=True, briefs_dir=newest_set(folder)) if pdf else LiveState()
    # before the first build: a busy port fails at once
    server = _bind(state, root, out, host, port)
    bound_host, bound_port = server.server_address[:2]
    report.step(
        f"Serving {_project_name(root)} on http://{bound_host}:{bound_port}/ "
        "(Ctrl+C to stop); building..."
    )
    session = Session()  # every rebuild re-uses what the earlier ones read
    briefs = None
    if pdf:
        briefs = BackgroundBriefs(root, folder, state.briefs_ready, state.failed, report)
        briefs.start()
    stop, ready, started = threading.Event(), threading.Event(), threading.Event()
    watcher = threading.Thread(
        target=_watch,
        args=(root, out, state, pdf, report, (stop, ready, started), session, briefs),
        daemon=True,
    )
    watcher.start()
    ready.wait(timeout=15)  # watch first, then build: an edit during the build is not lost
    try:
        rebuild(root, out, state, pdf, report, session, briefs)
        started.set()
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        report.step("Stopped.")
    finally:
        server.server_close()
        stop.set()
        if briefs is not None:
            briefs.close()


class _Server(ThreadingHTTPServer):
    """The HTTP server; a browser that goes away mid-answer (a tab closed while its page
    waits for the next build) is no error, and a request that fails says so in one line."""

    def handle_error(self, request: object, client_address: object) -> None:
        failed = sys.exc_info()[1]
        if isinstance(failed, ConnectionError):  # a broken pipe, a reset: the browser left
            return
        reason = str(failed)
        if len(reason) > 200:  # it may quote the request's path, of any length
            reason = reason[:200] + "…"
        log.warning("a request from %s failed: %s", client_address, reason)


def _bind(state: LiveState, root: Path, out: Path, host: str, port: int) -> ThreadingHTTPServer:
    """The HTTP server, listening (port 0: a free one); a busy port is an error with a hint."""
    handler = partial(Handler, state=state, root=root, directory=str(out))
    try:
        server = _Server((host, port), handler)
    except OSError as exc:
        hint = (
            ": another program uses it; choose another with --port, or --port 0 for a free one"
            if exc.errno == errno.EADDRINUSE
            else ""
        )
        raise CxError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from None
    server.daemon_threads = True
    return server


def _project_name(root: Path) -> str:
    """The project's title from cxsite.yaml (read with the same limits as a build), with its
    folder; only the folder when the title cannot be read."""
    loaded, _ = load_yaml(root / "cxsite.yaml", "cxsite.yaml")
    title = loaded.data.get("title") if loaded is not None else None
    return f"'{title}' ({root})" if isinstance(title, str) and title.strip() else str(root)
