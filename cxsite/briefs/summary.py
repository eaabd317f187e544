"""The first page of an executive brief (SPEC 8.10): headline, KPIs with the verdict of
their last change and their notes, journeys by health, top risks with their evidence, the
decisions requested, and what changed since `since`, capped so it fits one page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from cxsite.analysis.formats import ARROWS, metric_delta, round_half_away
from cxsite.analysis.lastchange import SinceChanges
from cxsite.analysis.scores import health_order
from cxsite.analysis.types import Analysis, RankedPain, Trend
from cxsite.i18n.catalogue import Messages
from cxsite.model import Brief, Project
from cxsite.model.research import confidence_of, research_ids
from cxsite.render.env import fmt_metric

# What fits one A4 page beside the headline and up to four decisions.
SUMMARY_KPIS = 6
SUMMARY_JOURNEYS = 5
SUMMARY_RISKS = 4
# The caps above are planned for A4 with no "What changed" entry. A shorter paper, or that
# entry (its heading, its line and one more contents row), takes millimetres from them, and
# the lists give them back from their ends, each entry counted at its usual height in print
# (a KPI row of one line, a risk of three or four): a risk first, then KPI rows, then risks
# again, never below the floors. A summary whose layout still runs past page 1 gives back
# more, counted at the heights measured in that layout (`fewer_entries`, briefs/render.py).
PAPER_MM = {"A4": 297.0, "Letter": 279.4, "A3": 420.0}
CHANGES_MM = 16.0
RISK_MM = 14.0
KPI_MM = 7.0
RISKS_FLOOR = 1
KPIS_FLOOR = 1
SUMMARY_CHANGE_KINDS = ("journey", "metric", "touchpoint", "persona", "config")
# The counted words of the kinds that are entities of their own (`{n} journeys`).
COUNTED_KINDS = ("journey", "touchpoint", "persona")


def _counted_key(kind: str) -> str:
    """The counted message of a kind of change: `count.journeys`, `exec.changes.kind.metric`."""
    return f"count.{kind}s" if kind in COUNTED_KINDS else f"exec.changes.kind.{kind}"


CONFIDENCE_ORDER = ("assumption", "reasoned", "validated")


def p_value(messages: Messages, p: float) -> str:
    """`p = 0.031` or `p < 0.001`, with the language's decimal sign."""
    if p < 0.001:
        return messages.text("stats.p.below", p=messages.number("0.001"))
    return messages.text("stats.p.equals", p=messages.number(f"{round_half_away(p, 3):.3f}"))


def change_text(messages: Messages, trend: Trend | None, kind: str, scale: float | None) -> str:
    """The last change as one line: `▲ +20 · significant (p = 0.031)`, `▼ −2 · within
    noise`, `▲ +4 · too few answers`; a `values` series: the arrow and the change only."""
    if trend is None:
        return "–"
    delta = messages.number(metric_delta(trend.delta, kind, "−", scale))
    text = f"{ARROWS.get(trend.direction, '▶')} {delta}"
    sig = trend.significance
    if sig is None:
        return text
    if sig.verdict == "significant" and sig.p is not None:
        verdict = messages.text("stats.verdict.significant", p=p_value(messages, sig.p))
    else:
        verdict = messages.text(f"stats.verdict.{sig.verdict}")
    return f"{text} · {verdict}"


# A summary laid out past page 1 gives back entries worth what ran over and this much more
# (a list that gives up entries gains an "N more" line).
SPILL_SLACK_MM = 4.0


def summary_caps(paper: str, with_changes: bool) -> tuple[int, int]:
    """How many KPIs and risks the summary shows on this paper, so that it stays one page."""
    short = max(0.0, PAPER_MM["A4"] - PAPER_MM.get(paper, PAPER_MM["A4"]))
    short += CHANGES_MM if with_changes else 0.0
    return _given_back(SUMMARY_KPIS, SUMMARY_RISKS, short, KPI_MM, RISK_MM, float("inf"))


def fewer_entries(spill_mm: float, measures: Mapping[str, float]) -> tuple[int, int]:
    """The KPI rows and risks for a summary whose layout (`measures`, see `page_one` in
    briefs/pdf.py) ran `spill_mm` past page 1: its entries less those worth that much and a
    little more, each counted at its height as laid out. A risk frees only what the risks'
    column reaches below the journeys' column beside it."""
    kpis, risks = int(measures.get("kpi.count", 0)), int(measures.get("risk.count", 0))
    risk_mm = measures.get("risk.mm", RISK_MM)
    below = risk_mm * risks  # no journeys column beside the risks, or not measured
    if "risk.end" in measures and "journey.end" in measures:
        below = max(0.0, measures["risk.end"] - measures["journey.end"])
    short = spill_mm + SPILL_SLACK_MM
    return _given_back(kpis, risks, short, measures.get("kpi.mm", KPI_MM), risk_mm, below)


