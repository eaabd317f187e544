"""The template context of each brief kind, built from the model and the analyses.

Templates get model objects and these small frozen views, never raw YAML. The HTML is
rendered here too, with the theme's `briefs/<kind>.html`; resources the PDF needs (chart
SVGs) are returned as an in-memory map that the PDF fetcher serves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urljoin

from markupsafe import Markup

from cxsite.analysis.hierarchy import has_blueprint
from cxsite.analysis.journeys import opportunity_order, pain_order
from cxsite.analysis.types import Analysis
from cxsite.briefs.curves import journey_charts
from cxsite.briefs.executive import executive_context
from cxsite.briefs.pdf import memory_url, pdf_date, project_base_url
from cxsite.briefs.views import (
    PERSONA_LISTS,
    STAGES_PER_PART,
    STAGES_PER_PART_A3,
    Prepared,
    curve_view,
    kind_label,
    page_counter,
    print_bdi,
    tall_lanes,
    wrap_lines,
)
from cxsite.charts.fonts import for_print
from cxsite.i18n.bidi import text_dir
from cxsite.model import Brief, Journey, Persona, Project, Stage
from cxsite.render.env import environment
from cxsite.session import Session


def _persona_view(project: Project, analysis: Analysis, persona: Persona) -> dict[str, Any]:
    text = project.config.messages.text
    lists = [
        (text(f"brief.persona.{key}"), getattr(persona, key))
        for key in PERSONA_LISTS
        if getattr(persona, key)
    ]
    journeys = [
        curve_view(project, analysis.curves[jid], persona.id, analysis.evidence.tracked)
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


def _structure(project: Project, analysis: Analysis, journey: Journey) -> dict[str, Any]:
    """A journey brief's share of the journey structure: what it is part of, the sub-journey
    roll-ups of its stages, and whether it prints the service blueprint."""
    tree = analysis.hierarchy
    markup = project.config.messages.markup
    part_of = [
        markup(
            "brief.where",
            journey=print_bdi(project.journeys[ref.journey_id].title),
            stage=print_bdi(ref.stage_name),
        )
        for ref in tree.ancestors(journey.id)
    ]
    rollups = {
        kid: (project.journeys[kid].title, tree.rollups[kid])
        for kid in tree.children.get(journey.id, ())
    }
    return {
        "part_of": Markup(" › ").join(part_of),
        "rollups": rollups,
        "blueprint": has_blueprint(journey),
    }


def _journey(
    project: Project, analysis: Analysis, journey_id: str, paper: str = "A4"
) -> dict[str, Any]:
    journey = project.journeys[journey_id]
    view = curve_view(project, analysis.curves[journey_id], tracked=analysis.evidence.tracked)
    stages = [_stage_view(project, i + 1, s) for i, s in enumerate(journey.stages)]
    parts = []
    # Balanced parts (7 stages: 4 + 3, not 6 + 1) so no page holds a lone narrow column.
    # On A3 (a wall poster) a map of up to 9 stages fits one page.
    per_part = STAGES_PER_PART_A3 if paper == "A3" else STAGES_PER_PART
    count = -(-len(stages) // per_part)
    size = -(-len(stages) // count)
    for start in range(0, len(stages), size):
        chunk = stages[start : start + size]
        lanes = ("actions", "thoughts", "pain_points", "opportunities", "backstage")
        has = {lane: any(getattr(s["stage"], lane) for s in chunk) for lane in lanes}
        has["touchpoints"] = any(s["touchpoints"] for s in chunk)
        has["metrics"] = any(s["metrics"] for s in chunk)
        has["detail"] = any(s["stage"].detail for s in chunk)
        parts.append(
            {
                "stages": chunk,
                "points": view.points[start : start + size],
                "lines": [
                    dataclasses.replace(line, points=line.points[start : start + size])
                    for line in view.lines
                ],
                "first": start + 1,
                "last": start + len(chunk),
                "has": has,
                "tall": tall_lanes([s["stage"] for s in chunk], paper),
            }
        )
    names = {pid: p.name for pid, p in project.personas.items()}
    pains = [
        {
            "text": p.text,
            "severity": p.severity,
            "where": s.name,
            "personas": [names.get(x, x) for x in p.personas or ()],
        }
        for s in journey.stages
        for p in s.pain_points
    ]
    pains.sort(key=lambda p: pain_order(p["severity"]))  # stable: stage order within a severity
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
    opportunities.sort(key=lambda o: opportunity_order(o["impact"], o["effort"]))
    return {
        **_structure(project, analysis, journey),
        "journey": journey,
        "curve": analysis.curves[journey_id],
        "lines": view.lines,
        "points": view.points,
        "persona_names": view.personas,
        "peak": view.peak,
        "end": view.end,
        "parts": parts,
        "pains": pains,
        "opportunities": opportunities,
    }


def brief_html(
    project: Project,
    analysis: Analysis,
    chart_svgs: Mapping[str, bytes],
    brief: Brief,
    as_of: dt.date,
    session: Session | None = None,
    caps: tuple[int, int] | None = None,
) -> Prepared:
    """Render one brief's HTML with its kind's template and collect what the PDF needs
    (`session` keeps the compiled templates and Markdown for the next brief; `caps`: the
    KPI rows and risks of an executive summary, see `summary_context`)."""
    config = project.config
    messages = config.messages
    base = project_base_url(project.root)
    origins: dict[str, str] = {}
    logo = config.brand.logo
    if logo:
        origins[urljoin(base, quote(logo))] = "cxsite.yaml: brand.logo"
    ctx: dict[str, Any] = {
        "brief": brief,
        "kind_label": kind_label(messages, brief.kind),
        "organization": config.organization,
        "as_of_text": messages.date(as_of, "long"),
        "page_counter": page_counter(messages),
        "pdf_date": pdf_date(as_of),
        # the document language (HTML `lang`, hence the PDF's /Lang): the project's tag
        "lang": config.language.replace("_", "-"),
        "paper": brief.paper,
        "landscape": brief.kind == "journey",
        "brand": config.brand,
        "logo_url": quote(logo) if logo else None,
        # evidence and health (SPEC 8.8, 8.9)
        "research": project.research,
        "evidence": analysis.evidence,
        "health": analysis.health,
    }
    personas: list[Persona] = []
    if brief.kind == "executive":
        ctx["title"] = brief.title or messages.text("brief.title.executive", title=config.title)
        living = session.living if session is not None else None
        since = living.briefs.get(brief.id) if living is not None else None
        ctx.update(executive_context(project, analysis, chart_svgs, since, brief, caps))
    elif brief.kind == "journey":
        journey = project.journeys[brief.journey or ""]
        ctx["title"] = brief.title or journey.title
        ctx.update(_journey(project, analysis, journey.id, brief.paper))
        ctx.update(journey_charts(project, analysis, journey.id, brief.compare or False))
    else:
        if brief.kind == "persona":
            personas = [project.personas[brief.persona or ""]]
            ctx["title"] = brief.title or personas[0].name
        else:
            personas = list(project.personas.values())
            ctx["title"] = brief.title or messages.text("brief.title.personas")
        ctx["personas"] = [_persona_view(project, analysis, p) for p in personas]
    for p in personas:
        if p.photo:
            source = project.sources.get(f"personas/{p.id}", f"personas/{p.id}.yaml")
            origins[urljoin(base, quote(p.photo))] = f"{source}: photo"
    env = environment(project, session)
    env.filters["wrap_lines"] = wrap_lines
    env.filters["text_dir"] = text_dir
    env.filters["bdi"] = print_bdi
    env.filters["persona_name"] = lambda pid: (
        project.personas[pid].name if pid in project.personas else pid
    )
    html = env.get_template(f"briefs/{brief.kind}.html").render(ctx)
    memory = {k: for_print(v) for k, v in chart_svgs.items() if memory_url(k) in html}
    return Prepared(html=html, memory=memory, origins=origins)
