"""The SVG finish: a figure drawn to reproducible SVG bytes with `<title>` and `<desc>`.

Each distinct text is measured once per process (matplotlib's own cache is per renderer,
and a renderer draws one chart), and a plain text is written in fewer steps than matplotlib
takes, its style from memos; the bytes are the same as `savefig(format="svg")` gives
(tests/test_charts.py compares them for every chart kind).
"""

from __future__ import annotations

import io
import math
import re
import warnings
from functools import cache, lru_cache
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import (
    FigureCanvasSVG,
    RendererSVG,
    _generate_transform,
    _short_float_fmt,
)
from matplotlib.colors import rgb2hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import TextToPath

from cxsite.charts.draw.base import clean
from cxsite.charts.fonts import FONT_STACK

_FONT_ATTR = re.compile(r"font-family: '?DejaVu Sans'?(?:, sans-serif)?")
_SIZE_ATTRS = re.compile(r'width="([0-9.]+)pt" height="([0-9.]+)pt"')
# The size a chart asks to be shown at: 1.5 CSS px for each point it is drawn in (a point
# is 1.33 px), so that its smallest text, 7.5 pt, reads at 11 px or more. Pages show a chart
# at this size, never smaller: one too wide for its box scrolls inside it (cxsite.css). A
# PDF brief gives the image its own width, so this does not change how charts print.
SCREEN_PX_PER_PT = 1.5


@cache
def _text_to_path() -> TextToPath:
    return TextToPath()


@lru_cache(maxsize=50_000)
def _extent(text: str, prop: FontProperties, ismath: Any) -> tuple[float, float, float]:
    """Width, height and descent of a line of text as the SVG renderer measures it."""
    return _text_to_path().get_text_width_height_descent(text, prop, ismath)


@lru_cache(maxsize=1_000)
def _font_style(font: tuple[Any, ...], prop: FontProperties) -> str:
    """The CSS matplotlib writes for a text in this font (`font` is the font's properties),
    asked of matplotlib itself: a black text drawn by its own renderer into a scratch buffer.
    """
    buf = io.StringIO()
    RendererSVG(1, 1, buf)._draw_text_as_text(_BLACK, 0, 0, "x", prop, 0, False)
    return _STYLE.search(buf.getvalue()).group(1)


class _Black:
    """The colour of the scratch text (the style then holds the font alone)."""

    def get_rgb(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, 0.0, 1.0)

    def get_forced_alpha(self) -> bool:
        return False


_BLACK = _Black()
_STYLE = re.compile(r'<text style="([^"]*)"')
_ANCHOR = {"left": "start", "right": "end", "center": "middle"}


@lru_cache(maxsize=1_000)
def _colour_style(rgb: tuple[float, ...]) -> str:
    """The CSS for a text's colour, as matplotlib writes it after the font's (the alpha is
    the colour's own: matplotlib's graphics context puts a text's alpha there)."""
    alpha = rgb[3]
    colour = rgb2hex(rgb)
    parts = [] if colour == "#000000" else [f"fill: {colour}"]
    if alpha != 1:
        parts.append(f"opacity: {_short_float_fmt(alpha)}")
    return "".join(f"; {part}" for part in parts)


