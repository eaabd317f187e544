"""Raw survey responses CSVs: read, check every row (E420-E433) and aggregate per period."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import TextIO

from cxsite.hints import did_you_mean
from cxsite.metricdata.periods import bucket, impossible_date, parse_iso_date
from cxsite.metricdata.types import BREAKDOWN_COLUMNS, MAX_CSV_BYTES, MetricData, aggregate_counts
from cxsite.model import Metric
from cxsite.problems import Problem

# Beyond this many problems in one file, one summary line stands for the rest, so a
# broken 2,000-row export stays readable.
MAX_ROW_PROBLEMS = 20
REQUIRED_COLUMNS: tuple[str, ...] = ("date", "score")
# ASCII digits only: int() would also take "1_0" and other scripts' digits.
_INTEGER = re.compile(r"[+-]?[0-9]+")


class _Report:
    """Collects a file's problems, keeping the first MAX_ROW_PROBLEMS and counting the rest."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.shown: list[Problem] = []
        self.hidden = 0
        self.first_hidden_line = 0

    @property
    def full(self) -> bool:
        """Whether further problems only count towards the summary line."""
        return len(self.shown) >= MAX_ROW_PROBLEMS

    def error(self, line: int, col: int, code: str, message: str) -> None:
        if len(self.shown) < MAX_ROW_PROBLEMS:
            self.shown.append(Problem(self.rel, line, col, "error", code, message))
            return
        if not self.hidden:
            self.first_hidden_line = line
        self.hidden += 1

    def problems(self) -> list[Problem]:
        if not self.hidden:
            return self.shown
        summary = Problem(
            self.rel,
            self.first_hidden_line,
            1,
            "error",
            "E429",
            f"{self.hidden} more problem(s) in this file not shown "
            f"(first {MAX_ROW_PROBLEMS} listed above); fix those and run again",
        )
        return [*self.shown, summary]


