"""The context of an executive brief: KPI table and tiles, trend charts, ranked pain
points, the opportunity backlog with its impact x effort matrix, curves, moments of truth."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cxsite.analysis.formats import metric_number, trend_text
from cxsite.analysis.lastchange import SinceChanges
from cxsite.analysis.scores import health_order
from cxsite.analysis.types import Analysis
from cxsite.briefs.pdf import memory_url
from cxsite.briefs.views import curve_view, health_rows, where_text
from cxsite.model import LEVELS, Project
from cxsite.render.changes import KIND_TITLES, change_rows
from cxsite.render.env import fmt_metric, fmt_number

MAX_PAINS = 10
MAX_OPPORTUNITIES = 10
MAX_TRENDS = 4  # KPI trend charts in an executive brief (two pages, printed full size)
MAX_TILES = 9
MAX_CHANGES = 40  # rows of the "What changed" page (about two pages)


def _kpis(project: Project, analysis: Analysis) -> list[dict[str, Any]]:
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
                "value_text": fmt_metric(latest.value if latest else None, s.unit, s.kind),
                "moe_text": fmt_number(latest.moe) if latest and latest.moe is not None else None,
                "target_text": fmt_metric(s.target, s.unit, s.kind),
                "status": s.status or "none",
                # `▲ +20 · significant (p = 0.031)`, as the site shows it
                "trend_text": trend_text(trend, s.kind, scale=latest.value)
                if trend and latest
                else "–",
                "trend_class": trend.tone if trend else "flat",
                "tested": bool(trend and trend.significance),
                "n_text": fmt_number(latest.n, 0) if latest and latest.n is not None else "–",
                "period": latest.period if latest else None,
            }
        )
    return rows


def _kpi_charts(
    analysis: Analysis, chart_svgs: Mapping[str, bytes], order: list[str]
) -> list[dict[str, str]]:
    # lazy: the chart planner is needed only for the executive brief
    from cxsite.charts import keys as charts

    found = []
    for mid in order:
        s = analysis.metrics[mid]
        key = charts.metric_trend_key(mid)
        if key in chart_svgs and s.points:
            target = f"; target {metric_number(s.target, s.kind)}" if s.target is not None else ""
            found.append(
                {
                    "title": s.name,
                    "url": memory_url(key),
                    "alt": f"{s.name} by period{target}",
                    "caption": f"{len(s.points)} periods, {s.points[0].period} to "
                    f"{s.points[-1].period}{target}",
                }
            )
    return found


def _what_changed(since: SinceChanges | None) -> dict[str, Any] | None:
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
        title = "Project settings" if kind == "config" else f"{KIND_TITLES[kind]}: {name}"
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
) -> dict[str, Any]:
    """The context of an executive brief: KPIs, trends, pains, backlog, curves, moments,
    and what changed since the brief's `since` revision."""
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
                "satisfaction": fmt_number(sat[tid], 1) + " / 5" if tid in sat else "–",
                "metrics": ", ".join(
                    project.metrics[m].name for m in t.metrics if m in project.metrics
                ),
            }
        )
    # Off-target KPIs first when not every trend fits.
    by_status = sorted(kpis, key=lambda k: k["status"] != "off")
    kpi_charts = _kpi_charts(analysis, svgs, [k["id"] for k in by_status])
    trends_more = max(0, len(kpi_charts) - MAX_TRENDS)
    kpi_charts = kpi_charts if not trends_more else kpi_charts[:MAX_TRENDS]
    sections = [("kpis", "Key performance indicators")]
    if kpi_charts:
        sections.append(("kpi-trends", "KPI trends"))
    sections += [
        ("pain-points", "Top pain points"),
        ("opportunities", "Opportunity backlog"),
        ("journeys", "Journeys by health, and their emotion curves"),
        ("moments", "Moments of truth"),
    ]
    changed = _what_changed(since)
    if changed is not None:
        sections.append(("what-changed", f"What changed since {since.revision}"))
    with_target = [k for k in kpis if k["status"] != "none"]
    by_health = health_order(analysis.health)
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
        "what_changed": changed,
    }
