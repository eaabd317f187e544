"""Sub-journeys (a stage's `detail`): each journey zooms into one stage at most (E314), and
no chain of details leads back to where it started (E315)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cxsite.load.reader import Marks, position
from cxsite.model import Journey
from cxsite.problems import Problem
from cxsite.validate.gaps import FileGaps


@dataclass(frozen=True)
class _Link:
    """A stage's `detail`: journey `parent`'s stage `index` zooms into journey `child`."""

    parent: str
    index: int
    stage: str | None  # None when its name is a partial model's stand-in
    child: str
    rel: str
    marks: Marks

    def where(self) -> tuple[int, int]:
        return position(self.marks, ("stages", self.index, "detail"))

    def named(self, nameless: str = "") -> str:
        """How a message names the stage: by its name, else `nameless` or by its line."""
        if self.stage is not None:
            return f"stage '{self.stage}'"
        return nameless or f"the stage on line {position(self.marks, ('stages', self.index))[0]}"

    def problem(self, code: str, message: str) -> Problem:
        line, col = self.where()
        return Problem(self.rel, line, col, "error", code, message)


def check_details(journeys: Iterable[tuple[Journey, str, Marks, FileGaps]]) -> list[Problem]:
    """E314 for a journey that is the detail of two stages, E315 for each cycle of details;
    with each file's gaps, so a stage whose name is a stand-in is named by its line.

    Details naming an unknown journey are E304 (validate/refs.py) and are left out here."""
    read = sorted(journeys, key=lambda j: j[1])
    known = {journey.id for journey, _, _, _ in read}
    links = [
        _Link(journey.id, i, _name(stage.name, i, gaps), stage.detail, rel, marks)
        for journey, rel, marks, gaps in read
        for i, stage in enumerate(journey.stages)
        if stage.detail is not None and stage.detail in known
    ]
    problems: list[Problem] = []
    parent_of: dict[str, _Link] = {}
    for link in links:
        first = parent_of.setdefault(link.child, link)
        if first is not link:
            problems.append(
                link.problem(
                    "E314",
                    f"journey '{link.child}' is already the detail of {first.named('a stage')} "
                    f"of '{first.parent}' ({first.rel}:{first.where()[0]}): a sub-journey "
                    "zooms into one stage only",
                )
            )
    problems += _cycles(parent_of)
    return problems


def _cycles(parent_of: dict[str, _Link]) -> list[Problem]:
    """One E315 per cycle, at the detail leaving the cycle's first journey (by id)."""
    problems: list[Problem] = []
    done: set[str] = set()
    for start in sorted(parent_of):
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in path:
            path.append(node)
            link = parent_of.get(node)
            node = link.parent if link else None
        if node is not None and node in path:
            cycle = path[path.index(node) :]  # child -> parent order
            first = min(cycle)
            # The chain read downwards, parent -> child, from the first journey by id.
            down = [parent_of[j] for j in reversed(cycle)]
            at = next(i for i, link in enumerate(down) if link.parent == first)
            chain = down[at:] + down[:at]
            text = " -> ".join(f"'{link.parent}' ({link.named()})" for link in chain)
            problems.append(
                chain[0].problem(
                    "E315",
                    f"detail cycle {text} -> '{first}': a journey cannot zoom into itself, "
                    "directly or through its sub-journeys; remove one 'detail'",
                )
            )
        done.update(path)
    return problems


def _name(name: str, index: int, gaps: FileGaps) -> str | None:
    return None if ("stages", index, "name") in gaps else name
