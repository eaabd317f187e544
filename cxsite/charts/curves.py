"""The plain-data jobs of the charts with several emotion curves: a journey's curve per
persona, and an as-is journey with its to-be (SPEC 8.7). Drawn by charts/draw/curves.py."""

from __future__ import annotations

from typing import Any

from cxsite.analysis.types import Comparison, EmotionCurve, PersonaCurve
from cxsite.charts.jobs import ChartJob
from cxsite.charts.labels import signed
from cxsite.model import Project

# The look of line k (k mod 7) wherever several curves share a chart: the SVG charts, the
# pages (the --pc-k colours of cxsite.css and the marker shapes of curves.html) and the
# briefs. Okabe-Ito colours, in an order whose neighbours differ in lightness too.
LINE_COLOURS = ("#0072B2", "#E69F00", "#CC79A7", "#009E73", "#56B4E9", "#D55E00", "#000000")
MARKERS = ("circle", "square", "diamond", "up", "down", "plus", "cross")
DASHES = ("solid", "dashed", "dotted", "dashdot")


def line_look(index: int) -> dict[str, str]:
    """The colour, marker shape and dash of the index-th line of a chart."""
    return {
        "colour": LINE_COLOURS[index % len(LINE_COLOURS)],
        "marker": MARKERS[index % len(MARKERS)],
        "dash": DASHES[index % len(DASHES)],
    }


def _labels(project: Project) -> dict[str, str]:
    return {str(v): project.config.emotion_label(v) for v in range(-2, 3)}


def _values(names: list[str], values: tuple[float | None, ...]) -> str:
    return ", ".join(
        f"{name} {signed(v) if v is not None else 'not recorded'}"
        for name, v in zip(names, values, strict=True)
    )


def _persona_desc(curve: EmotionCurve, p: PersonaCurve, names: list[str]) -> str:
    text = f"{p.name}: {_values(names, p.emotions)}"
    if p.peak is not None:
        text += f"; peak {names[p.peak]} ({signed(p.emotions[p.peak])})"  # type: ignore[arg-type]
    if p.end_emotion is not None:
        text += f"; end {names[p.end]} ({signed(p.end_emotion)})"
    return text


def persona_lines_job(curve: EmotionCurve, project: Project, style: dict[str, Any]) -> ChartJob:
    """A journey's emotion curve per persona, with each persona's peak and end."""
    names = [s.name for s in curve.stages]
    desc = (
        f"Emotion of each persona across the {len(names)} stages of {curve.title}. "
        + ". ".join(_persona_desc(curve, p, names) for p in curve.personas)
        + "."
    )
    return ChartJob(
        kind="emotion_lines",
        title=f"Emotion curve per persona: {curve.title}",
        desc=desc,
        data={
            "stages": names,
            "labels": _labels(project),
            "series": [
                {
                    "name": p.name,
                    "short": p.short,
                    "values": list(p.emotions),
                    "peak": p.peak,
                    "end": p.end,
                    **line_look(k),
                }
                for k, p in enumerate(curve.personas)
            ],
        },
        style=style,
    )


def compare_job(cmp: Comparison, project: Project, style: dict[str, Any]) -> ChartJob:
    """The as-is and to-be curves of a journey on the stages of its gap table."""
    before = project.journeys[cmp.current_id].title
    after = project.journeys[cmp.future_id].title
    names = [r.name for r in cmp.rows]
    olds = tuple(r.before for r in cmp.rows)
    news = tuple(r.after for r in cmp.rows)
    desc = (
        f"Emotion by stage today (as-is: {before}) and as planned (to-be: {after}), stages "
        f"matched by name. As-is: {_values(names, olds)}. To-be: {_values(names, news)}."
    )
    return ChartJob(
        kind="emotion_lines",
        title=f"As-is and to-be: {before}",
        desc=desc,
        data={
            "stages": names,
            "labels": _labels(project),
            "bridge": True,
            "series": [
                {"name": f"As-is: {before}", "short": "As-is", "values": [*olds], **line_look(0)},
                {"name": f"To-be: {after}", "short": "To-be", "values": [*news], **line_look(1)},
            ],
        },
        style=style,
    )
