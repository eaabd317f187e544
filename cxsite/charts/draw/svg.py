"""The SVG finish: a figure drawn to reproducible SVG bytes with `<title>` and `<desc>`.

Each distinct text is measured once per process (matplotlib's own cache is per renderer,
and a renderer draws one chart); the bytes are the same as `savefig(format="svg")` gives.
"""

from __future__ import annotations

import io
import re
import warnings
from functools import cache, lru_cache
from typing import Any
from xml.sax.saxutils import escape

from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from cxsite.charts.draw.base import FONT_STACK, clean

_FONT_ATTR = re.compile(r"font-family: '?DejaVu Sans'?(?:, sans-serif)?")


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
    svg = clean(buf.getvalue())  # no control characters XML forbids
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
