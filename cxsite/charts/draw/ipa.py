"""The importance-performance matrix (Martilla & James): a scatter in four labelled quadrants.

Up to NAMED_MAX touchpoints are labelled with their names; more are numbered (by importance)
with a key beside the plot, so dense matrices stay readable. Labels are placed around their
points to avoid each other, the points and the quadrant names, in a deterministic order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from matplotlib.patches import Rectangle

from cxsite.charts.draw.base import (
    BLUE,
    GREEN,
    GREY,
    INK,
    MUTED,
    RED,
    RULE,
    axis_title,
    fill,
    local,
    new_axes,
    text_width_in,
    truncate,
    xticks,
    yticks,
)
from cxsite.charts.draw.text import add_annotation, add_figure_text, add_text
from cxsite.charts.labels import num

QUADRANT_COLOURS = {
    "Concentrate here": RED,
    "Keep up the good work": GREEN,
    "Low priority": GREY,
    "Possible overkill": BLUE,
}
LOW, HIGH = 0.7, 5.3  # the 1..5 rating scale with room for markers
NAMED_MAX = 12
NUMBERED_MAX = 60  # beyond this, points are drawn unlabelled (the page's table names them)
PLOT_W, PLOT_H = 4.9, 4.2
LEFT, BOTTOM, RIGHT, TOP = 0.55, 0.5, 0.2, 0.15
KEY_W, KEY_LINE = 2.25, 0.165
SIZE = 7.5  # label font size, points
Box = tuple[float, float, float, float]


def _range(values: list[float], split: float) -> tuple[float, float]:
    """The axis range: the data and the split with a margin, within the 1..5 scale."""
    lo = max(LOW, min([*values, split]) - 0.4)
    hi = min(HIGH, max([*values, split]) + 0.4)
    if hi - lo < 1.5:  # a tight cluster still shows some scale around it
        mid = (lo + hi) / 2
        lo, hi = max(LOW, mid - 0.75), min(HIGH, mid + 0.75)
    return lo, hi


def _scale_ticks(lo: float, hi: float) -> list[float]:
    """Ticks on the rating scale: every point, or every half point on a zoomed axis."""
    step = 0.5 if hi - lo < 2.6 else 1.0
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step) + 1)]


def _overlaps(a: Box, boxes: list[Box]) -> float:
    """The summed area `a` shares with each of `boxes` (added in order: same float result)."""
    ax0, ay0, ax1, ay1 = a
    total = 0
    for bx0, by0, bx1, by1 in boxes:
        w = (ax1 if ax1 < bx1 else bx1) - (ax0 if ax0 > bx0 else bx0)
        if w > 0:
            h = (ay1 if ay1 < by1 else by1) - (ay0 if ay0 > by0 else by0)
            if h > 0:
                total += w * h
    return total


def place_labels(
    points: list[tuple[float, float, str]], obstacles: list[Box], box: tuple[float, float]
) -> list[tuple[float, float, str, str]]:
    """For each (x, y, text) in inches, an offset (points) and alignment with least overlap."""
    height = SIZE / 72 * 1.2
    g = 0.08  # gap between point and label, inches
    placed = list(obstacles) + [(x - 0.05, y - 0.05, x + 0.05, y + 0.05) for x, y, _ in points]
    result = []
    for x, y, text in points:
        w = text_width_in(text, SIZE)
        h2 = height / 2
        options: list[tuple[Box, tuple[float, float, str, str]]] = [
            ((x + g, y - h2, x + g + w, y + h2), (g, 0, "left", "center")),
            ((x - g - w, y - h2, x - g, y + h2), (-g, 0, "right", "center")),
            ((x - w / 2, y + g, x + w / 2, y + g + height), (0, g, "center", "bottom")),
            ((x - w / 2, y - g - height, x + w / 2, y - g), (0, -g, "center", "top")),
            ((x + g * 0.7, y + g * 0.7, x + g * 0.7 + w, y + g * 0.7 + height),
             (g * 0.7, g * 0.7, "left", "bottom")),
            ((x + g * 0.7, y - g * 0.7 - height, x + g * 0.7 + w, y - g * 0.7),
             (g * 0.7, -g * 0.7, "left", "top")),
            ((x - g * 0.7 - w, y + g * 0.7, x - g * 0.7, y + g * 0.7 + height),
             (-g * 0.7, g * 0.7, "right", "bottom")),
            ((x - g * 0.7 - w, y - g * 0.7 - height, x - g * 0.7, y - g * 0.7),
             (-g * 0.7, -g * 0.7, "right", "top")),
        ]  # fmt: skip

        def cost(rect: Box, w: float = w) -> float:
            out = (max(0, -rect[0]) + max(0, rect[2] - box[0])) * height * 4
            out += (max(0, -rect[1]) + max(0, rect[3] - box[1])) * w * 4
            return out + _overlaps(rect, placed)

        rect, (dx, dy, ha, va) = min(options, key=lambda o: cost(o[0]))  # first of equals
        placed.append(rect)
        result.append((dx * 72, dy * 72, ha, va))
    return result


def draw_ipa(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """Importance (y) against satisfaction (x) with the four labelled quadrants."""
    pts = list(data["points"])
    pts.sort(key=lambda p: (-p["importance"], -p["satisfaction"], p["name"]))
    numbered = len(pts) > NAMED_MAX
    unlabelled = len(pts) > NUMBERED_MAX
    if unlabelled:
        numbered = False
    per_col = max(1, int((PLOT_H + BOTTOM + TOP - 0.2) / KEY_LINE))
    cols = math.ceil(len(pts) / per_col) if numbered else 0
    width = LEFT + PLOT_W + RIGHT + cols * KEY_W
    top = TOP + (0.25 if unlabelled else 0)
    height = BOTTOM + PLOT_H + top
    rect = (LEFT / width, BOTTOM / height, PLOT_W / width, PLOT_H / height)
    fig, ax = new_axes(width, height, rect)
    sx, sy = data["satisfaction_split"], data["importance_split"]
    x0, x1 = _range([p["satisfaction"] for p in pts], sx)
    y0, y1 = _range([p["importance"] for p in pts], sy)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    for spine in ax.spines.values():
        spine.set_color(RULE)
    ax.tick_params(length=0)
    xs_t, ys_t = _scale_ticks(x0, x1), _scale_ticks(y0, y1)
    xticks(ax, xs_t, [local(num(t), words) for t in xs_t])
    yticks(ax, ys_t, [local(num(t), words) for t in ys_t])
    axis_title(ax, words["charts.ipa.x_axis"], "x", 18)
    axis_title(ax, words["charts.ipa.y_axis"], "y", 24)
    ax.add_patch(Rectangle((x0, sy), sx - x0, y1 - sy, color=RED, alpha=0.06, lw=0))
    ax.add_patch(Rectangle((sx, sy), x1 - sx, y1 - sy, color=GREEN, alpha=0.05, lw=0))
    ax.axvline(sx, color=GREY, lw=1, ls=(0, (4, 3)))
    ax.axhline(sy, color=GREY, lw=1, ls=(0, (4, 3)))
    pad, line = 0.06, 8 / 72 * 1.2
    obstacles: list[Box] = []
    corners = (
        (words["ipa.quadrant.concentrate"], True, True),
        (words["ipa.quadrant.keep"], False, True),
        (words["ipa.quadrant.low"], True, False),
        (words["ipa.quadrant.overkill"], False, False),
    )
    for name, left, top in corners:
        x = pad if left else PLOT_W - pad
        y = PLOT_H - pad if top else pad
        add_text(
            ax,
            x / PLOT_W,
            y / PLOT_H,
            name,
            transform=ax.transAxes,
            fontsize=8,
            ha="left" if left else "right",
            va="top" if top else "bottom",
            fontweight="bold",
            color=MUTED,
        )
        w = text_width_in(name, 8) * 1.05
        bx = x if left else x - w
        by = y - line if top else y
        obstacles.append((bx, by, bx + w, by + line))
    xs = [p["satisfaction"] for p in pts]
    ys = [p["importance"] for p in pts]
    colours = [QUADRANT_COLOURS.get(p["quadrant"], INK) for p in pts]
    ax.scatter(xs, ys, s=46, zorder=3, c=colours, edgecolors="white", linewidths=1)
    if unlabelled:
        ax.set_title(fill(words, "charts.ipa.unlabelled", n=len(pts)), fontsize=8,
                     color=MUTED, loc="left")  # fmt: skip
        return fig
    labels = [str(i) if numbered else truncate(p["name"], 26) for i, p in enumerate(pts, 1)]
    at = [
        ((x - x0) / (x1 - x0) * PLOT_W, (y - y0) / (y1 - y0) * PLOT_H, label)
        for x, y, label in zip(xs, ys, labels, strict=True)
    ]
    for (x, y), label, (dx, dy, ha, va) in zip(
        zip(xs, ys, strict=True), labels, place_labels(at, obstacles, (PLOT_W, PLOT_H)), strict=True
    ):
        add_annotation(
            ax,
            label,
            (x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=SIZE,
            color=INK,
            zorder=4,
        )
    for i, p in enumerate(pts if numbered else []):
        col, row = divmod(i, per_col)
        kx = (LEFT + PLOT_W + RIGHT + col * KEY_W) / width
        ky = 1 - (top + 0.1 + row * KEY_LINE) / height
        add_figure_text(
            fig,
            kx + 0.22 / width,
            ky,
            f"{i + 1}",
            ha="right",
            va="top",
            fontsize=SIZE,
            fontweight="bold",
            color=colours[i],
        )
        add_figure_text(
            fig,
            kx + 0.3 / width,
            ky,
            truncate(p["name"], 34),
            ha="left",
            va="top",
            fontsize=SIZE,
            color=INK,
        )
    return fig
