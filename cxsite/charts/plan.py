"""Building the plain-data chart jobs of emotion curves, metrics and importance-performance
matrices from the analyses: data, titles and alt text, in the project's language."""

from __future__ import annotations

import math
from typing import Any

from cxsite.analysis.formats import metric_delta, metric_number, p_text, percent_number
from cxsite.analysis.types import EmotionCurve, Ipa, MetricSummary, Significance
from cxsite.charts.jobs import ChartJob
from cxsite.charts.labels import num, signed
from cxsite.i18n.bidi import isolate
from cxsite.i18n.catalogue import Messages
from cxsite.model import Metric, Project
from cxsite.model.research import confidence_of


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def emotion_job(
    curve: EmotionCurve, project: Project, style: dict[str, Any], tracked: bool = False
) -> ChartJob:
    msgs = project.config.messages

    def value(x: float) -> str:
        return msgs.number(signed(x))

    emotions = [_finite(s.emotion) for s in curve.stages]
    # the names in the title and description, isolated: they are plain text (SVG, alt)
    named = [isolate(s.name) for s in curve.stages]
    journey = isolate(curve.title)
    parts = [
        msgs.text("charts.emotion.stage", stage=name, word=s.label, value=value(s.emotion))
        if s.emotion is not None
        else f"{name}: -"
        for s, name in zip(curve.stages, named, strict=True)
    ]
    count = len(curve.stages)
    desc = msgs.plural("charts.emotion.desc", count, journey=journey) + " " + "; ".join(parts)
    if curve.peak is not None:
        peak = curve.stages[curve.peak]
        desc += ". " + msgs.text(
            "personacurve.peak",
            stage=named[curve.peak],
            value=value(peak.emotion),  # type: ignore[arg-type]
        )
    end = curve.stages[curve.end]
    if end.emotion is not None:
        desc += ". " + msgs.text(
            "charts.emotion.end", stage=named[curve.end], value=value(end.emotion)
        )
    missing = [name for s, name in zip(curve.stages, named, strict=True) if s.emotion is None]
    if missing:
        desc += ". " + msgs.text("charts.emotion.missing", stages=", ".join(missing))
    labels = {str(v): project.config.emotion_label(v) for v in range(-2, 3)}
    data: dict[str, Any] = {
        "stages": [s.name for s in curve.stages],
        "emotions": emotions,
        "peak": curve.peak,
        "end": curve.end,
        "labels": labels,
    }
    # Assumptions (SPEC 8.8): only when there are some, so other charts keep their bytes.
    assumed = _assumed(curve, project) if tracked else []
    if any(assumed):
        data["assumed"] = assumed
        names = [name for name, a in zip(named, assumed, strict=True) if a]
        desc += ". " + msgs.text("charts.emotion.assumed", stages=", ".join(names))
    return ChartJob(
        kind="emotion",
        title=msgs.text("charts.emotion.title", journey=journey),
        desc=desc + ".",
        data=data,
        style=style,
    )


def _assumed(curve: EmotionCurve, project: Project) -> list[bool]:
    """Per stage of the curve, whether it is an assumption (SPEC 8.8)."""
    journey = project.journeys.get(curve.journey_id)
    if journey is None:
        return [False] * len(curve.stages)
    return [confidence_of(stage) == "assumption" for stage in journey.stages]


def _verdict(sig: Significance, msgs: Messages) -> str:
    """`significant (p = 0.031)`, `within noise` or `too few answers`, in the language."""
    if sig.verdict == "significant" and sig.p is not None:
        return msgs.text("stats.verdict.significant", p=msgs.number(p_text(sig.p)))
    if sig.verdict == "noise":
        return msgs.text("stats.verdict.noise")
    return msgs.text("stats.verdict.too-few")


def _unit(m: MetricSummary, metric: Metric, msgs: Messages) -> str:
    """The unit of a metric's values: its own, or its kind's default in the language."""
    if metric.unit or m.unit not in ("points", "score"):
        return m.unit
    return msgs.text("charts.unit.points" if m.unit == "points" else "charts.unit.score")