def _decode(raw: bytes, report: _Report) -> str | None:
    """UTF-8 text without its BOM, or None after an E421 naming the first bad byte's line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        report.error(line, col, "E421", "the file is not valid UTF-8: save it as UTF-8")
        return None


def _field_starts(raw: str, first_line: int) -> list[tuple[int, int]]:
    """The (line, col) where each field of one CSV record starts, quotes and newlines honoured."""
    starts = [(first_line, 1)]
    line, col, quoted, i = first_line, 1, False, 0
    while i < len(raw):
        char = raw[i]
        if char == '"':
            quoted = not quoted
        elif char in "\r\n":
            if not quoted:
                break
            if char == "\n" or raw[i + 1 : i + 2] != "\n":
                line, col = line + 1, 0
        elif char == "," and not quoted:
            starts.append((line, col + 1))
        i += 1
        col += 1
    return starts


class _Source:
    """The CSV file read record by record, streamed so a 50 MB file never sits in memory."""

    def __init__(self, path: Path, handle: TextIO) -> None:
        self.path = path
        self.reader = csv.reader(handle, strict=True)
        self.last = 0  # the last line of the last record read
        self.broken = False  # set after a csv.Error: the rest of the file is unread
        self._lines: list[str] | None = None

    def next_record(self) -> tuple[int, list[str]] | None:
        """(first line, fields) of the next non-empty record, or None at the end."""
        for fields in self.reader:
            start, self.last = self.last + 1, self.reader.line_num
            if fields:
                return start, fields
        return None

    def raw(self, start: int) -> str:
        """The physical lines of the record starting at `start` (for error columns only)."""
        if self._lines is None:  # read the lines only once a row needs a column position
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                self._lines = list(handle)
        return "".join(self._lines[start - 1 : self.last])


class _Columns:
    """The header's column positions and the checks every row goes through."""

    def __init__(self, names: list[str], metric: Metric, known: Mapping[str, Collection[str]]):
        self.count = len(names)
        self.index = {name: names.index(name) for name in reversed(names)}
        self.date_at = self.index["date"]
        self.score_at = self.index["score"]
        self.ids = [
            (name, self.index[name], known.get(name))
            for name in BREAKDOWN_COLUMNS
            if name in self.index
        ]
        self.metric = metric
        self.low, self.high = metric.effective_scale
        # Dates and scores repeat a lot: check each distinct spelling once.
        self.periods: dict[str, str | None] = {}
        self.scores: dict[str, int | None] = {}
        self._hints: dict[tuple[str, str], str] = {}

    def period(self, text: str) -> str | None:
        """The period of a valid date, or None."""
        if text not in self.periods:
            day = parse_iso_date(text.strip())
            self.periods[text] = None if day is None else bucket(day, self.metric.period)
        return self.periods[text]

    def score(self, text: str) -> int | None:
        """The score if it is a whole number on the scale, or None."""
        if text not in self.scores:
            value = int(text) if _INTEGER.fullmatch(text.strip()) else None
            ok = value is not None and self.low <= value <= self.high
            self.scores[text] = value if ok else None
        return self.scores[text]

    def _hint(self, name: str, value: str, choices: Collection[str]) -> str:
        if (name, value) not in self._hints:
            self._hints[name, value] = did_you_mean(value, choices)
        return self._hints[name, value]

    def problems(self, fields: list[str]) -> list[tuple[int, str, str]]:
        """Each (field index, code, message) wrong with a row that failed the quick checks."""
        bad: list[tuple[int, str, str]] = []
        if len(fields) > self.count:
            message = (
                f"the row has {len(fields)} values but the header names {self.count} "
                "columns: quote any value that contains a comma"
            )
            bad.append((self.count, "E428", message))
        date = _cell(fields, self.date_at)
        if self.period(date) is None:
            why = impossible_date(date)
            message = (
                f"date '{date}' is not a real date: {why}"
                if why
                else f"date '{date}' is not an ISO date (YYYY-MM-DD)"
                if date
                else "no date"
            )
            bad.append((self.date_at, "E424", message))
        score = _cell(fields, self.score_at)
        if not _INTEGER.fullmatch(score):
            message = f"score '{score}' is not a whole number" if score else "no score"
            bad.append((self.score_at, "E425", message))
        elif self.score(score) is None:
            kind = self.metric.kind.upper()
            message = f"score {int(score)} is outside the {kind} scale {self.low}..{self.high}"
            bad.append((self.score_at, "E426", message))
        for name, index, choices in self.ids:
            value = _cell(fields, index)
            if value and choices is not None and value not in choices:
                hint = self._hint(name, value, choices)
                bad.append((index, "E427", f"unknown {name} '{value}'{hint}"))
        return sorted(bad)


def _cell(fields: list[str], index: int) -> str:
    return fields[index].strip() if index < len(fields) else ""


def _usable(csv_path: Path, report: _Report) -> bool:
    """Whether the CSV can be read: at most 50 MB (E420), readable (E433), UTF-8 (E421)."""
    try:
        size = csv_path.stat().st_size
        if size > MAX_CSV_BYTES:
            report.error(
                1,
                1,
                "E420",
                f"the file is {size / 1024 / 1024:.1f} MB, over the 50 MB limit: "
                "split it or pre-aggregate it into 'values'",
            )
            return False
        return _decode(csv_path.read_bytes(), report) is not None
    except OSError as exc:
        report.error(1, 1, "E433", f"cannot read the file: {exc.strerror or exc}")
        return False


def _header(start: int, fields: list[str], source: _Source, report: _Report) -> list[str] | None:
    """The normalised column names, or None when a required column is missing (E423)."""
    names = [name.strip().lower() for name in fields]
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen and name in (*REQUIRED_COLUMNS, *BREAKDOWN_COLUMNS):
            line, col = _field_starts(source.raw(start), start)[index]
            report.error(line, col, "E432", f"column '{name}' appears twice in the header")
        seen.add(name)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    others = [n for n in names if n and n not in REQUIRED_COLUMNS]
    for name in missing:
        report.error(
            start,
            1,
            "E423",
            f"the header has no '{name}' column{did_you_mean(name, others)}: "
            "the first row must name the columns, e.g. 'date,score'",
        )
    return None if missing else names


