"""The plain-data jobs of the coverage charts (heatmaps, impact x effort, CX pillars and
pyramid), in the project's language: their words are the vocabulary the pages use."""

from __future__ import annotations

from typing import Any

from cxsite.analysis.touchpoints import heatmap_part
from cxsite.analysis.types import Analysis, HeatmapPart
from cxsite.charts.jobs import ChartJob
from cxsite.charts.labels import num
from cxsite.i18n.bidi import isolate
from cxsite.i18n.catalogue import Messages
from cxsite.model import LEVELS, Project


def _term(msgs: Messages, kind: str, value: str) -> str:
    """A vocabulary word (`pillar.back-office` -> "Back office"); a project's own id as words."""
    key = f"{kind}.{value}"
    if msgs.has(key):
        return msgs.text(key)
    return "SMS" if value == "sms" else value.replace("-", " ").capitalize()


def _phase_column(project: Project, phase: str) -> str:
    """A phase as a short column heading ("Before"), or the project's own label for it."""
    msgs = project.config.messages
    if f"phase.{phase}" in project.config.labels:
        return msgs.text(f"phase.{phase}")
    key = f"charts.phase.{phase}"
    return msgs.text(key) if msgs.has(key) else phase.capitalize()


def _heatmap_shown(part: HeatmapPart, msgs: Messages) -> str:
    """The sentence saying which part of a large heatmap is drawn ("" when all of it)."""
    shown = part.matrix
    touchpoints = personas = ""
    if len(shown.touchpoints) < part.touchpoints_total:
        touchpoints = msgs.text(
            "charts.importance.some_touchpoints",
            n=len(shown.touchpoints),
            total=msgs.number(f"{part.touchpoints_total:,}"),
        )
    if len(shown.personas) < part.personas_total:
        personas = msgs.text(
            "charts.importance.some_personas",
            n=len(shown.personas),
            total=msgs.number(f"{part.personas_total:,}"),
        )
    if touchpoints and personas:
        return msgs.text("charts.importance.shown_both", first=touchpoints, second=personas) + " "
    if touchpoints or personas:
        return msgs.text("charts.importance.shown", what=touchpoints or personas) + " "
    return ""


def importance_job(project: Project, analysis: Analysis, style: dict[str, Any]) -> ChartJob | None:
    """Persona x touchpoint importance heatmap; None without ratings.

    Large projects show the part `heatmap_part` chooses (the page's table shows the same),
    and the description says so.
    """
    msgs = project.config.messages
    part = heatmap_part(analysis.importance)
    m = part.matrix
    if not m.touchpoints:
        return None
    personas = [project.personas[p].name if p in project.personas else p for p in m.personas]
    named = [isolate(name) for name in personas]  # plain text beside numbers in the desc
    touchpoints = [project.touchpoints[t].name for t in m.touchpoints]
    unrated = msgs.text("charts.importance.unrated_row")
    rows = []
    for t, name in enumerate(touchpoints):
        cells = [f"{named[p]} {msgs.number(num(row[t]))}" for p, row in enumerate(m.values)
                 if row[t] is not None]  # fmt: skip
        rows.append(f"{isolate(name)}: {', '.join(cells) or unrated}")
    return ChartJob(
        kind="heatmap",
        title=msgs.text("charts.importance.title"),
        desc=msgs.text("charts.importance.desc")
        + " "
        + _heatmap_shown(part, msgs)
        + "; ".join(rows)
        + ".",
        data={
            "rows": touchpoints,
            "cols": personas,
            # transposed: touchpoints are rows (long names read best horizontally)
            "values": [[row[t] for row in m.values] for t in range(len(m.touchpoints))],
            "vmin": 1,
            "vmax": 5,
            "empty": msgs.text("charts.importance.unrated"),
        },
        style=style,
    )


