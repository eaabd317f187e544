"""The freshness table (SPEC 8.4): every entity with its owner, review dates and status.

Pure: the project and the "as of" date in, rows out, overdue first. The statuses come from
`model/review.py`, the same function lint (W512) and journey health use.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from cxsite.model import KINDS, REVIEW_STATUSES, Project

_RANK = {status: i for i, status in enumerate(REVIEW_STATUSES)}


@dataclass(frozen=True)
class FreshnessRow:
    """One entity's line of the freshness page."""

    kind: str  # the folder: personas, journeys, touchpoints, metrics...
    id: str
    name: str
    source: str  # its file, relative to the project root
    page: str  # its page in the site
    owner: str | None
    reviewed: dt.date | None
    due: dt.date | None
    every_months: int
    status: str
    days_left: int | None  # due date minus the "as of" date (negative: days late)
    # Date and short hash of the last commit that touched the file (git history, SPEC 8.4
    # "last changed"): filled by the caller that has the history, None without one.
    last_change: str | None = None


@dataclass(frozen=True)
class Freshness:
    """Every row in report order, and what the filters offer."""

    rows: tuple[FreshnessRow, ...]
    counts: tuple[tuple[str, int], ...]  # (status, how many) in REVIEW_STATUSES order
    owners: tuple[str, ...]  # sorted, case-insensitively
    kinds: tuple[str, ...]  # the kinds present, in folder order
    unowned: int

    @property
    def has_last_change(self) -> bool:
        """Whether any row knows its last change (the column is shown only then)."""
        return any(row.last_change for row in self.rows)


def _display_name(entity: object) -> str:
    return str(getattr(entity, "name", None) or getattr(entity, "title", None) or "")


def freshness(
    project: Project, as_of: dt.date, last_changes: Mapping[str, str] | None = None
) -> Freshness:
    """The freshness table on `as_of`: overdue first, then due within 30 days, never
    reviewed, ok; within a status by due date, kind, name and id. `last_changes` maps a file
    (relative to the root) to its last change, when git history is known."""
    rows = []
    for kind in KINDS:
        for entity_id, entity in getattr(project, kind, {}).items():
            review = project.config.review(entity, as_of)
            source = project.sources.get(f"{kind}/{entity_id}", f"{kind}/{entity_id}.yaml")
            rows.append(
                FreshnessRow(
                    kind=kind,
                    id=entity_id,
                    name=_display_name(entity) or entity_id,
                    source=source,
                    page=f"{kind}/{entity_id}.html",
                    owner=review.owner or None,
                    reviewed=review.reviewed,
                    due=review.due,
                    every_months=review.every_months,
                    status=review.status,
                    days_left=(review.due - as_of).days if review.due else None,
                    last_change=(last_changes or {}).get(source),
                )
            )
    kind_order = {kind: i for i, kind in enumerate(KINDS)}
    rows.sort(
        key=lambda r: (
            _RANK[r.status],
            r.due or dt.date.max,
            kind_order[r.kind],
            r.name.casefold(),
            r.id,
        )
    )
    counted = Counter(row.status for row in rows)
    owners = sorted({row.owner for row in rows if row.owner}, key=lambda o: (o.casefold(), o))
    return Freshness(
        rows=tuple(rows),
        counts=tuple((status, counted[status]) for status in REVIEW_STATUSES),
        owners=tuple(owners),
        kinds=tuple(kind for kind in KINDS if any(row.kind == kind for row in rows)),
        unowned=sum(1 for row in rows if not row.owner),
    )
