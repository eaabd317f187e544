"""Reporting periods: parsing `2026`, `2026-Q3`, `2026-07` and `2026-07-14`, and bucketing dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Literal

Granularity = Literal["year", "quarter", "month", "day"]

_PATTERNS: tuple[tuple[Granularity, re.Pattern[str]], ...] = (
    ("year", re.compile(r"\d{4}")),
    ("quarter", re.compile(r"(\d{4})-Q(\d)")),
    ("month", re.compile(r"(\d{4})-(\d{2})")),
    ("day", re.compile(r"(\d{4})-(\d{2})-(\d{2})")),
)

# Plural nouns for messages ("the series uses months").
PLURAL: dict[str, str] = {"year": "years", "quarter": "quarters", "month": "months", "day": "days"}


MONTHS = (  # English month names, whatever the locale (strftime's %B is not)
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def impossible_date(text: str) -> str | None:
    """What makes a date written as `YYYY-MM-DD` impossible ("February 2026 has no day 30"),
    or None when it is a real date or not in that form."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if year < 1:
        return "there is no year 0000"
    if not 1 <= month <= 12:
        return f"there is no month {match.group(2)} (01..12)"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"{MONTHS[month - 1]} {year} has no day {day}"
    return None


class PeriodError(ValueError):
    """A period string that is not one of the four accepted forms."""


def parse_period(text: str) -> Granularity:
    """The granularity of a period string; raises PeriodError with a readable reason."""
    for granularity, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        if granularity == "quarter" and not 1 <= int(match.group(2)) <= 4:
            raise PeriodError(f"period '{text}' has no quarter Q{match.group(2)} (Q1..Q4)")
        if granularity == "month" and not 1 <= int(match.group(2)) <= 12:
            raise PeriodError(f"period '{text}' has no month {match.group(2)} (01..12)")
        if granularity == "day" and (why := impossible_date(text)):
            raise PeriodError(f"period '{text}' is not a real date: {why}")
        return granularity
    raise PeriodError(
        f"period '{text}' is not a year, quarter, month or day "
        "(write 2026, 2026-Q3, 2026-07 or 2026-07-14)"
    )


def bucket(day: dt.date, period: Literal["month", "quarter", "year"]) -> str:
    """The period a response date falls in: `2026-07`, `2026-Q3` or `2026`."""
    if period == "year":
        return f"{day.year:04d}"
    if period == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}-{day.month:02d}"
