"""The plain-data jobs of the charts with several emotion curves: a journey's curve per
persona, and an as-is journey with its to-be (SPEC 8.7). Drawn by charts/draw/curves.py."""

from __future__ import annotations

from typing import Any

from cxsite.analysis.types import Comparison, EmotionCurve, PersonaCurve
from cxsite.charts.jobs import ChartJob
from cxsite.charts.labels import signed
from cxsite.i18n.bidi import isolate
from cxsite.i18n.catalogue import Messages
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


def _values(names: list[str], values: tuple[float | None, ...], msgs: Messages) -> str:
    none = msgs.text("journey.not_recorded")
    return ", ".join(
        f"{isolate(name)} {msgs.number(signed(v)) if v is not None else none}"
        for name, v in zip(names, values, strict=True)
    )


def _persona_desc(p: PersonaCurve, names: list[str], msgs: Messages) -> str:
    text = f"{isolate(p.name)}: {_values(names, p.emotions, msgs)}"
    if p.peak is not None:
        peak = msgs.number(signed(p.emotions[p.peak]))  # type: ignore[arg-type]
        text += "; " + msgs.text("charts.lines.peak", stage=isolate(names[p.peak]), value=peak)
    if p.end_emotion is not None:
        end = msgs.number(signed(p.end_emotion))
        text += "; " + msgs.text("charts.lines.end", stage=isolate(names[p.end]), value=end)
    return text


def persona_lines_job(curve: EmotionCurve, project: Project, style: dict[str, Any]) -> ChartJob:
    """A journey's emotion curve per persona, with each persona's peak and end."""
    msgs = project.config.messages
    names = [s.name for s in curve.stages]
    desc = (
        msgs.plural("charts.lines.desc", len(names), journey=isolate(curve.title))
        + " "
        + ". ".join(_persona_desc(p, names, msgs) for p in curve.personas)
        + "."
    )
    return ChartJob(
        kind="emotion_lines",
        title=msgs.text("charts.lines.title", journey=isolate(curve.title)),
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
    msgs = project.config.messages
    before = project.journeys[cmp.current_id].title
    after = project.journeys[cmp.future_id].title
    names = [r.name for r in cmp.rows]
    olds = tuple(r.before for r in cmp.rows)
    news = tuple(r.after for r in cmp.rows)
    desc = msgs.text(
        "charts.asis.desc",
        current=isolate(before),
        future=isolate(after),
        current_values=_values(names, olds, msgs),
        future_values=_values(names, news, msgs),
    )
    return ChartJob(
        kind="emotion_lines",
        title=msgs.text("charts.asis.title", journey=isolate(before)),
        desc=desc,
        data={
            "stages": names,
            "labels": _labels(project),
            "bridge": True,
            "series": [
                {
                    "name": msgs.text("charts.asis.current", journey=isolate(before)),
                    "short": msgs.text("state.current"),
                    "values": [*olds],
                    **line_look(0),
                },
                {
                    "name": msgs.text("charts.asis.future", journey=isolate(after)),
                    "short": msgs.text("state.future"),
                    "values": [*news],
                    **line_look(1),
                },
            ],
        },
        style=style,
    )
