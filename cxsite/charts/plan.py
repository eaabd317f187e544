"""Building the plain-data chart jobs from the analyses: data, titles and alt text."""

from __future__ import annotations

import math
from typing import Any

from cxsite.analysis.touchpoints import heatmap_part
from cxsite.analysis.types import Analysis, EmotionCurve, HeatmapPart, Ipa, MetricSummary
from cxsite.charts.jobs import ChartJob
from cxsite.charts.labels import num, signed
from cxsite.model import LEVELS, Project
from cxsite.model.research import confidence_of


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def emotion_job(
    curve: EmotionCurve, project: Project, style: dict[str, Any], tracked: bool = False
) -> ChartJob:
    emotions = [_finite(s.emotion) for s in curve.stages]
    parts = [
        f"{s.name}: {s.label} ({signed(s.emotion)})" if s.emotion is not None else f"{s.name}: -"
        for s in curve.stages
    ]
    desc = f"Emotion across the {len(curve.stages)} stages of {curve.title}. " + "; ".join(parts)
    if curve.peak is not None:
        peak = curve.stages[curve.peak]
        desc += f". Peak: {peak.name} ({signed(peak.emotion)})"  # type: ignore[arg-type]
    end = curve.stages[curve.end]
    if end.emotion is not None:
        desc += f". End: {end.name} ({signed(end.emotion)})"
    missing = [s.name for s in curve.stages if s.emotion is None]
    if missing:
        desc += f". No emotion recorded for: {', '.join(missing)}"
    labels = {str(v): project.config.emotion_label(v) for v in range(-2, 3)}
    data: dict[str, Any] = {
        "stages": [s.name for s in curve.stages],
        "emotions": emotions,
        "peak": curve.peak,
        "end": curve.end,
        "labels": labels,
    }
    # Assumptions (SPEC 8.8): only when there are some, so other charts keep their bytes.
    assumed = _assumed(curve, project) if tracked else []
    if any(assumed):
        data["assumed"] = assumed
        names = [s.name for s, a in zip(curve.stages, assumed, strict=True) if a]
        desc += f". Assumptions, resting on no research yet: {', '.join(names)}"
    return ChartJob(
        kind="emotion",
        title=f"Emotion curve: {curve.title}",
        desc=desc + ".",
        data=data,
        style=style,
    )


def _assumed(curve: EmotionCurve, project: Project) -> list[bool]:
    """Per stage of the curve, whether it is an assumption (SPEC 8.8)."""
    journey = project.journeys.get(curve.journey_id)
    if journey is None:
        return [False] * len(curve.stages)
    return [confidence_of(stage) == "assumption" for stage in journey.stages]


def _series_desc(m: MetricSummary) -> str:
    unit = f" {m.unit}" if m.unit else ""
    if not m.points:
        return f"{m.name}: no data."
    values = ", ".join(f"{p.period} {num(p.value)}" for p in m.points[-12:])
    more = f" (last 12 of {len(m.points)})" if len(m.points) > 12 else ""
    text = f"{m.name}{unit and ' in' + unit} by period{more}: {values}."
    latest = m.latest
    assert latest is not None
    extra = [] if latest.n is None else [f"n={latest.n}"]
    if latest.moe is not None:
        extra.append(f"margin of error ±{num(latest.moe)}")
    text += f" Latest {num(latest.value)}{unit}" + (f" ({', '.join(extra)})" if extra else "")
    if m.target is not None:
        text += f"; target {num(m.target)}{unit}: {'on' if m.status == 'on' else 'off'} target"
    if m.trend is not None:
        t = m.trend
        move = "unchanged" if t.direction == "flat" else f"{t.direction} {num(abs(t.delta))}"
        text += f"; {move} vs {t.previous_period}" + (
            f" ({t.verdict})" if t.verdict != "same" else ""
        )
    if m.skipped:
        text += f". {m.skipped} non-numeric value(s) not shown"
    return text + "."


