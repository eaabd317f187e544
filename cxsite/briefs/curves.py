"""What a journey brief adds for a curve per persona and for as-is / to-be (SPEC 8.7): the
chart of each persona's curve with their figures, and, with `compare: true`, the as-is and
to-be chart with the gap table.

Both charts are drawn inline by the templates (the `curve` macro with one line per persona,
or the as-is and to-be lines), at their printed width: their text prints at the size the
print rules ask for, in the project's language."""

from __future__ import annotations

from typing import Any

from cxsite.analysis.types import Analysis, Comparison
from cxsite.briefs.views import LineView, StagePoint
from cxsite.model import Project

# The to-be line in the brand colour, solid with round markers; the as-is line grey, dashed,
# with diamonds: told apart by dash and shape, not by colour alone.
AS_IS_LOOK = {"colour": "#6b7785", "marker": "diamond", "dash": "dashed"}


def compare_lines(project: Project, cmp: Comparison) -> tuple[list[StagePoint], list[LineView]]:
    """The stages (labels only) and the as-is and to-be lines of a brief's comparison chart."""
    text = project.config.messages.text
    stages = [StagePoint(r.name, None, False, False) for r in cmp.rows]
    to_be = {"colour": project.config.brand.primary, "marker": "circle", "dash": "solid"}
    lines = [
        LineView(
            name=text(key),
            short=text(key),
            **look,
            points=[StagePoint(r.name, getattr(r, side), False, False) for r in cmp.rows],
        )
        for key, side, look in (
            ("state.current", "before", AS_IS_LOOK),
            ("state.future", "after", to_be),
        )
    ]
    return stages, lines


def journey_charts(
    project: Project, analysis: Analysis, journey_id: str, compare: bool
) -> dict[str, Any]:
    """The template variables: `persona_curves` (whether the journey has a curve per persona,
    drawn with its figures on a page of its own), and `comparison` (its lines and the gap
    table) when the brief compares and a pair exists."""
    curve = analysis.curves[journey_id]
    found: dict[str, Any] = {"persona_curves": curve.per_persona and curve.has_emotions}
    found["comparison"] = None
    cmp = analysis.comparisons.get(journey_id) if compare else None
    if cmp is not None:
        points, lines = compare_lines(project, cmp)
        found["comparison"] = {
            "cmp": cmp,
            "before": project.journeys[cmp.current_id].title,
            "after": project.journeys[cmp.future_id].title,
            "points": points,
            "lines": lines,
        }
    return found
