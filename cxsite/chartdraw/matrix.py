"""Matrix charts: importance-performance scatter, heatmaps, the impact x effort grid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matplotlib.patches import Rectangle

from cxsite.chartdraw.base import (
    BLUE,
    GREEN,
    GREY,
    INK,
    MUTED,
    RED,
    RULE,
    bare,
    ink_on,
    mix,
    new_figure,
    text_width_in,
    truncate,
    wrap,
)
from cxsite.chartplan import num

QUADRANT_COLOURS = {
    "Concentrate here": RED,
    "Keep up the good work": GREEN,
    "Low priority": GREY,
    "Possible overkill": BLUE,
}
LOW, HIGH = 0.7, 5.3  # the 1..5 rating scale with room for markers


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _label_boxes(points: list[tuple[float, float, str]], size: float, box: tuple[float, float]):
    """Place each label right, left, above or below its point (inches), least overlap first."""
    height = size / 72 * 1.25
    gap = 0.09
    dots = [(x - 0.05, y - 0.05, x + 0.05, y + 0.05) for x, y, _ in points]
    placed: list[tuple[float, ...]] = []
    chosen = []
    for x, y, text in points:
        w = text_width_in(text, size)
        options = [
            ((x + gap, y - height / 2, x + gap + w, y + height / 2), "left", "center"),
            ((x - gap - w, y - height / 2, x - gap, y + height / 2), "right", "center"),
            ((x - w / 2, y + gap, x + w / 2, y + gap + height), "center", "bottom"),
            ((x - w / 2, y - gap - height, x + w / 2, y - gap), "center", "top"),
        ]

        def cost(rect: tuple[float, ...], w: float = w) -> float:
            outside = (max(0, -rect[0]) + max(0, rect[2] - box[0])) * height * 4
            outside += (max(0, -rect[1]) + max(0, rect[3] - box[1])) * w * 4
            return outside + sum(_overlap(rect, o) for o in placed + dots)

        rect, ha, va = min(options, key=lambda o: cost(o[0]))  # stable: first of equals wins
        placed.append(rect)
        chosen.append((ha, va))
    return chosen


def draw_ipa(data: Mapping[str, Any], style: Mapping[str, Any]):
    """Importance (y) against satisfaction (x) with the four labelled quadrants."""
    width, height, left, bottom, right, top = 5.6, 4.6, 0.6, 0.5, 0.2, 0.15
    fig = new_figure(width, height)
    ax = fig.add_axes(
        (left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height)
    )
    aw, ah = width - left - right, height - bottom - top
    ax.set_xlim(LOW, HIGH)
    ax.set_ylim(LOW, HIGH)
    for spine in ax.spines.values():
        spine.set_color(RULE)
    ax.tick_params(length=0, labelsize=8)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_xlabel("Satisfaction (performance)", fontsize=8.5)
    ax.set_ylabel("Importance", fontsize=8.5)
    sx, sy = data["satisfaction_split"], data["importance_split"]
    ax.add_patch(Rectangle((LOW, sy), sx - LOW, HIGH - sy, color=RED, alpha=0.06, lw=0))
    ax.add_patch(Rectangle((sx, sy), HIGH - sx, HIGH - sy, color=GREEN, alpha=0.05, lw=0))
    ax.axvline(sx, color=GREY, lw=1, ls=(0, (4, 3)))
    ax.axhline(sy, color=GREY, lw=1, ls=(0, (4, 3)))
    corners = [
        ("Concentrate here", 0.015, 0.985, "left", "top"),
        ("Keep up the good work", 0.985, 0.985, "right", "top"),
        ("Low priority", 0.015, 0.015, "left", "bottom"),
        ("Possible overkill", 0.985, 0.015, "right", "bottom"),
    ]
    for name, x, y, ha, va in corners:
        ax.text(
            x,
            y,
            name,
            transform=ax.transAxes,
            ha=ha,
            va=va,
            fontsize=8,
            fontweight="bold",
            color=MUTED,
        )
    pts = data["points"]
    ax.scatter(
        [p["satisfaction"] for p in pts],
        [p["importance"] for p in pts],
        s=46,
        zorder=3,
        c=[QUADRANT_COLOURS.get(p["quadrant"], INK) for p in pts],
        edgecolors="white",
        linewidths=1,
    )

    def inches(p: Mapping[str, float]) -> tuple[float, float]:
        return (
            (p["satisfaction"] - LOW) / (HIGH - LOW) * aw,
            (p["importance"] - LOW) / (HIGH - LOW) * ah,
        )

    names = [truncate(p["name"], 24) for p in pts]
    at = [(*inches(p), name) for p, name in zip(pts, names, strict=True)]
    offsets = {"left": (6, 0), "right": (-6, 0), "center": (0, 0)}
    for p, name, (ha, va) in zip(pts, names, _label_boxes(at, 7.5, (aw, ah)), strict=True):
        dx, dy = offsets[ha]
        if ha == "center":
            dy = 6 if va == "bottom" else -6
        ax.annotate(
            name,
            (p["satisfaction"], p["importance"]),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=7.5,
            color=INK,
        )
    return fig


def draw_heatmap(data: Mapping[str, Any], style: Mapping[str, Any]):
    """A grid of numbers coloured by value (brand primary scale); None cells left blank."""
    primary = style.get("primary", INK)
    rows = [truncate(r, 30) for r in data["rows"]]
    cols = [wrap(c, 14, 2) for c in data["cols"]]
    values = data["values"]
    vmin, vmax = data["vmin"], data["vmax"]
    cell_w, cell_h = 0.95, 0.3
    label_w = min(2.4, max(text_width_in(r, 8) for r in rows) + 0.2)
    top = 0.2 + 0.15 * max(c.count("\n") + 1 for c in cols)
    width = label_w + cell_w * len(cols) + 0.1
    height = top + cell_h * len(rows) + 0.08
    fig = new_figure(width, height)
    ax = fig.add_axes(
        (label_w / width, 0.08 / height, cell_w * len(cols) / width, cell_h * len(rows) / height)
    )
    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), 0)
    bare(ax)
    ax.xaxis.tick_top()
    ax.set_xticks([i + 0.5 for i in range(len(cols))], cols, fontsize=8)
    ax.set_yticks([i + 0.5 for i in range(len(rows))], rows, fontsize=8)
    span = (vmax - vmin) or 1
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            if v is None:
                ax.add_patch(
                    Rectangle((c, r), 1, 1, facecolor="#FFFFFF", edgecolor=RULE, lw=0.8, hatch=None)
                )
                ax.text(c + 0.5, r + 0.5, "–", ha="center", va="center", fontsize=8, color=MUTED)
                continue
            t = (v - vmin) / span
            colour = mix(primary, 0.06 + 0.94 * t) if v != 0 or vmin != 0 else "#F5F5F5"
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=colour, edgecolor="white", lw=2))
            ax.text(
                c + 0.5,
                r + 0.5,
                num(v),
                ha="center",
                va="center",
                fontsize=8,
                color=ink_on(colour) if v != 0 or vmin != 0 else MUTED,
            )
    return fig


QUADRANTS_IE = {
    (2, 0): "Quick wins",
    (2, 2): "Big bets",
    (0, 0): "Fill-ins",
    (0, 2): "Thankless tasks",
}


def draw_impact_effort(data: Mapping[str, Any], style: Mapping[str, Any]):
    """Opportunity counts on a 3 x 3 impact (up) by effort (right) grid."""
    primary = style.get("primary", INK)
    levels = data["levels"]
    matrix = data["matrix"]
    peak = max(max(r) for r in matrix) or 1
    width, height = 4.8, 3.8
    fig = new_figure(width, height)
    ax = fig.add_axes((0.75 / width, 0.55 / height, 3.9 / width, 3.1 / height))
    bare(ax)
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    ax.set_xticks([0.5, 1.5, 2.5], [lvl.capitalize() for lvl in levels], fontsize=8)
    ax.set_yticks([0.5, 1.5, 2.5], [lvl.capitalize() for lvl in levels], fontsize=8)
    ax.set_xlabel("Effort", fontsize=8.5)
    ax.set_ylabel("Impact", fontsize=8.5)
    for i in range(3):
        for j in range(3):
            count = matrix[i][j]
            colour = mix(primary, 0.08 + 0.85 * count / peak) if count else "#F5F5F5"
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white", lw=3))
            ax.text(
                j + 0.5,
                i + 0.47,
                str(count),
                ha="center",
                va="center",
                fontsize=16 if count else 12,
                fontweight="bold" if count else "normal",
                color=ink_on(colour) if count else GREY,
            )
            name = QUADRANTS_IE.get((i, j))
            if name:
                ax.text(
                    j + 0.5,
                    i + 0.9,
                    name,
                    ha="center",
                    va="top",
                    fontsize=7.5,
                    color=ink_on(colour) if count else MUTED,
                )
    return fig
