"""The frame every emotion chart shares: stage names under the plot, one slot per stage, a
gridline per emotion value (-2..+2, zero darker) and the emotion words above their lines at
the left edge. The journey curve, the curves per persona or as-is/to-be, and the before/after
chart draw their lines into it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cxsite.charts.draw.base import MUTED, RULE, bare, new_axes, wrap, xticks
from cxsite.charts.draw.text import add_text

LINE_IN = 0.16  # height of one line of stage name, inches
ZERO = "#C9C9C9"  # the neutral line, a shade darker than the other gridlines


def stage_labels(names: Sequence[str], width: float, size: float) -> tuple[list[str], float]:
    """The stage names wrapped to their slot (at most three lines at `size` points), and the
    height in inches they take under the plot."""
    chars = int((width / len(names)) * 72 / (size * 0.62))
    labels = [wrap(name, chars, 3) for name in names]
    lines = max(label.count("\n") + 1 for label in labels)
    return labels, 0.12 + lines * LINE_IN


def emotion_axes(
    size: tuple[float, float],
    plot: tuple[float, float],
    labels: Sequence[str],
    words: Mapping[str, str],
    *,
    limit: float,
    label_size: float,
    word_x: float = 0.006,
) -> tuple[Figure, Axes]:
    """A figure of `size` (width, height in inches) with the plot area at `plot` (bottom,
    height in inches) across the full width: stage `labels` under it, the y range +-`limit`,
    and the gridlines with the emotion `words` (keyed "-2" .. "2")."""
    width, height = size
    bottom, plot_in = plot
    n = len(labels)
    fig, ax = new_axes(width, height, (0, bottom / height, 1, plot_in / height))
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(-limit, limit)
    bare(ax)
    xticks(ax, range(n), labels, size=label_size)
    ax.set_yticks([])
    ax.hlines(range(-2, 3), -0.5, n - 0.5, colors=[RULE, RULE, ZERO, RULE, RULE], lw=0.8, zorder=0)
    at = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for v in range(-2, 3):
        add_text(ax, word_x, v + 0.07, words[str(v)], transform=at, fontsize=7.5, color=MUTED,
                 va="bottom", ha="left")  # fmt: skip
    return fig, ax
