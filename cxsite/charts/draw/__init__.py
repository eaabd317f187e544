"""Drawing chart jobs to SVG with matplotlib; imported only where charts are drawn."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cxsite.charts.draw.bars import draw_bars, draw_pyramid
from cxsite.charts.draw.base import configure, message, new_figure
from cxsite.charts.draw.compare import draw_emotion_compare
from cxsite.charts.draw.curves import draw_lines
from cxsite.charts.draw.ipa import draw_ipa
from cxsite.charts.draw.journey import draw_emotion
from cxsite.charts.draw.matrix import draw_heatmap, draw_impact_effort
from cxsite.charts.draw.metric import draw_composition, draw_sparkline, draw_trend
from cxsite.charts.draw.svg import to_svg
from cxsite.charts.jobs import ChartJob, svg_ids

DRAWERS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any], Mapping[str, str]], Any]] = {
    "emotion": draw_emotion,
    "emotion_lines": draw_lines,
    "emotion_compare": draw_emotion_compare,
    "trend": draw_trend,
    "composition": draw_composition,
    "sparkline": draw_sparkline,
    "ipa": draw_ipa,
    "heatmap": draw_heatmap,
    "impact_effort": draw_impact_effort,
    "bars": draw_bars,
    "pyramid": draw_pyramid,
}


def figure(job: ChartJob):
    """The matplotlib Figure of a job (for SVG, or PNG when looking at charts)."""
    configure()
    try:
        return DRAWERS[job.kind](job.data, job.style, job.words)
    except (ValueError, ZeroDivisionError, IndexError, KeyError):
        # Data the analyses let through but a chart cannot show must not fail a build.
        fig = new_figure(4, 1.2)
        message(fig, job.words.get("charts.failed", ""))
        return fig


def draw(job: ChartJob) -> bytes:
    """A job drawn to reproducible SVG bytes with its title and description."""
    return to_svg(figure(job), job.title, job.desc, svg_ids(job))
