"""Two emotion curves of one journey on one chart: before (a revision) and now."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from cxsite.charts.draw.base import GREY, INK, finite
from cxsite.charts.draw.emotion_axes import emotion_axes, stage_labels

SLOT_IN = 0.7  # as the journey's own curve (journey.py): one width up to seven stages
WIDTH_IN = 5.0
PLOT_IN = 1.6
LABEL_PT = 8
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
    width = max(n * SLOT_IN, WIDTH_IN)
    labels, label_in = stage_labels(names, width, LABEL_PT)
    legend_in = 0.3
    height = PLOT_IN + label_in + legend_in
    fig, ax = emotion_axes((width, height), (label_in, PLOT_IN), labels, data["labels"],
                           limit=LIMIT, label_size=LABEL_PT)  # fmt: skip
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