class _Renderer(RendererSVG):
    """The SVG renderer, measuring each distinct text once per process, not once per chart
    (matplotlib's own cache is per renderer, and a renderer draws one chart), and writing a
    plain text's style from a memo of its font and colour, not working it out again."""

    def get_text_width_height_descent(self, s, prop, ismath):
        return _extent(s, prop.copy(), ismath)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        # as RendererSVG.draw_text with svg.fonttype "none", for unclipped text with no link
        # and no mathtext; anything else takes matplotlib's own way
        if (
            ismath
            or gc.get_url() is not None
            or gc.get_clip_rectangle() is not None
            or gc.get_clip_path()[0] is not None
        ):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        self._write_text(x, y, s, prop, angle, mtext, gc.get_rgb())

    def draw_plain_text(self, text: Text, renderer: Any) -> bool:
        """`Text.draw` for a plain text (no box, effects, link, clip, units or mathtext)
        in fewer steps, with the same bytes; False, having drawn nothing, for any other."""
        if not _plain(text):
            return False
        text._renderer = renderer
        if not text.get_visible() or text.get_text() == "":
            return True
        self.open_group("text", text.get_gid())
        _, info, _ = text._get_layout(renderer)
        posx, posy = text.get_transform().transform(text.get_unitless_position())
        if not (math.isfinite(posx) and math.isfinite(posy)):
            return True  # as matplotlib: nothing drawn (nor its group closed)
        colour = to_rgba(text.get_color())
        alpha = text.get_alpha()
        rgb = colour if alpha is None else (*colour[:3], alpha)
        angle = text.get_rotation()
        mtext = text if len(info) == 1 else None
        prop = text._fontproperties
        for line, _, (x, y) in info:
            self._write_text(
                x + posx, self.height - (y + posy), line, prop, angle, mtext, rgb, (posx, posy)
            )
        self.close_group("text")
        text.stale = False
        return True

    def _write_text(self, x, y, s, prop, angle, mtext, rgb, anchor=None) -> None:
        # RendererSVG._draw_text_as_text for text that is not math, its style from memos;
        # `anchor`: where `mtext`'s transform puts its position, when known already
        font = _font_style(tuple(prop.__dict__.values()), prop)
        colour = _colour_style(tuple(rgb))
        if mtext and (angle == 0 or mtext.get_rotation_mode() == "anchor"):
            if anchor is None:
                anchor = mtext.get_transform().transform(mtext.get_unitless_position())
            ax, ay = anchor
            ay = self.height - ay
            angle_rad = np.deg2rad(angle)
            dir_vert = np.array([np.sin(angle_rad), np.cos(angle_rad)])
            v_offset = np.dot(dir_vert, [(x - ax), (y - ay)])
            ax = ax + v_offset * dir_vert[0]
            ay = ay + v_offset * dir_vert[1]
            attrib = {
                "style": f"{font}; text-anchor: {_ANCHOR[mtext.get_ha()]}{colour}",
                "x": _short_float_fmt(ax),
                "y": _short_float_fmt(ay),
                "transform": _generate_transform([("rotate", (-angle, ax, ay))]),
            }
        else:
            attrib = {
                "style": font + colour,
                "transform": _generate_transform([("translate", (x, y)), ("rotate", (-angle,))]),
            }
        self.writer.element("text", s, attrib=attrib)


def _plain(text: Text) -> bool:
    """Whether `draw_plain_text` draws `text` as matplotlib would."""
    return (
        type(text._x) in _NUMBERS  # not masked
        and type(text._y) in _NUMBERS
        and text._bbox_patch is None
        and not text._path_effects
        and not text._usetex
        and not text._parse_math
        and text._url is None
        and (not text._clipon or (text.clipbox is None and text._clippath is None))
        and not text.get_wrap()
    )


_NUMBERS = (float, int, np.float64)


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
    svg = clean(buf.getvalue())  # no control characters XML forbids
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    svg = _FONT_ATTR.sub(f"font-family: {FONT_STACK}", svg)
    start = svg.index("<svg ")
    end = svg.index(">", start)
    title_id, desc_id = ids
    head = _SIZE_ATTRS.sub(_screen_size, svg[start:end], count=1)
    head = f'{head} role="img" aria-labelledby="{title_id} {desc_id}">'
    label = (
        f'\n <title id="{title_id}">{escape(clean(title))}</title>'
        f'\n <desc id="{desc_id}">{escape(clean(desc))}</desc>'
    )
    return (svg[:start] + head + label + svg[end + 1 :]).encode("utf-8")


def _screen_size(match: re.Match[str]) -> str:
    """The root's width and height in CSS px at `SCREEN_PX_PER_PT` (the viewBox stays in pt)."""
    width, height = (float(match.group(i)) * SCREEN_PX_PER_PT for i in (1, 2))
    return f'width="{_short_float_fmt(width)}px" height="{_short_float_fmt(height)}px"'
