"""Evidence and confidence (SPEC 8.8): what each claim rests on, coverage, and each study's use.

A project "tracks evidence" once it has a research study or writes `confidence` anywhere.
Until then nothing is marked as an assumption and no coverage is shown, so a release-1
project builds the pages it always did.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cxsite.model import Journey, Project
from cxsite.model.research import confidence_of, research_ids, tracks_evidence

__all__ = ["confidence_of", "research_ids", "tracks_evidence"]

EVIDENCE_KINDS: tuple[str, ...] = ("persona", "touchpoint", "stage", "pain", "opportunity")


def _journey_items(journey: Journey) -> Iterator[Any]:
    for stage in journey.stages:
        yield stage
        yield from stage.pain_points
        yield from stage.opportunities


@dataclass(frozen=True)
class Coverage:
    """How many of a journey's (or all journeys') stages and pain points rest on evidence."""

    stages: int
    stages_with: int
    pains: int
    pains_with: int
    assumptions: int  # stages, pains and opportunities whose confidence is `assumption`

    @property
    def items(self) -> int:
        """Stages and pain points counted."""
        return self.stages + self.pains

    @property
    def with_evidence(self) -> int:
        """Stages and pain points resting on evidence."""
        return self.stages_with + self.pains_with

    @property
    def share(self) -> float | None:
        """The share 0..1 of stages and pain points resting on evidence (None: nothing to count)."""
        return self.with_evidence / self.items if self.items else None


def journey_coverage(journey: Journey) -> Coverage:
    """The evidence coverage of one journey."""
    pains = [p for s in journey.stages for p in s.pain_points]
    return Coverage(
        stages=len(journey.stages),
        stages_with=sum(bool(s.evidence) for s in journey.stages),
        pains=len(pains),
        pains_with=sum(bool(p.evidence) for p in pains),
        assumptions=sum(confidence_of(i) == "assumption" for i in _journey_items(journey)),
    )


def total_coverage(parts: Mapping[str, Coverage]) -> Coverage:
    """The coverage of several journeys together (counts summed)."""
    values = list(parts.values())
    return Coverage(
        stages=sum(c.stages for c in values),
        stages_with=sum(c.stages_with for c in values),
        pains=sum(c.pains for c in values),
        pains_with=sum(c.pains_with for c in values),
        assumptions=sum(c.assumptions for c in values),
    )


@dataclass(frozen=True)
class EvidenceUse:
    """One thing resting on a study: its kind (EVIDENCE_KINDS), text, and where it lives."""

    kind: str
    text: str
    entity_id: str  # persona, touchpoint or journey id
    stage_index: int | None = None  # for stages, pains and opportunities (0-based)
    stage_name: str | None = None


@dataclass(frozen=True)
class EvidenceSummary:
    """Evidence across the project: on or off, coverage per journey and overall, study uses."""

    tracked: bool
    coverage: Mapping[str, Coverage]  # journey id -> coverage, id order
    overall: Coverage
    uses: Mapping[str, tuple[EvidenceUse, ...]]  # research id -> uses, every study present


def _uses(project: Project) -> dict[str, list[EvidenceUse]]:
    """Research id -> what rests on it; an item without evidence costs one test (most
    items of a large project have none)."""
    uses: dict[str, list[EvidenceUse]] = {rid: [] for rid in sorted(project.research)}

    def add(ids: Any, kind: str, text: str, eid: str, index: int | None = None,
            stage: str | None = None) -> None:  # fmt: skip
        use = EvidenceUse(kind, text, eid, index, stage)
        for rid in dict.fromkeys(ids):
            uses.setdefault(rid, []).append(use)

    for pid, persona in sorted(project.personas.items()):
        if persona.evidence:
            ids = research_ids(persona.evidence)
            if ids:
                add(ids, "persona", persona.name, pid)
    for jid, journey in sorted(project.journeys.items()):
        for index, stage in enumerate(journey.stages):
            if stage.evidence:
                add(stage.evidence, "stage", stage.name, jid, index, stage.name)
            for pain in stage.pain_points:
                if pain.evidence:
                    add(pain.evidence, "pain", pain.text, jid, index, stage.name)
            for opp in stage.opportunities:
                if opp.evidence:
                    add(opp.evidence, "opportunity", opp.text, jid, index, stage.name)
    for tid, touchpoint in sorted(project.touchpoints.items()):
        if touchpoint.evidence:
            add(touchpoint.evidence, "touchpoint", touchpoint.name, tid)
    return uses


def evidence_summary(project: Project) -> EvidenceSummary:
    """Coverage per journey and overall, and what rests on each study."""
    coverage = {jid: journey_coverage(project.journeys[jid]) for jid in sorted(project.journeys)}
    uses = _uses(project)
    return EvidenceSummary(
        tracked=tracks_evidence(project.research, project.journeys),
        coverage=coverage,
        overall=total_coverage(coverage),
        uses={rid: tuple(found) for rid, found in uses.items() if rid in project.research},
    )
