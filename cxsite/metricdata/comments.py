"""Comments of a responses file: themes by whole-word phrases, samples, personal data masked.

Only what is published is masked: the sample comments (SPEC 8.3). Counting runs over every
comment, so a theme's phrases are one compiled pattern.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from cxsite.metricdata.types import Comment, CommentSummary, ThemeRow, aggregate_counts
from cxsite.validate.personal_data import mask_personal_data

# (ordinal day, seconds into the day, line): sorts answers by when they were given.
When = tuple[int, int, int]
RawComment = tuple[When, int | None, str]  # (when, score or None, text as written)


def theme_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    """A pattern matching any phrase as whole words, case-insensitive, any spacing."""
    parts = sorted({r"\s+".join(map(re.escape, p.split())) for p in phrases if p.strip()})
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _published(raw: RawComment) -> Comment:
    (day, _, _), score, text = raw
    return Comment(dt.date.fromordinal(day).isoformat(), mask_personal_data(text), score)


def _latest(comments: Sequence[RawComment], count: int) -> tuple[Comment, ...]:
    if count <= 0:
        return ()
    return tuple(_published(c) for c in heapq.nlargest(count, comments, key=lambda c: c[0]))


def summarise_comments(
    kind: str, comments: Sequence[RawComment], themes: Mapping[str, Sequence[str]], samples: int
) -> CommentSummary:
    """The theme table of SPEC 8.3 (themes in the metric's order) over `comments`."""
    total = len(comments)
    patterns = [(name, theme_pattern(phrases)) for name, phrases in themes.items()]
    matched: dict[str, list[RawComment]] = {name: [] for name, _ in patterns}
    # Every phrase of every theme in one pattern: a comment it misses mentions no theme,
    # found with one search instead of one per theme (a theme of blank phrases only, which
    # validation refuses, would match where this does not: no shortcut then).
    every = [p for phrases in themes.values() for p in phrases]
    whole = all(any(p.strip() for p in phrases) for phrases in themes.values())
    anything = theme_pattern(every).search if patterns and whole else None
    unthemed = 0
    for comment in comments:
        text = comment[2]
        if anything is not None and not anything(text):
            unthemed += 1
            continue
        hit = False
        for name, pattern in patterns:
            if pattern.search(text):
                matched[name].append(comment)
                hit = True
        unthemed += not hit
    rows = []
    for name, _ in patterns:
        found = matched[name]
        scores = Counter(score for _, score, _ in found if score is not None)
        point = aggregate_counts(kind, "all", scores) if scores else None
        share = len(found) / total if total else 0.0
        rows.append(ThemeRow(name, len(found), share, point, _latest(found, samples)))
    latest = () if patterns else _latest(comments, samples)
    return CommentSummary(total, tuple(rows), unthemed if patterns else total, latest)
