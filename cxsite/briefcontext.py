"""The template context of each brief kind, built from the model and the analyses.

Templates get model objects and these small frozen views, never raw YAML. The HTML is
rendered here too, with the theme's `briefs/<kind>.html`; resources the PDF needs (chart
SVGs) are returned as an in-memory map that the PDF fetcher serves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin

from cxsite.analysis.types import Analysis, EmotionCurve, StageRef
from cxsite.model import Brief, Persona, Project, Stage
from cxsite.pdf import memory_url, pdf_date, project_base_url
from cxsite.render import environment, fmt_number, fmt_signed

KIND_LABELS = {
    "executive": "Customer experience executive brief",
    "persona": "Persona profile",
    "personas": "Persona book",
    "journey": "Journey map",
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_LEVEL = {"low": 0, "medium": 1, "high": 2}
STAGES_PER_PART = 6  # stage columns per landscape page of a journey map
MAX_PAINS = 10
MAX_OPPORTUNITIES = 10
MAX_TRENDS = 8  # KPI trend charts in an executive brief (two pages)
MAX_TILES = 9
_LISTS = (
    ("Goals", "goals"),
    ("Needs", "needs"),
    ("Motivations", "motivations"),
    ("Frustrations", "frustrations"),
    ("Behaviours", "behaviors"),
    ("Need states", "need_states"),
)


@dataclass(frozen=True)
class Prepared:
    """One brief ready for the PDF renderer: HTML, in-memory resources, resource origins."""

    html: str
    memory: Mapping[str, bytes]
    origins: Mapping[str, str]  # resolved URL -> "file: field" it comes from


@dataclass(frozen=True)
class StagePoint:
    """A stage on an emotion curve drawn by the templates."""

    name: str
    emotion: float | None
    is_peak: bool
    is_end: bool


@dataclass(frozen=True)
class CurveView:
    """A journey's emotion curve for a brief."""

    title: str
    personas: list[str]
    points: list[StagePoint]
    peak: str | None
    end: str | None


