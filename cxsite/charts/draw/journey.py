"""The journey emotion curve, laid out to line up with the journey map's stage columns.

Geometry: the plot area spans the full width of the SVG, and stage i owns the slot
[i/n, (i+1)/n] of that width with its point at the slot's centre. A page that shows the
SVG at the width of its n stage columns (equal widths, no gaps) lines every point up with
its column. The emotion words sit inside the plot at the left edge, above their gridlines.

Size: one width for up to seven stages (WIDTH_IN, which fits a half-page card at the
screen size svg.py gives it), wider beyond, by SLOT_IN a stage: a page shows a chart at its
own size, so text is the same size on every emotion chart, whatever its number of stages.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

from cxsite.charts.draw.base import (
    GREEN,
    GREY,
    INK,
    MUTED,
    RED,
    finite,
)
from cxsite.charts.draw.emotion_axes import emotion_axes, stage_labels
from cxsite.charts.draw.text import add_text

WIDTH_IN = 5.0  # the chart's width up to seven stages, inches
SLOT_IN = 0.7  # the least width of one stage slot, inches
PLOT_IN = 1.6  # height of the plot area
LABEL_PT = 8  # stage names
LIMIT = 2.75  # y range +-: room for the Peak/End notes above +2 and below -2


def _colour(e: float) -> str:
    return GREEN if e > 0 else RED if e < 0 else GREY


def draw_emotion(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """An emotion curve: stages on x, the five emotion words on y, peak and end marked."""
    names: list[str] = data["stages"]
    emotions = finite(data["emotions"])
    n = len(names)
    width = max(n * SLOT_IN, WIDTH_IN)
    labels, label_in = stage_labels(names, width, LABEL_PT)
    height = PLOT_IN + label_in + 0.05
    fig, ax = emotion_axes((width, height), (label_in, PLOT_IN), labels, data["labels"],
                           limit=LIMIT, label_size=LABEL_PT)  # fmt: skip
    xs = list(range(n))
    ys = [math.nan if e is None else e for e in emotions]
    ax.fill_between(
        xs, ys, 0, where=[y > 0 for y in ys], interpolate=True, color=GREEN, alpha=0.10, lw=0
    )
    ax.fill_between(
        xs, ys, 0, where=[y < 0 for y in ys], interpolate=True, color=RED, alpha=0.10, lw=0
    )
    assumed = data.get("assumed")
    if assumed:
        _assumed_curve(ax, xs, ys, emotions, assumed, style.get("primary", INK), words)
    else:
        ax.plot(xs, ys, color=style.get("primary", INK), lw=2.2, zorder=2, solid_capstyle="round")
        points = [(x, e) for x, e in zip(xs, emotions, strict=True) if e is not None]
        ax.scatter(
            [x for x, _ in points],
            [e for _, e in points],
            s=52,
            zorder=3,
            c=[_colour(e) for _, e in points],
            edgecolors="white",
            linewidths=1.2,
        )
    for x, e in zip(xs, emotions, strict=True):
        if e is None:
            add_text(
                ax,
                x,
                0.12,
                words["journey.not_recorded"],
                ha="center",
                va="bottom",
                fontsize=7.5,
                color=MUTED,
            )
    _notes(ax, data, emotions, style.get("accent", INK), words)
    return fig


def _notes(
    ax,
    data: Mapping[str, Any],
    emotions: list[float | None],
    ring: str,
    words: Mapping[str, str],
) -> None:
    """Mark the peak and the end (peak-end rule) with a ring in the brand accent and a word."""
    notes: dict[int, list[str]] = {}
    peak, end = data.get("peak"), data.get("end")
    if peak is not None and emotions[peak] is not None:
        notes.setdefault(peak, []).append(words["term.peak"])
    if end is not None and emotions[end] is not None:
        notes.setdefault(end, []).append(words["term.end"])
    for x, said in sorted(notes.items()):
        e = emotions[x]
        assert e is not None
        ax.scatter([x], [e], s=200, facecolors="none", edgecolors=ring, linewidths=1.6, zorder=4)
        above = e >= 0
        add_text(
            ax,
            x,
            e + (0.36 if above else -0.36),
            " · ".join(said),
            ha="center",
            va="bottom" if above else "top",
            fontsize=8,
            fontweight="bold",
            color=INK,
        )


def _assumed_curve(ax, xs, ys, emotions, assumed, colour: str, words: Mapping[str, str]) -> None:
    """The curve with assumptions marked (SPEC 8.8): a segment touching an assumed stage is
    dashed, an assumed stage's point hollow; a legend says so."""
    for a, b in itertools.pairwise(xs):
        if math.isnan(ys[a]) or math.isnan(ys[b]):
            continue
        dashed = assumed[a] or assumed[b]
        ax.plot(
            [a, b],
            [ys[a], ys[b]],
            color=colour,
            lw=2.2,
            zorder=2,
            linestyle=(0, (3, 2)) if dashed else "-",
            solid_capstyle="round",
        )
    for hollow in (False, True):
        points = [
            (x, e)
            for x, e in zip(xs, emotions, strict=True)
            if e is not None and bool(assumed[x]) == hollow
        ]
        if not points:
            continue
        colours = [_colour(e) for _, e in points]
        ax.scatter(
            [x for x, _ in points],
            [e for _, e in points],
            s=52,
            zorder=3,
            c="white" if hollow else colours,
            edgecolors=colours if hollow else "white",
            linewidths=2 if hollow else 1.2,
        )
    add_text(
        ax,
        0.994,
        0.99,
        words["charts.assumption_note"],
        transform=ax.transAxes,
        fontsize=7.5,
        color=MUTED,
        va="top",
        ha="right",
    )
