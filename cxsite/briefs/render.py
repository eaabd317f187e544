"""PDF briefs: which briefs to build, rendering them, and the `cxsite pdf` command.

The HTML of each brief comes from the theme's `briefs/<kind>.html` template with the context
of `briefcontext.py`; `pdf.py` turns it into PDF bytes, in worker processes when there are
several briefs and several jobs.
"""

from __future__ import annotations

import difflib
import logging
import multiprocessing
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click

from cxsite.analysis.types import Analysis
from cxsite.cachefiles import CACHE_DIR
from cxsite.metricdata.types import MetricData
from cxsite.model import Brief, Project
from cxsite.problems import CxError

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
            close = difflib.get_close_matches(brief_id, list(by_id), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            known = ", ".join(sorted(by_id)) or "none"
            raise CxError(f"unknown brief '{brief_id}'{hint}; briefs in cxsite.yaml: {known}")
        if by_id[brief_id] not in chosen:
            chosen.append(by_id[brief_id])
    return chosen


def _render_job(job: tuple[str, str, Path, Mapping[str, bytes]]) -> tuple[str, bytes, tuple]:
    """Worker entry point: one brief's HTML to PDF bytes and its refused resources."""
    # lazy: `cxsite pdf` and briefs in a build load these only when briefs are made
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
) -> list[str]:
    """Write `briefs/<id>.pdf` under stage_dir for the chosen briefs; their relative paths."""
    # lazy: `cxsite pdf` and briefs in a build load these only when briefs are made
    from cxsite.briefs.context import brief_html

    # lazy: `cxsite pdf` and briefs in a build load these only when briefs are made
    from cxsite.load.asof import as_of_date

    briefs = select_briefs(project, brief_ids)
    as_of = as_of_date(project.root)
    prepared = [brief_html(project, analysis, chart_svgs, b, as_of) for b in briefs]
    work = [(b.id, p.html, project.root, p.memory) for b, p in zip(briefs, prepared, strict=True)]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    if workers == 1:
        results = [_render_job(job) for job in work]
    else:
        # Whole briefs go to workers: WeasyPrint layout is single-threaded and CPU-bound.
        # Where processes fork, import WeasyPrint once here so every worker starts warm;
        # only while this process has a single thread: `serve` has more, and forking a
        # threaded process can deadlock, so there the workers start from a fork server.
        methods = multiprocessing.get_all_start_methods()
        context = None
        if threading.active_count() == 1 and "fork" in methods:
            import weasyprint  # noqa: F401

            context = multiprocessing.get_context("fork")
        elif "forkserver" in methods:
            context = multiprocessing.get_context("forkserver")
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


def _write_atomically(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write folder/<name> for every file: all temporary files first, then the renames, so a
    full disk or Ctrl+C while writing leaves every previous brief as it was, and no temp file."""
    temps = {name: folder / f".{name}.cxsite-tmp" for name in files}
    try:
        for name, data in files.items():
            temps[name].write_bytes(data)
        for name, tmp in temps.items():
            os.replace(tmp, folder / name)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)


def build_briefs(
    project_dir: Path, output: Path | None, brief_ids: Sequence[str] | None, jobs: int | None
) -> list[str]:
    """`cxsite pdf`: validate, analyse, draw the charts, write the briefs into OUTPUT/briefs/."""
    # lazy: `cxsite pdf` and briefs in a build load these only when briefs are made
    from cxsite.validate.project import require_valid

    # lazy: `cxsite pdf` and briefs in a build load these only when briefs are made
    from cxsite.write import check_output

    checked = require_valid(project_dir, strict=False)
    project = checked.project
    assert project is not None  # require_valid raises on errors
    select_briefs(project, brief_ids)  # an unknown id fails before any work
    out = check_output(output or project_dir / "_site", project_dir)
    try:
        written = _produce_briefs(project, checked.metric_data, out, brief_ids, jobs)
    except (CxError, KeyboardInterrupt):
        raise
    except Exception as exc:
        # One user-facing line at this boundary (as in `cxsite build`); details in the debug log.
        log.debug("briefs failed", exc_info=True)
        reason = str(exc) or type(exc).__name__
        raise CxError(
            f"the briefs could not be built ({reason}); the previous briefs are unchanged"
        ) from exc
    for rel in written:
        click.echo(out / rel)
    return written


def _produce_briefs(
    project: Project,
    metric_data: Mapping[str, MetricData],
    out: Path,
    brief_ids: Sequence[str] | None,
    jobs: int | None,
) -> list[str]:
    """Everything of `cxsite pdf` after validation: analyse, charts, render, write atomically."""
    # lazy: `cxsite pdf` and briefs in a build load these only when briefs are made
    import tempfile

    # lazy: `cxsite pdf` and briefs in a build load these only when briefs are made
    from cxsite.analysis.analyse import analyse

    # lazy: `cxsite pdf` and briefs in a build load these only when briefs are made
    from cxsite.charts.keys import metric_trend_key, plan_charts, render_charts

    # lazy: `cxsite pdf` and briefs in a build load these only when briefs are made
    from cxsite.write import MARKER, MARKER_TEXT

    analysis = analyse(project, metric_data)
    workers = jobs or os.cpu_count() or 1
    # Only the charts a brief shows (the KPI trends), not every chart of the site.
    needed = {metric_trend_key(mid) for mid in project.metrics}
    planned = {k: job for k, job in plan_charts(project, analysis).items() if k in needed}
    charts = render_charts(planned, project.root / CACHE_DIR, workers)
    with tempfile.TemporaryDirectory(prefix="cxsite-briefs-") as tmp:
        written = render_briefs(project, analysis, charts.svgs, Path(tmp), brief_ids, workers)
        folder = out / "briefs"
        # A new output folder gets cxsite's marker, so a later `cxsite build` may replace it.
        if not out.exists() or not any(out.iterdir()):
            out.mkdir(parents=True, exist_ok=True)
            (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise CxError(f"refusing to write briefs into {folder}: not a plain folder")
        folder.mkdir(exist_ok=True)
        _write_atomically(
            folder, {Path(rel).name: (Path(tmp) / rel).read_bytes() for rel in written}
        )
    return written
