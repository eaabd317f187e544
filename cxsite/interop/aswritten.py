"""The project as an import would leave it, checked as `cxsite check` checks it.

SPEC 8.11: an import writes YAML that passes `cxsite check`. A sheet's rows are checked
one by one first (interop/importing.py); what only the rules across files can tell (a
`detail` another stage already zooms into, an emotion for a persona the journey does not
have, a `photo` that is not there) is found here, by checking the project with the
planned files among the others, before anything is written. Each error in a planned file
is placed at the sheet's cell its YAML came from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from cxsite.interop.rows import DataPath, Planned, Report
from cxsite.load.reader import Marks
from cxsite.problems import Problem
from cxsite.session import Session
from cxsite.validate.project import load_project


def check_as_written(root: Path, planned: list[Planned], label: str, session: Session) -> None:
    """ImportFailed with the errors the project would have once `planned` is written and
    has not now: every error in a planned file (at its cell of the sheet when the YAML
    came from one), and the new errors of other files at their own places. `session`
    holds what the last build validated (the second check re-reads only the planned files)."""
    before = load_project(root, session)
    after = load_project(root, session, planned={p.rel: p.text for p in planned})
    already = Counter(_key(p) for p in before.problems if p.severity == "error")
    by_rel = {p.rel: p for p in planned}
    report = Report(label)
    at_cells: list[Problem] = []
    for problem in after.problems:
        if problem.severity != "error":
            continue
        plan = by_rel.get(problem.path)
        if plan is None:
            if already[_key(problem)]:
                already[_key(problem)] -= 1
            else:
                report.elsewhere.append(problem)
            continue
        path = _path_at(after.marks.get(problem.path, {}), problem.line, problem.col)
        cell = _cell(plan.places, path)
        if cell is not None:
            at_cells.append(Problem(label, *cell, "error", problem.code, problem.message))
            continue
        # a part of the file the sheet did not give: where it is in the file now, if it is
        now = _cell(plan.kept, path)
        line, col = now if now is not None else (problem.line, problem.col)
        report.elsewhere.append(
            Problem(problem.path, line, col, "error", problem.code, problem.message)
        )
    report.extend(at_cells)  # one batch: placed in the sheet's order before any is cut
    report.raise_if_any()


def _key(problem: Problem) -> tuple[str, int, int, str]:
    """A problem of a file the import does not write, as it stays when the import's files
    change its message (a did-you-mean that now names an imported id): file, place, code."""
    return problem.path, problem.line, problem.col, problem.code


def _path_at(marks: Marks, line: int, col: int) -> DataPath:
    """The data path marked at `line:col`, or else the one marked last before it on that
    line, the first on that line, the last above it; the whole file when none is."""
    # among paths marked at one place, the deepest (a key and its first item) is meant
    places = sorted(
        (((*mark, len(path)), tuple(path)) for path, mark in marks.items()), key=lambda m: m[0]
    )
    on_line = [(place, path) for place, path in places if place[0] == line]
    if on_line:
        before = [path for place, path in on_line if place[1] <= col]
        return before[-1] if before else on_line[0][1]
    above = [path for place, path in places if place[:2] < (line, col)]
    return above[-1] if above else ()


def _cell(places: Mapping[DataPath, tuple[int, int]], path: DataPath) -> tuple[int, int] | None:
    """The sheet's cell of `path` or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        place = places.get(path[:end])
        if place is not None:
            return place
    return None
