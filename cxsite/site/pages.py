"""The list of pages of SPEC section 7: output path, template, title, breadcrumbs, variables."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import replace
from typing import Any

from cxsite.analysis.analyse import Analysis, IpaPoint, MetricSummary, RankedPain
from cxsite.analysis.freshness import freshness
from cxsite.analysis.hierarchy import has_blueprint
from cxsite.analysis.lastchange import Living, SinceChanges
from cxsite.analysis.metrics import attributed_metrics
from cxsite.analysis.touchpoints import heatmap_part
from cxsite.i18n.catalogue import Messages, section_key
from cxsite.interop.mermaid import journey_diagram
from cxsite.model import Project
from cxsite.render.changes import change_rows
from cxsite.site.context import Breakdown, Crumb, Page, home_crumb
from cxsite.site.research import research_pages

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
    """Breakdown column -> segment id -> the name a reader sees, casefolded (to order by)."""
    return {
        "persona": {k: v.name.casefold() for k, v in project.personas.items()},
        "journey": {k: v.title.casefold() for k, v in project.journeys.items()},
        "touchpoint": {k: v.name.casefold() for k, v in project.touchpoints.items()},
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
                name = known.get(eid)
                return (-(point.n or 0), eid.casefold() if name is None else name, eid)

            # as sorted(...)[:BREAKDOWN_ROWS], without sorting a thousand rows
            shown = tuple(heapq.nsmallest(BREAKDOWN_ROWS, rows, key=order))
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


def _structure(analysis: Analysis, jid: str) -> dict[str, Any]:
    """A journey page's share of the hierarchy: the stages it is part of (root first) and
    the roll-up of each sub-journey its stages zoom into."""
    tree = analysis.hierarchy
    kids = tree.children.get(jid, ())
    return {"part_of": tree.ancestors(jid), "rollups": {k: tree.rollups[k] for k in kids}}


def _index(messages: Messages, path: str, template: str, section: str) -> Page:
    """An index page: its title is the navigation's name of its section."""
    title = messages.text(section_key(section))
    return Page(path, template, title, section, (home_crumb(messages), Crumb(title)))


def _detail(messages: Messages, kind: str, eid: str, title: str, extra: dict[str, Any]) -> Page:
    section = Crumb(messages.text(section_key(kind)), f"{kind}/index.html")
    crumbs = (home_crumb(messages), section, Crumb(title))
    return Page(f"{kind}/{eid}.html", f"{kind[:-1]}.html", title, kind, crumbs, extra)


def _last_change_texts(project: Project, living: Living) -> dict[str, str]:
    """The freshness table's "last change" cells, by entity file: date and short hash."""
    messages = project.config.messages
    texts = {}
    for key, change in living.last.items():
        source = project.sources.get(key, f"{key}.yaml")
        if change.short is None or change.date is None:
            texts[source] = messages.text("site.freshness.uncommitted")
        else:
            edited = " " + messages.text("site.freshness.edited") if change.uncommitted else ""
            day = messages.date(change.date, "short")  # as the table's other dates read
            texts[source] = f"{day} · {change.short}{edited}"
    return texts


def _changes_page(since: SinceChanges, project: Project) -> Page:
    """changes.html: the report since `changes_since`, grouped by entity, with the curves."""
    groups = []
    if since.report is not None:
        for kind, eid, name, changes in since.report.entities():
            folder = f"{kind}s/{eid}.html"
            present = kind != "config" and eid in getattr(project, f"{kind}s")
            link = folder if present else None
            rows = change_rows(changes, project.config.messages)
            groups.append((kind, eid, name, link, tuple(rows)))
    extra = {"since": since, "change_groups": tuple(groups)}
    messages = project.config.messages
    crumbs = (home_crumb(messages), Crumb(messages.text("nav.changes")))
    title = messages.text("site.title.changes")
    return Page("changes.html", "changes.html", title, "changes", crumbs, extra)


