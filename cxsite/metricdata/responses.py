"""Survey responses (a CSV or XLSX export): read, check every row and aggregate per period.

The file is read through `load.sheets` (dialect, encoding, header rows, limits); the
metric's `responses` settings say which headers hold which cxsite column (header.py).
Problems in the file keep the file's own positions (E420-E437); problems of the settings
point at the metric's YAML (E301, E438-E440).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from pathlib import Path
from types import MappingProxyType

from cxsite.load.reader import Marks
from cxsite.load.sheets import SheetError, Table, open_table
from cxsite.metricdata.cells import DateReader, ScoreReader
from cxsite.metricdata.comments import RawComment, summarise_comments
from cxsite.metricdata.header import Columns, resolve_columns
from cxsite.metricdata.types import MetricData, PeriodPoint, aggregate_counts
from cxsite.model import Metric, Responses
from cxsite.problems import Problem

# Beyond this many problems in one file, one summary line stands for the rest, so a
# broken 2,000-row export stays readable.
MAX_ROW_PROBLEMS = 20


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


class _Tally:
    """Counts of good answers by (period, score, ids..., segments...), and what else a
    file says: answers without a score per period, comments."""

    def __init__(self) -> None:
        self.counts: Counter[tuple] = Counter()
        self.unscored: Counter[str] = Counter()
        self.comments: list[RawComment] = []


def _row_problems(
    cells: list[str], columns: Columns, dates: DateReader, scores: ScoreReader
) -> list[tuple[int, str, str]]:
    """Each (cell index, code, message) wrong with a row."""
    bad: list[tuple[int, str, str]] = []
    if columns.count and len(cells) > columns.count:
        bad.append((columns.count, "E428", columns.too_many(len(cells))))
    if dates.read(cells[columns.date_at]) is None:
        bad.append((columns.date_at, "E424", dates.problem(cells[columns.date_at])))
    score = scores.read(cells[columns.score_at])
    if isinstance(score, tuple):
        bad.append((columns.score_at, *score))
    for at, lookup in columns.ids:
        found = lookup.read(cells[at])
        if isinstance(found, tuple):
            bad.append((at, *found))
    return sorted(bad)


def _tally(
    table: Table, columns: Columns, dates: DateReader, scores: ScoreReader, report: _Report
) -> _Tally:
    """Every data row checked and counted; bad rows reported at their cells."""
    result = _Tally()
    counts, unscored, comments = result.counts, result.unscored, result.comments
    width, where = columns.width, columns.where
    date_at, score_at, comment_at = columns.date_at, columns.score_at, columns.comment_at
    ids, segment_at = columns.ids, columns.segments
    read_date, read_score = dates.read, scores.read
    strict_count = columns.count
    for line, cells in table.rows():
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        if where and any(cells[i].strip().casefold() != value for i, value in where):
            continue
        when = read_date(cells[date_at])
        score = read_score(cells[score_at])
        keys = [lookup.read(cells[at]) for at, lookup in ids]
        if (
            when is None
            or isinstance(score, tuple)
            or (strict_count and len(cells) > strict_count)
            or any(isinstance(k, tuple) for k in keys)
        ):
            if not any(c.strip() for c in cells):
                continue  # a row of empty cells, as spreadsheets export
            _report_row(table, line, _row_problems(cells, columns, dates, scores), report)
            continue
        (period, day), seconds = when
        if score is None:
            unscored[period] += 1
        else:
            segments = tuple(cells[at].strip() for at in segment_at)
            counts[(period, score, *keys, *segments)] += 1
        if comment_at is not None:
            text = cells[comment_at].strip()
            if text:
                comments.append(((day, seconds, line), score, text))
    return result


def _report_row(table: Table, line: int, problems: list[tuple[int, str, str]], report: _Report):
    for index, code, message in problems:
        if report.full:  # hidden behind the summary line: no need for positions
            report.error(line, 1, code, message)
            continue
        at_line, col = table.position(line, index)
        report.error(at_line, col, code, message)


def _aggregate(metric: Metric, columns: Columns, tally: _Tally) -> MetricData:
    kind = metric.kind
    by_period: dict[str, Counter[int]] = defaultdict(Counter)
    names = [name for name, _ in columns.id_names]
    by_id: dict[str, dict[str, Counter[int]]] = {name: defaultdict(Counter) for name in names}
    segment_names = columns.segment_names
    by_segment: dict[str, dict[str, Counter[int]]] = {
        name: defaultdict(Counter) for name in segment_names
    }
    for key, n in tally.counts.items():
        period, score = key[0], key[1]
        by_period[period][score] += n
        rest = key[2:]
        for name, value in zip(names, rest[: len(names)], strict=True):
            if value:
                by_id[name][value][score] += n
        for name, value in zip(segment_names, rest[len(names) :], strict=True):
            if value:
                by_segment[name][value][score] += n

    def table(counts: dict[str, Counter[int]]) -> Mapping[str, PeriodPoint]:
        return MappingProxyType(
            {k: aggregate_counts(kind, "all", counts[k]) for k in sorted(counts)}
        )

    points = tuple(aggregate_counts(kind, p, by_period[p]) for p in sorted(by_period))
    comments = None
    if columns.comment_at is not None:
        comments = summarise_comments(
            kind, tally.comments, metric.themes or {}, metric.comment_samples
        )
    return MetricData(
        metric.id,
        points,
        "responses",
        MappingProxyType({name: table(by_id[name]) for name in names}),
        MappingProxyType({name: table(by_segment[name]) for name in segment_names}),
        MappingProxyType(dict(sorted(tally.unscored.items()))),
        comments,
    )


def settings(metric: Metric) -> Responses:
    """The metric's `responses` settings (a metric without responses gets the defaults)."""
    return metric.responses or Responses(file="-")


def _open(path: Path, responses: Responses) -> Table:
    return open_table(
        path,
        header_rows=responses.header_rows,
        delimiter=responses.delimiter,
        encoding=responses.encoding,
        sheet=responses.sheet,
    )


def read_responses(
    metric: Metric,
    path: Path,
    rel: str,
    known: Mapping[str, Collection[str]],
    *,
    yaml_rel: str = "",
    marks: Marks | None = None,
) -> tuple[MetricData, list[Problem]]:
    """Check a responses file row by row and compute the metric per period, with breakdowns,
    segments and comments; problems of the file at its positions, of the settings in YAML."""
    report = _Report(rel)
    empty = MetricData(metric.id, (), "responses")
    responses = settings(metric)
    yaml_problems: list[Problem] = []
    try:
        with _open(path, responses) as table:
            columns, yaml_problems = resolve_columns(
                table, rel, metric, known, yaml_rel, marks or {}, report.error
            )
            if columns is None:
                return empty, report.problems() + yaml_problems
            dates = DateReader(responses.date_format, metric.period, responses.is_spreadsheet)
            low, high = metric.effective_scale
            scores = ScoreReader(low, high, metric.kind, responses.missing)
            tally = _tally(table, columns, dates, scores, report)
    except SheetError as exc:
        report.error(exc.line, exc.col, exc.code, _message(exc))
        return empty, report.problems() + yaml_problems
    return _aggregate(metric, columns, tally), report.problems() + yaml_problems


def _message(exc: SheetError) -> str:
    if exc.code == "E422":
        return "the file is empty: it needs a header row with 'date,score'"
    return exc.message
