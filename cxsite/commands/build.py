"""`cxsite build`: validate, analyse, draw charts, render pages and briefs, swap the output in.

Nothing touches the output folder until the whole build is staged (see write.py).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cxsite.cachefiles import CACHE_DIR, usable_cache_dir
from cxsite.load.asof import as_of_date
from cxsite.model import Project
from cxsite.problems import CxError
from cxsite.session import Session
from cxsite.site.context import ChartRef, Site, asset_path, brief_links, existing_file, make_site
from cxsite.write import Staging, check_output, staged_output

if TYPE_CHECKING:
    from cxsite.analysis.analyse import Analysis
    from cxsite.charts.jobs import ChartResult
    from cxsite.incremental.buildcache import BuildCache
    from cxsite.incremental.pagecache import PageCache
    from cxsite.metricdata.types import MetricData

log = logging.getLogger(__name__)

# Theme files only the PDF briefs use; the site does not ship them.
_PDF_ONLY_PREFIX = "briefs"


class BuildFailed(CxError):
    """Something went wrong after validation; the previous output is left as it was."""


@dataclass(frozen=True)
class BuildSummary:
    """What a build produced, for the summary line and for callers such as `serve`."""

    output: Path
    pages: int
    charts_rendered: int
    charts_cached: int
    briefs: int
    files: int
    seconds: float

    def line(self) -> str:
        """The one-line summary printed at the end of a build."""
        charts = self.charts_rendered + self.charts_cached
        return (
            f"Built {self.pages} pages, {charts} charts ({self.charts_rendered} drawn, "
            f"{self.charts_cached} cached), {self.briefs} PDF briefs"
            f" into {self.output} in {self.seconds:.1f} s"
        )


def _static_files(dirs: list[Path]) -> dict[str, Path]:
    """Theme static files by site path under `static/`; later folders override earlier ones."""
    files: dict[str, Path] = {}
    for base in dirs:
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base)
            if any(part.startswith(".") or part.endswith("~") for part in rel.parts):
                continue  # never dot-files or editor backups
            if rel.parts[0].startswith(_PDF_ONLY_PREFIX) or path.suffix == ".map":
                continue
            if path.is_file():
                files["static/" + rel.as_posix()] = path
    return files


def _content_assets(project: Project) -> dict[str, Path]:
    """Only the project files that content references: the logo and persona photos."""
    refs = [project.config.brand.logo, *(p.photo for p in project.personas.values())]
    assets: dict[str, Path] = {}
    for rel in refs:
        if not rel:
            continue
        source = existing_file(project.root, rel)
        if source is not None:
            assets[asset_path(rel)] = source
    return assets


class _Progress:
    """Progress on stderr: a bar on a terminal, plain log lines otherwise, nothing if quiet."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = not quiet and sys.stderr.isatty()

    def step(self, message: str) -> None:
        if not self.quiet:
            log.info(message)

    @contextmanager
    def pages(self, total: int) -> Iterator[Callable[[str], None] | None]:
        if not self.tty:
            self.step(f"Rendering {total} pages")
            yield None
            return
        with click.progressbar(length=total, label="Rendering pages", file=sys.stderr) as bar:
            yield lambda _path: bar.update(1)


def _fill(
    stage: Staging,
    project: Project,
    analysis: Analysis,
    charts_meta: dict[str, ChartRef],
    site: Site,
    progress: _Progress,
    session: Session,
    cache: PageCache | None = None,
) -> int:
    """Write pages, static files, assets, search index and data (all but charts) into the stage."""
    # lazy: an up-to-date build returns before it needs these
    from cxsite.render.env import render_pages

    # lazy: an up-to-date build returns before it needs these
    from cxsite.render.theme import static_dirs

    # lazy: an up-to-date build returns before it needs these
    from cxsite.site.cxjson import cx_json

    # lazy: an up-to-date build returns before it needs these
    from cxsite.site.pages import site_pages

    # lazy: an up-to-date build returns before it needs these
    from cxsite.site.search import search_index_js

    every = site_pages(project, analysis)
    with progress.pages(len(every)) as tick:
        pages = render_pages(
            project, analysis, charts_meta, site, tick, cache=cache, pages=every, session=session
        )
    for rel, html in pages.items():
        if isinstance(html, Path):
            stage.keep(rel, html)
        else:
            stage.write(rel, html)
    for rel, source in {**_static_files(static_dirs(project)), **_content_assets(project)}.items():
        stage.copy(rel, source)
    stage.write("search-index.js", search_index_js(project, session.markdown))
    stage.write("data/cx.json", cx_json(project, analysis, site.as_of, session))
    return sum(1 for rel in pages if rel.endswith(".html"))