def site_pages(
    project: Project, analysis: Analysis, as_of: dt.date, living: Living | None = None
) -> list[Page]:
    """Every HTML page of the site, in a stable order; `as_of` dates the review statuses,
    `living` is what git adds (the last change on each entity page, changes.html)."""
    living = living or Living()
    messages = project.config.messages
    texts = _last_change_texts(project, living)
    pages = [
        Page("index.html", "index.html", messages.text("site.title.home"), "home"),
        _index(messages, "personas/index.html", "personas.html", "personas"),
        _index(messages, "journeys/index.html", "journeys.html", "journeys"),
        _index(messages, "touchpoints/index.html", "touchpoints.html", "touchpoints"),
        _index(messages, "metrics/index.html", "metrics.html", "metrics"),
        replace(
            _index(messages, "insights.html", "insights.html", "insights"),
            extra={"heatmap": heatmap_part(analysis.importance)},
        ),
        _index(messages, "search.html", "search.html", "search"),
        replace(
            _index(messages, "freshness.html", "freshness.html", "freshness"),
            extra={"freshness": freshness(project, as_of, texts)},
        ),
        Page("404.html", "404.html", messages.text("site.title.missing"), "none"),
    ]
    if living.since is not None:
        pages.append(_changes_page(living.since, project))

    attributed = attributed_metrics(analysis.metrics)

    def metrics_at(column: str, eid: str) -> tuple[str, ...]:
        return attributed.get(column, {}).get(eid, ())

    journeys_of = defaultdict(list)
    for jid, journey in project.journeys.items():
        for pid in journey.personas:
            journeys_of[pid].append(jid)
    for pid, persona in project.personas.items():
        extra = {
            "persona": persona,
            "journey_ids": journeys_of.get(pid, []),
            "last_change": living.last.get(f"personas/{pid}"),
            "segment_metrics": metrics_at("persona", pid),
        }
        pages.append(_detail(messages, "personas", pid, persona.name, extra))
    for jid, journey in project.journeys.items():
        extra = {
            "journey": journey,
            "curve": analysis.curves[jid],
            "last_change": living.last.get(f"journeys/{jid}"),
            "mermaid": journey_diagram(project, jid),
            "segment_metrics": metrics_at("journey", jid),
            **_structure(analysis, jid),
        }
        extra["blueprint"] = has_blueprint(journey)
        page = _detail(messages, "journeys", jid, journey.title, extra)
        if extra["part_of"]:  # a sub-journey: its parents between the index and itself
            ancestors = tuple(
                Crumb(project.journeys[ref.journey_id].title, f"journeys/{ref.journey_id}.html")
                for ref in extra["part_of"]
            )
            page = replace(page, crumbs=(*page.crumbs[:2], *ancestors, page.crumbs[-1]))
        pages.append(page)
    pains_at, ipa_point = _by_touchpoint(analysis)
    for tid, tp in project.touchpoints.items():
        extra = {
            "touchpoint": tp,
            "usage": analysis.usage[tid],
            "tp_pains": tuple(pains_at.get(tid, ())),
            "ipa_point": ipa_point.get(tid),
            "last_change": living.last.get(f"touchpoints/{tid}"),
            "segment_metrics": metrics_at("touchpoint", tid),
        }
        pages.append(_detail(messages, "touchpoints", tid, tp.name, extra))
    metric_usage = _metric_usage(project)
    names = _segment_names(project)
    for mid, metric in project.metrics.items():
        extra = {
            "metric": metric,
            "summary": analysis.metrics[mid],
            "breakdowns": _breakdowns(analysis.metrics[mid], names),
            "used_by": metric_usage.get(mid, {"touchpoints": [], "stages": []}),
            "last_change": living.last.get(f"metrics/{mid}"),
        }
        pages.append(_detail(messages, "metrics", mid, metric.name, extra))
    pages += research_pages(project, analysis)
    return pages
