"""What a journey brief adds for a curve per persona and for as-is / to-be (SPEC 8.7): the
chart of each persona's curve with their figures, and, with `compare: true`, the as-is and
to-be chart with the gap table."""

from __future__ import annotations

from typing import Any

from cxsite.analysis.types import Analysis
from cxsite.briefs.pdf import memory_url
from cxsite.model import Project


def journey_charts(
    project: Project, analysis: Analysis, journey_id: str, compare: bool
) -> dict[str, Any]:
    """The template variables: `persona_chart` (url, alt) when the journey has a curve per
    persona, and `comparison` (with its chart) when the brief compares and a pair exists."""
    # lazy, as in executive.py: the chart keys module loads the chart planner and its pool
    from cxsite.charts.keys import compare_chart_key, journey_chart_key

    curve = analysis.curves[journey_id]
    found: dict[str, Any] = {"persona_chart": None, "comparison": None, "compare_chart": None}
    if curve.per_persona and curve.has_emotions:
        found["persona_chart"] = memory_url(journey_chart_key(journey_id))
    cmp = analysis.comparisons.get(journey_id) if compare else None
    if cmp is not None:
        found["comparison"] = {
            "cmp": cmp,
            "before": project.journeys[cmp.current_id].title,
            "after": project.journeys[cmp.future_id].title,
        }
        found["compare_chart"] = memory_url(compare_chart_key(cmp.current_id, cmp.future_id))
    return found
