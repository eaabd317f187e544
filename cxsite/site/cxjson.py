"""`data/cx.json`: the whole validated model plus the computed metric series, for other tools."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from cxsite import __version__
from cxsite.analysis.analyse import Analysis
from cxsite.incremental.depgraph import parts_hash
from cxsite.metricdata.types import PeriodPoint
from cxsite.model import Project
from cxsite.session import Session
from cxsite.site.search import escape_json as _escape


def _point(point: PeriodPoint) -> dict[str, Any]:
    # a PeriodPoint holds only numbers and text: its fields as they are
    return {k: v for k, v in zip(point._fields, point, strict=True) if v is not None}


def _comments(summary: Any) -> dict[str, Any]:
    comments = summary.comments

    def sample(c: Any) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(c).items() if v is not None}

    return {
        "total": comments.total,
        "themes": [
            {
                "name": row.name,
                "mentions": row.mentions,
                "share": row.share,
                **({"value": _point(row.point)} if row.point is not None else {}),
                "samples": [sample(c) for c in row.samples],
            }
            for row in comments.themes
        ],
        "in_no_theme": comments.unthemed,
        "in_no_theme_share": comments.unthemed_share,
        "samples": [sample(c) for c in comments.samples],
    }


def _new_parts(metric: Any, summary: Any) -> dict[str, Any]:
    """The release-2 parts of a metric's computed data, only where it has them."""
    parts: dict[str, Any] = {}
    if summary.segments:
        parts["segments"] = {
            name: {value: _point(p) for value, p in rows} for name, rows in summary.segments.items()
        }
    if summary.unscored:
        parts["answers_without_score"] = dict(summary.unscored)
    if summary.comments is not None:
        parts["comments"] = _comments(summary)
    return parts


def _metric_entry(metric: Any, summary: Any) -> dict[str, Any]:
    entry = metric.model_dump(mode="json", exclude_none=True)
    # Keys left at their defaults read as the file wrote them (a release-1 path stays one).
    if "comment_samples" not in metric.model_fields_set:
        entry.pop("comment_samples", None)
    if metric.responses is not None:
        settings = metric.responses.model_dump(mode="json", exclude_defaults=True)
        entry["responses"] = settings["file"] if list(settings) == ["file"] else settings
    entry["computed"] = {
        "category": metric.effective_category,
        "unit": metric.effective_unit,
        "higher_is_better": metric.better_high,
        "source": summary.source,
        "status": summary.status,
        "trend": dataclasses.asdict(summary.trend) if summary.trend else None,
        "answers_needed": summary.answers_needed,
        "series": [_point(p) for p in summary.points],
        "overall": _point(summary.overall) if summary.overall else None,
        "breakdowns": {
            column: {eid: _point(p) for eid, p in rows}
            for column, rows in summary.breakdowns.items()
        },
        **_new_parts(metric, summary),
    }
    return entry


def _journey_entry(journey: Any, curve: Any, comparison: Any) -> dict[str, Any]:
    """A journey as written, plus (curves, SPEC 8.7) each persona's curve when its stages give
    emotions per persona, and its as-is / to-be comparison; nothing added otherwise."""
    entry = journey.model_dump(mode="json", exclude_none=True)
    computed: dict[str, Any] = {}
    if curve is not None and curve.personas:
        computed["persona_curves"] = {
            p.persona_id: {
                "emotions": list(p.emotions),
                "peak": p.peak,
                "end": p.end,
                "average": p.average,
                "steepest_drop": dataclasses.asdict(p.steepest_drop) if p.steepest_drop else None,
            }
            for p in curve.personas
        }
    if comparison is not None:
        computed["comparison"] = {
            "current": comparison.current_id,
            "future": comparison.future_id,
            "matched": comparison.matched,
            "average_before": comparison.average_before,
            "average_after": comparison.average_after,
            "stages": [
                {
                    "name": r.name,
                    "before": r.before,
                    "after": r.after,
                    "pains_gone": list(r.gone),
                    "pains_new": list(r.new),
                }
                for r in comparison.rows
            ],
        }
    if computed:
        entry["computed"] = computed
    return entry


def _coverage_entry(c: Any) -> dict[str, Any]:
    return {
        "share": c.share,
        "stages": c.stages,
        "stages_with_evidence": c.stages_with,
        "pain_points": c.pains,
        "pain_points_with_evidence": c.pains_with,
        "assumptions": c.assumptions,
    }


