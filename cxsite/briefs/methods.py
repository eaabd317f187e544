"""The last page of an executive brief (SPEC 8.10): how the numbers are made. Formulas of the
KPI kinds computed from responses, sample sizes, the significance test and the health
score's components and weights; each part only when its data exists."""

from __future__ import annotations

from typing import Any

from cxsite.analysis.types import Analysis
from cxsite.model import Project
from cxsite.model.config import HEALTH_COMPONENTS

FORMULA_KINDS = ("nps", "csat", "ces")  # the kinds computed from survey answers


def _weight(value: float) -> str:
    """A weight as written: `1`, `0.5`, `2.25`."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def methods_context(project: Project, analysis: Analysis) -> dict[str, Any] | None:
    """What the methods page shows, or None when there is nothing to explain."""
    messages = project.config.messages
    kpis = analysis.kpi_summaries
    computed = [s for s in kpis if s.source == "responses"]
    kinds = [k for k in FORMULA_KINDS if any(s.kind == k for s in computed)]
    samples = []
    for s in computed:
        sig = s.trend.significance if s.trend else None
        latest = s.latest
        samples.append(
            {
                "name": s.name,
                "period": latest.period if latest else "–",
                "n": messages.number(f"{latest.n:,}") if latest and latest.n is not None else "–",
                "previous": s.trend.previous_period if s.trend else None,
                "n_previous": messages.number(f"{sig.n_previous:,}") if sig else "–",
                "verdict": sig.verdict if sig else None,
            }
        )
    tests = sorted(
        {s.trend.significance.method for s in computed if s.trend and s.trend.significance}
    )
    scored = [h for h in analysis.health.values() if h.score is not None]
    weights = project.config.health_weights
    # the components that have data in at least one journey, with their configured weight
    health = [
        {"name": name, "weight": messages.number(_weight(getattr(weights, name)))}
        for name in HEALTH_COMPONENTS
        if any(h.part(name).value is not None for h in scored)
    ]
    if not (kinds or samples or scored):
        return None
    return {
        "kinds": kinds,
        "moe": [k for k in kinds if any(s.kind == k and s.has_moe for s in computed)],
        "samples": samples,
        "min_responses": project.config.min_responses,
        "tests": tests,
        "health": health if scored else [],
        "evidence_tracked": analysis.evidence.tracked,
    }
