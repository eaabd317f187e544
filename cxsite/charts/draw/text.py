"""Chart texts that are laid out once per process, and added without the axes clip path.

A matplotlib Text lays itself out (line sizes, alignment, rotation) every time it is drawn,
and a chart's tick labels, names and numbers repeat across hundreds of charts. The layout
depends only on the string, its style and the measuring renderer, never on the position, so
texts here remember it by those. `Axes.text` also gives every text the axes patch as clip
path, computing its transform, although a text is drawn unclipped (`clip_on` is False):
`add_text` skips that. Making a Text sets its style property by property; a label here
copies the attributes of the first label of its style instead. Drawn to SVG, they are
written by the canvas's shorter way for plain texts (svg.py). The SVG bytes are the same
as with `ax.text`, `fig.text` and `ax.annotate` (tests/test_charts.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from matplotlib.artist import allow_rasterization
from matplotlib.axes import Axes
from matplotlib.cbook import CallbackRegistry
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.transforms import IdentityTransform


class _Layout:
    """What a text's layout depends on (`key`), and the text to lay out if it is new."""

    __slots__ = ("key", "renderer", "text")

    def __init__(self, key: tuple[Any, ...], text: Text, renderer: Any) -> None:
        self.key, self.text, self.renderer = key, text, renderer

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Layout) and self.key == other.key


@lru_cache(maxsize=20_000)
def _layout(request: _Layout) -> Any:
    """matplotlib's layout of the first text with this key (read-only: bbox, lines, box)."""
    text, renderer = request.text, request.renderer
    request.text = request.renderer = None  # the memo keeps the key, not the chart
    return Text._get_layout(text, renderer)


def _key(text: Text, renderer: Any) -> tuple[Any, ...] | None:
    """Everything matplotlib's `Text._get_layout` reads; None for wrapped text, whose layout
    depends on the figure's size."""
    if text.get_wrap():
        return None
    measurer = type(renderer.get_text_width_height_descent.__self__)  # not a mixed-mode proxy
    return (
        measurer,
        text.get_text(),
        text.get_fontproperties(),
        text.get_usetex(),
        text._linespacing,
        text._multialignment,
        text.get_horizontalalignment(),
        text.get_verticalalignment(),
        text.get_rotation(),
        text.get_rotation_mode(),
        text.figure.dpi,
    )


class _Remembered:
    """A text whose `_get_layout` is looked up before it is computed."""

    def _get_layout(self, renderer):
        key = _key(self, renderer)
        if key is None:
            return super()._get_layout(renderer)
        return _layout(_Layout(key, self, renderer))


def _draw_text(text: Text, renderer: Any) -> None:
    """`Text.draw`, by the SVG canvas's shorter way for plain texts where it has one."""
    plain = getattr(getattr(renderer, "_renderer", None), "draw_plain_text", None)
    if plain is None or not plain(text, renderer):
        Text.draw(text, renderer)


class Label(_Remembered, Text):
    """A text laid out once per process for its string and style."""

    @allow_rasterization
    def draw(self, renderer):
        _draw_text(self, renderer)


class Note(_Remembered, Annotation):
    """An annotation laid out once per process for its string and style."""

    @allow_rasterization
    def draw(self, renderer):
        # as Annotation.draw, its text drawn by `_draw_text`
        if renderer is not None:
            self._renderer = renderer
        if not self.get_visible() or not self._check_xy(renderer):
            return
        self.update_positions(renderer)
        self.update_bbox_position_size(renderer)
        if self.arrow_patch is not None:
            if self.arrow_patch.get_figure(root=False) is None:
                self.arrow_patch.set_figure(self.get_figure(root=False))
            self.arrow_patch.draw(renderer)
        _draw_text(self, renderer)


@lru_cache(maxsize=1_000)
def _style_state(style: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """The attributes matplotlib gives a new Label of this style (its options but the
    transform), made once per process (read-only: each label takes a copy)."""
    return Label(0, 0, "", **dict(style)).__dict__


def _label(x: float, y: float, s: str, options: dict[str, Any]) -> Label:
    """`Label(x, y, s, **options)` in an eighth of the time: a copy of the attributes of a
    label of the same style (`_style_state`) with its own position, string and transform,
    and its own copies of what a text could change in place (font, callbacks). Options
    that cannot be a memo key (a dict) take matplotlib's way."""
    style = tuple((key, value) for key, value in options.items() if key != "transform")
    try:
        state = _style_state(style)
    except TypeError:  # unhashable
        return Label(x, y, s, **options)
    label = Label.__new__(Label)
    label.__dict__.update(state)
    label._callbacks = CallbackRegistry(signals=["pchanged"])
    label._fontproperties = state["_fontproperties"].copy()
    label._x, label._y = x, y
    label.set_text(s)
    label.set_transform(options["transform"])
    return label


def add_text(ax: Axes, x: float, y: float, s: str, **kwargs: Any) -> Label:
    """As `ax.text`: at data coordinates unless `transform` is given, unclipped."""
    label = _label(x, y, s, {"transform": ax.transData, "clip_on": False, **kwargs})
    ax._add_text(label)  # as ax.text does, less the clip path it never uses
    return label


def add_figure_text(fig: Figure, x: float, y: float, s: str, **kwargs: Any) -> Label:
    """As `fig.text`: at figure fractions unless `transform` is given."""
    label = _label(x, y, s, {"transform": fig.transSubfigure, **kwargs})
    label.set_figure(fig)
    fig.texts.append(label)
    return label


def add_annotation(ax: Axes, s: str, xy: tuple[float, float], **kwargs: Any) -> Note:
    """As `ax.annotate` (unclipped): `s` placed relative to the data point `xy`."""
    note = Note(s, xy, **kwargs)
    note.set_transform(IdentityTransform())
    ax._add_text(note)
    return note