def date_text(day: dt.date) -> str:
    """`26 November 2026`, independent of the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def wrap_lines(name: str, width: int, lines: int = 2) -> list[str]:
    """A stage name in at most `lines` lines of about `width` characters (… when cut)."""
    out: list[str] = []
    for word in name.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(1, width - 1)].rstrip() + "…"
    return [line if len(line) <= width else line[: width - 1] + "…" for line in out]


def curve_view(project: Project, curve: EmotionCurve) -> CurveView:
    """The template view of one emotion curve with its peak and end."""
    journey = project.journeys[curve.journey_id]
    points = [
        StagePoint(s.name, s.emotion, s.index == curve.peak, s.index == curve.end)
        for s in curve.stages
    ]
    peak = curve.stages[curve.peak].name if curve.peak is not None else None
    return CurveView(
        title=curve.title,
        personas=[project.personas[p].name for p in journey.personas if p in project.personas],
        points=points,
        peak=peak,
        end=curve.stages[curve.end].name,
    )


def _where(project: Project, ref: StageRef, more: int = 0) -> str:
    title = project.journeys[ref.journey_id].title
    extra = f" (+{more} more)" if more else ""
    return f"{title} › {ref.stage_name}{extra}"


def _quantity(value: float | None, unit: str, digits: int = 2) -> str:
    """A value with its unit; `digits` at most (a trailing zero is never shown)."""
    if value is None:
        return "–"
    if unit == "%":
        return fmt_number(value, digits) + "%"
    if unit in ("", "score"):
        return fmt_number(value, 2)
    if len(unit) == 3 and unit.isupper():  # a currency code
        return f"{unit} {fmt_number(value, 0)}"
    return f"{fmt_number(value, digits)} {unit}"


def _kpis(project: Project, analysis: Analysis) -> list[dict[str, Any]]:
    order = {"satisfaction": 0, "behavioral": 1, "financial": 2, "operational": 3}
    rows = []
    for mid, s in analysis.metrics.items():
        metric = project.metrics[mid]
        latest, trend = s.latest, s.trend
        arrow = {"up": "▲", "down": "▼", "flat": "►"}[trend.direction] if trend else ""
        # Values computed from responses get one decimal; a typed-in series keeps its own.
        digits = 1 if s.source == "responses" else 2
        rows.append(
            {
                "id": mid,
                "name": s.name,
                "owner": metric.owner,
                "category": metric.effective_category,
                "value_text": _quantity(latest.value if latest else None, s.unit, digits),
                "moe_text": fmt_number(latest.moe) if latest and latest.moe is not None else None,
                "target_text": _quantity(s.target, s.unit) if s.target is not None else "–",
                "status": s.status or "none",
                "trend_text": f"{arrow} {fmt_signed(trend.delta)}" if trend else "–",
                "trend_class": {"better": "good", "worse": "bad"}.get(trend.verdict, "flat")
                if trend
                else "flat",
                "n_text": fmt_number(latest.n, 0) if latest and latest.n is not None else "–",
                "period": latest.period if latest else None,
            }
        )
    rows.sort(key=lambda r: (order.get(r["category"], 9), r["name"].casefold()))
    return rows


def _kpi_charts(
    analysis: Analysis, chart_svgs: Mapping[str, bytes], order: list[str]
) -> list[dict[str, str]]:
    from cxsite import charts

    found = []
    for mid in order:
        s = analysis.metrics[mid]
        key = charts.metric_trend_key(mid)
        if key in chart_svgs and s.points:
            target = f"; target {fmt_number(s.target)}" if s.target is not None else ""
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


def _executive(project: Project, analysis: Analysis, svgs: Mapping[str, bytes]) -> dict:
    kpis = _kpis(project, analysis)
    pains = [
        {
            "rank": p.rank,
            "text": p.text,
            "severity": p.severity,
            "where": _where(project, p.occurrences[0].where, len(p.occurrences) - 1),
            "journeys": len(p.journeys),
            "personas": len(p.personas),
        }
        for p in analysis.pains[:MAX_PAINS]
    ]
    items = analysis.backlog.items
    shown = items[:MAX_OPPORTUNITIES]
    # Each cell: the ranks of the listed opportunities, and how many more are not listed.
    matrix: dict[str, dict[str, dict[str, Any]]] = {
        i: {e: {"ranks": [], "more": 0} for e in _LEVEL} for i in _LEVEL
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
            "where": _where(project, o.occurrences[0].where, len(o.occurrences) - 1),
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
        ("journeys", "Journeys and emotion curves"),
        ("moments", "Moments of truth"),
    ]
    with_target = [k for k in kpis if k["status"] != "none"]
    return {
        "kpis": kpis,
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
        "journeys": [curve_view(project, c) for c in analysis.curves.values()],
        "moments": moments,
        "sections": [{"anchor": a, "title": t} for a, t in sections],
    }


def _persona_view(project: Project, analysis: Analysis, persona: Persona) -> dict[str, Any]:
    lists = [(label, getattr(persona, key)) for label, key in _LISTS if getattr(persona, key)]
    journeys = [
        curve_view(project, analysis.curves[jid])
        for jid, j in project.journeys.items()
        if persona.id in j.personas and jid in analysis.curves
    ]
    return {
        "persona": persona,
        "photo_url": persona.photo and quote(persona.photo),
        "lists": lists,
        "journeys": journeys,
    }


def _stage_view(project: Project, number: int, stage: Stage) -> dict[str, Any]:
    return {
        "number": number,
        "stage": stage,
        "touchpoints": [
            project.touchpoints[t].name for t in stage.touchpoints if t in project.touchpoints
        ],
        "metrics": [project.metrics[m].name for m in stage.metrics if m in project.metrics],
    }


def _journey(project: Project, analysis: Analysis, journey_id: str) -> dict[str, Any]:
    journey = project.journeys[journey_id]
    view = curve_view(project, analysis.curves[journey_id])
    stages = [_stage_view(project, i + 1, s) for i, s in enumerate(journey.stages)]
    parts = []
    # Balanced parts (7 stages: 4 + 3, not 6 + 1) so no page holds a lone narrow column.
    count = -(-len(stages) // STAGES_PER_PART)
    size = -(-len(stages) // count)
    for start in range(0, len(stages), size):
        chunk = stages[start : start + size]
        lanes = ("actions", "thoughts", "pain_points", "opportunities", "backstage")
        has = {lane: any(getattr(s["stage"], lane) for s in chunk) for lane in lanes}
        has["touchpoints"] = any(s["touchpoints"] for s in chunk)
        has["metrics"] = any(s["metrics"] for s in chunk)
        parts.append(
            {
                "stages": chunk,
                "points": view.points[start : start + size],
                "first": start + 1,
                "last": start + len(chunk),
                "has": has,
            }
        )
    pains = [
        {"text": p.text, "severity": p.severity, "where": s.name}
        for s in journey.stages
        for p in s.pain_points
    ]
    pains.sort(key=lambda p: -_LEVEL[p["severity"]])  # stable: stage order within a severity
    opportunities = [
        {
            "text": o.text,
            "impact": o.impact,
            "effort": o.effort,
            "status": o.status,
            "owner": o.owner,
            "where": s.name,
        }
        for s in journey.stages
        for o in s.opportunities
    ]
    opportunities.sort(key=lambda o: (-_LEVEL[o["impact"]], _LEVEL[o["effort"]]))
    return {
        "journey": journey,
        "persona_names": view.personas,
        "peak": view.peak,
        "end": view.end,
        "parts": parts,
        "pains": pains,
        "opportunities": opportunities,
    }


def _initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in (words[:1] + words[1:][-1:])) or "?"


def brief_html(
    project: Project,
    analysis: Analysis,
    chart_svgs: Mapping[str, bytes],
    brief: Brief,
    as_of: dt.date,
) -> Prepared:
    """Render one brief's HTML with its kind's template and collect what the PDF needs."""
    config = project.config
    base = project_base_url(project.root)
    origins: dict[str, str] = {}
    logo = config.brand.logo
    if logo:
        origins[urljoin(base, quote(logo))] = "cxsite.yaml: brand.logo"
    ctx: dict[str, Any] = {
        "brief": brief,
        "kind_label": KIND_LABELS[brief.kind],
        "organization": config.organization,
        "as_of_text": date_text(as_of),
        "pdf_date": pdf_date(as_of),
        "lang": config.language,
        "paper": brief.paper,
        "landscape": brief.kind == "journey",
        "brand": config.brand,
        "logo_url": quote(logo) if logo else None,
    }
    personas: list[Persona] = []
    if brief.kind == "executive":
        ctx["title"] = brief.title or f"{config.title}: executive brief"
        ctx.update(_executive(project, analysis, chart_svgs))
    elif brief.kind == "journey":
        journey = project.journeys[brief.journey or ""]
        ctx["title"] = brief.title or journey.title
        ctx.update(_journey(project, analysis, journey.id))
    else:
        if brief.kind == "persona":
            personas = [project.personas[brief.persona or ""]]
            ctx["title"] = brief.title or personas[0].name
        else:
            personas = list(project.personas.values())
            ctx["title"] = brief.title or "Our personas"
        ctx["personas"] = [_persona_view(project, analysis, p) for p in personas]
    for p in personas:
        if p.photo:
            source = project.sources.get(f"personas/{p.id}", f"personas/{p.id}.yaml")
            origins[urljoin(base, quote(p.photo))] = f"{source}: photo"
    env = environment(project)
    env.filters["initials"] = _initials
    env.filters["wrap_lines"] = wrap_lines
    html = env.get_template(f"briefs/{brief.kind}.html").render(ctx)
    memory = {k: v for k, v in chart_svgs.items() if memory_url(k) in html}
    return Prepared(html=html, memory=memory, origins=origins)