def _produce(
    project: Project,
    metric_data: Mapping[str, MetricData],
    *,
    root: Path,
    out: Path,
    pdf: bool,
    jobs: int | None,
    progress: _Progress,
    session: Session,
    cache: BuildCache | None = None,
) -> tuple[int, list[str], ChartResult, int, PageCache | None]:
    """Everything after validation: analyse, then pages while the charts are drawn, then
    briefs (they need the charts' bytes), then the swap."""
    # lazy: an up-to-date build returns before it needs these
    from cxsite.analysis.analyse import analyse

    # lazy: an up-to-date build returns before it needs these
    from cxsite.charts.cache import build_charts, cached_charts

    # lazy: an up-to-date build returns before it needs these
    from cxsite.charts.keys import plan_charts

    # lazy: an up-to-date build returns before it needs these
    from cxsite.charts.pool import charts_in_background

    analysis = analyse(project, metric_data, session.summaries)
    workers = jobs or os.cpu_count() or 1
    chart_jobs = plan_charts(project, analysis)
    # Pages need only each chart's title and description, known from the plan.
    charts_meta = {k: ChartRef(k, j.title, j.desc) for k, j in chart_jobs.items()}
    # render_briefs writes every configured brief or fails the build, so pages can link to
    # them before they exist.
    links = brief_links(project) if pdf else ()
    site = make_site(project, session.as_of or as_of_date(root), links)
    progress.step(f"Drawing {len(chart_jobs)} charts")
    with staged_output(out, root) as stage:
        # workers are forked only when some chart is missing
        cached = cached_charts(chart_jobs, root / CACHE_DIR, session.svgs)
        missing = len(cached.known) < len(chart_jobs)
        with charts_in_background(
            lambda render: build_charts(
                chart_jobs, cached, root / CACHE_DIR, workers, render, session.svgs
            ),
            workers if missing else 1,
        ) as drawn:
            page_cache = None
            if cache is not None:
                # lazy: an up-to-date build returns before it needs these
                from cxsite.incremental.pagecache import PageCache

                page_cache = PageCache(
                    cache, out, project, analysis, charts_meta, site, session.hashes
                )
            pages = _fill(
                stage, project, analysis, charts_meta, site, progress, session, page_cache
            )
            charts = drawn()
        # after the drawing threads and processes have ended: briefs fork their own workers
        briefs: list[str] = []
        if links:
            # lazy: an up-to-date build returns before it needs these
            from cxsite.briefs.render import render_briefs

            progress.step(f"Rendering {len(links)} PDF briefs")
            briefs = render_briefs(project, analysis, charts.svgs, stage.path, None, workers)
        for rel, data in charts.svgs.items():
            stage.write(rel, data)
        files = len(stage.files()) + 1  # + the marker file written on success
    return pages, briefs, charts, files, page_cache