def _read_header(
    source: _Source, metric: Metric, known: Mapping[str, Collection[str]], report: _Report
) -> _Columns | None:
    """The columns of the header row, or None after reporting why there is none."""
    try:
        first = source.next_record()
    except csv.Error as exc:
        message = f"cannot parse the CSV here ({exc}): check the quotes"
        report.error(source.last + 1, 1, "E431", message)
        return None
    if first is None or not any(f.strip() for f in first[1]):
        report.error(1, 1, "E422", "the file is empty: it needs a header row with 'date,score'")
        return None
    names = _header(first[0], first[1], source, report)
    return None if names is None else _Columns(names, metric, known)


def _tally(source: _Source, columns: _Columns, report: _Report) -> Counter[tuple[str, ...]]:
    """How many good rows share each (date, score, ids...) spelling; bad rows reported."""
    # A 50 MB file has over a million rows: a well-formed row costs one C-level tuple and
    # two dictionary lookups, and each distinct spelling is checked only once.
    count = columns.count
    key_of = itemgetter(columns.date_at, columns.score_at, *(i for _, i, _ in columns.ids))
    checked: dict[tuple[str, ...], list[tuple[int, str, str]]] = {}
    tally: Counter[tuple[str, ...]] = Counter()
    reader = source.reader
    last = source.last
    try:
        for fields in reader:
            start, last = last + 1, reader.line_num
            if len(fields) == count:
                key = key_of(fields)
                problems = checked.get(key)
                if problems is None:
                    problems = checked[key] = columns.problems(fields)
                if not problems:
                    tally[key] += 1
                    continue
            else:
                problems = columns.problems(fields)
                if not problems:  # only optional cells missing at the end of the row
                    tally[key_of(fields + [""] * (count - len(fields)))] += 1
                    continue
            if not any(f.strip() for f in fields):
                continue  # a row of empty cells, as spreadsheets export
            if report.full:  # hidden behind the summary line: no need for positions
                for _, code, message in problems:
                    report.error(start, 1, code, message)
                continue
            source.last = last
            positions = _field_starts(source.raw(start), start)
            for index, code, message in problems:
                if index < len(positions):
                    line, col = positions[index]
                else:  # the row stops before this column: point just past its end
                    first_line = re.split(r"\r\n|\r|\n", source.raw(start))[0]
                    line, col = start, len(first_line) + 1
                report.error(line, col, code, message)
    except csv.Error as exc:
        # The record that failed starts where its quote opened.
        message = f"cannot parse the CSV here ({exc}): check the quotes"
        report.error(last + 1, 1, "E431", message)
        source.broken = True
    return tally


def read_responses(
    metric: Metric, csv_path: Path, csv_rel: str, known: Mapping[str, Collection[str]]
) -> tuple[MetricData, list[Problem]]:
    """Check a responses CSV row by row and compute the metric per period, with breakdowns."""
    report = _Report(csv_rel)
    empty = MetricData(metric.id, (), "responses")
    if not _usable(csv_path, report):
        return empty, report.problems()
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        source = _Source(csv_path, handle)
        columns = _read_header(source, metric, known, report)
        tally = _tally(source, columns, report) if columns else None
    if columns is None or tally is None or source.broken:
        return empty, report.problems()

    by_period: dict[str, Counter[int]] = defaultdict(Counter)
    by_id: dict[str, dict[str, Counter[int]]] = defaultdict(lambda: defaultdict(Counter))
    for key, n in tally.items():
        period, score = columns.period(key[0]), columns.score(key[1])
        assert period is not None and score is not None
        by_period[period][score] += n
        for (name, _, _), value in zip(columns.ids, key[2:], strict=True):
            if value := value.strip():
                by_id[name][value][score] += n
    kind = metric.kind
    points = tuple(aggregate_counts(kind, p, by_period[p]) for p in sorted(by_period))
    breakdowns = {
        name: MappingProxyType(
            {i: aggregate_counts(kind, "all", by_id[name][i]) for i in sorted(by_id[name])}
        )
        for name, _, _ in columns.ids
    }
    problems = report.problems()
    return MetricData(metric.id, points, "responses", MappingProxyType(breakdowns)), problems
