"""`cxsite pdf`: validate, analyse, render the PDF briefs into OUTPUT/briefs/ (all or none).

The briefs' charts come by the build's route (`charts_drawn`), so both read the chart cache
alike.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cxsite.analysis.analyse import analyse
from cxsite.briefs.glyphs import font_problems
from cxsite.briefs.render import render_briefs, select_briefs
from cxsite.cachefiles import CACHE_DIR
from cxsite.charts.keys import (
    metric_trend_key,
    plan_charts,
)
from cxsite.charts.pool import charts_drawn
from cxsite.commands.check import kept_validation, validated
from cxsite.commands.living import living_data
from cxsite.commands.report import SILENT, Reporter, briefs_step
from cxsite.load.asof import as_of_date
from cxsite.metricdata.types import MetricData
from cxsite.model import Project
from cxsite.problems import BriefsFailed, error_boundary, sort_problems
from cxsite.session import Session
from cxsite.write.output import check_output, write_briefs


@dataclass(frozen=True)
class BriefsWritten:
    """What `cxsite pdf` wrote: the output folder and each brief's path inside it."""

    output: Path
    briefs: list[str]

    def paths(self) -> list[Path]:
        """Every brief written, as a path (what `cxsite pdf` prints)."""
        return [self.output / rel for rel in self.briefs]


def build_briefs(
    project_dir: Path,
    output: Path | None,
    brief_ids: Sequence[str] | None,
    jobs: int | None,
    *,
    report: Reporter = SILENT,
) -> BriefsWritten:
    """Validate, analyse, draw the briefs' charts and write the briefs into OUTPUT/briefs/."""
    session = Session()
    session.new_build(as_of_date(project_dir))
    report.step("Validating")
    kept_validation(project_dir, session)
    checked = validated(project_dir, strict=False, report=report, session=session)
    project = checked.project
    assert project is not None  # require_valid raises on errors
    select_briefs(project, brief_ids)  # an unknown id fails before any work
    found = font_problems(project_dir, checked.marks, session)
    report.problems([problem.format() for problem in sort_problems(found)])
    shown = output or project_dir / "_site"  # as written: the paths printed start with it
    out = check_output(shown, project_dir)
    with (
        tempfile.TemporaryDirectory(prefix="cxsite-briefs-") as stage,
        error_boundary(
            BriefsFailed,
            "the briefs could not be built ({reason}); the previous briefs are unchanged",
        ),
    ):
        written = produce_briefs(
            project, checked.metric_data, Path(stage), brief_ids, jobs, session, report
        )
        write_briefs(out, {Path(rel).name: (Path(stage) / rel).read_bytes() for rel in written})
    return BriefsWritten(Path(shown), written)


def produce_briefs(
    project: Project,
    metric_data: Mapping[str, MetricData],
    stage: Path,
    brief_ids: Sequence[str] | None,
    jobs: int | None,
    session: Session,
    report: Reporter = SILENT,
) -> list[str]:
    """Everything of `cxsite pdf` after validation: analyse, take the charts the briefs show,
    render the briefs into `stage/briefs/`; their paths relative to `stage`."""
    analysis = analyse(project, metric_data, session.summaries, session.as_of)
    if session.living is None:  # `cxsite pdf` and serve's briefs: the briefs' `since` only
        as_of = session.as_of or as_of_date(project.root)
        session.living, _warnings = living_data(
            project, analysis, head=None, as_of=as_of, session=session, history=False
        )
    workers = jobs or os.cpu_count() or 1
    # Only the charts a brief shows (the KPI trends; the curves of journey briefs are drawn
    # inline), not every chart of the site.
    needed = {metric_trend_key(mid) for mid in project.metrics}
    planned = {k: job for k, job in plan_charts(project, analysis).items() if k in needed}
    cache_dir = project.root / CACHE_DIR
    with charts_drawn(planned, cache_dir, workers, session.svgs, complete=False) as drawn:
        charts = drawn()
    # after the drawing threads and processes have ended: the briefs start their own workers
    told = briefs_step(report)
    return render_briefs(project, analysis, charts.svgs, stage, brief_ids, workers, session, told)
