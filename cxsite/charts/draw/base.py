"""Shared drawing style: fonts, palette, text helpers, axis labels, figures (SVG: svg.py).

Charts use matplotlib's object API (Figure + Agg/SVG canvas), never pyplot's global state.
"""

from __future__ import annotations

import math
import pickle
import re
import textwrap
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.transforms import offset_copy

from cxsite.charts.draw.text import add_figure_text, add_text
from cxsite.charts.fonts import MEASURE_FONT

# Okabe-Ito: a categorical palette that colour-blind readers can tell apart.
GREEN = "#009E73"  # good / positive / on target
RED = "#D55E00"  # bad / negative / off target (vermillion)
BLUE = "#0072B2"
GREY = "#8C8C8C"
INK = "#222222"  # text
MUTED = "#5F5F5F"  # secondary text, 6.4:1 on white
RULE = "#E3E3E3"  # gridlines
BACKGROUND = "#FFFFFF"

RC = {
    "svg.fonttype": "none",  # text stays text: small, fast, selectable, accessible
    "svg.hashsalt": "cxsite",  # stable ids: identical input gives identical bytes
    "text.parse_math": False,  # "$5" stays "$5"
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.sans-serif": [MEASURE_FONT],
    "font.size": 9,
    "text.color": INK,
    "axes.edgecolor": RULE,
    "axes.labelcolor": MUTED,
    "axes.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "axes.formatter.useoffset": False,
    "axes.unicode_minus": False,  # plain "-" stays searchable and copyable
    "path.simplify": True,
}
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def configure() -> None:
    """Apply the chart style to this process's matplotlib (idempotent, deterministic).

    matplotlib's own settings say whether it was done: no flag of ours to keep."""
    if matplotlib.get_backend().lower() != "agg" or any(
        matplotlib.rcParams[key] != value for key, value in RC.items()
    ):
        matplotlib.use("Agg")
        matplotlib.rcParams.update(RC)


def new_figure(width: float, height: float) -> Figure:
    """A white figure of the given size in inches."""
    return Figure(figsize=(width, height), facecolor=BACKGROUND)


@cache
def _blank() -> bytes:
    """A white figure with one axes, pickled: unpickling costs about half of building it.

    Its axes have no minor ticks (no chart here draws ticks: each writes its labels with
    `xticks` and `yticks`), which were a quarter of the objects to unpickle; the one major
    tick per axis stays, as matplotlib reads it to place a title."""
    fig = new_figure(1, 1)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.xaxis.minorTicks, ax.yaxis.minorTicks = [], []  # made again if a chart asks for them
    return pickle.dumps(fig)


def new_axes(width: float, height: float, rect: Sequence[float]) -> tuple[Figure, Axes]:
    """A white figure of the given size in inches, with one axes at `rect` (figure
    fractions) that keeps no data limits: the chart sets both of its limits itself."""
    fig = pickle.loads(_blank())
    fig.set_size_inches(width, height)
    ax = fig.axes[0]
    ax.set_position(rect)
    for name in _DATA_LIMITS:
        setattr(ax, name, _not_kept)  # an attribute of the axes shadows the method
    return fig, ax


# matplotlib widens an axes' data limits with every bar, line and collection added, each
# through the artist's transforms: a tenth of making a chart (a quarter of a stacked bar
# chart). The limits are only read to scale an axis whose limits are not set, and every
# chart here sets both (tests/test_charts.py checks each kind), so chart axes skip them,
# with the same bytes drawn.
_DATA_LIMITS = (
    "_update_patch_limits",
    "_update_line_limits",
    "_update_collection_limits",
    "update_datalim",
)


def _not_kept(*args: Any, **kwargs: Any) -> None:
    """What chart axes have in place of the methods that widen their data limits."""


def clean(text: str) -> str:
    """Text safe to draw and to put into XML (control characters dropped)."""
    return _INVALID_XML.sub("", text)


def wrap(text: str, width: int, lines: int) -> str:
    """Wrap text to `width` characters on at most `lines` lines, ending in '…' if cut."""
    text = clean(" ".join(text.split()))
    width = max(width, 4)
    parts = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def truncate(text: str, width: int) -> str:
    """Cut text to `width` characters with '…'."""
    text = clean(" ".join(text.split()))
    return text if len(text) <= width else text[: max(width - 1, 1)].rstrip() + "…"


def text_width_in(text: str, size: float) -> float:
    """Estimated width in inches of one line of text at `size` points (DejaVu-ish)."""
    return len(text) * size * 0.6 / 72


