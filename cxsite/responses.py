"""Raw survey responses CSVs: read, check every row (E420-E433) and aggregate per period."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections import defaultdict
from collections.abc import Collection, Mapping
from pathlib import Path
from types import MappingProxyType

from cxsite.metricdata import BREAKDOWN_COLUMNS, MetricData, aggregate
from cxsite.model import Metric
from cxsite.periods import bucket, parse_iso_date
from cxsite.problems import Problem

MAX_CSV_BYTES = 50 * 1024 * 1024
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


def _did_you_mean(value: str, choices: Collection[str]) -> str:
    match = difflib.get_close_matches(value, sorted(choices), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


def read_responses(
    metric: Metric, csv_path: Path, csv_rel: str, known: Mapping[str, Collection[str]]
) -> tuple[MetricData, list[Problem]]:
    """Check a responses CSV row by row and compute the metric per period, with breakdowns."""
    report = _Report(csv_rel)
    empty = MetricData(metric.id, (), "responses")
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
            return empty, report.problems()
        raw = csv_path.read_bytes()
    except OSError as exc:
        report.error(1, 1, "E433", f"cannot read the file: {exc.strerror or exc}")
        return empty, report.problems()
    text = _decode(raw, report)
    if text is None:
        return empty, report.problems()

    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(lines, strict=True)
    rows: list[tuple[int, list[str]]] = []  # (line of the record's start, fields)
    try:
        previous = 0
        for fields in reader:
            if any(f.strip() for f in fields):
                rows.append((previous + 1, fields))
            previous = reader.line_num
    except csv.Error as exc:
        # The record that failed starts after the last one read: where its quote opened.
        report.error(
            previous + 1, 1, "E431", f"cannot parse the CSV here ({exc}): check the quotes"
        )
        return empty, report.problems()
    if not rows:
        report.error(1, 1, "E422", "the file is empty: it needs a header row with 'date,score'")
        return empty, report.problems()

    def starts(line: int) -> list[tuple[int, int]]:
        return _field_starts("".join(lines[line - 1 : line + 20]), line)

    header_line, header = rows[0]
    names = [name.strip().lower() for name in header]
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in columns and name in (*REQUIRED_COLUMNS, *BREAKDOWN_COLUMNS):
            line, col = starts(header_line)[index]
            report.error(line, col, "E432", f"column '{name}' appears twice in the header")
        columns.setdefault(name, index)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    for name in missing:
        others = [n for n in names if n and n not in REQUIRED_COLUMNS]
        report.error(
            header_line,
            1,
            "E423",
            f"the header has no '{name}' column{_did_you_mean(name, others)}: "
            "the first row must name the columns, e.g. 'date,score'",
        )
    if missing:
        return empty, report.problems()

    low, high = metric.effective_scale
    kind = metric.kind.upper()
    id_columns = [c for c in BREAKDOWN_COLUMNS if c in columns]
    wanted = (*REQUIRED_COLUMNS, *id_columns)
    by_period: dict[str, list[int]] = defaultdict(list)
    by_id: dict[str, dict[str, list[int]]] = {c: defaultdict(list) for c in id_columns}

    for line, fields in rows[1:]:
        bad: list[tuple[int, str, str]] = []  # (field index, code, message)

        cell = {
            name: fields[columns[name]].strip() if columns[name] < len(fields) else ""
            for name in wanted
        }

        if len(fields) > len(names):
            bad.append(
                (
                    len(names),
                    "E428",
                    f"the row has {len(fields)} values but the header names {len(names)} "
                    "columns: quote any value that contains a comma",
                )
            )
        date_text = cell["date"]
        day = parse_iso_date(date_text)
        if day is None:
            message = (
                f"date '{date_text}' is not an ISO date (YYYY-MM-DD)" if date_text else "no date"
            )
            bad.append((columns["date"], "E424", message))
        score_text = cell["score"]
        score: int | None = None
        if _INTEGER.fullmatch(score_text):
            score = int(score_text)
        else:
            message = f"score '{score_text}' is not a whole number" if score_text else "no score"
            bad.append((columns["score"], "E425", message))
        if score is not None and not low <= score <= high:
            message = f"score {score} is outside the {kind} scale {low}..{high}"
            bad.append((columns["score"], "E426", message))
        ids: dict[str, str] = {}
        for name in id_columns:
            value = cell[name]
            if not value:
                continue
            choices = known.get(name)
            if choices is not None and value not in choices:
                hint = _did_you_mean(value, choices)
                bad.append((columns[name], "E427", f"unknown {name} '{value}'{hint}"))
            ids[name] = value

        if bad:
            positions = starts(line)
            for index, code, message in sorted(bad):
                if index < len(positions):
                    at_line, at_col = positions[index]
                else:  # the row stops before this column: point just past its end
                    at_line, at_col = line, len(lines[line - 1].rstrip("\r\n")) + 1
                report.error(at_line, at_col, code, message)
            continue
        assert day is not None and score is not None
        by_period[bucket(day, metric.period)].append(score)
        for name, value in ids.items():
            by_id[name][value].append(score)

    points = tuple(aggregate(metric.kind, p, by_period[p]) for p in sorted(by_period))
    breakdowns = MappingProxyType(
        {
            name: MappingProxyType(
                {i: aggregate(metric.kind, "all", by_id[name][i]) for i in sorted(by_id[name])}
            )
            for name in id_columns
        }
    )
    return MetricData(metric.id, points, "responses", breakdowns), report.problems()
