"""The interface words a chart's drawing writes, taken from the catalogue where jobs are planned.

Charts are drawn in worker processes that never read a catalogue: each job carries the texts
its kind draws (message key -> text, a `{name}` parameter left for the drawing to fill) and
the language's number separators. They are part of the job's cache key, so another language
or label draws the chart anew and an unchanged one is taken from the cache.
"""

from __future__ import annotations

from dataclasses import replace

from cxsite.charts.jobs import ChartJob
from cxsite.i18n.catalogue import Messages

EMOTION_NOTES = ("term.peak", "term.end")
DRAWN: dict[str, tuple[str, ...]] = {
    "emotion": (*EMOTION_NOTES, "journey.not_recorded", "charts.assumption_note"),
    "emotion_lines": EMOTION_NOTES,
    "emotion_compare": (),
    "trend": (
        "charts.trend.moe",
        "metric.target_value",
        "metric.on_target",
        "metric.off_target",
        "charts.trend.no_values",
    ),
    "composition": (
        "metric.nps.detractors",
        "metric.nps.passives",
        "metric.nps.promoters",
        "charts.nps.label",
        "charts.percent",
    ),
    "sparkline": (),
    "ipa": (
        "ipa.quadrant.concentrate",
        "ipa.quadrant.keep",
        "ipa.quadrant.low",
        "ipa.quadrant.overkill",
        "charts.ipa.x_axis",
        "charts.ipa.y_axis",
        "charts.ipa.unlabelled",
    ),
    "heatmap": (),
    "impact_effort": (
        "term.effort",
        "term.impact",
        "charts.impact_effort.quick_wins",
        "charts.impact_effort.big_bets",
        "charts.impact_effort.fill_ins",
        "charts.impact_effort.thankless",
        "level.low",
        "level.medium",
        "level.high",
    ),
    "bars": (),
    "pyramid": (),
}
# Every chart may have to say that it could not be drawn.
COMMON = ("charts.failed",)


def drawn_words(messages: Messages, kind: str) -> dict[str, str]:
    """The texts a chart of `kind` draws, and the language's decimal and group separators."""
    words = {key: messages.text(key) for key in (*COMMON, *DRAWN.get(kind, ()))}
    words["decimal"] = messages.number(".")
    words["group"] = messages.number(",")
    return words


def with_words(job: ChartJob, messages: Messages) -> ChartJob:
    """The job carrying the words its kind draws."""
    return replace(job, words=drawn_words(messages, job.kind))