def build_site(
    project_dir: Path,
    output: Path | None,
    *,
    pdf: bool = True,
    strict: bool = False,
    jobs: int | None = None,
    quiet: bool = False,
    built: Callable[[BuildSummary], None] | None = None,
    session: Session | None = None,
) -> BuildSummary:
    """Validate the project, then build the site (and briefs) into `output` atomically.

    `built` is called as soon as the new output is in place, before the caches for the next
    build are written (`serve` announces the new build then). `session` keeps what this
    process has read for the next build (`serve` passes its own; a new one when None).
    """
    # lazy: an up-to-date build returns before it needs these
    from cxsite.incremental.buildcache import (
        BuildCache,
        inputs_key,
        load_memos,
        output_manifest,
        save_memos,
    )

    # lazy: an up-to-date build returns before it needs these
    from cxsite.incremental.validcache import persist, restore

    # lazy: an up-to-date build returns before it needs these
    from cxsite.validate.project import require_valid

    started = time.perf_counter()
    root = Path(project_dir)
    progress = _Progress(quiet)
    out = Path(output) if output is not None else root / "_site"
    resolved = check_output(out, root)  # refuse a dangerous output before any work
    cache_dir = usable_cache_dir(root) if root.is_dir() else None
    session = session or Session()
    session.new_build(as_of_date(root))
    assert session.as_of is not None
    cache = BuildCache.open(cache_dir, resolved, session.written) if cache_dir else None
    key = None
    if cache is not None:
        options = f"pdf={pdf} strict={strict} as-of={session.as_of.isoformat()}"
        key = inputs_key(root, resolved, options)
        if key is not None and key == cache.inputs and cache.output_intact(resolved):
            summary = _up_to_date(cache, out, started, quiet)
            if built is not None:
                built(summary)
            return summary
    validated = None
    if cache_dir is not None:
        # The caches read here are millions of long-lived objects: no garbage collection
        # runs while they are read, and later ones do not walk them again (`gc.freeze`; the
        # next build in this process, under `serve`, unfreezes them first).
        gc.unfreeze()
        enabled = gc.isenabled()
        gc.disable()
        try:
            load_memos(session, cache_dir)
            validated = restore(session, cache_dir)
        finally:
            if enabled:
                gc.enable()
        gc.freeze()
    progress.step("Validating")
    result = require_valid(root, strict=strict, session=session)
    project = result.project
    assert project is not None  # require_valid raises when there are errors
    try:
        pages, briefs, charts, files, page_cache = _produce(
            project,
            result.metric_data,
            root=root,
            out=out,
            pdf=pdf,
            jobs=jobs,
            progress=progress,
            session=session,
            cache=cache,
        )
    except (CxError, KeyboardInterrupt):
        raise
    except Exception as exc:
        # Errors become one user-facing line at this boundary; the details go to the debug log.
        log.debug("build failed", exc_info=True)
        reason = str(exc) or type(exc).__name__
        raise BuildFailed(f"the build failed ({reason}); the previous output is unchanged") from exc
    summary = BuildSummary(
        output=out,
        pages=pages,
        charts_rendered=charts.rendered,
        charts_cached=charts.cached,
        briefs=len(briefs),
        files=files,
        seconds=time.perf_counter() - started,
    )
    if built is not None:
        built(summary)
    if cache is not None and page_cache is not None:
        manifest = output_manifest(resolved)
        cache.inputs = key if manifest is not None else None
        cache.manifest = manifest or {}
        cache.records = page_cache.records()
        cache.messages = [problem.format() for problem in result.problems]
        cache.summary = {
            "pages": pages,
            "charts": charts.rendered + charts.cached,
            "briefs": len(briefs),
            "files": files,
        }
        cache.save()
        save_memos(session, cache_dir)
        persist(session, cache_dir, validated)
        log.debug("pages re-used from the previous build: %d", page_cache.reused)
    if not quiet:
        click.echo(summary.line(), err=True)
    return summary


def _up_to_date(cache: BuildCache, out: Path, started: float, quiet: bool) -> BuildSummary:
    """Nothing the build reads changed and the output is as written: do nothing."""
    for line in cache.messages:
        click.echo(line)  # the same warnings as the build that made this output
    counts = cache.summary
    summary = BuildSummary(
        output=out,
        pages=int(counts.get("pages", 0)),
        charts_rendered=0,
        charts_cached=int(counts.get("charts", 0)),
        briefs=int(counts.get("briefs", 0)),
        files=int(counts.get("files", 0)),
        seconds=time.perf_counter() - started,
    )
    if not quiet:
        click.echo(summary.line(), err=True)
    return summary
