"""Owners and review dates (SPEC 8.4): when an entity's review falls due, and its status.

One pure function, `review_of`, used by lint (W512), the freshness page and anything that
scores freshness (journey health); the statuses are the words SPEC 8.4 uses.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

OVERDUE: Final = "overdue"
DUE_SOON: Final = "due within 30 days"
OK: Final = "ok"
NEVER: Final = "never reviewed"
# In report order: what needs attention first.
REVIEW_STATUSES: tuple[str, ...] = (OVERDUE, DUE_SOON, NEVER, OK)
DUE_SOON_DAYS = 30
DEFAULT_REVIEW_MONTHS = 6


@dataclass(frozen=True)
class Review:
    """An entity's owner and review state on the "as of" date."""

    owner: str | None
    reviewed: dt.date | None
    every_months: int
    due: dt.date | None
    status: str

    @property
    def overdue(self) -> bool:
        """Whether the review fell due before the "as of" date."""
        return self.status == OVERDUE

    @property
    def fresh(self) -> bool:
        """Reviewed and not overdue (journey health's freshness component is 1)."""
        return self.status in (OK, DUE_SOON)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or earlier for a negative `months`
    (clamped to the month's last day, and to the calendar's first and last days)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_of(entity: Any, default_months: int, as_of: dt.date) -> Review:
    """The review state of any entity with `owner`, `reviewed` and `review_every_months`
    (missing attributes count as unset); `default_months` is cxsite.yaml's
    `review_every_months`. Due = reviewed + months; overdue when due < as_of; due within
    30 days when due <= as_of + 30 days; never reviewed without `reviewed`."""
    owner = getattr(entity, "owner", None)
    reviewed = getattr(entity, "reviewed", None)
    every = getattr(entity, "review_every_months", None) or default_months
    if reviewed is None:
        return Review(owner, None, every, None, NEVER)
    due = add_months(reviewed, every)
    if due < as_of:
        status = OVERDUE
    elif (due - as_of).days <= DUE_SOON_DAYS:
        status = DUE_SOON
    else:
        status = OK
    return Review(owner, reviewed, every, due, status)
