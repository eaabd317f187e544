"""`cxsite build`: validate, analyse, draw charts, render pages and briefs, swap the output in.

Nothing touches the output folder until the whole build is staged (see write.py). The build
returns a `BuildSummary` and tells its progress and problem lines to a `Reporter`; the CLI
prints them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cxsite.analysis.analyse import Analysis, analyse
from cxsite.analysis.lastchange import Living
from cxsite.cachefiles import CACHE_DIR, usable_cache_dir
from cxsite.commands.gcpause import collection_paused, fewer_collections
from cxsite.commands.report import SILENT, Reporter
from cxsite.incremental.buildcache import (
    BuildCache,
    inputs_key,
    load_memos,
    output_manifest,
    save_memos,
)
from cxsite.incremental.pagecache import PageCache
from cxsite.load.asof import as_of_date
from cxsite.load.history import head_commit
from cxsite.model import Project
from cxsite.problems import BuildFailed, ValidationFailed, error_boundary, sort_problems
from cxsite.session import Session
from cxsite.site.context import ChartRef, Site, asset_path, brief_links, existing_file, make_site
from cxsite.site.cxjson import cx_json
from cxsite.site.pages import site_pages
from cxsite.site.search import search_index_js
from cxsite.write import InPlace, Staging, check_output, output_in_place, staged_output

if TYPE_CHECKING:
    from cxsite.charts.jobs import ChartResult
    from cxsite.incremental.validcache import ValidationCache
    from cxsite.validate.project import CheckResult

log = logging.getLogger(__name__)

# Theme files only the PDF briefs use; the site does not ship them.
_PDF_ONLY_PREFIX = "briefs"


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


@dataclass(frozen=True)
class _Caches:
    """The persistent caches of one build: their folder, the build cache, the inputs key."""

    folder: Path | None = None
    build: BuildCache | None = None
    key: str | None = None


@dataclass(frozen=True)
class _Produced:
    """What `_produce` made: counts for the summary, and the page records for the cache."""

    pages: int
    briefs: list[str]
    charts: ChartResult
    files: int
    page_cache: PageCache | None
    chart_digests: dict[str, str]  # the job digest of each chart in the output, by site path


@fewer_collections()
def build_site(
    project_dir: Path,
    output: Path | None,
    *,
    pdf: bool = True,
    strict: bool = False,
    jobs: int | None = None,
    briefs_later: bool = False,
    in_place: bool = False,
    report: Reporter = SILENT,
    built: Callable[[BuildSummary], None] | None = None,
    session: Session | None = None,
) -> BuildSummary:
    """Validate the project, then build the site (and briefs) into `output` atomically.

    `briefs_later`: pages link to the briefs (with `pdf`) but the briefs are not rendered
    (`serve` renders them in the background). `in_place`: the output is updated in place
    when the build is complete (`serve`'s preview; see write.py), not swapped for a staged
    copy; never with briefs rendered. `built` is called as soon as the new output is
    in place, before the caches for the next build are written (`serve` announces the new
    build then). `session` keeps what this process has read for the next build (`serve`
    passes its own; a new one when None).
    """
    started = time.perf_counter()
    if in_place and pdf and not briefs_later:
        raise ValueError("briefs are rendered into a staged output only")
    session = session or Session()
    root = Path(project_dir)
    out = Path(output) if output is not None else root / "_site"
    resolved = check_output(out, root)  # refuse a dangerous output before any work
    pdf_option = "links" if pdf and briefs_later else str(pdf)
    head = head_commit(root)  # pages show history up to HEAD: a new commit is a new input
    as_of = as_of_date(root, head)  # once per build: lint, pages and the cache key agree
    session.new_build(as_of)
    gc.unfreeze()  # what the last build in this process kept (`serve`) can be collected again
    options = (
        f"pdf={pdf_option} strict={strict} as-of={as_of.isoformat()}"
        f" head={head[0] if head else '-'}"
    )
    caches = _open_caches(root, resolved, options, session)
    if _up_to_date(caches, resolved):
        summary = _unchanged(caches, out, started, report)
        if built is not None:
            built(summary)
        return summary
    validated = _read_caches(caches, session)
    result = _validate(root, strict, report, session)
    project = result.project
    assert project is not None  # validation raises when there are errors
    analysis = analyse(project, result.metric_data, session.summaries, as_of, session.analyses)
    result = _with_git(result, analysis, head, as_of, strict, report, session)
    gc.freeze()  # the project and its analysis live to the end: later collections skip them
    with error_boundary(
        BuildFailed, "the build failed ({reason}); the previous output is unchanged"
    ):
        produced = _produce(
            project,
            analysis,
            root=root,
            out=out,
            as_of=as_of,
            head=head,
            pdf=pdf,
            render_briefs=not briefs_later,
            in_place=in_place,
            jobs=jobs,
            report=report,
            session=session,
            cache=caches.build,
        )
    summary = BuildSummary(
        output=out,
        pages=produced.pages,
        charts_rendered=produced.charts.rendered,
        charts_cached=produced.charts.cached,
        briefs=len(produced.briefs),
        files=produced.files,
        seconds=time.perf_counter() - started,
    )
    if built is not None:
        built(summary)
    _save_caches(caches, resolved, produced, result, validated, session)
    return summary


def _open_caches(root: Path, resolved: Path, options: str, session: Session) -> _Caches:
    """The build cache of output `resolved`, and the key of everything this build reads."""
    folder = usable_cache_dir(root) if root.is_dir() else None
    if folder is None:
        return _Caches()
    cache = BuildCache.open(folder, resolved, session.written)
    key = inputs_key(root, resolved, options, session.digests)
    return _Caches(folder, cache, key)


def _up_to_date(caches: _Caches, resolved: Path) -> bool:
    """Nothing the build reads changed since the last build and its output is as written."""
    cache = caches.build
    return (
        cache is not None
        and caches.key is not None
        and caches.key == cache.inputs
        and cache.output_intact(resolved)
    )


def _unchanged(caches: _Caches, out: Path, started: float, report: Reporter) -> BuildSummary:
    """The summary of an up-to-date build: the last build's, with its problem lines again."""
    assert caches.build is not None  # only up to date with a build cache
    report.problems(caches.build.messages)  # the same warnings as the build that made it
    counts = caches.build.summary
    return BuildSummary(
        output=out,
        pages=int(counts.get("pages", 0)),
        charts_rendered=0,
        charts_cached=int(counts.get("charts", 0)),
        briefs=int(counts.get("briefs", 0)),
        files=int(counts.get("files", 0)),
        seconds=time.perf_counter() - started,
    )


@contextmanager
def _long_lived_objects() -> Iterator[None]:
    """Around reading the caches: millions of long-lived objects. No garbage collection
    runs while they are read, and later ones do not walk them again (`gc.freeze`; the next
    build in this process, under `serve`, unfreezes them first)."""
    with collection_paused():
        yield
    gc.freeze()


def _read_caches(caches: _Caches, session: Session) -> ValidationCache | None:
    """Seed the session's memos and validation tables from the cache folder."""
    if caches.folder is None:
        return None
    # lazy: an up-to-date build stops before this and never imports it (start-up time)
    from cxsite.incremental import validcache

    with _long_lived_objects():
        load_memos(session, caches.folder)
        return validcache.restore(session, caches.folder)


def _validate(root: Path, strict: bool, report: Reporter, session: Session) -> CheckResult:
    """The project validated, its problem lines told to `report` (ValidationFailed if bad)."""
    # lazy: an up-to-date build stops before validating and never imports it (start-up time)
    from cxsite.commands.check import validated

    report.step("Validating")
    return validated(root, strict=strict, report=report, session=session)


def _with_git(
    result: CheckResult,
    analysis: Analysis,
    head: tuple[str, int] | None,
    as_of: dt.date,
    strict: bool,
    report: Reporter,
    session: Session,
) -> CheckResult:
    """Read what git adds to the build into `session.living`; the result with a warning
    for each revision that cannot be compared (ValidationFailed under `strict`)."""
    # lazy: only a build that goes ahead reads history (start-up time of an up-to-date build)
    from cxsite.commands.living import living_data

    assert result.project is not None
    session.living, found = living_data(
        result.project, analysis, head=head, as_of=as_of, session=session, marks=result.marks
    )
    if not found:
        return result
    report.problems([problem.format() for problem in found])
    problems = sort_problems([*result.problems, *found])
    if strict:
        raise ValidationFailed(problems)
    return dataclasses.replace(result, problems=problems)


def _save_caches(
    caches: _Caches,
    resolved: Path,
    produced: _Produced,
    result: CheckResult,
    validated: ValidationCache | None,
    session: Session,
) -> None:
    """Write what the next build needs to skip work: inputs key, manifest, page records,
    problem lines, counts, memos and validation tables (only when there is a cache)."""
    cache, page_cache = caches.build, produced.page_cache
    if caches.folder is None or cache is None or page_cache is None:
        return
    # lazy: an up-to-date build stops before this and never imports it (start-up time)
    from cxsite.incremental import validcache

    manifest = output_manifest(resolved)
    cache.inputs = caches.key if manifest is not None else None
    cache.manifest = manifest or {}
    cache.records = page_cache.records()
    cache.charts = produced.chart_digests if manifest is not None else {}
    cache.messages = [problem.format() for problem in result.problems]
    cache.summary = {
        "pages": produced.pages,
        "charts": produced.charts.rendered + produced.charts.cached,
        "briefs": len(produced.briefs),
        "files": produced.files,
    }
    cache.save()
    save_memos(session, caches.folder)
    validcache.persist(session, caches.folder, validated)
    log.debug("pages re-used from the previous build: %d", page_cache.reused)


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


def _fill(
    stage: Staging | InPlace,
    project: Project,
    analysis: Analysis,
    charts_meta: dict[str, ChartRef],
    site: Site,
    report: Reporter,
    session: Session,
    cache: PageCache | None = None,
) -> int:
    """Write pages, static files, assets, search index and data (all but charts) into the stage."""
    # lazy: Jinja is slow to import and an up-to-date build renders nothing (start-up time)
    from cxsite.render import theme
    from cxsite.site import render as site_render  # lazy: as above

    every = site_pages(project, analysis, site.as_of, session.living)
    with report.pages(len(every)) as tick:
        pages = site_render.render_pages(
            project, analysis, charts_meta, site, tick, cache=cache, pages=every, session=session
        )
    for rel, html in pages.items():
        if isinstance(html, Path):
            stage.keep(rel)  # the previous output's file, unchanged
        else:
            stage.write(rel, html)
    static = _static_files(theme.static_dirs(project))
    for rel, source in {**static, **_content_assets(project)}.items():
        stage.copy(rel, source)
    said = {mid: m.comments for mid, m in analysis.metrics.items() if m.comments is not None}
    stage.write("search-index.js", search_index_js(project, session, analysis.metrics, said))
    stage.write("data/cx.json", cx_json(project, analysis, site.as_of, session))
    return sum(1 for rel in pages if rel.endswith(".html"))


def _produce(
    project: Project,
    analysis: Analysis,
    *,
    root: Path,
    out: Path,
    as_of: dt.date,
    head: tuple[str, int] | None,
    pdf: bool,
    render_briefs: bool,
    in_place: bool,
    jobs: int | None,
    report: Reporter,
    session: Session,
    cache: BuildCache | None = None,
) -> _Produced:
    """Everything after validation: analyse, then pages while the charts are drawn, then
    briefs (they need the charts' bytes), then the swap."""
    # lazy: an up-to-date build draws nothing and never imports them (start-up time)
    from cxsite.charts import keys, pool
    from cxsite.charts.jobs import job_digest

    workers = jobs or os.cpu_count() or 1
    chart_jobs = keys.plan_charts(project, analysis)
    living = session.living or Living()
    chart_jobs.update(keys.changes_charts(project, living.since))
    # Pages need only each chart's title and description, known from the plan.
    charts_meta = {k: ChartRef(k, j.title, j.desc) for k, j in chart_jobs.items()}
    # Every configured brief is written (or the build fails; `serve` renders them later),
    # so pages can link to them before they exist.
    links = brief_links(project) if pdf else ()
    site = make_site(project, as_of, links, changes=living.since is not None)
    report.step(f"Drawing {len(chart_jobs)} charts")
    digests = {rel: job_digest(job) for rel, job in chart_jobs.items()}
    # Briefs need the bytes of their charts; pages only need the files in the output.
    kept = [] if links and render_briefs else _kept_charts(digests, cache, out)
    to_draw = {rel: job for rel, job in chart_jobs.items() if rel not in kept}
    output = output_in_place if in_place else staged_output
    with output(out, root) as stage:
        with pool.charts_drawn(
            to_draw, root / CACHE_DIR, workers, session.svgs, complete=not kept
        ) as drawn:
            page_cache = None
            if cache is not None:
                page_cache = PageCache(
                    cache, out, project, analysis, charts_meta, site, session.hashes
                )
            pages = _fill(stage, project, analysis, charts_meta, site, report, session, page_cache)
            charts = drawn()
        # after the drawing threads and processes have ended: briefs start their own workers
        briefs: list[str] = []
        if links and render_briefs:
            assert isinstance(stage, Staging)  # build_site refuses briefs written in place
            # lazy: WeasyPrint and the brief templates are needed only with PDFs
            from cxsite.briefs.render import render_briefs as render

            report.step(f"Rendering {len(links)} PDF briefs")
            briefs = render(project, analysis, charts.svgs, stage.path, None, workers, session)
        for rel, data in charts.svgs.items():
            stage.write(rel, data)
        for rel in kept:
            stage.keep(rel)
        files = len(stage.files()) + 1  # + the marker file written on success
    charts = dataclasses.replace(charts, cached=charts.cached + len(kept))
    return _Produced(pages, briefs, charts, files, page_cache, digests)


def _kept_charts(digests: dict[str, str], cache: BuildCache | None, out: Path) -> list[str]:
    """The charts whose output file the last build wrote from the same job digest and that
    are still as written: kept as they are, neither read nor drawn."""
    if cache is None:
        return []
    return [
        rel
        for rel, digest in digests.items()
        if cache.charts.get(rel) == digest and cache.file_intact(out, rel)
    ]
