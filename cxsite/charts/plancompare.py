"""The chart job of a journey's emotion curve before and after (changes.html)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cxsite.analysis.lastchange import CurvePoint
from cxsite.charts.jobs import ChartJob
from cxsite.charts.labels import signed


def _word(value: float | None) -> str:
    return signed(value) if value is not None else "none"


def compare_job(
    title: str,
    points: Sequence[CurvePoint],
    revision: str,
    labels: dict[str, str],
    style: dict[str, Any],
) -> ChartJob:
    """Both emotion curves of one journey: at `revision` and in this version."""
    parts = [f"{p.name}: {_word(p.before)} to {_word(p.after)}" for p in points]
    desc = (
        f"Emotion per stage of {title} at {revision} (dashed) and now (solid). "
        + "; ".join(parts)
        + "."
    )
    return ChartJob(
        kind="emotion_compare",
        title=f"Emotion curve before and after: {title}",
        desc=desc,
        data={
            "stages": [p.name for p in points],
            "before": [p.before for p in points],
            "after": [p.after for p in points],
            "labels": labels,
            "before_label": f"At {revision}",
            "after_label": "Now",
        },
        style=style,
    )