def metric_jobs(
    m: MetricSummary, style: dict[str, Any], trend_key: str, spark_key: str, nps_key: str
) -> dict[str, ChartJob]:
    if not m.points:
        return {}
    series = {
        "periods": [p.period for p in m.points],
        "values": [p.value for p in m.points],
        "moe": [_finite(p.moe) for p in m.points],
        "n": [p.n for p in m.points],
        "target": _finite(m.target),
        "better_high": m.better_high,
        "unit": m.unit,
        "status": m.status,
        "skipped": m.skipped,
    }
    desc = _series_desc(m)
    jobs = {
        trend_key: ChartJob("trend", f"{m.name}: trend", desc, series, style),
        spark_key: ChartJob("sparkline", f"{m.name}: sparkline", desc, series, style),
    }
    if m.composition:
        comp = m.composition
        rows = [
            f"{c.period}: {round(c.promoters * 100)} % promoters, {round(c.passives * 100)} % "
            f"passives, {round(c.detractors * 100)} % detractors" + (f" (n={c.n})" if c.n else "")
            for c in comp
        ]
        jobs[nps_key] = ChartJob(
            kind="composition",
            title=f"{m.name}: promoters, passives and detractors",
            desc="Share of promoters, passives and detractors by period. " + "; ".join(rows) + ".",
            data={
                "periods": [c.period for c in comp],
                "promoters": [c.promoters for c in comp],
                "passives": [c.passives for c in comp],
                "detractors": [c.detractors for c in comp],
                "n": [c.n for c in comp],
            },
            style=style,
        )
    return jobs


def ipa_job(matrix: Ipa, who: str, style: dict[str, Any]) -> ChartJob:
    by_quadrant = []
    for quadrant in (
        "Concentrate here",
        "Keep up the good work",
        "Low priority",
        "Possible overkill",
    ):
        names = [p.name for p in matrix.in_quadrant(quadrant)]
        if names:
            by_quadrant.append(f"{quadrant}: {', '.join(names)}")
    split = "the means of the ratings" if matrix.crosshair == "mean" else "the scale midpoint"
    desc = (
        f"Importance (1-5) against satisfaction (1-5) of {len(matrix.points)} touchpoints for "
        f"{who}, split at {split} (importance {num(matrix.importance_split)}, satisfaction "
        f"{num(matrix.satisfaction_split)}). " + "; ".join(by_quadrant) + "."
    )
    return ChartJob(
        kind="ipa",
        title=f"Importance-performance matrix: {who}",
        desc=desc,
        data={
            "points": [
                {
                    "name": p.name,
                    "importance": p.importance,
                    "satisfaction": p.satisfaction,
                    "quadrant": p.quadrant,
                }
                for p in matrix.points
            ],
            "importance_split": matrix.importance_split,
            "satisfaction_split": matrix.satisfaction_split,
        },
        style=style,
    )


def _count_list(pairs: list[tuple[str, int]]) -> str:
    return ", ".join(f"{name} {count}" for name, count in pairs)


def _heatmap_shown(part: HeatmapPart) -> str:
    """The sentence saying which part of a large heatmap is drawn ("" when all of it)."""
    shown = part.matrix
    parts = []
    if len(shown.touchpoints) < part.touchpoints_total:
        parts.append(
            f"the {len(shown.touchpoints)} touchpoints rated by the most of these personas, "
            f"of {part.touchpoints_total:,}"
        )
    if len(shown.personas) < part.personas_total:
        parts.append(
            f"the {len(shown.personas)} personas with the most ratings, of {part.personas_total:,}"
        )
    return f"Showing {', and '.join(parts)}. " if parts else ""


def importance_job(project: Project, analysis: Analysis, style: dict[str, Any]) -> ChartJob | None:
    """Persona x touchpoint importance heatmap; None without ratings.

    Large projects show the part `heatmap_part` chooses (the page's table shows the same),
    and the description says so.
    """
    part = heatmap_part(analysis.importance)
    m = part.matrix
    if not m.touchpoints:
        return None
    personas = [project.personas[p].name if p in project.personas else p for p in m.personas]
    touchpoints = [project.touchpoints[t].name for t in m.touchpoints]
    rows = []
    for t, name in enumerate(touchpoints):
        cells = [f"{personas[p]} {num(row[t])}" for p, row in enumerate(m.values)
                 if row[t] is not None]  # fmt: skip
        rows.append(f"{name}: {', '.join(cells) or 'not rated by these personas'}")
    return ChartJob(
        kind="heatmap",
        title="Importance of touchpoints by persona",
        desc="Importance (1-5) each persona gives each touchpoint; blank where not rated. "
        + _heatmap_shown(part)
        + "; ".join(rows)
        + ".",
        data={
            "rows": touchpoints,
            "cols": personas,
            # transposed: touchpoints are rows (long names read best horizontally)
            "values": [[row[t] for row in m.values] for t in range(len(m.touchpoints))],
            "vmin": 1,
            "vmax": 5,
            "empty": "not rated",
        },
        style=style,
    )


