"""Template helpers for evidence and confidence (SPEC 8.8): which stages are assumptions, and
the emotion curve's runs drawn solid or dashed."""

from __future__ import annotations

import itertools
from typing import Any

from cxsite.analysis.types import EmotionCurve
from cxsite.model.research import confidence_of


def assumed_stages(journey: Any, tracked: bool) -> list[bool]:
    """Per stage, whether it is shown as an assumption (never while evidence is not tracked)."""
    return [tracked and confidence_of(stage) == "assumption" for stage in journey.stages]


def emotion_runs(
    curve: EmotionCurve, assumed: list[bool]
) -> list[tuple[list[tuple[int, float]], bool]]:
    """The recorded points as runs of consecutive stages (gaps break), each run split where
    the line turns dashed: a segment is dashed when either of its stages is an assumption."""
    runs: list[tuple[list[tuple[int, float]], bool]] = []
    points = [(s.index, s.emotion) for s in curve.stages]
    for recorded, group in itertools.groupby(points, key=lambda p: p[1] is not None):
        run = [(i, e) for i, e in group if recorded and e is not None]
        if len(run) == 1:
            runs.append((run, assumed[run[0][0]]))
            continue
        for a, b in itertools.pairwise(run):
            dashed = assumed[a[0]] or assumed[b[0]]
            if runs and runs[-1][1] == dashed and runs[-1][0][-1] == a:
                runs[-1][0].append(b)
            else:
                runs.append(([a, b], dashed))
    return runs
