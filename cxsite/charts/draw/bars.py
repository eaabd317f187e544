"""Coverage bars: touchpoints per CX pillar, and the CX pyramid distribution."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cxsite.charts.draw.base import INK, MUTED, bare, ink_on, mix, new_axes, truncate, yticks
from cxsite.charts.draw.text import add_figure_text, add_text
from cxsite.i18n.bidi import isolate


def draw_bars(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """Horizontal bars with their counts, in the declared order, zeros shown."""
    primary = style.get("primary", INK)
    labels = [truncate(lbl, 24) for lbl in data["labels"]]
    values = data["values"]
    n = len(labels)
    note = data.get("note") or ""
    width, row = 5.0, 0.27
    bottom = 0.3 if note else 0.1
    height = n * row + bottom + 0.1
    fig, ax = new_axes(
        width, height, (1.25 / width, bottom / height, 3.6 / width, n * row / height)
    )
    bare(ax)
    peak = max(values) or 1
    ax.set_xlim(0, peak * 1.12)
    ax.set_ylim(n - 0.5, -0.5)
    ax.barh(range(n), values, 0.66, color=primary, lw=0)
    yticks(ax, range(n), labels)
    ax.set_xticks([])
    for i, v in enumerate(values):
        add_text(
            ax,
            v + peak * 0.015,
            i,
            str(v),
            va="center",
            ha="left",
            fontsize=8,
            color=INK if v else MUTED,
        )
    if note:
        add_figure_text(
            fig, 1.25 / width, 0.06 / height, note, fontsize=7.5, color=MUTED, va="bottom"
        )
    return fig


def draw_pyramid(data: Mapping[str, Any], style: Mapping[str, Any], words: Mapping[str, str]):
    """The CX pyramid: centred bars, utility at the base, pleasurable on top."""
    primary = style.get("primary", INK)
    labels = data["labels"]  # utility, usability, pleasurable
    values = data["values"]
    note = data.get("note") or ""
    width, row = 5.0, 0.5
    bottom = 0.3 if note else 0.1
    height = len(labels) * row + bottom + 0.1
    fig, ax = new_axes(width, height, (0.05, bottom / height, 0.9, len(labels) * row / height))
    bare(ax)
    ax.set_xticks([])
    ax.set_yticks([])
    peak = max(values) or 1
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-0.5, len(labels) - 0.5)
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        colour = mix(primary, 1.0 - 0.28 * i)
        half = 0.62 * v / peak
        ax.barh(i, 2 * half, 0.82, left=-half, color=colour, lw=0)
        text = f"{isolate(truncate(label, 20))}  {v}"  # its count stays after a right-to-left one
        if v == 0:
            add_text(ax, 0, i, text, ha="center", va="center", fontsize=8.5, color=MUTED)
        elif half > 0.28:
            add_text(
                ax,
                0,
                i,
                text,
                ha="center",
                va="center",
                fontsize=8.5,
                color=ink_on(colour),
                fontweight="bold",
            )
        else:
            add_text(
                ax,
                half + 0.03,
                i,
                text,
                ha="left",
                va="center",
                fontsize=8.5,
                color=INK,
                fontweight="bold",
            )
    if note:
        add_figure_text(
            fig, 0.5, 0.06 / height, note, fontsize=7.5, color=MUTED, va="bottom", ha="center"
        )
    return fig
