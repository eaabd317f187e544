"""Matrix charts: heatmaps (importance, channel x phase) and the impact x effort grid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from cxsite.charts.draw.base import (
    GREY,
    INK,
    MUTED,
    RULE,
    axis_title,
    bare,
    ink_on,
    local,
    mix,
    new_axes,
    text_width_in,
    truncate,
    wrap,
    xticks,
    yticks,
)
from cxsite.charts.draw.text import add_text
from cxsite.charts.labels import num

_MIN_WIDTH = 5.0  # inches: the width of the other charts of a half-page card


def draw_heatmap(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """A grid of numbers coloured by value (brand primary scale); None cells left blank."""
    primary = style.get("primary", INK)
    cols = [wrap(c, 14, 2) for c in data["cols"]]
    values = data["values"]
    vmin, vmax = data["vmin"], data["vmax"]
    cell_w, cell_h = 0.95, 0.3
    grid_w = cell_w * len(cols)
    # Never narrower than a page column, so that a few columns are not blown up to huge cells
    # when the chart fills the column; the room left goes to full row labels, centred.
    room = max(2.4, _MIN_WIDTH - grid_w - 0.1)
    full = max(text_width_in(r, 8) for r in data["rows"]) + 0.2
    rows = list(data["rows"]) if full <= room else [truncate(r, 30) for r in data["rows"]]
    label_w = min(room, max(text_width_in(r, 8) for r in rows) + 0.2)
    top = 0.2 + 0.15 * max(c.count("\n") + 1 for c in cols)
    width = max(_MIN_WIDTH, label_w + grid_w + 0.1)
    left = (width - grid_w - label_w) / 2 + label_w
    height = top + cell_h * len(rows) + 0.08
    rect = (left / width, 0.08 / height, grid_w / width, cell_h * len(rows) / height)
    fig, ax = new_axes(width, height, rect)
    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), 0)
    bare(ax)
    xticks(ax, [i + 0.5 for i in range(len(cols))], cols, top=True)
    yticks(ax, [i + 0.5 for i in range(len(rows))], rows)
    span = (vmax - vmin) or 1
    filled, colours, empty = [], [], []
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            if v is None:  # not rated: an outlined blank cell
                empty.append(Rectangle((c + 0.04, r + 0.06), 0.92, 0.88))
                continue
            zero = v == 0 and vmin == 0
            colour = "#F5F5F5" if zero else mix(primary, 0.06 + 0.94 * (v - vmin) / span)
            filled.append(Rectangle((c, r), 1, 1))
            colours.append(colour)
            add_text(ax, c + 0.5, r + 0.5, local(num(v), words), ha="center", va="center",
                     fontsize=8, color=MUTED if zero else ink_on(colour))  # fmt: skip
    # one collection per kind of cell: one SVG group and one draw call, not one per cell
    ax.add_collection(PatchCollection(filled, facecolors=colours, edgecolors="white", lw=2))
    ax.add_collection(PatchCollection(empty, facecolors="white", edgecolors=RULE, lw=0.8))
    return fig


QUADRANTS_IE = {
    (2, 0): "charts.impact_effort.quick_wins",
    (2, 2): "charts.impact_effort.big_bets",
    (0, 0): "charts.impact_effort.fill_ins",
    (0, 2): "charts.impact_effort.thankless",
}


def draw_impact_effort(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """Opportunity counts on a 3 x 3 impact (up) by effort (right) grid."""
    primary = style.get("primary", INK)
    levels = data["levels"]
    matrix = data["matrix"]
    peak = max(max(r) for r in matrix) or 1
    width, height = 4.8, 3.8
    fig, ax = new_axes(width, height, (0.75 / width, 0.55 / height, 3.9 / width, 3.1 / height))
    bare(ax)
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    xticks(ax, [0.5, 1.5, 2.5], [words[f"level.{lvl}"] for lvl in levels])
    yticks(ax, [0.5, 1.5, 2.5], [words[f"level.{lvl}"] for lvl in levels])
    axis_title(ax, words["term.effort"], "x", 18)
    axis_title(ax, words["term.impact"], "y", 42)
    for i in range(3):
        for j in range(3):
            count = matrix[i][j]
            colour = mix(primary, 0.08 + 0.85 * count / peak) if count else "#F5F5F5"
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white", lw=3))
            add_text(
                ax,
                j + 0.5,
                i + 0.47,
                str(count),
                ha="center",
                va="center",
                fontsize=16 if count else 12,
                fontweight="bold" if count else "normal",
                color=ink_on(colour) if count else GREY,
            )
            key = QUADRANTS_IE.get((i, j))
            if key:
                name = words[key]
                add_text(
                    ax,
                    j + 0.5,
                    i + 0.9,
                    name,
                    ha="center",
                    va="top",
                    fontsize=7.5,
                    color=ink_on(colour) if count else MUTED,
                )
    return fig
