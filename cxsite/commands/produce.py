"""Everything `cxsite build` does once it goes ahead (see build.py): the caches read, the
project validated, its history read, pages rendered while the charts are drawn, briefs, the
output swapped in, the caches written for the next build.

Imported only when a build goes ahead: an up-to-date build never loads the models, the
analyses, the templates or the chart code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cxsite.analysis.analyse import Analysis
from cxsite.analysis.lastchange import Living
from cxsite.briefs.glyphs import font_problems
from cxsite.cachefiles import CACHE_DIR
from cxsite.charts import keys, pool
from cxsite.charts.jobs import ChartResult, job_digest
from cxsite.commands.check import validated
from cxsite.commands.living import living_data
from cxsite.commands.report import Reporter, briefs_step
from cxsite.gcpause import long_lived_objects
from cxsite.incremental import validcache
from cxsite.incremental.buildcache import BuildCache, output_manifest
from cxsite.incremental.memos import load_memos, save_memos
from cxsite.incremental.pagecache import PageCache
from cxsite.incremental.pagerecords import PageRecords
from cxsite.incremental.validcache import ValidationCache
from cxsite.model import Project
from cxsite.problems import Problem, ValidationFailed, sort_problems
from cxsite.render import theme
from cxsite.session import Session
from cxsite.site import render as site_render
from cxsite.site.context import ChartRef, Site, asset_path, brief_links, existing_file, make_site
from cxsite.site.cxjson import cx_json
from cxsite.site.pages import site_pages
from cxsite.site.search import search_index_js
from cxsite.write.inplace import InPlace, output_in_place
from cxsite.write.output import Staging, staged_output

if TYPE_CHECKING:
    from cxsite.validate.project import CheckResult

log = logging.getLogger(__name__)

# Theme files only the PDF briefs use; the site does not ship them.
_PDF_ONLY_PREFIX = "briefs"


@dataclass(frozen=True)
class Produced:
    """What `produce` made: counts for the summary, and the page records for the cache."""

    pages: int
    briefs: list[str]
    charts: ChartResult
    files: int
    page_cache: PageCache | None
    chart_digests: dict[str, str]  # the job digest of each chart in the output, by site path
    records: PageRecords | None  # the page records for the next build (with a page cache)
    kept: bool  # `meanwhile` ran: what the session keeps for the next build is written


def read_caches(folder: Path | None, session: Session) -> ValidationCache | None:
    """Seed the session's memos and validation tables from the cache folder."""
    if folder is None:
        return None
    with long_lived_objects():
        load_memos(session, folder)
        return validcache.restore(session, folder)


def validate(
    root: Path, strict: bool, report: Reporter, session: Session, jobs: int | None = None
) -> CheckResult:
    """The project validated, its problem lines told to `report` (ValidationFailed if bad);
    on `jobs` processes (None: one per core) when there are many files to read."""
    report.step("Validating")
    return validated(root, strict=strict, report=report, session=session, workers=_workers(jobs))