def _shown(value: float | None, m: MetricSummary, msgs: Messages) -> str:
    """A value in the kind's digits, as the tables show it (SPEC 8.13)."""
    return msgs.number(metric_number(value, m.kind))


def _values_sentence(m: MetricSummary, unit_word: str, msgs: Messages) -> str:
    """The series as a sentence: what a KPI tile's sparkline adds to the tile's own text."""
    values = ", ".join(f"{p.period} {_shown(p.value, m, msgs)}" for p in m.points[-12:])
    more = ""
    if len(m.points) > 12:
        more = " " + msgs.text("charts.metric.last", n=msgs.number(str(len(m.points))))
    if unit_word:
        return msgs.text(
            "charts.metric.series_unit",
            metric=isolate(m.name),
            unit=isolate(unit_word),
            more=more,
            values=values,
        )
    return msgs.text("charts.metric.series", metric=isolate(m.name), more=more, values=values)


def _series_desc(m: MetricSummary, unit_word: str, msgs: Messages) -> str:
    """The series, the latest value against the target and the change: the trend chart's
    description, for a reader who cannot see it."""
    unit = f" {isolate(unit_word)}" if unit_word else ""
    text = _values_sentence(m, unit_word, msgs)
    latest = m.latest
    assert latest is not None
    extra = [] if latest.n is None else [f"n={latest.n}"]
    if latest.moe is not None:
        moe = msgs.number(metric_number(latest.moe, "moe"))
        extra.append(msgs.text("charts.metric.moe", value=moe))
    text += " " + msgs.text("charts.metric.latest", value=_shown(latest.value, m, msgs) + unit)
    text += f" ({', '.join(extra)})" if extra else ""
    if m.target is not None:
        key = "charts.metric.on_target" if m.status == "on" else "charts.metric.off_target"
        text += "; " + msgs.text(key, value=_shown(m.target, m, msgs) + unit)
    if m.trend is not None:
        t = m.trend
        size = msgs.number(metric_delta(abs(t.delta), m.kind, "-", latest.value).lstrip("+"))
        if t.direction == "flat":
            move = msgs.text("charts.metric.unchanged")
        elif t.direction == "up":
            move = msgs.text("charts.metric.up", size=size)
        else:
            move = msgs.text("charts.metric.down", size=size)
        if t.significance is not None:
            move += ", " + _verdict(t.significance, msgs)
        text += "; " + msgs.text("charts.metric.versus", change=move, period=t.previous_period)
        if t.verdict == "better":
            text += " (" + msgs.text("stats.word.better") + ")"
        elif t.verdict == "worse":
            text += " (" + msgs.text("stats.word.worse") + ")"
    if m.skipped:
        text += ". " + msgs.plural("charts.metric.skipped", m.skipped)
    return text + "."


def axis_floor(metric: Metric) -> dict[str, Any]:
    """The smallest y range a trend chart of this metric shows, and the scale it lies in, so
    that a change of a few tenths never looks like a cliff: NPS 20 points, CSAT 10 points,
    CES a quarter of its scale. Nothing for other kinds."""
    if metric.kind == "nps":
        return {"min_span": 20.0, "bounds": [-100.0, 100.0]}
    if metric.kind == "csat":
        return {"min_span": 10.0, "bounds": [0.0, 100.0]}
    if metric.kind == "ces":
        low, high = metric.effective_scale
        return {"min_span": (high - low) / 4, "bounds": [float(low), float(high)]}
    return {}


