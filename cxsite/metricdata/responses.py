"""Survey responses (a CSV or XLSX export): read, check every row and aggregate per period.

The file is read through `load.sheets` (dialect, encoding, header rows, limits); the
metric's `responses` settings say which headers hold which cxsite column (header.py).
Problems in the file keep the file's own positions (E420-E437); problems of the settings
point at the metric's YAML (E301, E438-E440).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping
from operator import itemgetter
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

# Every bad row is listed up to this many problems in a file; the rest are counted in one
# E429 line. A real export with more is broken as a whole, and listing millions of lines
# (a 50 MB file of bad rows: 24 million) took minutes and gigabytes for nothing a reader uses.
MAX_ROW_PROBLEMS = 1000


class _Report:
    """Collects a file's problems: every bad row with its position (SPEC 5), up to
    MAX_ROW_PROBLEMS, then one line counting the rest."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.found: list[Problem] = []
        self.more = 0
        self.more_from = 0

    @property
    def full(self) -> bool:
        """Whether a further problem is only counted."""
        return len(self.found) >= MAX_ROW_PROBLEMS

    def error(self, line: int, col: int, code: str, message: str) -> None:
        if not self.full:
            self.found.append(Problem(self.rel, line, col, "error", code, message))
            return
        self.more_from = self.more_from or line
        self.more += 1

    def problems(self) -> list[Problem]:
        if not self.more:
            return self.found
        message = (
            f"{self.more:,} more problem(s) in this file from this line on are not listed"
            f" (the first {MAX_ROW_PROBLEMS:,} are): fix those and run again"
        )
        return [*self.found, Problem(self.rel, self.more_from, 1, "error", "E429", message)]


class _Tally:
    """Counts of good answers by one int per (distinct rest of the row, period): `rests`
    holds each (score, ids..., segments...), `periods` each period; and the comments."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}  # rest index << 16 | period index -> answers
        self.rests: list[tuple] = []
        self.periods: list[str] = []
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


# Distinct date cells remembered whole (a date-only export has a few hundred; an export of
# date-times has one per answer, read through DateReader's remembered halves instead).
MAX_REMEMBERED_DATES = 20_000


def _rest_reader(
    columns: Columns, scores: ScoreReader, cache: dict[tuple[str, ...], int], rests: list[tuple]
) -> Callable[[tuple[str, ...]], int]:
    """The index in `rests` of a row's (score, ids..., segments...), shifted 16 bits left (as
    the counts' keys hold it), or -1 when one of those cells is wrong; each distinct
    combination of cells is worked out once, into `cache`."""
    lookups = [lookup for _, lookup in columns.ids]

    def read(raw: tuple[str, ...]) -> int:
        score = scores.read(raw[0])
        ids = [lookup.read(text) for lookup, text in zip(lookups, raw[1:], strict=False)]
        index = -1
        if not isinstance(score, tuple) and not any(isinstance(i, tuple) for i in ids):
            segments = [text.strip() for text in raw[1 + len(lookups) :]]
            index = len(rests) << 16
            rests.append((score, *ids, *segments))
        cache[raw] = index
        return index

    return read


def _moment(found: tuple[tuple[str, int], int] | None) -> tuple[int, int]:
    """(ordinal day, second) of a date cell that reads as one."""
    assert found is not None
    return found[0][1], found[1]


def _tally(
    table: Table, columns: Columns, dates: DateReader, scores: ScoreReader, report: _Report
) -> _Tally:
    """Every data row checked and counted; bad rows reported at their cells."""
    # 1.5 million rows must take seconds: the common row costs three dictionary lookups
    # (its date, the combination of its other cells, each worked out once, and its count
    # under one int), straight from the CSV parser (`scan`: a row's line is only worked out
    # for a comment or a problem).
    result = _Tally()
    counts, comments, periods, rests = result.counts, result.comments, result.periods, result.rests
    width, where, count = columns.width, columns.where, columns.count
    date_at, comment_at = columns.date_at, columns.comment_at
    at = (columns.score_at, *(at for at, _ in columns.ids), *columns.segments)
    # itemgetter of one index returns the cell itself: keep a tuple in every case.
    rest_of = itemgetter(*at) if len(at) > 1 else lambda cells: (cells[at[0]],)
    known_rests: dict[tuple[str, ...], int] = {}  # cells -> rest index << 16 (-1: wrong)
    read_rest = _rest_reader(columns, scores, known_rests, rests)
    read_date = dates.read
    period_index: dict[str, int] = {}
    known_dates: dict[str, int] = {}  # text -> period index
    days: dict[str, tuple[int, int]] = {}  # text -> (day, second), for comments
    counted = counts.get
    line_of = table.line_of
    for cells in table.scan():
        size = len(cells)
        if size < width:
            cells = cells + [""] * (width - size)
        if where and any(cells[i].strip().casefold() != value for i, value in where):
            continue
        text = cells[date_at]
        when = known_dates.get(text)
        if when is None:
            found = read_date(text)
            if found is not None:
                (period, day), second = found
                if period not in period_index:
                    period_index[period] = len(periods)
                    periods.append(period)
                when = period_index[period]
                if len(known_dates) < MAX_REMEMBERED_DATES:
                    known_dates[text] = when
                    days[text] = (day, second)
        key = rest_of(cells)
        rest = known_rests.get(key)
        if rest is None:
            rest = read_rest(key)
        if when is None or rest < 0 or (count and size > count):
            if not any(c.strip() for c in cells):
                continue  # a row of empty cells, as spreadsheets export
            problems = _row_problems(cells, columns, dates, scores)
            _report_row(table, line_of(cells), problems, report)
            continue
        slot = rest | when
        counts[slot] = counted(slot, 0) + 1
        if comment_at is not None:
            said = cells[comment_at]
            if said and (said := said.strip()):
                # (a date-time beyond the remembered ones is read again, from its halves)
                day, second = days.get(text) or _moment(read_date(text))
                said_when = (day, second, line_of(cells))
                comments.append((said_when, rests[rest >> 16][0], said))
    return result


def _report_row(table: Table, line: int, problems: list[tuple[int, str, str]], report: _Report):
    for index, code, message in problems:
        if report.full:  # only counted: its position is not needed
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
    # Two passes over few entries: answers by (period, score), then by distinct rest of
    # the row (ids and segments cover all periods).
    by_rest: Counter[int] = Counter()
    by_period_score: Counter[tuple[int, object]] = Counter()
    rests = tally.rests
    for key, n in tally.counts.items():
        by_rest[key >> 16] += n
        by_period_score[key & 0xFFFF, rests[key >> 16][0]] += n
    unscored: Counter[str] = Counter()
    for (index, score), n in by_period_score.items():
        period = tally.periods[index]
        if score is None:
            unscored[period] += n
        else:
            by_period[period][score] += n  # type: ignore[index]
    for index, n in by_rest.items():
        score, *rest = rests[index]
        if score is None:
            continue
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
        MappingProxyType(dict(sorted(unscored.items()))),
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
