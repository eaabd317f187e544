"""Everything SPEC section 4 derives from a validated project: pure functions, no I/O.

`analyse(project, metric_data)` returns one frozen `Analysis` that the site, the briefs and
the charts read. The result types live in `cxsite.analysis.types` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping

from cxsite.analysis.journeys import (
    build_backlog,
    emotion_curve,
    emotion_word,
    merge_key,
    rank_pains,
    touchpoint_usage,
)
from cxsite.analysis.metrics import summarise_metric, summarise_metrics
from cxsite.analysis.touchpoints import coverage, importance_matrix, ipa, quadrant
from cxsite.analysis.types import (
    QUADRANTS,
    Analysis,
    Backlog,
    BacklogItem,
    Coverage,
    Drop,
    EmotionCurve,
    ImportanceMatrix,
    Ipa,
    IpaPoint,
    MetricSummary,
    NpsShare,
    OpportunityOccurrence,
    PainOccurrence,
    RankedPain,
    StageEmotion,
    StageRef,
    TouchpointUsage,
    Trend,
)
from cxsite.metricdata import MetricData
from cxsite.model import Project

__all__ = [
    "QUADRANTS",
    "Analysis",
    "Backlog",
    "BacklogItem",
    "Coverage",
    "Drop",
    "EmotionCurve",
    "ImportanceMatrix",
    "Ipa",
    "IpaPoint",
    "MetricSummary",
    "NpsShare",
    "OpportunityOccurrence",
    "PainOccurrence",
    "RankedPain",
    "StageEmotion",
    "StageRef",
    "TouchpointUsage",
    "Trend",
    "analyse",
    "build_backlog",
    "coverage",
    "emotion_curve",
    "emotion_word",
    "importance_matrix",
    "ipa",
    "merge_key",
    "quadrant",
    "rank_pains",
    "summarise_metric",
    "summarise_metrics",
    "touchpoint_usage",
]


def analyse(project: Project, metric_data: Mapping[str, MetricData]) -> Analysis:
    """Derive every analysis of SPEC section 4 from a validated project and its metric data."""
    jids = sorted(project.journeys)
    return Analysis(
        curves={j: emotion_curve(project.journeys[j], project.config) for j in jids},
        usage=touchpoint_usage(project),
        pains=rank_pains(project),
        backlog=build_backlog(project),
        ipa_overall=ipa(project, None),
        ipa_by_persona={p: ipa(project, p) for p in sorted(project.personas)},
        importance=importance_matrix(project),
        coverage=coverage(project),
        metrics=summarise_metrics(project.metrics, metric_data),
    )
