"""Shared drawing style and the SVG finish: fonts, palette, reproducible bytes, title/desc.

Charts use matplotlib's object API (Figure + Agg/SVG canvas), never pyplot's global state.
"""

from __future__ import annotations

import io
import math
import pickle
import re
import textwrap
import warnings
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.transforms import offset_copy

# Okabe-Ito: a categorical palette that colour-blind readers can tell apart.
GREEN = "#009E73"  # good / positive / on target
RED = "#D55E00"  # bad / negative / off target (vermillion)
SKY = "#56B4E9"
BLUE = "#0072B2"
ORANGE = "#E69F00"
PURPLE = "#CC79A7"
GREY = "#8C8C8C"
INK = "#222222"  # text
MUTED = "#5F5F5F"  # secondary text, 6.4:1 on white
RULE = "#E3E3E3"  # gridlines
BACKGROUND = "#FFFFFF"

# Text is measured with DejaVu Sans (always present, and wider than the fonts a browser
# picks first, so labels that fit here fit there); the SVG names a system font stack.
MEASURE_FONT = "DejaVu Sans"
FONT_STACK = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'DejaVu Sans', sans-serif"
)
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
_FONT_ATTR = re.compile(r"font-family: '?DejaVu Sans'?(?:, sans-serif)?")
_configured = False


def configure() -> None:
    """Apply the chart style to this process's matplotlib (idempotent, deterministic)."""
    global _configured  # one process-wide setting, the same in every worker
    if not _configured:
        matplotlib.use("Agg")
        matplotlib.rcParams.update(RC)
        _configured = True


def new_figure(width: float, height: float) -> Figure:
    """A white figure of the given size in inches."""
    return Figure(figsize=(width, height), facecolor=BACKGROUND)


@cache
def _blank() -> bytes:
    """A white figure with one axes, pickled: unpickling costs about half of building it."""
    fig = new_figure(1, 1)
    fig.add_axes((0, 0, 1, 1))
    return pickle.dumps(fig)


def new_axes(width: float, height: float, rect: Sequence[float]) -> tuple[Figure, Axes]:
    """A white figure of the given size in inches, with one axes at `rect` (figure fractions)."""
    fig = pickle.loads(_blank())
    fig.set_size_inches(width, height)
    ax = fig.axes[0]
    ax.set_position(rect)
    return fig, ax


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
        ax.text(
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
        ax.text(0, y, label, transform=trans, ha="right", va="center", fontsize=size, color=INK)


def ygrid(ax, positions: Sequence[float], colour: str = RULE) -> None:
    """Horizontal gridlines across the axes at data y positions (one collection)."""
    ax.hlines(positions, 0, 1, transform=ax.get_yaxis_transform(), colors=colour, lw=0.8, zorder=0)


def axis_title(ax, text: str, which: str, pad: float) -> None:
    """An axis title `pad` points below (x) or left of (y) the axes, centred."""
    if which == "x":
        trans = offset_copy(ax.transAxes, fig=ax.figure, y=-pad, units="points")
        ax.text(0.5, 0, text, transform=trans, ha="center", va="top", fontsize=8.5, color=MUTED)
    else:
        trans = offset_copy(ax.transAxes, fig=ax.figure, x=-pad, units="points")
        ax.text(
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
    fig.text(0.5, 0.5, text, ha="center", va="center", color=MUTED, fontsize=10)


@cache
def _text_to_path() -> TextToPath:
    return TextToPath()


@lru_cache(maxsize=50_000)
def _extent(text: str, prop: FontProperties, ismath: Any) -> tuple[float, float, float]:
    """Width, height and descent of a line of text as the SVG renderer measures it."""
    return _text_to_path().get_text_width_height_descent(text, prop, ismath)


class _Renderer(RendererSVG):
    """The SVG renderer, measuring each distinct text once per process, not once per chart
    (matplotlib's own cache is per renderer, and a renderer draws one chart)."""

    def get_text_width_height_descent(self, s, prop, ismath):
        return _extent(s, prop.copy(), ismath)


class _Canvas(FigureCanvasSVG):
    """An SVG canvas drawing with `_Renderer`, into a text buffer."""

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None, **_applied):
        # as FigureCanvasSVG.print_svg (the figure is drawn at 72 dpi, in points); savefig
        # has applied the dpi and colours it passes along to a canvas not of matplotlib
        dpi = self.figure.dpi
        self.figure.dpi = 72
        width, height = self.figure.get_size_inches()
        svg = _Renderer(width * 72, height * 72, filename, image_dpi=dpi, metadata=metadata)
        renderer = MixedModeRenderer(
            self.figure, width, height, dpi, svg, bbox_inches_restore=bbox_inches_restore
        )
        self.figure.draw(renderer)
        renderer.finalize()


def to_svg(fig: Figure, title: str, desc: str, ids: tuple[str, str]) -> bytes:
    """The figure as reproducible SVG bytes with `<title>`/`<desc>` and ARIA on the root."""
    buf = io.StringIO()
    _Canvas(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs DejaVu lacks (emoji): the browser has them
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = _INVALID_XML.sub("", buf.getvalue())
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    svg = _FONT_ATTR.sub(f"font-family: {FONT_STACK}", svg)
    start = svg.index("<svg ")
    end = svg.index(">", start)
    title_id, desc_id = ids
    head = f'{svg[start:end]} role="img" aria-labelledby="{title_id} {desc_id}">'
    label = (
        f'\n <title id="{title_id}">{escape(clean(title))}</title>'
        f'\n <desc id="{desc_id}">{escape(clean(desc))}</desc>'
    )
    return (svg[:start] + head + label + svg[end + 1 :]).encode("utf-8")
