"""Reading the cells of a survey export: answer dates (ISO or `date_format`) and scores.

An export has as many distinct date-times as answers, so a date-time is read in two
halves, each remembered: the date (a few hundred distinct days) and the time of day.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from cxsite.metricdata.periods import bucket, impossible_date

# The time after an ISO date: `THH:MM[:SS[.fff]][Z|±HH:MM]` or ` HH:MM[:SS[.fff]]`.
_ISO_TIME = re.compile(
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|[ ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)"
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_CODES = set("YymdbBjaAUWGuVx")
_TIME_CODES = set("HIMSpfzZX")
# ASCII digits only: int() would also take "1_0" and other scripts' digits.
_INTEGER = re.compile(r"[+-]?[0-9]+")
# A label score: a whole number, then spaces and a label, or a punctuation mark that does
# not make it a decimal ("10 - Extremely likely", "1 (Very difficult)", "5-Very easy");
# a letter right after the digits ("1e999", "10x") is not a label.
_LABEL = re.compile(r"([0-9]+)(?:[ \t]*[^0-9A-Za-z.,_ \t]|[ \t]+[^0-9 \t])", re.DOTALL)

Day = tuple[str, int]  # (period, ordinal day)


def _directives(fmt: str) -> list[tuple[int, int, str]]:
    """(start, end, code letter) of every % directive of a strftime format."""
    found = []
    i = 0
    while i < len(fmt) - 1:
        if fmt[i] == "%":
            found.append((i, i + 2, fmt[i + 1]))
            i += 2
        else:
            i += 1
    return found


class DateReader:
    """Answer dates: the period each falls in, and a key that sorts answers by time."""

    def __init__(
        self, date_format: str | None, period: Literal["month", "quarter", "year"], iso_too: bool
    ) -> None:
        self.format = date_format
        self.period = period
        self.iso_too = iso_too  # spreadsheet date cells read as ISO text whatever the format
        self._days: dict[str, Day | None] = {}
        self._times: dict[str, int | None] = {}
        self._whole: dict[str, tuple[Day, int] | None] = {}
        self._split: tuple[str, str, str, int] | None = None
        if date_format is not None:
            self._split = self._split_format(date_format)

    @staticmethod
    def _split_format(fmt: str) -> tuple[str, str, str, int] | None:
        """(date format, separator, time format, separators in the date part), when the
        format is a date, then a separator, then a time; else None."""
        codes = _directives(fmt)
        date = [c for c in codes if c[2] in _DATE_CODES]
        time = [c for c in codes if c[2] in _TIME_CODES]
        if not date or not time or date[-1][1] > time[0][0]:
            return None
        separator = fmt[date[-1][1] : time[0][0]]
        if not separator or "%" in separator:
            return None
        date_fmt = fmt[: date[-1][1]]
        return date_fmt, separator, fmt[time[0][0] :], date_fmt.count(separator)

    def _day(self, day: dt.date) -> Day:
        return bucket(day, self.period), day.toordinal()

    def _iso(self, text: str) -> tuple[Day, int] | None:
        day_text, rest = text[:10], text[10:]
        day = self._days.get(day_text, False)
        if day is False:
            parsed = None
            if _ISO_DAY.fullmatch(day_text):
                try:
                    parsed = self._day(dt.date.fromisoformat(day_text))
                except ValueError:
                    parsed = None
            day = self._days[day_text] = parsed
        if day is None:
            return None
        if not rest:
            return day, 0
        seconds = self._times.get(rest, False)
        if seconds is False:
            seconds = self._times[rest] = _iso_seconds(rest)
        return None if seconds is None else (day, seconds)

    def _formatted(self, text: str) -> tuple[Day, int] | None:
        assert self.format is not None
        if self._split is None:
            found = self._whole.get(text, False)
            if found is False:
                try:
                    moment = dt.datetime.strptime(text, self.format)
                    found = self._day(moment.date()), _seconds(moment.time())
                except ValueError:
                    found = None
                self._whole[text] = found
            return found
        date_fmt, separator, time_fmt, skip = self._split
        parts = text.split(separator, skip + 1)
        if len(parts) != skip + 2:
            return None
        day_text, time_text = separator.join(parts[:-1]), parts[-1]
        day = self._days.get(day_text, False)
        if day is False:
            try:
                day = self._day(dt.datetime.strptime(day_text, date_fmt).date())
            except ValueError:
                day = None
            self._days[day_text] = day
        if day is None:
            return None
        seconds = self._times.get(time_text, False)
        if seconds is False:
            try:
                seconds = _seconds(dt.datetime.strptime(time_text, time_fmt).time())
            except ValueError:
                seconds = None
            self._times[time_text] = seconds
        return None if seconds is None else (day, seconds)

    def read(self, text: str) -> tuple[Day, int] | None:
        """((period, day number), seconds into the day) of a date cell, or None."""
        text = text.strip()
        if self.format is None:
            return self._iso(text)
        found = self._formatted(text)
        if found is None and self.iso_too:
            return self._iso(text)
        return found

    def problem(self, text: str) -> str:
        """The message for a date cell that `read` refused."""
        if not text.strip():
            return "no date"
        if self.format is not None:
            return f"date '{text}' does not match date_format '{self.format}'"
        why = impossible_date(text.strip()[:10])
        if why:
            return f"date '{text}' is not a real date: {why}"
        hint = ""
        if not re.match(r"\s*\d{4}-", text):
            hint = "; set 'date_format' for other forms, e.g. '%m/%d/%Y %H:%M:%S'"
        return f"date '{text}' is not an ISO date (YYYY-MM-DD){hint}"


def _seconds(time: dt.time) -> int:
    return time.hour * 3600 + time.minute * 60 + time.second


def _iso_seconds(rest: str) -> int | None:
    match = _ISO_TIME.fullmatch(rest)
    if match is None:
        return None
    groups = match.groups()
    hour, minute, second = groups[:3] if groups[0] is not None else groups[3:]
    hour, minute, second = int(hour), int(minute), int(second or 0)
    if hour > 23 or minute > 59 or second > 60:
        return None
    return hour * 3600 + minute * 60 + second


class ScoreReader:
    """Score cells: a whole number or a label starting with one; empty or `missing` = none."""

    def __init__(self, low: int, high: int, kind: str, missing: list[str]) -> None:
        self.low, self.high, self.kind = low, high, kind.upper()
        self.missing = {text.strip().casefold() for text in missing}
        # text -> score, or None for an answer without a score, or (code, message)
        self.cache: dict[str, int | tuple[str, str] | None] = {}

    def read(self, text: str) -> int | tuple[str, str] | None:
        """The score, None for an answer without one, or the (code, message) of a bad cell."""
        found = self.cache.get(text, False)
        if found is False:
            found = self.cache[text] = self._read(text)
        return found

    def _read(self, text: str) -> int | tuple[str, str] | None:
        stripped = text.strip()
        if not stripped or stripped.casefold() in self.missing:
            return None
        if _INTEGER.fullmatch(stripped):
            digits = stripped
        else:
            match = _LABEL.match(stripped)
            if match is None and stripped[0].isdigit():
                return "E425", f"score '{stripped}' is not a whole number"
            if match is None:
                return "E425", (
                    f"score '{stripped}' is not a whole number and does not start with one; "
                    "list it under 'missing' if it means no answer"
                )
            digits = match.group(1)
        # no scale reaches 19 digits (and int() refuses over 4,300): say so without reading it
        value = int(digits) if len(digits.lstrip("+-").lstrip("0")) <= 18 else None
        if value is None or not self.low <= value <= self.high:
            shown = value if value is not None else f"{digits[:12]}… ({len(digits)} digits)"
            return "E426", f"score {shown} is outside the {self.kind} scale {self.low}..{self.high}"
        return value