def _given_back(
    kpis: int, risks: int, short: float, kpi_mm: float, risk_mm: float, below: float
) -> tuple[int, int]:
    """`kpis` and `risks` less the entries that free `short` millimetres: a risk first,
    then KPI rows, then risks again, never below the floors; risks free `below` at most."""

    def one_risk() -> None:
        nonlocal risks, short, below
        freed = min(risk_mm, below)
        risks, short, below = risks - 1, short - freed, below - freed

    if short > 0 and risks > RISKS_FLOOR and below > 0:
        one_risk()
    while short > 0 and kpis > KPIS_FLOOR:
        kpis, short = kpis - 1, short - kpi_mm
    while short > 0 and risks > RISKS_FLOOR and below > 0:
        one_risk()
    return kpis, risks


def _kpis(project: Project, analysis: Analysis, brief: Brief, cap: int) -> list[dict[str, Any]]:
    messages = project.config.messages
    rows = []
    for mid in analysis.kpis[:cap]:
        s = analysis.metrics[mid]
        latest = s.latest
        rows.append(
            {
                "id": mid,
                "name": s.name,
                "value_text": fmt_metric(
                    latest.value if latest else None, s.unit, s.kind, messages
                ),
                "target_text": fmt_metric(s.target, s.unit, s.kind, messages),
                "status": s.status or "none",
                "change_text": change_text(
                    messages, s.trend, s.kind, latest.value if latest else None
                ),
                "tone": s.trend.tone if s.trend else "flat",
                "note": (brief.kpi_notes or {}).get(mid),
            }
        )
    return rows


def _evidence(project: Project, pain: RankedPain) -> dict[str, Any]:
    """A pain point's evidence: the studies behind any of its occurrences and the most
    cautious confidence among them."""
    studies: dict[str, None] = {}
    confidences = []
    for occ in pain.occurrences:
        stage = project.journeys[occ.where.journey_id].stages[occ.where.stage_index]
        for item in stage.pain_points:
            if item.text == occ.text:
                studies.update(dict.fromkeys(research_ids(item.evidence or ())))
                confidences.append(confidence_of(item))
                break
    confidence = min(confidences, key=CONFIDENCE_ORDER.index) if confidences else "assumption"
    return {"confidence": confidence, "studies": len(studies)}


def _risks(project: Project, analysis: Analysis, cap: int) -> list[dict[str, Any]]:
    high = [p for p in analysis.pains if p.severity == "high"]
    rows = []
    for pain in high[:cap]:
        first = pain.occurrences[0].where
        rows.append(
            {
                "rank": pain.rank,
                "text": pain.text,
                "journey": project.journeys[first.journey_id].title,
                "stage": first.stage_name,
                "more": len(pain.occurrences) - 1,
                **_evidence(project, pain),
            }
        )
    return rows


def _journeys(project: Project, analysis: Analysis) -> list[dict[str, Any]]:
    rows = []
    for jid in health_order(analysis.health):
        health = analysis.health[jid]
        if health.rounded is None:
            continue
        parts = [p for p in health.parts if p.share is not None and p.value is not None]
        weakest = min(parts, key=lambda p: p.value or 0.0) if parts else None
        rows.append(
            {
                "title": project.journeys[jid].title,
                "score": health.rounded,
                "weakest": weakest.name if weakest is not None and weakest.value < 1 else None,
            }
        )
    return rows


def _changes(messages: Messages, since: SinceChanges | None) -> dict[str, Any] | None:
    """What changed since `since`, as counts: changes in all, items changed per kind."""
    if since is None:
        return None
    report = since.report
    kinds: Counter[str] = Counter()
    total = 0
    if report is not None:
        total = len(report.changes)
        for kind, _eid, _name, _changes in report.entities():
            kinds[kind] += 1
    return {
        "revision": since.revision,
        "problem": since.problem,
        "total": total,
        "kinds": [
            messages.plural(_counted_key(k), kinds[k]) for k in SUMMARY_CHANGE_KINDS if kinds[k]
        ],
    }


def summary_context(
    project: Project,
    analysis: Analysis,
    brief: Brief,
    since: SinceChanges | None,
    caps: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Everything the summary page shows, each list capped to fit the page (`caps`: the
    KPI rows and risks to show instead of the planned ones, see `fewer_entries`)."""
    journeys = _journeys(project, analysis)
    high = sum(p.severity == "high" for p in analysis.pains)
    kpi_cap, risk_cap = caps or summary_caps(brief.paper, since is not None)
    return {
        "headline": brief.headline,
        "decisions": list(brief.decisions or ()),
        "kpis": _kpis(project, analysis, brief, kpi_cap),
        "kpis_more": max(0, len(analysis.kpis) - kpi_cap),
        "journeys": journeys[:SUMMARY_JOURNEYS],
        "journeys_more": max(0, len(journeys) - SUMMARY_JOURNEYS),
        "risks": _risks(project, analysis, risk_cap),
        "risks_more": max(0, high - risk_cap),
        "evidence_tracked": analysis.evidence.tracked,
        "changes": _changes(project.config.messages, since),
    }