def metric_jobs(
    m: MetricSummary,
    metric: Metric,
    style: dict[str, Any],
    msgs: Messages,
    keys: tuple[str, str, str],
) -> dict[str, ChartJob]:
    """The trend, sparkline and (NPS) composition charts of a metric, by the given keys."""
    if not m.points:
        return {}
    trend_key, spark_key, nps_key = keys
    unit_word = _unit(m, metric, msgs)

    series = {
        "periods": [p.period for p in m.points],
        "values": [p.value for p in m.points],
        "moe": [_finite(p.moe) for p in m.points],
        "n": [p.n for p in m.points],
        # the labels as the tables show them (SPEC 8.13): one rule per kind, drawn as given
        "labels": [_shown(p.value, m, msgs) for p in m.points],
        "target_label": _shown(m.target, m, msgs) if _finite(m.target) is not None else None,
        "target": _finite(m.target),
        "better_high": m.better_high,
        "unit": unit_word,
        "status": m.status,
        "skipped": m.skipped,
    }
    desc = _series_desc(m, unit_word, msgs)
    jobs = {
        trend_key: ChartJob(
            "trend",
            msgs.text("charts.trend.title", metric=isolate(m.name)),
            desc,
            series | axis_floor(metric),
            style,
        ),
        # A tile shows the latest value, target and change as text beside its sparkline.
        spark_key: ChartJob(
            "sparkline",
            msgs.text("charts.sparkline.title", metric=isolate(m.name)),
            _values_sentence(m, unit_word, msgs),
            series,
            style,
        ),
    }
    if m.composition:
        comp = m.composition

        def pct(share: float | None) -> str:
            return msgs.number(percent_number(share))

        rows = [
            msgs.text(
                "charts.nps.row",
                period=c.period,
                promoters=pct(c.promoters),
                passives=pct(c.passives),
                detractors=pct(c.detractors),
            )
            + (f" (n={c.n})" if c.n else "")
            for c in comp
        ]
        jobs[nps_key] = ChartJob(
            kind="composition",
            title=msgs.text("charts.nps.title", metric=isolate(m.name)),
            desc=msgs.text("charts.nps.desc") + " " + "; ".join(rows) + ".",
            data={
                "periods": [c.period for c in comp],
                "promoters": [c.promoters for c in comp],
                "passives": [c.passives for c in comp],
                "detractors": [c.detractors for c in comp],
                "n": [c.n for c in comp],
                # each share and NPS as the tables beside the chart round them
                "share_labels": [
                    [pct(c.detractors), pct(c.passives), pct(c.promoters)] for c in comp
                ],
                "nps_labels": [
                    msgs.number(metric_delta((c.promoters - c.detractors) * 100, "nps", "-"))
                    for c in comp
                ],
            },
            style=style,
        )
    return jobs


def ipa_job(matrix: Ipa, who: str, style: dict[str, Any], msgs: Messages) -> ChartJob:
    """The importance-performance matrix of some personas (`who` names them)."""
    quadrants = {
        "Concentrate here": msgs.text("ipa.quadrant.concentrate"),
        "Keep up the good work": msgs.text("ipa.quadrant.keep"),
        "Low priority": msgs.text("ipa.quadrant.low"),
        "Possible overkill": msgs.text("ipa.quadrant.overkill"),
    }
    by_quadrant = []
    for quadrant, name in quadrants.items():
        names = [isolate(p.name) for p in matrix.in_quadrant(quadrant)]
        if names:
            by_quadrant.append(f"{name}: {', '.join(names)}")
    if matrix.crosshair == "mean":
        split = msgs.text("charts.ipa.split_mean")
    else:
        split = msgs.text("charts.ipa.split_midpoint")
    desc = msgs.plural(
        "charts.ipa.desc",
        len(matrix.points),
        who=who,
        split=split,
        importance=msgs.number(num(matrix.importance_split)),
        satisfaction=msgs.number(num(matrix.satisfaction_split)),
    )
    return ChartJob(
        kind="ipa",
        title=msgs.text("charts.ipa.title", who=who),
        desc=desc + " " + "; ".join(by_quadrant) + ".",
        data={
            "points": [
                {
                    "name": p.name,
                    "importance": p.importance,
                    "satisfaction": p.satisfaction,
                    "quadrant": p.quadrant,
                }
                for p in matrix.points
            ],
            "importance_split": matrix.importance_split,
            "satisfaction_split": matrix.satisfaction_split,
        },
        style=style,
    )
