"""The context of an executive brief: KPI table and tiles, trend charts, ranked pain
points, the opportunity backlog with its impact x effort matrix, curves, moments of truth."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cxsite.analysis.formats import metric_number
from cxsite.analysis.lastchange import SinceChanges
from cxsite.analysis.scores import health_order
from cxsite.analysis.types import Analysis
from cxsite.briefs.methods import methods_context
from cxsite.briefs.pdf import memory_url
from cxsite.briefs.summary import change_text, summary_context
from cxsite.briefs.views import curve_view, health_rows, where_text
from cxsite.i18n.bidi import isolate
from cxsite.i18n.catalogue import Messages
from cxsite.model import LEVELS, Brief, Project
from cxsite.render.changes import change_rows
from cxsite.render.env import fmt_metric, fmt_number

MAX_PAINS = 10
MAX_OPPORTUNITIES = 10
MAX_TRENDS = 4  # KPI trend charts in an executive brief (two pages, printed full size)
MAX_TILES = 9
MAX_CHANGES = 40  # rows of the "What changed" page (about two pages)


def _kpis(project: Project, analysis: Analysis) -> list[dict[str, Any]]:
    number = project.config.messages.number
    rows = []
    for mid in analysis.kpis:
        s, metric = analysis.metrics[mid], project.metrics[mid]
        latest, trend = s.latest, s.trend
        rows.append(
            {
                "id": mid,
                "name": s.name,
                "owner": metric.owner,
                "category": metric.effective_category,
                "value_text": fmt_metric(
                    latest.value if latest else None, s.unit, s.kind, project.config.messages
                ),
                "moe_text": number(metric_number(latest.moe, "moe"))
                if latest and latest.moe is not None
                else None,
                "target_text": fmt_metric(s.target, s.unit, s.kind, project.config.messages),
                "status": s.status or "none",
                # `▲ +20 · significant (p = 0.031)`, as the site shows it
                "trend_text": change_text(project.config.messages, trend, s.kind, latest.value)
                if trend and latest
                else "–",
                "trend_class": trend.tone if trend else "flat",
                "tested": bool(trend and trend.significance),
                "n_text": number(fmt_number(latest.n, 0))
                if latest and latest.n is not None
                else "–",
                "period": latest.period if latest else None,
            }
        )
    return rows


def _kpi_charts(
    messages: Messages, analysis: Analysis, chart_svgs: Mapping[str, bytes], order: list[str]
) -> list[dict[str, str]]:
    # lazy: the chart planner is needed only for the executive brief
    from cxsite.charts import keys as charts

    found = []
    for mid in order:
        s = analysis.metrics[mid]
        key = charts.metric_trend_key(mid)
        if key in chart_svgs and s.points:
            target = (
                messages.text(
                    "exec.trends.target", target=messages.number(metric_number(s.target, s.kind))
                )
                if s.target is not None
                else ""
            )
            span = messages.plural(
                "exec.trends.periods",
                len(s.points),
                first=s.points[0].period,
                last=s.points[-1].period,
            )
            found.append(
                {
                    "title": s.name,
                    "url": memory_url(key),
                    "alt": messages.text("exec.trends.alt", metric=isolate(s.name)) + target,
                    "caption": span + target,
                }
            )
    return found


def _what_changed(messages: Messages, since: SinceChanges | None) -> dict[str, Any] | None:
    """The "What changed" page of a brief with `since`: the changes by item, at most
    MAX_CHANGES rows (the rest are on the site's changes.html and in `cxsite diff`)."""
    if since is None:
        return None
    groups: list[dict[str, Any]] = []
    shown = 0
    total = len(since.report.changes) if since.report else 0
    for kind, eid, name, changes in since.report.entities() if since.report else ():
        if shown >= MAX_CHANGES:
            break
        rows = change_rows(changes[: MAX_CHANGES - shown])
        shown += len(rows)
        title = (
            messages.text("exec.changes.settings")
            if kind == "config"
            else messages.text(f"exec.changes.group.{kind}", name=name)
        )
        groups.append({"title": title, "id": eid, "rows": rows})
    return {
        "revision": since.revision,
        "commit": since.commit[:7] if since.commit else None,
        "problem": since.problem,
        "total": total,
        "more": total - shown,
        "groups": groups,
    }


def executive_context(
    project: Project,
    analysis: Analysis,
    svgs: Mapping[str, bytes],
    since: SinceChanges | None = None,
    brief: Brief | None = None,
    caps: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """The context of an executive brief: the summary page, KPIs, trends, pains, backlog,
    curves, moments, what changed since the brief's `since` revision, and the methods
    (`caps`: see `summary_context`)."""
    messages = project.config.messages
    kpis = _kpis(project, analysis)
    pains = [
        {
            "rank": p.rank,
            "text": p.text,
            "severity": p.severity,
            "where": where_text(project, p.occurrences[0].where, len(p.occurrences) - 1),
            "journeys": len(p.journeys),
            "personas": len(p.personas),
        }
        for p in analysis.pains[:MAX_PAINS]
    ]
    items = analysis.backlog.items
    shown = items[:MAX_OPPORTUNITIES]
    # Each cell: the ranks of the listed opportunities, and how many more are not listed.
    matrix: dict[str, dict[str, dict[str, Any]]] = {
        i: {e: {"ranks": [], "more": 0} for e in LEVELS} for i in LEVELS
    }
    for o in shown:
        matrix[o.impact][o.effort]["ranks"].append(str(o.rank))
    for o in items[MAX_OPPORTUNITIES:]:
        matrix[o.impact][o.effort]["more"] += 1
    opportunities = [
        {
            "rank": o.rank,
            "text": o.text,
            "impact": o.impact,
            "effort": o.effort,
            "status": o.status,
            "owner": ", ".join(o.owners) or None,
            "where": where_text(project, o.occurrences[0].where, len(o.occurrences) - 1),
        }
        for o in shown
    ]
    moments = []
    sat = {p.touchpoint_id: p.satisfaction for p in analysis.ipa_overall.points}
    for tid, t in project.touchpoints.items():
        if not t.moment_of_truth:
            continue
        usage = analysis.usage.get(tid)
        moments.append(
            {
                "name": t.name,
                "channel": t.channel,
                "phase": t.phase,
                "owner": t.owner,
                "used_in": ", ".join(project.journeys[j].title for j in usage.journeys)
                if usage
                else "",
                "satisfaction": messages.number(metric_number(sat[tid], "rating")) + " / 5"
                if tid in sat
                else "–",
                "metrics": ", ".join(
                    project.metrics[m].name for m in t.metrics if m in project.metrics
                ),
            }
        )
    # Off-target KPIs first when not every trend fits.
    by_status = sorted(kpis, key=lambda k: k["status"] != "off")
    kpi_charts = _kpi_charts(messages, analysis, svgs, [k["id"] for k in by_status])
    trends_more = max(0, len(kpi_charts) - MAX_TRENDS)
    kpi_charts = kpi_charts if not trends_more else kpi_charts[:MAX_TRENDS]
    by_health = health_order(analysis.health)
    # A section with nothing to show is left out of the brief and named once on page 1
    # ("Not yet recorded: ..."): a contents list of pages saying "No ... yet" read as a template.
    parts = [
        ("kpis", "exec.kpis.title", bool(kpis)),
        ("kpi-trends", "exec.trends.title", bool(kpi_charts)),
        ("pain-points", "exec.pains.title", bool(pains)),
        ("opportunities", "exec.opps.title", bool(opportunities)),
        ("journeys", "exec.journeys.title", bool(by_health)),
        ("moments", "exec.moments.title", bool(moments)),
    ]
    sections = [(anchor, messages.text(key)) for anchor, key, shown in parts if shown]
    # no trend charts is no gap of its own: the KPIs are missing, or have no series yet
    missing = [
        messages.text(key) for anchor, key, shown in parts if not shown and anchor != "kpi-trends"
    ]
    changed = _what_changed(messages, since)
    if changed is not None and since is not None:
        title = messages.text("exec.summary.changes", revision=since.revision)
        sections.append(("what-changed", title))
    methods = methods_context(project, analysis)
    if methods is not None:
        sections.append(("methods", messages.text("exec.methods.title")))
    default = Brief(id="executive", kind="executive")
    with_target = [k for k in kpis if k["status"] != "none"]
    return {
        "kpis": kpis,
        "kpis_tested": any(k["tested"] for k in kpis),
        "min_responses": project.config.min_responses,
        "kpis_with_target": len(with_target),
        "kpis_on_target": sum(k["status"] == "on" for k in with_target),
        "pains_high": sum(p.severity == "high" for p in analysis.pains),
        "opportunities_active": sum(o.status in ("planned", "in-progress") for o in items),
        "kpi_charts": kpi_charts,
        "kpi_tiles": kpis if len(kpis) <= MAX_TILES else [],
        "trends_more": trends_more,
        "pains": pains,
        "pains_more": max(0, len(analysis.pains) - MAX_PAINS),
        "opportunities": opportunities,
        "opportunities_more": max(0, len(items) - MAX_OPPORTUNITIES),
        "matrix": matrix,
        # by health, lowest first (SPEC 8.9), with the health rows above the curves
        "journeys": [
            curve_view(project, analysis.curves[j], tracked=analysis.evidence.tracked)
            for j in by_health
        ],
        "health_rows": health_rows(project, analysis),
        "moments": moments,
        "sections": [{"anchor": a, "title": t} for a, t in sections],
        "missing": missing,
        "what_changed": changed,
        "summary": summary_context(project, analysis, brief or default, since, caps),
        "methods": methods,
    }
