"""Several emotion curves over one journey's stages: a line per persona, or the as-is and
to-be curves of a journey. Colour, marker shape and dash tell the lines apart (never colour
alone), a legend above the plot names them, and each line's peak and end are ringed and
labelled, the labels of one stage stacked so they never overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.lines import Line2D

from cxsite.charts.draw.base import INK, finite
from cxsite.charts.draw.emotion_axes import emotion_axes, stage_labels
from cxsite.charts.draw.text import add_text
from cxsite.i18n.bidi import isolate

MARKERS = {
    "circle": "o",
    "square": "s",
    "diamond": "D",
    "up": "^",
    "down": "v",
    "plus": "P",
    "cross": "X",
}
DASHES: dict[str, Any] = {
    "solid": "-",
    "dashed": (0, (5, 2)),
    "dotted": (0, (1.5, 1.5)),
    "dashdot": (0, (6, 2, 1.5, 2)),
}
SLOT_IN = 0.7  # the least width of one stage slot, inches
WIDTH_IN = 5.0  # the chart's width up to seven stages (as journey.py)
PLOT_IN = 2.0
LEGEND_ROW_IN = 0.26
LIMIT = 2.6
GAP = 0.5  # data units between two stacked labels (about one line of 7.5 pt text)


def draw_lines(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """Several curves over the stages: `data["series"]` items have `name`, `short`,
    `values` (per stage, None for a gap), `colour`, `marker` and `dash` (charts/curves.py)
    and optional `peak`/`end` indexes to mark; `bridge` joins a line across missing values."""
    names: list[str] = data["stages"]
    series: list[Mapping[str, Any]] = data["series"]
    n, m = len(names), len(series)
    width = max(n * SLOT_IN, WIDTH_IN)
    labels, label_in = stage_labels(names, width, 8)
    entry_in = 0.75 + max(len(line["name"]) for line in series) * 8 * 0.6 / 72
    columns = max(1, min(m, int(width // entry_in)))
    legend_in = 0.12 + LEGEND_ROW_IN * -(-m // columns)
    height = PLOT_IN + label_in + legend_in
    fig, ax = emotion_axes((width, height), (label_in, PLOT_IN), labels, data["labels"],
                           limit=LIMIT, label_size=8, word_x=0.004)  # fmt: skip
    spread = min(0.22, 0.5 / max(m, 1))  # points of one stage side by side, not on top
    handles = []
    notes: dict[int, list[tuple[float, float, str]]] = {}
    for k, line in enumerate(series):
        look = {
            "color": line["colour"],
            "marker": MARKERS[line["marker"]],
            "dash": DASHES[line["dash"]],
        }
        offset = (k - (m - 1) / 2) * spread
        values = finite(line["values"])
        xs = [i + offset for i in range(n)]
        ys = [float("nan") if v is None else v for v in values]
        if data.get("bridge"):  # a stage one side lacks is no gap in the other's curve
            xs = [x for x, v in zip(xs, values, strict=True) if v is not None]
            ys = [v for v in values if v is not None]
        ax.plot(
            xs,
            ys,
            color=look["color"],
            lw=2,
            ls=look["dash"],
            zorder=2 + k * 0.01,
            marker=look["marker"],
            ms=6.5,
            mec="white",
            mew=1,
            solid_capstyle="round",
            dash_capstyle="round",
        )
        handles.append(
            Line2D(
                [],
                [],
                color=look["color"],
                lw=2,
                ls=look["dash"],
                marker=look["marker"],
                ms=6.5,
                mec="white",
                mew=1,
                label=line["name"],
            )
        )
        marks = {}
        for key, word in (("peak", words["term.peak"]), ("end", words["term.end"])):
            index = line.get(key)
            if index is not None and values[index] is not None:
                marks.setdefault(index, []).append(word)
        for index, said in marks.items():
            y = values[index]
            assert y is not None
            ax.scatter(
                [index + offset],
                [y],
                s=150,
                facecolors="none",
                edgecolors=look["color"],
                linewidths=1.5,
                zorder=4,
            )
            # the name isolated: a right-to-left one would take the words before it along
            text = f"{' · '.join(said)}: {isolate(line.get('short', line['name']))}"
            notes.setdefault(index, []).append((y, index + offset, text))
    _stack_notes(ax, notes, n)
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=columns,
        frameon=False,
        fontsize=8,
        handlelength=3.2,
        borderaxespad=0.3,
        columnspacing=1.6,
    )
    return fig


def _stack_notes(ax, notes: Mapping[int, Sequence[tuple[float, float, str]]], n: int) -> None:
    """The peak/end labels of each stage beside its points, stacked at least GAP apart."""
    for index, items in notes.items():
        ordered = sorted(items)
        ys: list[float] = []
        for y, _, _ in ordered:
            ys.append(y if not ys else max(y, ys[-1] + GAP))
        top = ys[-1] if ys else 0
        if top > LIMIT - 0.15:  # shift the stack down into the plot
            ys = [y - (top - (LIMIT - 0.15)) for y in ys]
        last = index == n - 1
        for (_, x, text), y in zip(ordered, ys, strict=True):
            add_text(
                ax,
                x - 0.14 if last else x + 0.14,
                y,
                text,
                fontsize=7.5,
                color=INK,
                fontweight="bold",
                ha="right" if last else "left",
                va="center",
                zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
            )