def _evidence_entry(analysis: Analysis) -> dict[str, Any]:
    """Evidence coverage and journey health (SPEC 8.8, 8.9): the computed numbers."""
    evidence = analysis.evidence
    return {
        "tracked": evidence.tracked,
        "coverage": _coverage_entry(evidence.overall) if evidence.tracked else None,
        "journeys": {
            jid: {
                "coverage": _coverage_entry(evidence.coverage[jid]) if evidence.tracked else None,
                "health": {
                    "score": health.score,
                    "components": {
                        part.name: {"value": part.value, "weight": part.weight, "share": part.share}
                        for part in health.parts
                    },
                },
            }
            for jid, health in analysis.health.items()
        },
        "research_uses": {
            rid: [dataclasses.asdict(use) for use in uses] for rid, uses in evidence.uses.items()
        },
    }


def cx_document(project: Project, analysis: Analysis, as_of: dt.date) -> dict[str, Any]:
    """The JSON document: entities keyed by id in id order, fields in model order."""
    metrics = {
        mid: _metric_entry(metric, analysis.metrics[mid]) for mid, metric in project.metrics.items()
    }

    def dump(items: Any) -> dict[str, Any]:
        return {eid: m.model_dump(mode="json", exclude_none=True) for eid, m in items.items()}

    return {
        "generator": f"cxsite {__version__}",
        "as_of": as_of.isoformat(),
        "config": project.config.model_dump(mode="json", exclude_none=True),
        "personas": dump(project.personas),
        "journeys": {
            jid: _journey_entry(j, analysis.curves.get(jid), analysis.comparisons.get(jid))
            for jid, j in project.journeys.items()
        },
        "touchpoints": dump(project.touchpoints),
        "metrics": metrics,
        "research": dump(project.research),
        "evidence": _evidence_entry(analysis),
    }


def _dump(value: Any) -> str:
    """`value` as compact JSON (Python's C encoder: no indent, no spaces)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _fragment(parts: tuple[Any, ...], make: Any, session: Session) -> str:
    key = parts_hash(parts, session.hashes)
    found = session.json_fragments.get(key)
    if found is None:
        found = session.json_fragments.put(key, _dump(make()))
    return found


def _collection(items: dict[str, str]) -> list[str]:
    """An object of entries as pieces of text, escaped one by one (see `cx_json`)."""
    pieces = ["{"]
    for eid, text in items.items():
        pieces += (_escape(_dump(eid)), ":", _escape(text), ",")
    pieces[-1:] = ["}"] if items else ["{", "}"]
    return pieces


def cx_json(
    project: Project, analysis: Analysis, as_of: dt.date, session: Session | None = None
) -> str:
    """`data/cx.json` as text (escaped so no raw `<`, `>` or `&` appears in it).

    Compact JSON (no indent, no spaces), the same bytes as `cx_document(...)` dumped with
    `separators=(",", ":")` and escaped, assembled from per-entity fragments so that only
    changed entities are serialised again (kept in the session's `json_fragments`).
    """
    session = session or Session()

    def dump(kind: str, items: Any) -> list[str]:
        return _collection(
            {
                eid: _fragment(
                    (kind, m), lambda m=m: m.model_dump(mode="json", exclude_none=True), session
                )
                for eid, m in items.items()
            }
        )

    journeys = {
        jid: _fragment(
            ("journey", j, analysis.curves.get(jid), analysis.comparisons.get(jid)),
            lambda j=j, jid=jid: _journey_entry(
                j, analysis.curves.get(jid), analysis.comparisons.get(jid)
            ),
            session,
        )
        for jid, j in project.journeys.items()
    }
    metrics = {
        mid: _fragment(
            ("metric", metric, analysis.metrics[mid]),
            lambda metric=metric, mid=mid: _metric_entry(metric, analysis.metrics[mid]),
            session,
        )
        for mid, metric in project.metrics.items()
    }
    config = project.config.model_dump(mode="json", exclude_none=True)
    parts = [
        ("generator", [_escape(_dump(f"cxsite {__version__}"))]),
        ("as_of", [_escape(_dump(as_of.isoformat()))]),
        ("config", [_escape(_dump(config))]),
        ("personas", dump("persona", project.personas)),
        ("journeys", _collection(journeys)),
        ("touchpoints", dump("touchpoint", project.touchpoints)),
        ("metrics", _collection(metrics)),
        ("research", dump("research", project.research)),
        ("evidence", [_escape(_dump(_evidence_entry(analysis)))]),
    ]
    # One join of small escaped pieces: the text is 10 MB for a large project, and each
    # whole-text copy (a concatenation, a replace) was a fresh allocation to fault in. An
    # escape replaces single characters, so escaping each piece escapes the whole.
    pieces = ["{"]
    for name, value in parts:
        pieces += (f'"{name}":', *value, ",")
    pieces[-1] = "}\n"
    return "".join(pieces)
