"""PDF briefs: which briefs to build, and rendering them.

The HTML of each brief comes from the theme's `briefs/<kind>.html` template with the context
of `briefs/context.py`; `briefs/pdf.py` turns it into PDF bytes, in worker processes (started
as `charts/pool.py` decides for every pool) when there are several briefs and several jobs.
The `cxsite pdf` command is in commands/pdf.py.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cxsite.analysis.types import Analysis
from cxsite.briefs.context import brief_html
from cxsite.briefs.pdf import require_fonts
from cxsite.charts.pool import pool_context
from cxsite.hints import did_you_mean
from cxsite.load.asof import as_of_date
from cxsite.model import Brief, Project
from cxsite.problems import CxError
from cxsite.session import Session

log = logging.getLogger(__name__)


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
            raise CxError(f"unknown brief '{brief_id}'{hint}; briefs in cxsite.yaml: {known}")
        if by_id[brief_id] not in chosen:
            chosen.append(by_id[brief_id])
    return chosen


# What a worker started from a fork server needs to render: imported there once.
_PDF_MODULES = ("cxsite.briefs.render", "weasyprint")


def _warm_pdf() -> None:
    """Import WeasyPrint here once, so that forked workers start with it."""
    # lazy: WeasyPrint is slow to import and only a build with briefs needs it
    import weasyprint  # noqa: F401


def _render_job(job: tuple[str, str, Path, Mapping[str, bytes]]) -> tuple[str, bytes, tuple]:
    """Worker entry point: one brief's HTML to PDF bytes and its refused resources."""
    # lazy: WeasyPrint is slow to import; a forked worker has it already (see _warm_pdf)
    from cxsite.briefs.pdf import render_pdf

    brief_id, html, root, memory = job
    result = render_pdf(html, root, memory)
    return brief_id, result.data, result.blocked


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
) -> list[str]:
    """Write `briefs/<id>.pdf` under stage_dir for the chosen briefs; their relative paths.

    The session (a build's, or serve's) gives the date and keeps compiled templates."""
    briefs = select_briefs(project, brief_ids)
    if briefs:
        require_fonts()  # before any worker starts: without fonts, rendering kills it
    session = session or Session()
    as_of = session.as_of or as_of_date(project.root)
    prepared = [brief_html(project, analysis, chart_svgs, b, as_of, session) for b in briefs]
    work = [(b.id, p.html, project.root, p.memory) for b, p in zip(briefs, prepared, strict=True)]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    if workers == 1:
        results = [_render_job(job) for job in work]
    else:
        # Whole briefs go to workers: WeasyPrint layout is single-threaded and CPU-bound.
        context = pool_context(_warm_pdf, preload=_PDF_MODULES)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_render_job, work))
    # Every brief is checked before any is written: a refused resource fails them all.
    for (brief_id, _data, blocked), prep in zip(results, prepared, strict=True):
        if blocked:
            raise _blocked_error(brief_id, blocked, prep.origins)
    written: list[str] = []
    for brief_id, data, _blocked in results:
        rel = f"briefs/{brief_id}.pdf"
        target = stage_dir / "briefs" / f"{brief_id}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        log.info("brief %s", rel)
        written.append(rel)
    return written