def measured_width_in(text: str, size: float) -> float:
    """The width in inches of one line of text at `size` points, as DejaVu Sans draws it."""
    prop = FontProperties(family=MEASURE_FONT, size=size)
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0] / 72


def hex_rgb(colour: str) -> tuple[float, float, float]:
    """A CSS hex colour as RGB 0..1."""
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255)


def mix(colour: str, t: float, base: str = BACKGROUND) -> str:
    """`colour` mixed into `base`: t=0 gives base, t=1 gives colour."""
    a, b = hex_rgb(base), hex_rgb(colour)
    t = min(max(t, 0.0), 1.0)
    return "#" + "".join(f"{round((x + (y - x) * t) * 255):02x}" for x, y in zip(a, b, strict=True))


def luminance(colour: str) -> float:
    """WCAG relative luminance of a colour."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in hex_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(colour: str) -> str:
    """Black or white text, whichever reads better on `colour`."""
    return INK if luminance(colour) > 0.2 else "#FFFFFF"


def finite(values: Sequence[float | None]) -> list[float | None]:
    """Values with non-finite numbers replaced by None (drawn as gaps)."""
    return [v if v is not None and math.isfinite(v) else None for v in values]


def bare(ax) -> None:
    """Remove every spine and tick from an axes."""
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)


# Axis decorations as plain texts and one line collection: building a matplotlib Tick costs
# about a millisecond (two lines, two texts, a gridline), more than the rest of a small chart.


def xticks(
    ax,
    positions: Sequence[float],
    labels: Sequence[str],
    *,
    size: float = 8,
    top: bool = False,
    pad: float = 4,
) -> None:
    """Labels under (or over) the axes at data x positions, without matplotlib ticks."""
    ax.set_xticks([])
    trans = offset_copy(
        ax.get_xaxis_transform(), fig=ax.figure, y=pad if top else -pad, units="points"
    )
    for x, label in zip(positions, labels, strict=True):
        add_text(
            ax,
            x,
            1 if top else 0,
            label,
            transform=trans,
            ha="center",
            va="bottom" if top else "top",
            fontsize=size,
            color=INK,
            multialignment="center",
        )


def yticks(
    ax, positions: Sequence[float], labels: Sequence[str], *, size: float = 8, pad: float = 4
) -> None:
    """Labels left of the axes at data y positions, without matplotlib ticks."""
    ax.set_yticks([])
    trans = offset_copy(ax.get_yaxis_transform(), fig=ax.figure, x=-pad, units="points")
    for y, label in zip(positions, labels, strict=True):
        add_text(
            ax, 0, y, label, transform=trans, ha="right", va="center", fontsize=size, color=INK
        )


def ygrid(ax, positions: Sequence[float], colour: str = RULE) -> None:
    """Horizontal gridlines across the axes at data y positions (one collection)."""
    ax.hlines(positions, 0, 1, transform=ax.get_yaxis_transform(), colors=colour, lw=0.8, zorder=0)


def axis_title(ax, text: str, which: str, pad: float) -> None:
    """An axis title `pad` points below (x) or left of (y) the axes, centred."""
    if which == "x":
        trans = offset_copy(ax.transAxes, fig=ax.figure, y=-pad, units="points")
        add_text(
            ax, 0.5, 0, text, transform=trans, ha="center", va="top", fontsize=8.5, color=MUTED
        )
    else:
        trans = offset_copy(ax.transAxes, fig=ax.figure, x=-pad, units="points")
        add_text(
            ax,
            0,
            0.5,
            text,
            transform=trans,
            ha="right",
            va="center",
            rotation=90,
            rotation_mode="anchor",
            fontsize=8.5,
            color=MUTED,
        )


def message(fig: Figure, text: str) -> None:
    """A centred note on an otherwise empty figure."""
    add_figure_text(fig, 0.5, 0.5, text, ha="center", va="center", color=MUTED, fontsize=10)


def local(text: str, words: Mapping[str, str]) -> str:
    """A number written the English way (`1,234.5`) with the separators of the job's words."""
    decimal, group = words.get("decimal", "."), words.get("group", ",")
    if (decimal, group) == (".", ","):
        return text
    return text.translate(str.maketrans({",": group, ".": decimal}))


def fill(words: Mapping[str, str], key: str, **params: object) -> str:
    """One of the job's words with its `{name}` parameters filled."""
    text = words[key]
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text
