"""PDF briefs: which briefs to build, and rendering them.

The HTML of each brief comes from the theme's `briefs/<kind>.html` template with the context
of `briefs/context.py`; `briefs/pdf.py` turns it into PDF bytes, in worker processes (started
as `charts/pool.py` decides for every pool) when there are several briefs and several jobs.
The `cxsite pdf` command is in commands/pdf.py.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from cxsite.analysis.types import Analysis
from cxsite.briefs.cache import Read, brief_key, keep_briefs, kept_brief
from cxsite.briefs.context import brief_html
from cxsite.briefs.pdf import require_fonts
from cxsite.briefs.summary import fewer_entries
from cxsite.briefs.views import Prepared
from cxsite.cachefiles import usable_cache_dir
from cxsite.charts.pool import worker_pool
from cxsite.hints import did_you_mean
from cxsite.load.asof import as_of_date
from cxsite.model import Brief, Project
from cxsite.problems import CxError
from cxsite.session import Session

log = logging.getLogger(__name__)

# A summary laid out past page 1 is made again with fewer entries at most this many times.
FIT_TRIES = 3


def select_briefs(project: Project, brief_ids: Sequence[str] | None) -> list[Brief]:
    """The briefs to build: all configured ones, or the given ids (unknown id: CxError)."""
    briefs = list(project.config.brief_list())
    if not brief_ids:
        return briefs
    by_id = {b.id: b for b in briefs}
    chosen: list[Brief] = []
    for brief_id in brief_ids:
        if brief_id not in by_id:
            hint = did_you_mean(brief_id, by_id)
            known = ", ".join(sorted(by_id)) or "none"
            where = (
                "in cxsite.yaml" if project.config.briefs is not None else "(cxsite.yaml sets none)"
            )
            raise CxError(f"unknown brief '{brief_id}'{hint}; briefs {where}: {known}")
        if by_id[brief_id] not in chosen:
            chosen.append(by_id[brief_id])
    return chosen


# What a worker started from a fork server needs to render: imported there once.
_PDF_MODULES = ("cxsite.briefs.render", "weasyprint")


def _warm_pdf() -> None:
    """Import WeasyPrint here once, so that forked workers start with it."""
    # lazy: WeasyPrint is slow to import and only a build with briefs needs it
    import weasyprint  # noqa: F401


def _render_job(
    job: tuple[str, str, Path, Mapping[str, bytes]],
) -> tuple[bytes, tuple, Read, float, tuple]:
    """Worker entry point: one brief's HTML to PDF bytes, the resources refused, the project
    files read, and how far its page-1 summary ran past page 1 with what its layout
    measured (see `page_one` in briefs/pdf.py)."""
    # lazy: WeasyPrint is slow to import; a forked worker has it already (see _warm_pdf)
    from cxsite.briefs.pdf import render_pdf

    _brief_id, html, root, memory = job
    result = render_pdf(html, root, memory)
    return result.data, result.blocked, result.read, result.spill_mm, result.measures


def _blocked_error(brief_id: str, blocked: tuple, origins: Mapping[str, str]) -> CxError:
    """A build error naming the entity and field of every refused resource."""
    lines = []
    for url, reason in blocked:
        where = origins.get(url, f"brief '{brief_id}' (template or Markdown)")
        lines.append(f"{where}: resource '{url}' refused in PDF brief '{brief_id}': {reason}")
    return CxError("\n".join(lines))


def render_briefs(
    project: Project,
    analysis: Analysis,
    chart_svgs: Mapping[str, bytes],
    stage_dir: Path,
    brief_ids: Sequence[str] | None,
    jobs: int,
    session: Session | None = None,
    told: Callable[[int, int], object] | None = None,
) -> list[str]:
    """Write `briefs/<id>.pdf` under stage_dir for the chosen briefs; their relative paths.

    The session (a build's, or serve's) gives the date and keeps compiled templates.
    `told` hears how many briefs are laid out and how many kept, before the work starts."""
    briefs = select_briefs(project, brief_ids)
    # before any worker starts: without fonts, rendering kills it
    fonts = require_fonts() if briefs else ""
    session = session or Session()
    as_of = session.as_of or as_of_date(project.root)
    prepared = [brief_html(project, analysis, chart_svgs, b, as_of, session) for b in briefs]
    folder = usable_cache_dir(project.root)
    keys = [brief_key(p.html, p.memory, fonts) for p in prepared]
    pdfs = {k: kept_brief(folder, k, project.root) for k in keys}
    todo = [(b, p, k) for b, p, k in zip(briefs, prepared, keys, strict=True) if pdfs[k] is None]
    todo = list({k: (b, p, k) for b, p, k in todo}.values())  # identical briefs laid out once
    if told is not None:
        told(len(todo), len(briefs) - len(todo))

    def shorter(brief: Brief, caps: tuple[int, int]) -> Prepared:
        return brief_html(project, analysis, chart_svgs, brief, as_of, session, caps)

    made = _rendered_to_fit(todo, project.root, jobs, shorter)
    # Every brief is checked before any is written: a refused resource fails them all.
    for b, p, k in zip(briefs, prepared, keys, strict=True):
        if k in made and made[k][1]:
            raise _blocked_error(b.id, made[k][1], p.origins)
    pdfs.update({k: data for k, (data, _blocked, _read) in made.items()})
    kept = {k: (read, data) for k, (data, _blocked, read) in made.items()}
    keep_briefs(folder, kept, keys if brief_ids is None else None)
    log.debug("briefs: %d rendered, %d kept", len(made), len(keys) - len(made))
    written: list[str] = []
    for b, k in zip(briefs, keys, strict=True):
        data = pdfs[k]
        assert data is not None  # kept or rendered
        rel = f"briefs/{b.id}.pdf"
        target = stage_dir / "briefs" / f"{b.id}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        log.debug("brief %s", rel)
        written.append(rel)
    return written


def _rendered_to_fit(
    todo: list[tuple[Brief, Prepared, str]],
    root: Path,
    jobs: int,
    shorter: Callable[[Brief, tuple[int, int]], Prepared],
) -> dict[str, tuple[bytes, tuple, Read]]:
    """Each brief of `todo` (brief, its HTML, its key) rendered, by key. A summary laid out
    past page 1 (SPEC 8.10: page 1 is a one-page summary) is made again with fewer entries,
    as many as its layout measured (`fewer_entries`; `shorter`), and rendered again, until
    it fits or has nothing more to give back; when it never fits, it keeps every entry."""
    made: dict[str, tuple[bytes, tuple, Read]] = {}
    for attempt in range(FIT_TRIES + 1):
        again = []
        jobs_now = [(b.id, p.html, root, p.memory) for b, p, _k in todo]
        for (brief, prepared, key), (data, blocked, read, spill, measures) in zip(
            todo, _rendered(jobs_now, jobs), strict=True
        ):
            if attempt == 0 or spill <= 0:
                made[key] = (data, blocked, read)
            if spill <= 0:
                continue
            log.debug("brief %s: summary %.0f mm past page 1", brief.id, spill)
            remade = shorter(brief, fewer_entries(spill, dict(measures)))
            if remade.html != prepared.html:
                again.append((brief, remade, key))
        if not again:
            break
        todo = again
    return made


def _rendered(work: list[tuple[str, str, Path, Mapping[str, bytes]]], jobs: int) -> list:
    """`_render_job` of each job, on up to `jobs` worker processes."""
    if not work:
        return []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    if workers == 1:
        return [_render_job(job) for job in work]
    # Whole briefs go to workers: WeasyPrint layout is single-threaded and CPU-bound.
    with worker_pool(workers, _warm_pdf, _PDF_MODULES) as pool:
        return list(pool.map(_render_job, work))
