"""Two emotion curves of one journey on one chart: before (a revision) and now."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from cxsite.charts.draw.base import GREY, INK, MUTED, RULE, bare, finite, new_axes, wrap, xticks

SLOT_IN = 1.45
PLOT_IN = 2.0
LINE_IN = 0.16
LIMIT = 2.5


def draw_emotion_compare(
    data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]
):
    """Stages on x, emotion -2..+2 on y: the earlier curve dashed grey with hollow markers,
    the current one solid in the brand colour with filled markers, and a legend."""
    names: list[str] = data["stages"]
    before = finite(data["before"])
    after = finite(data["after"])
    n = len(names)
    width = max(n * SLOT_IN, 3.2)
    chars = int((width / n) * 72 / (8.5 * 0.62))
    labels = [wrap(name, chars, 3) for name in names]
    lines = max(label.count("\n") + 1 for label in labels)
    label_in = 0.12 + lines * LINE_IN
    legend_in = 0.3
    height = PLOT_IN + label_in + legend_in
    fig, ax = new_axes(width, height, (0, label_in / height, 1, PLOT_IN / height))
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(-LIMIT, LIMIT)
    bare(ax)
    xticks(ax, range(n), labels, size=8.5)
    ax.set_yticks([])
    ax.hlines(range(-2, 3), -0.5, n - 0.5, colors=RULE, lw=0.8, zorder=0)
    ax.hlines([0], -0.5, n - 0.5, colors="#C9C9C9", lw=0.8, zorder=0)
    word_x = ax.get_yaxis_transform()
    for v in range(-2, 3):
        ax.text(0.006, v + 0.07, data["labels"][str(v)], transform=word_x, fontsize=7,
                color=MUTED, va="bottom", ha="left")  # fmt: skip
    xs = list(range(n))
    primary = style.get("primary", INK)
    # The earlier curve is drawn over the current one, thinner, so both stay visible where
    # they coincide; it is told apart by dashes and hollow markers, not by colour alone.
    series = (
        (after, primary, "-", primary, 2.2, 7.0, data["after_label"]),
        (before, GREY, (0, (3, 2)), "white", 1.5, 5.0, data["before_label"]),
    )
    handles = []
    for values, colour, dash, face, width_pt, size, label in series:
        ys = [math.nan if v is None else v for v in values]
        (line,) = ax.plot(xs, ys, color=colour, lw=width_pt, ls=dash, marker="o", ms=size,
                          markerfacecolor=face, markeredgecolor=colour, markeredgewidth=1.4,
                          label=label, zorder=3)  # fmt: skip
        handles.append(line)
    handles.reverse()  # the legend reads "at <revision>", then "now"
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.006, 1),
        ncol=2,
        frameon=False,
        fontsize=8,
        handlelength=2.4,
        columnspacing=1.6,
    )
    return fig