def _channel_name(channel: str) -> str:
    """A channel id as a label: "mobile-app" -> "Mobile app", "sms" -> "SMS"."""
    return "SMS" if channel == "sms" else channel.replace("-", " ").capitalize()


def channel_phase_job(analysis: Analysis, style: dict[str, Any]) -> ChartJob | None:
    """Channel x phase heatmap of touchpoint counts; None without touchpoints."""
    cov = analysis.coverage
    if not cov.channels:
        return None
    counts = cov.channel_phase_counts()
    rows = [
        f"{ch}: " + ", ".join(f"{ph} {counts[i][j]}" for j, ph in enumerate(cov.phases))
        for i, ch in enumerate(cov.channels)
    ]
    return ChartJob(
        kind="heatmap",
        title="Touchpoints by channel and phase",
        desc="Number of touchpoints per channel (rows) and phase (columns). "
        + "; ".join(rows)
        + ".",
        data={
            "rows": [_channel_name(c) for c in cov.channels],
            "cols": [p.capitalize() for p in cov.phases],
            "values": [list(r) for r in counts],
            "vmin": 0,
            "vmax": max(1, max(max(r) for r in counts)),
            "empty": "",
        },
        style=style,
    )


def impact_effort_job(analysis: Analysis, style: dict[str, Any]) -> ChartJob | None:
    """Opportunities on the impact x effort grid; None without opportunities."""
    backlog = analysis.backlog
    if not backlog.items:
        return None
    cells = [
        f"impact {imp}, effort {eff}: {backlog.matrix[i][j]}"
        for i, imp in enumerate(LEVELS)
        for j, eff in enumerate(LEVELS)
        if backlog.matrix[i][j]
    ]
    return ChartJob(
        kind="impact_effort",
        title="Opportunities by impact and effort",
        desc=f"{len(backlog.items)} opportunities by impact and effort. " + "; ".join(cells) + ".",
        data={"levels": list(LEVELS), "matrix": [list(r) for r in backlog.matrix]},
        style=style,
    )


def _coverage_job(
    kind: str,
    title: str,
    counts: list[tuple[str, int]],
    missing: int,
    what: str,
    style: dict[str, Any],
) -> ChartJob | None:
    """Touchpoints counted by one classification (pillar or pyramid level); None without
    touchpoints. `what` names the classification in the description ("CX pillar")."""
    if not sum(c for _, c in counts) + missing:
        return None
    noun = what.split()[-1]  # "pillar", "level"
    desc = f"Touchpoints per {what}: {_count_list(counts)}."
    if missing:
        desc += f" {missing} without a {noun}."
    labels = [name.replace("-", " ").capitalize() for name, _ in counts]
    return ChartJob(
        kind=kind,
        title=title,
        desc=desc,
        data={
            "labels": labels,
            "values": [c for _, c in counts],
            "note": f"{missing} without a {noun}" if missing else "",
        },
        style=style,
    )


def pillars_job(analysis: Analysis, style: dict[str, Any]) -> ChartJob | None:
    """Touchpoints per CX pillar (all ten); None without touchpoints."""
    cov = analysis.coverage
    title = "Touchpoints per CX pillar"
    return _coverage_job("bars", title, list(cov.pillars), cov.no_pillar, "CX pillar", style)


def pyramid_job(analysis: Analysis, style: dict[str, Any]) -> ChartJob | None:
    """Touchpoints on the CX pyramid; None without touchpoints."""
    cov = analysis.coverage
    title = "Touchpoints on the CX pyramid"
    return _coverage_job(
        "pyramid", title, list(cov.pyramid), cov.no_pyramid, "CX pyramid level", style
    )
