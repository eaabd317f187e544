"""The list of pages of SPEC section 7: output path, template, title, breadcrumbs, variables."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from cxsite.analysis.analyse import Analysis, IpaPoint, MetricSummary, RankedPain
from cxsite.analysis.touchpoints import heatmap_part
from cxsite.model import Project
from cxsite.site.context import Breakdown, Crumb, Page

HOME = Crumb("Home", "index.html")
BREAKDOWN_ROWS = 20  # segments a metric page's breakdown table shows at most (cx.json: all)


def _metric_usage(project: Project) -> dict[str, dict[str, list]]:
    """Metric id -> where it is referenced: touchpoints and journey stages."""
    usage: dict[str, dict[str, list]] = defaultdict(lambda: {"touchpoints": [], "stages": []})
    for tid, tp in project.touchpoints.items():
        for mid in tp.metrics:
            usage[mid]["touchpoints"].append(tid)
    for jid, journey in project.journeys.items():
        for index, stage in enumerate(journey.stages):
            for mid in stage.metrics:
                usage[mid]["stages"].append((jid, index, stage.name))
    return usage


def _segment_names(project: Project) -> dict[str, dict[str, str]]:
    """Breakdown column -> segment id -> the name a reader sees."""
    return {
        "persona": {k: v.name for k, v in project.personas.items()},
        "journey": {k: v.title for k, v in project.journeys.items()},
        "touchpoint": {k: v.name for k, v in project.touchpoints.items()},
    }


def _breakdowns(summary: MetricSummary, names: dict[str, dict[str, str]]) -> tuple[Breakdown, ...]:
    """A metric's breakdown tables: all rows in id order when they fit, else the
    BREAKDOWN_ROWS segments with the most responses (ties by name, then id)."""
    tables = []
    segments = set(summary.segments)
    for column, rows in [*summary.breakdowns.items(), *summary.segments.items()]:
        shown = rows
        if len(rows) > BREAKDOWN_ROWS:
            known = names.get(column, {})

            def order(row: tuple[str, Any], known: dict[str, str] = known) -> tuple:
                eid, point = row
                return (-(point.n or 0), known.get(eid, eid).casefold(), eid)

            shown = tuple(sorted(rows, key=order)[:BREAKDOWN_ROWS])
        tables.append(Breakdown(column, shown, len(rows), column in segments))
    return tuple(tables)


def _by_touchpoint(analysis: Analysis) -> tuple[dict[str, list[RankedPain]], dict[str, IpaPoint]]:
    """The ranked pains at each touchpoint (in rank order) and its overall IPA point."""
    pains: dict[str, list[RankedPain]] = defaultdict(list)
    for pain in analysis.pains:
        for tid in dict.fromkeys(pain.touchpoints):
            pains[tid].append(pain)
    points: dict[str, IpaPoint] = {}
    for point in analysis.ipa_overall.points:
        points.setdefault(point.touchpoint_id, point)
    return pains, points


def _index(path: str, template: str, title: str, section: str) -> Page:
    return Page(path, template, title, section, (HOME, Crumb(title)))


def _detail(kind: str, eid: str, title: str, extra: dict[str, Any]) -> Page:
    crumbs = (HOME, Crumb(kind.capitalize(), f"{kind}/index.html"), Crumb(title))
    return Page(f"{kind}/{eid}.html", f"{kind[:-1]}.html", title, kind, crumbs, extra)


def site_pages(project: Project, analysis: Analysis) -> list[Page]:
    """Every HTML page of the site, in a stable order."""
    pages = [
        Page("index.html", "index.html", "Overview", "home"),
        _index("personas/index.html", "personas.html", "Personas", "personas"),
        _index("journeys/index.html", "journeys.html", "Journeys", "journeys"),
        _index("touchpoints/index.html", "touchpoints.html", "Touchpoints", "touchpoints"),
        _index("metrics/index.html", "metrics.html", "Metrics", "metrics"),
        Page(
            "insights.html",
            "insights.html",
            "Insights",
            "insights",
            (HOME, Crumb("Insights")),
            {"heatmap": heatmap_part(analysis.importance)},
        ),
        _index("search.html", "search.html", "Search", "search"),
        Page("404.html", "404.html", "Page not found", "none"),
    ]
    journeys_of = defaultdict(list)
    for jid, journey in project.journeys.items():
        for pid in journey.personas:
            journeys_of[pid].append(jid)
    for pid, persona in project.personas.items():
        extra = {"persona": persona, "journey_ids": journeys_of.get(pid, [])}
        pages.append(_detail("personas", pid, persona.name, extra))
    for jid, journey in project.journeys.items():
        extra = {"journey": journey, "curve": analysis.curves[jid]}
        pages.append(_detail("journeys", jid, journey.title, extra))
    pains_at, ipa_point = _by_touchpoint(analysis)
    for tid, tp in project.touchpoints.items():
        extra = {
            "touchpoint": tp,
            "usage": analysis.usage[tid],
            "tp_pains": tuple(pains_at.get(tid, ())),
            "ipa_point": ipa_point.get(tid),
        }
        pages.append(_detail("touchpoints", tid, tp.name, extra))
    metric_usage = _metric_usage(project)
    names = _segment_names(project)
    for mid, metric in project.metrics.items():
        extra = {
            "metric": metric,
            "summary": analysis.metrics[mid],
            "breakdowns": _breakdowns(analysis.metrics[mid], names),
            "used_by": metric_usage.get(mid, {"touchpoints": [], "stages": []}),
        }
        pages.append(_detail("metrics", mid, metric.name, extra))
    return pages
