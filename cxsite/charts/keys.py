"""Which charts a site has, as plain-data jobs: `plan_charts`, and the key of each chart.

Keys are output paths relative to the site root. A key is absent when there is nothing to
draw (see the README section on charts). Drawing lives in `cxsite.charts.draw` (matplotlib),
caching and parallelism in `cxsite.charts.jobs`; this module imports neither at load time.
"""

from __future__ import annotations

from cxsite.analysis.lastchange import SinceChanges
from cxsite.analysis.types import Analysis
from cxsite.charts.curves import compare_job as states_compare_job
from cxsite.charts.curves import persona_lines_job
from cxsite.charts.jobs import ChartJob, ChartResult, job_digest
from cxsite.charts.plan import emotion_job, ipa_job, metric_jobs
from cxsite.charts.plancompare import compare_job
from cxsite.charts.planmatrix import (
    channel_phase_job,
    impact_effort_job,
    importance_job,
    pillars_job,
    pyramid_job,
)
from cxsite.charts.pool import render_charts
from cxsite.charts.words import with_words
from cxsite.i18n.bidi import isolate
from cxsite.model import Project

__all__ = [
    "CHANNEL_PHASE_KEY",
    "IMPACT_EFFORT_KEY",
    "IMPORTANCE_KEY",
    "PILLARS_KEY",
    "PYRAMID_KEY",
    "ChartJob",
    "ChartResult",
    "changes_chart_key",
    "changes_charts",
    "compare_chart_key",
    "ipa_chart_key",
    "job_digest",
    "journey_chart_key",
    "metric_composition_key",
    "metric_sparkline_key",
    "metric_trend_key",
    "plan_charts",
    "render_charts",
]

IMPORTANCE_KEY = "charts/importance-heatmap.svg"
CHANNEL_PHASE_KEY = "charts/channel-phase.svg"
IMPACT_EFFORT_KEY = "charts/impact-effort.svg"
PILLARS_KEY = "charts/pillars.svg"
PYRAMID_KEY = "charts/pyramid.svg"


def journey_chart_key(journey_id: str) -> str:
    """Key of a journey's emotion curve."""
    return f"charts/journey-{journey_id}-emotion.svg"


def compare_chart_key(current_id: str, future_id: str) -> str:
    """Key of the chart of an as-is journey and its to-be: the two ids apart by `_`, which
    no id holds (with `-`, `a` with `b-c` and `a-b` with `c` shared one file)."""
    return f"charts/compare-{current_id}_{future_id}.svg"


def metric_trend_key(metric_id: str) -> str:
    """Key of a metric's trend chart."""
    return f"charts/metric-{metric_id}-trend.svg"


def metric_composition_key(metric_id: str) -> str:
    """Key of an NPS metric's promoter/passive/detractor chart."""
    return f"charts/metric-{metric_id}-nps.svg"


def metric_sparkline_key(metric_id: str) -> str:
    """Key of a metric's sparkline for the KPI tiles."""
    return f"charts/metric-{metric_id}-spark.svg"


def ipa_chart_key(persona_id: str | None = None) -> str:
    """Key of the importance-performance chart of a persona, or of all personas (None)."""
    return (
        "charts/ipa-overall.svg" if persona_id is None else f"charts/ipa-persona-{persona_id}.svg"
    )


def changes_chart_key(journey_id: str) -> str:
    """Key of a journey's before/after emotion chart on changes.html."""
    return f"charts/changes-{journey_id}-emotion.svg"


def changes_charts(project: Project, since: SinceChanges | None) -> dict[str, ChartJob]:
    """The before/after emotion chart of each journey whose curve changed since
    `changes_since` (none without it)."""
    if since is None:
        return {}
    style = {"primary": project.config.brand.primary, "accent": project.config.brand.accent}
    labels = {str(v): project.config.emotion_label(v) for v in range(-2, 3)}
    msgs = project.config.messages
    jobs = {}
    for jid, points in sorted(since.curves.items()):
        has = any(p.before is not None or p.after is not None for p in points)
        if jid in project.journeys and has:
            title = project.journeys[jid].title
            job = compare_job(title, points, since.revision, labels, style, msgs)
            jobs[changes_chart_key(jid)] = with_words(job, msgs)
    return jobs


def plan_charts(project: Project, analysis: Analysis) -> dict[str, ChartJob]:
    """Every chart of the site and briefs, keyed by output path, in key order, each with the
    words its drawing writes in the project's language."""
    msgs = project.config.messages
    style = {"primary": project.config.brand.primary, "accent": project.config.brand.accent}
    jobs: dict[str, ChartJob | None] = {}
    for jid, curve in analysis.curves.items():
        if curve.per_persona and curve.has_emotions:
            jobs[journey_chart_key(jid)] = persona_lines_job(curve, project, style)
        elif curve.has_emotions:
            tracked = analysis.evidence.tracked
            jobs[journey_chart_key(jid)] = emotion_job(curve, project, style, tracked)
    for cmp in analysis.comparisons.values():
        if cmp.average_before is not None or cmp.average_after is not None:
            jobs[compare_chart_key(cmp.current_id, cmp.future_id)] = states_compare_job(
                cmp, project, style
            )
    for summary in analysis.metrics.values():
        jobs.update(
            metric_jobs(
                summary,
                project.metrics[summary.metric_id],
                style,
                msgs,
                (
                    metric_trend_key(summary.metric_id),
                    metric_sparkline_key(summary.metric_id),
                    metric_composition_key(summary.metric_id),
                ),
            )
        )
    if analysis.ipa_overall.points:
        jobs[ipa_chart_key()] = ipa_job(
            analysis.ipa_overall, msgs.text("charts.ipa.all_personas"), style, msgs
        )
    for pid, matrix in analysis.ipa_by_persona.items():
        if matrix.points:
            jobs[ipa_chart_key(pid)] = ipa_job(
                matrix, isolate(project.personas[pid].name), style, msgs
            )
    jobs[IMPORTANCE_KEY] = importance_job(project, analysis, style)
    jobs[CHANNEL_PHASE_KEY] = channel_phase_job(project, analysis, style)
    jobs[IMPACT_EFFORT_KEY] = impact_effort_job(project, analysis, style)
    jobs[PILLARS_KEY] = pillars_job(project, analysis, style)
    jobs[PYRAMID_KEY] = pyramid_job(project, analysis, style)
    return {k: with_words(v, msgs) for k, v in sorted(jobs.items()) if v is not None}