def channel_phase_job(
    project: Project, analysis: Analysis, style: dict[str, Any]
) -> ChartJob | None:
    """Channel x phase heatmap of touchpoint counts; None without touchpoints."""
    msgs = project.config.messages
    cov = analysis.coverage
    if not cov.channels:
        return None
    counts = cov.channel_phase_counts()
    channels = [_term(msgs, "channel", c) for c in cov.channels]
    phases = [_phase_column(project, p) for p in cov.phases]
    named = [isolate(ph) for ph in phases]  # plain text beside numbers in the desc
    rows = [
        f"{isolate(ch)}: " + ", ".join(f"{ph} {counts[i][j]}" for j, ph in enumerate(named))
        for i, ch in enumerate(channels)
    ]
    return ChartJob(
        kind="heatmap",
        title=msgs.text("charts.channel_phase.title"),
        desc=msgs.text("charts.channel_phase.desc") + " " + "; ".join(rows) + ".",
        data={
            "rows": channels,
            "cols": phases,
            "values": [list(r) for r in counts],
            "vmin": 0,
            "vmax": max(1, max(max(r) for r in counts)),
            "empty": "",
        },
        style=style,
    )


def impact_effort_job(
    project: Project, analysis: Analysis, style: dict[str, Any]
) -> ChartJob | None:
    """Opportunities on the impact x effort grid; None without opportunities."""
    msgs = project.config.messages
    backlog = analysis.backlog
    if not backlog.items:
        return None
    words = {level: _term(msgs, "level", level).lower() for level in LEVELS}
    cells = [
        msgs.text(
            "charts.impact_effort.cell",
            impact=words[imp],
            effort=words[eff],
            n=backlog.matrix[i][j],
        )
        for i, imp in enumerate(LEVELS)
        for j, eff in enumerate(LEVELS)
        if backlog.matrix[i][j]
    ]
    desc = msgs.plural("charts.impact_effort.desc", len(backlog.items))
    return ChartJob(
        kind="impact_effort",
        title=msgs.text("charts.impact_effort.title"),
        desc=desc + " " + "; ".join(cells) + ".",
        data={"levels": list(LEVELS), "matrix": [list(r) for r in backlog.matrix]},
        style=style,
    )


def _coverage_job(
    project: Project,
    kind: str,
    vocabulary: str,
    counts: list[tuple[str, int]],
    missing: int,
    style: dict[str, Any],
) -> ChartJob | None:
    """Touchpoints counted by one classification (`vocabulary`: pillar or pyramid level); None
    without touchpoints."""
    if not sum(c for _, c in counts) + missing:
        return None
    msgs = project.config.messages
    labels = [_term(msgs, vocabulary, name) for name, _ in counts]
    listed = ", ".join(
        f"{isolate(label)} {c}" for label, (_, c) in zip(labels, counts, strict=True)
    )
    if vocabulary == "pillar":
        title = msgs.text("charts.pillars.title")
        desc = msgs.text("charts.pillars.desc", counts=listed)
        note = msgs.plural("charts.pillars.missing", missing) if missing else ""
    else:
        title = msgs.text("charts.pyramid.title")
        desc = msgs.text("charts.pyramid.desc", counts=listed)
        note = msgs.plural("charts.pyramid.missing", missing) if missing else ""
    return ChartJob(
        kind=kind,
        title=title,
        desc=desc + (f" {note}." if note else ""),
        data={"labels": labels, "values": [c for _, c in counts], "note": note},
        style=style,
    )


def pillars_job(project: Project, analysis: Analysis, style: dict[str, Any]) -> ChartJob | None:
    """Touchpoints per CX pillar (all ten); None without touchpoints."""
    cov = analysis.coverage
    return _coverage_job(project, "bars", "pillar", list(cov.pillars), cov.no_pillar, style)


def pyramid_job(project: Project, analysis: Analysis, style: dict[str, Any]) -> ChartJob | None:
    """Touchpoints on the CX pyramid; None without touchpoints."""
    cov = analysis.coverage
    return _coverage_job(project, "pyramid", "pyramid", list(cov.pyramid), cov.no_pyramid, style)
