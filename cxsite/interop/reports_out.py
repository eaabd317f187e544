"""`backlog-csv` and `pains-csv`: the opportunity backlog and the pain point ranking as sheets
for delivery teams (Jira's CSV importer, a spreadsheet)."""

from __future__ import annotations

from collections.abc import Mapping

from cxsite.analysis.journeys import build_backlog, rank_pains
from cxsite.interop.csvout import join
from cxsite.model import Persona, Project, Touchpoint
from cxsite.model.journey import Opportunity

Sheet = tuple[list[str], list[list[str]]]
_PRIORITY = {"high": "High", "medium": "Medium", "low": "Low"}


def _has_evidence() -> bool:
    """Whether opportunities carry `evidence` (research ids) in this version of the model."""
    return "evidence" in Opportunity.model_fields


def backlog_sheet(project: Project) -> Sheet:
    """One row per opportunity as written (journey, stage), in backlog rank order."""
    evidence = _has_evidence()
    header = [
        "rank",
        "summary",
        "description",
        "priority",
        "labels",
        "journey",
        "journey_id",
        "stage",
        "impact",
        "effort",
        "status",
        "owner",
        *(["evidence"] if evidence else []),
        "pain_points",
    ]
    rows = []
    for item in build_backlog(project).items:
        for occurrence in item.occurrences:
            journey = project.journeys[occurrence.where.journey_id]
            stage = journey.stages[occurrence.where.stage_index]
            opportunity = next((o for o in stage.opportunities if o.text == occurrence.text), None)
            pains = [pain.text for pain in stage.pain_points]
            description = (
                f"Journey: {journey.title}\nStage: {stage.name}\n"
                f"Impact: {occurrence.impact}, effort: {occurrence.effort}"
            )
            if pains:
                description += "\nPain points of this stage:\n" + "\n".join(f"- {p}" for p in pains)
            row = [
                str(item.rank),
                occurrence.text,
                description,
                _PRIORITY[occurrence.impact],
                journey.id,
                journey.title,
                journey.id,
                stage.name,
                occurrence.impact,
                occurrence.effort,
                occurrence.status,
                occurrence.owner or "",
            ]
            if evidence:
                row.append(join(getattr(opportunity, "evidence", None) or []))
            row.append(join(pains))
            rows.append(row)
    return header, rows


def pains_sheet(project: Project) -> Sheet:
    """One row per pain point, merged across journeys as on the insights page, ranked."""
    header = ["rank", "pain_point", "severity", "journeys", "stages", "touchpoints", "personas"]
    rows = []
    for pain in rank_pains(project):
        stages = list(
            dict.fromkeys(
                f"{project.journeys[o.where.journey_id].title} › {o.where.stage_name}"
                for o in pain.occurrences
            )
        )
        rows.append(
            [
                str(pain.rank),
                pain.text,
                pain.severity,
                join(project.journeys[j].title for j in pain.journeys),
                join(stages),
                join(_name(project.touchpoints, t) for t in pain.touchpoints),
                join(_name(project.personas, p) for p in pain.personas),
            ]
        )
    return header, rows


def _name(entities: Mapping[str, Persona | Touchpoint], entity_id: str) -> str:
    entity = entities.get(entity_id)
    return entity.name if entity is not None else entity_id
