"""Evidence checks (SPEC 8.8): research ids that exist (E320), and the lint rules W515, W516
and W508 for research dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, Protocol

from cxsite.load.reader import Marks, position
from cxsite.model import Journey, Persona, Project, Touchpoint
from cxsite.model.research import research_ids, tracks_evidence
from cxsite.problems import Problem
from cxsite.validate.refs import Known

Path_ = tuple[str | int, ...]
# Other kinds an id written under `evidence` may belong to, for a clearer message.
_OTHER_KINDS = ("personas", "journeys", "touchpoints", "metrics")


def _evidence_lists(entity: Any) -> Iterator[tuple[Path_, Any]]:
    """Every `evidence` list of an entity with its path in the file."""
    if isinstance(entity, Journey):
        for s, stage in enumerate(entity.stages):
            yield ("stages", s, "evidence"), stage.evidence
            for i, pain in enumerate(stage.pain_points):
                yield ("stages", s, "pain_points", i, "evidence"), pain.evidence
            for i, opp in enumerate(stage.opportunities):
                yield ("stages", s, "opportunities", i, "evidence"), opp.evidence
    elif isinstance(entity, Touchpoint | Persona):
        yield ("evidence",), entity.evidence


def check_evidence_refs(entity: object, known: Known, rel: str, marks: Marks) -> list[Problem]:
    """E320 for every evidence entry naming no research study."""
    problems: list[Problem] = []
    studies = known.ids.get("research", ())
    for path, evidence in _evidence_lists(entity):
        for index, rid in enumerate(evidence):
            if not isinstance(rid, str) or rid in studies:
                continue
            line, col = position(marks, (*path, index))
            other = next((k for k in _OTHER_KINDS if rid in known.ids.get(k, ())), None)
            if other is not None:
                hint = (
                    f": it is a {other[:-1]}, and evidence lists research studies "
                    f"(files in research/){known.hint(rid, studies)}"
                )
            else:
                hint = known.hint(rid, studies) or f" (no file research/{rid}.yaml)"
            message = f"unknown research study '{rid}'{hint}"
            problems.append(Problem(rel, line, col, "error", "E320", message))
    return problems


class Linter(Protocol):
    """What the evidence rules need of validate/lint.py's linter."""

    project: Project

    def gap(self, key: str, *path: str | int | None) -> bool: ...

    def warn(self, key: str, path: Path_, code: str, message: str) -> None: ...


def _short(text: str, most: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _items(journey: Journey) -> Iterator[tuple[Path_, str, str, Any]]:
    """Stages, pain points and opportunities with their path, and the word and text that
    name them in a message (see `_name`)."""
    for s, stage in enumerate(journey.stages):
        yield ("stages", s), "stage", stage.name, stage
        for i, pain in enumerate(stage.pain_points):
            yield ("stages", s, "pain_points", i), "pain point", pain.text, pain
        for i, opp in enumerate(stage.opportunities):
            yield ("stages", s, "opportunities", i), "opportunity", opp.text, opp


def _name(word: str, text: str) -> str:
    """How a message names an item: `pain point 'Queue at the till'` (made only when said)."""
    return f"{word} '{_short(text)}'"


def lint_evidence(linter: Linter, cutoff: dt.date | None, stale_after: int) -> None:
    """W515, W516 and (research dates older than `cutoff`) W508 for every journey and
    touchpoint; `cutoff` None when the stale age is not known."""
    project = linter.project
    tracked = tracks_evidence(project.research, project.journeys)
    for jid, journey in project.journeys.items():
        key = f"journeys/{jid}"
        for path, word, text, item in _items(journey):
            if linter.gap(key, *path):
                continue
            name = partial(_name, word, text)
            if item.confidence == "validated" and not item.evidence:
                linter.warn(
                    key,
                    (*path, "confidence"),
                    "W516",
                    f"{name()} is marked validated but lists no evidence; add the research "
                    "ids it rests on under 'evidence', or say 'confidence: reasoned'",
                )
            severity = getattr(item, "severity", None)
            if tracked and severity == "high" and not item.evidence:
                linter.warn(
                    key,
                    path,
                    "W515",
                    f"high-severity {name()} rests on no evidence; add the research that "
                    "shows it under 'evidence', or lower its severity",
                )
            _stale(linter, key, (*path, "evidence"), name, item.evidence, cutoff, stale_after)
    for tid, touchpoint in project.touchpoints.items():
        key = f"touchpoints/{tid}"
        if not linter.gap(key, "evidence"):
            name = partial(str, f"touchpoint '{tid}'")
            _stale(linter, key, ("evidence",), name, touchpoint.evidence, cutoff, stale_after)


def _stale(
    linter: Linter,
    key: str,
    path: Path_,
    name: Callable[[], str],
    evidence: Any,
    cutoff: dt.date | None,
    stale_after: int,
) -> None:
    studies = linter.project.research
    ids = research_ids(evidence)
    if cutoff is None or not ids or any(rid not in studies for rid in ids):
        return  # an unknown study may be the recent one
    dated = [(studies[rid].when, i) for i, rid in enumerate(evidence) if rid in ids]
    if any(day is None for day, _ in dated):
        return  # a study whose dates could not be read
    newest, index = max(dated)  # type: ignore[type-var]
    if newest < cutoff:
        linter.warn(
            key,
            (*path, index),
            "W508",
            f"all evidence of {name()} is older than {stale_after} months (newest: "
            f"'{evidence[index]}' from {newest.isoformat()}); refresh the research or raise "
            "'stale_after_months' in cxsite.yaml",
        )


def research_dates(persona: Persona, project: Project) -> list[tuple[dt.date, int]] | None:
    """The dates of a persona's research-id evidence, with their index in its list; None
    when a study's date could not be read (or it is unknown): it may be the recent one."""
    found = []
    for i, e in enumerate(persona.evidence):
        if not isinstance(e, str):
            continue
        day = project.research[e].when if e in project.research else None
        if day is None:
            return None
        found.append((day, i))
    return found
