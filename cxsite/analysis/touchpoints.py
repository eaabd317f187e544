"""Touchpoint analyses: importance-performance matrices, importance heatmap, coverage."""

from __future__ import annotations

from cxsite.analysis.types import QUADRANTS, Coverage, HeatmapPart, ImportanceMatrix, Ipa, IpaPoint
from cxsite.i18n.catalogue import Messages
from cxsite.model import PHASES, PILLARS, PYRAMID, Project, Rating

MIDPOINT = 3.0
HEATMAP_PERSONAS = 16  # personas (columns) the importance heatmap and its table show at most
HEATMAP_TOUCHPOINTS = 40  # touchpoints (rows) they show at most
# The message of each quadrant: the English names stay the data (cx.json, `in_quadrant`).
QUADRANT_KEYS = dict(zip(QUADRANTS, ("concentrate", "keep", "low", "overkill"), strict=True))


def quadrant_name(name: str, messages: Messages) -> str:
    """A quadrant's name in the project's language (`Concentrate here` -> `Hier ansetzen`)."""
    key = QUADRANT_KEYS.get(name)
    return messages.text(f"ipa.quadrant.{key}") if key else name


def quadrant(importance: float, satisfaction: float, imp_split: float, sat_split: float) -> str:
    """The IPA quadrant of a point; a value equal to a split counts as high."""
    important = importance >= imp_split
    satisfied = satisfaction >= sat_split
    if important:
        return QUADRANTS[1] if satisfied else QUADRANTS[0]
    return QUADRANTS[3] if satisfied else QUADRANTS[2]


def ipa(project: Project, persona_id: str | None) -> Ipa:
    """The importance-performance matrix of one persona, or of all personas (None)."""
    crosshair = project.config.ipa_crosshair
    per_tp: dict[str, list[Rating]] = {}
    for tid in sorted(project.touchpoints):
        ratings = project.touchpoints[tid].ratings
        chosen = [ratings[p] for p in sorted(ratings) if persona_id is None or p == persona_id]
        if chosen:
            per_tp[tid] = chosen
    every = [r for rs in per_tp.values() for r in rs]
    if crosshair == "midpoint" or not every:
        imp_split = sat_split = MIDPOINT
    else:  # grand means of all the individual ratings involved
        imp_split = sum(r.importance for r in every) / len(every)
        sat_split = sum(r.satisfaction for r in every) / len(every)
    points = []
    for tid, rs in per_tp.items():
        imp = sum(r.importance for r in rs) / len(rs)
        sat = sum(r.satisfaction for r in rs) / len(rs)
        points.append(
            IpaPoint(
                touchpoint_id=tid,
                name=project.touchpoints[tid].name,
                importance=imp,
                satisfaction=sat,
                n=len(rs),
                quadrant=quadrant(imp, sat, imp_split, sat_split),
            )
        )
    return Ipa(persona_id, crosshair, imp_split, sat_split, tuple(points))


def importance_matrix(project: Project) -> ImportanceMatrix:
    """Persona x touchpoint importance for every rated pair."""
    rated = {t: tp.ratings for t, tp in sorted(project.touchpoints.items()) if tp.ratings}
    personas = tuple(sorted({p for ratings in rated.values() for p in ratings}))
    # touchpoint by touchpoint (a persona rates few of many): one row per persona, filled in
    rows: dict[str, list[float | None]] = {p: [None] * len(rated) for p in personas}
    for column, ratings in enumerate(rated.values()):
        for p, r in ratings.items():
            rows[p][column] = r.importance
    values = tuple(tuple(rows[p]) for p in personas)
    return ImportanceMatrix(personas=personas, touchpoints=tuple(rated), values=values)


def heatmap_part(
    m: ImportanceMatrix,
    max_personas: int = HEATMAP_PERSONAS,
    max_touchpoints: int = HEATMAP_TOUCHPOINTS,
) -> HeatmapPart:
    """What the heatmap shows: everything when it fits, else the personas with the most
    ratings, then the touchpoints rated by the most of them (then highest mean importance
    among them, then id); both kept in id order."""
    total = (len(m.personas), len(m.touchpoints))
    if total[0] <= max_personas and total[1] <= max_touchpoints:
        return HeatmapPart(m, *total)
    counts = [len(row) - row.count(None) for row in m.values]
    by_count = sorted(range(total[0]), key=lambda p: (-counts[p], m.personas[p]))
    pis = sorted(by_count[:max_personas])

    def rank(t: int) -> tuple[int, float, str]:
        rated = [v for p in pis if (v := m.values[p][t]) is not None]
        return (-len(rated), -sum(rated) / len(rated) if rated else 0.0, m.touchpoints[t])

    tis = sorted(sorted(range(total[1]), key=rank)[:max_touchpoints])
    shown = ImportanceMatrix(
        personas=tuple(m.personas[p] for p in pis),
        touchpoints=tuple(m.touchpoints[t] for t in tis),
        values=tuple(tuple(m.values[p][t] for t in tis) for p in pis),
    )
    return HeatmapPart(shown, *total)


def coverage(project: Project) -> Coverage:
    """Channel x phase, pillar and pyramid coverage, and touchpoints per persona."""
    tps = [project.touchpoints[t] for t in sorted(project.touchpoints)]
    declared = project.config.all_channels()
    used = {t.channel for t in tps}
    # declared order first; a channel validation let through anyway goes last, sorted
    channels = tuple(c for c in declared if c in used) + tuple(sorted(used - set(declared)))
    channel_phase = tuple(
        tuple(tuple(t.id for t in tps if t.channel == c and t.phase == ph) for ph in PHASES)
        for c in channels
    )
    per_persona: dict[str, set[str]] = {p: set() for p in sorted(project.personas)}
    for journey in project.journeys.values():
        used_here = {tp for stage in journey.stages for tp in stage.touchpoints}
        for p in journey.personas:
            per_persona.setdefault(p, set()).update(used_here)
    return Coverage(
        channels=channels,
        phases=PHASES,
        channel_phase=channel_phase,
        pillars=tuple((p, sum(1 for t in tps if t.pillar == p)) for p in PILLARS),
        no_pillar=sum(1 for t in tps if t.pillar is None),
        pyramid=tuple((lvl, sum(1 for t in tps if t.pyramid == lvl)) for lvl in PYRAMID),
        no_pyramid=sum(1 for t in tps if t.pyramid is None),
        per_persona={p: tuple(sorted(per_persona[p])) for p in sorted(per_persona)},
    )
