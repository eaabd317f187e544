"""Metric charts: the trend with target and margin of error, NPS composition, sparklines."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from cxsite.charts.draw.base import (
    GREEN,
    GREY,
    INK,
    MUTED,
    RED,
    bare,
    fill,
    finite,
    ink_on,
    local,
    measured_width_in,
    message,
    new_axes,
    truncate,
    xticks,
    ygrid,
    yticks,
)
from cxsite.charts.draw.text import add_annotation, add_figure_text, add_text

PASSIVE = "#BDBDBD"


def fmt(v: float, decimals: int = 2) -> str:
    """A tick or value label: thousands separators, at most `decimals` decimals."""
    text = f"{v:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def short(v: float) -> str:
    """A value label on a point: fewer decimals the larger the number (37.21 -> 37.2)."""
    return fmt(v, 0 if abs(v) >= 100 else 1 if abs(v) >= 10 else 2)


def _place(w: float, h: float, left: float, bottom: float, right: float, top: float):
    """A figure and its axes with fixed margins in inches (no tight_layout: a layout pass)."""
    return new_axes(w, h, (left / w, bottom / h, 1 - (left + right) / w, 1 - (bottom + top) / h))


def _margin(least: float, texts: list[str]) -> float:
    """`least` inches, or more when one of `texts` (8 pt) would not fit in it: measured only
    when one em a character (as wide as DejaVu Sans's widest letters and signs) says it
    might not, so a short tick label ("100", "−2.5") is never measured."""
    if all(len(text) * 8 / 72 + 0.1 <= least for text in texts):
        return least
    return max([least, *(measured_width_in(text, 8) + 0.1 for text in texts)])


def _colours(values: list[float], target: float | None, better_high: bool, primary: str):
    if target is None:
        return [primary] * len(values)
    return [GREEN if (v >= target if better_high else v <= target) else RED for v in values]


def _ticks(ax, periods: list[str]) -> None:
    n = len(periods)
    step = max(1, math.ceil(n / 10))
    shown = [i for i in range(n) if (n - 1 - i) % step == 0]  # always the latest period
    xticks(ax, shown, [truncate(periods[i], 12) for i in shown])


def _floored(lo: float, hi: float, data: Mapping[str, Any]) -> tuple[float, float]:
    """Widen a y range narrower than the metric's `min_span` around its middle, kept inside
    the scale's `bounds` (see charts/plan.py `axis_floor`)."""
    span = data.get("min_span")
    if not span or hi - lo >= span:
        return lo, hi
    low, high = data.get("bounds", (-math.inf, math.inf))
    middle = min(max((lo + hi) / 2, low + span / 2), high - span / 2)
    return middle - span / 2, middle + span / 2


def draw_trend(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """A metric's values by period, target line, margin-of-error band, on/off colouring."""
    primary = style.get("primary", INK)
    periods: list[str] = data["periods"]
    values = [v if v is not None else math.nan for v in finite(data["values"])]
    moes = finite(data["moe"])
    target = data.get("target")
    n = len(periods)
    if all(math.isnan(v) for v in values):
        fig, ax = _place(6.4, 2.9, 0.62, 0.42, 0.95, 0.34)
        bare(ax)
        ax.axis("off")
        message(fig, words["charts.trend.no_values"])
        return fig
    xs = list(range(n))
    lo = [v - m if m is not None else math.nan for v, m in zip(values, moes, strict=True)]
    hi = [v + m if m is not None else math.nan for v, m in zip(values, moes, strict=True)]
    span_values = [v for v in values + lo + hi if not math.isnan(v)]
    if target is not None:
        span_values.append(target)
    lo_y, hi_y = _floored(min(span_values), max(span_values), data)
    pad = (hi_y - lo_y) * 0.15 or max(abs(hi_y) * 0.1, 1)
    y0, y1 = lo_y - pad, hi_y + pad
    ticks = [float(t) for t in MaxNLocator(5).tick_values(y0, y1) if y0 <= t <= y1]
    tick_labels = [local(fmt(t), words) for t in ticks]
    target_text = ""
    if target is not None:
        value = data.get("target_label") or local(fmt(target), words)
        target_text = fill(words, "metric.target_value", value=value)
    # Room for the widest tick label at the left and the target's label at the right
    # (values in the billions); the usual margins otherwise.
    left = _margin(0.62, tick_labels)
    right = _margin(0.95, [target_text])
    fig, ax = _place(6.4, 2.9, left, 0.42, right, 0.34)
    bare(ax)
    handles = []
    if any(m is not None for m in moes):
        ax.fill_between(xs, lo, hi, color=primary, alpha=0.14, lw=0)
        if n == 1 or sum(m is not None for m in moes) == 1:  # a band needs two points
            ax.errorbar(
                xs,
                values,
                yerr=[m or 0 for m in moes],
                fmt="none",
                ecolor=primary,
                alpha=0.5,
                capsize=4,
            )
        handles.append(Patch(color=primary, alpha=0.25, label=words["charts.trend.moe"]))
    ax.plot(xs, values, color=primary, lw=2, zorder=2)
    ax.scatter(
        xs,
        values,
        s=40,
        zorder=3,
        edgecolors="white",
        linewidths=1,
        c=_colours(values, target, data["better_high"], primary),
    )
    if target is not None:
        ax.axhline(target, color=MUTED, lw=1.1, ls=(0, (4, 3)), zorder=1)
        add_text(
            ax,
            1.01,
            target,
            target_text,
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=8,
            color=MUTED,
        )
        used = set(_colours([v for v in values if not math.isnan(v)], target,
                            data["better_high"], primary))  # fmt: skip
        said = ((GREEN, words["metric.on_target"]), (RED, words["metric.off_target"]))
        handles += [
            Line2D([], [], marker="o", ls="", color=colour, label=label)
            for colour, label in said
            if colour in used
        ]
    ax.set_ylim(y0, y1)
    ax.set_xlim(-0.5, n - 0.5)
    ygrid(ax, ticks)
    yticks(ax, ticks, tick_labels)
    _ticks(ax, periods)
    if n <= 12:
        labels = data.get("labels") or [local(short(v), words) for v in values]
        for x, v, label in zip(xs, values, labels, strict=True):
            if math.isnan(v):
                continue
            add_annotation(
                ax,
                label,
                (x, v),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=7.5,
                color=INK,
            )
    unit = truncate(data.get("unit") or "", 24)
    if unit:
        add_figure_text(fig, 0.1 / 6.4, 1 - 0.08 / 2.9, unit, fontsize=8, color=MUTED, va="top")
    if handles:
        fig.legend(
            handles=handles,
            loc="upper right",
            bbox_to_anchor=(1 - 0.1 / 6.4, 1),
            ncol=len(handles),
            frameon=False,
            fontsize=7.5,
            handlelength=1.2,
            columnspacing=1.2,
        )
    return fig


def draw_composition(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """Stacked promoters/passives/detractors bars per period, NPS above each bar."""
    periods: list[str] = data["periods"]
    n = len(periods)
    parts = [
        (words["metric.nps.detractors"], RED, finite(data["detractors"])),
        (words["metric.nps.passives"], PASSIVE, finite(data["passives"])),
        (words["metric.nps.promoters"], GREEN, finite(data["promoters"])),
    ]
    width = max(3.8, 1.2 + 0.62 * n)
    fig, ax = _place(width, 3.0, 0.55, 0.42, 0.4, 0.5)
    bare(ax)
    xs = list(range(n))
    bottom = [0.0] * n
    given = data.get("share_labels")
    for part, (label, colour, shares) in enumerate(parts):
        heights = [(s or 0.0) * 100 for s in shares]
        ax.bar(xs, heights, 0.68, bottom=bottom, color=colour, label=label, lw=0)
        for x, h, b in zip(xs, heights, bottom, strict=True):
            if h >= 8:
                add_text(
                    ax,
                    x,
                    b + h / 2,
                    given[x][part] if given else f"{round(h)}",
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color=ink_on(colour),
                )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    promoters, detractors = parts[2][2], parts[0][2]
    nps_labels = data.get("nps_labels")
    for x, p, d in zip(xs, promoters, detractors, strict=True):
        if p is not None and d is not None:
            add_text(
                ax,
                x,
                102,
                nps_labels[x] if nps_labels else f"{round((p - d) * 100):+d}",
                ha="center",
                va="bottom",
                fontsize=7.5,
                color=INK,
                fontweight="bold",
            )
    ax.set_ylim(0, 112)
    ax.set_xlim(-0.6, n - 0.4)
    yticks(ax, [0, 50, 100], [fill(words, "charts.percent", n=n) for n in (0, 50, 100)])
    _ticks(ax, periods)
    fig.legend(
        loc="upper left",
        bbox_to_anchor=(0.5 / width, 1),
        ncol=3,
        frameon=False,
        fontsize=7.5,
        handlelength=1,
        columnspacing=1,
        reverse=True,
    )
    add_text(
        ax,
        n - 0.36,
        102,
        words["charts.nps.label"],
        ha="left",
        va="bottom",
        fontsize=7.5,
        color=MUTED,
    )
    return fig


def draw_sparkline(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """A tiny line of the series for KPI tiles: no axes, the latest point coloured by status."""
    primary = style.get("primary", INK)
    values = [v for v in finite(data["values"]) if v is not None]
    # As wide as a KPI tile is (about 5:1), so the tile shows it at about 44 px high.
    fig, ax = new_axes(2.4, 0.46, (0.015, 0.1, 0.955, 0.8))
    ax.axis("off")
    if not values:
        return fig
    lo, hi = min(values), max(values)
    target = data.get("target")
    span = hi - lo
    if target is not None and lo - span * 0.5 <= target <= hi + span * 0.5:
        ax.axhline(target, color=GREY, lw=0.8, ls=(0, (2, 2)))
        lo, hi = min(lo, target), max(hi, target)
    pad = (hi - lo) * 0.12 or 1
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlim(-0.3, max(len(values) - 1, 0) + 0.3)
    ax.plot(range(len(values)), values, color=primary, lw=1.6, solid_capstyle="round")
    status = data.get("status")
    last = GREEN if status == "on" else RED if status == "off" else primary
    ax.scatter([len(values) - 1], [values[-1]], s=16, color=last, zorder=3)
    return fig
