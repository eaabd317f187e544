"""`data/cx.json`: the whole validated model plus the computed metric series, for other tools."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from cxsite import __version__
from cxsite.analyse import Analysis
from cxsite.model import Project
from cxsite.search import safe_json


def _point(point: Any) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(point).items() if v is not None}


def cx_document(project: Project, analysis: Analysis, as_of: dt.date) -> dict[str, Any]:
    """The JSON document: entities keyed by id in id order, fields in model order."""
    metrics = {}
    for mid, metric in project.metrics.items():
        summary = analysis.metrics[mid]
        entry = metric.model_dump(mode="json", exclude_none=True)
        entry["computed"] = {
            "category": metric.effective_category,
            "unit": metric.effective_unit,
            "higher_is_better": metric.better_high,
            "source": summary.source,
            "status": summary.status,
            "trend": dataclasses.asdict(summary.trend) if summary.trend else None,
            "series": [_point(p) for p in summary.points],
            "breakdowns": {
                column: {eid: _point(p) for eid, p in rows}
                for column, rows in summary.breakdowns.items()
            },
        }
        metrics[mid] = entry

    def dump(items: Any) -> dict[str, Any]:
        return {eid: m.model_dump(mode="json", exclude_none=True) for eid, m in items.items()}

    return {
        "generator": f"cxsite {__version__}",
        "as_of": as_of.isoformat(),
        "config": project.config.model_dump(mode="json", exclude_none=True),
        "personas": dump(project.personas),
        "journeys": dump(project.journeys),
        "touchpoints": dump(project.touchpoints),
        "metrics": metrics,
    }


def cx_json(project: Project, analysis: Analysis, as_of: dt.date) -> str:
    """`data/cx.json` as text (escaped so no raw `<`, `>` or `&` appears in it)."""
    return safe_json(cx_document(project, analysis, as_of), indent=2) + "\n"