def with_git(
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
    assert result.project is not None
    session.living, found = living_data(
        result.project, analysis, head=head, as_of=as_of, session=session, marks=result.marks
    )
    return _with_found(result, found, strict, report)


def with_fonts(
    root: Path, result: CheckResult, strict: bool, report: Reporter, session: Session
) -> CheckResult:
    """The result with a warning for each file holding characters no font on this machine
    can print in the PDF briefs (W529; ValidationFailed under `strict`)."""
    return _with_found(result, font_problems(root, result.marks, session), strict, report)


def _with_found(
    result: CheckResult, found: list[Problem], strict: bool, report: Reporter
) -> CheckResult:
    """The result with the problems a later step `found`, told to `report` as they come."""
    if not found:
        return result
    report.problems([problem.format() for problem in sort_problems(found)])
    problems = sort_problems([*result.problems, *found])
    if strict:
        raise ValidationFailed(problems)
    return dataclasses.replace(result, problems=problems)


def save_caches(
    folder: Path | None,
    cache: BuildCache | None,
    key: str | None,
    resolved: Path,
    produced: Produced,
    result: CheckResult,
    validated: ValidationCache | None,
    session: Session,
) -> None:
    """Write what the next build needs to skip work: inputs key, manifest, page records,
    problem lines, counts, memos and validation tables (only when there is a cache)."""
    page_cache = produced.page_cache
    if folder is None or cache is None or page_cache is None:
        return
    manifest = output_manifest(resolved)
    cache.inputs = key if manifest is not None else None
    cache.manifest = manifest or {}
    assert produced.records is not None  # made with the page cache
    cache.records = produced.records
    cache.charts = produced.chart_digests if manifest is not None else {}
    cache.messages = [problem.format() for problem in result.problems]
    cache.summary = {
        "pages": produced.pages,
        "charts": produced.charts.rendered + produced.charts.cached,
        "briefs": len(produced.briefs),
        "files": produced.files,
    }
    cache.save()
    if not produced.kept:
        keep_for_next_build(folder, validated, session)
    log.debug("pages re-used from the previous build: %d", page_cache.reused)


def keep_for_next_build(
    folder: Path | None, validated: ValidationCache | None, session: Session
) -> None:
    """Write what the session keeps for the next process: memos and validation tables (also
    before the build ends: they hold what the inputs give, whatever the output)."""
    if folder is not None:
        save_memos(session, folder)
        validcache.persist(session, folder, validated)


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
    cache: PageCache | None,
    workers: int,
) -> int:
    """Write pages, static files, assets, search index and data (all but charts) into the stage
    (pages on `workers` cores when that pays, see halves.py)."""
    every = site_pages(project, analysis, site.as_of, session.living)
    with report.pages(len(every)) as tick:
        pages = site_render.render_pages(
            project,
            analysis,
            charts_meta,
            site,
            tick,
            cache=cache,
            pages=every,
            session=session,
            workers=workers,
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


def early_drawing(
    root: Path, project: Project, jobs: int | None
) -> AbstractContextManager[pool.DrawingPool | None]:
    """Chart workers for this build started before the analysis, where it surely draws many
    charts (`pool.early_pool`): about one for each journey, metric and persona."""
    expected = len(project.journeys) + len(project.metrics) + len(project.personas)
    return pool.early_pool(root / CACHE_DIR, _workers(jobs), expected)


def _workers(jobs: int | None) -> int:
    return jobs or os.cpu_count() or 1


def produce(
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
    early: pool.DrawingPool | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Produced:
    """Everything after the analysis: pages while the charts are drawn (by `early`'s
    workers, if started), then briefs (they need the charts' bytes), then the swap.
    `meanwhile` runs after the pages while workers still draw, if they do (`kept`)."""
    workers = _workers(jobs)
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
            to_draw, root / CACHE_DIR, workers, session.svgs, complete=not kept, early=early
        ) as drawn:
            page_cache = None
            if cache is not None:
                page_cache = PageCache(
                    cache, out, project, analysis, charts_meta, site, session.hashes
                )
            pages = _fill(
                stage, project, analysis, charts_meta, site, report, session, page_cache, workers
            )
            records = page_cache.records() if page_cache is not None else None
            ran: list[object] = []
            charts = drawn(meanwhile and (lambda: ran.append(meanwhile())))
        # after the drawing threads and processes have ended: briefs start their own workers
        briefs: list[str] = []
        if links and render_briefs:
            assert isinstance(stage, Staging)  # build_site refuses briefs written in place
            # lazy: WeasyPrint and the brief templates are needed only with PDFs
            from cxsite.briefs.render import render_briefs as render

            briefs = render(
                project,
                analysis,
                charts.svgs,
                stage.path,
                None,
                workers,
                session,
                briefs_step(report),
            )
        for rel, data in charts.svgs.items():
            stage.write(rel, data)
        for rel in kept:
            stage.keep(rel)
        files = len(stage.files()) + 1  # + the marker file written on success
    charts = dataclasses.replace(charts, cached=charts.cached + len(kept))
    return Produced(pages, briefs, charts, files, page_cache, digests, records, bool(ran))


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
