"""The list of pages of SPEC section 7: output path, template, title, breadcrumbs, variables."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from cxsite.analyse import Analysis
from cxsite.context import Crumb, Page
from cxsite.model import Project

HOME = Crumb("Home", "index.html")


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
        _index("insights.html", "insights.html", "Insights", "insights"),
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
    for tid, tp in project.touchpoints.items():
        extra = {"touchpoint": tp, "usage": analysis.usage[tid]}
        pages.append(_detail("touchpoints", tid, tp.name, extra))
    metric_usage = _metric_usage(project)
    for mid, metric in project.metrics.items():
        extra = {
            "metric": metric,
            "summary": analysis.metrics[mid],
            "used_by": metric_usage.get(mid, {"touchpoints": [], "stages": []}),
        }
        pages.append(_detail("metrics", mid, metric.name, extra))
    return pages
