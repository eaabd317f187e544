"""The chart job of a journey's emotion curve before and after (changes.html)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cxsite.analysis.lastchange import CurvePoint
from cxsite.charts.jobs import ChartJob
from cxsite.charts.labels import signed
from cxsite.i18n.bidi import isolate
from cxsite.i18n.catalogue import Messages


def compare_job(
    title: str,
    points: Sequence[CurvePoint],
    revision: str,
    labels: dict[str, str],
    style: dict[str, Any],
    msgs: Messages,
) -> ChartJob:
    """Both emotion curves of one journey: at `revision` and in this version."""

    def word(value: float | None) -> str:
        return msgs.number(signed(value)) if value is not None else msgs.text("charts.changes.none")

    parts = [
        msgs.text(
            "charts.changes.stage",
            stage=isolate(p.name),
            before=word(p.before),
            after=word(p.after),
        )
        for p in points
    ]
    desc = msgs.text("charts.changes.desc", journey=isolate(title), revision=revision)
    return ChartJob(
        kind="emotion_compare",
        title=msgs.text("charts.changes.title", journey=isolate(title)),
        desc=desc + " " + "; ".join(parts) + ".",
        data={
            "stages": [p.name for p in points],
            "before": [p.before for p in points],
            "after": [p.after for p in points],
            "labels": labels,
            "before_label": msgs.text("charts.changes.then", revision=revision),
            "after_label": msgs.text("charts.changes.now"),
        },
        style=style,
    )
