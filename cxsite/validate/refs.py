"""Cross-file checks: every reference names an existing entity, every channel is known (E3xx)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from cxsite.hints import did_you_mean
from cxsite.load.reader import Marks, position
from cxsite.metricdata.read import ids_key
from cxsite.model import Config, Journey, Metric, Persona, Touchpoint
from cxsite.problems import Problem
from cxsite.validate.gaps import FileGaps, mapping_keys

CODES = {"touchpoint": "E301", "persona": "E302", "metric": "E303", "journey": "E304"}

Ref = tuple[str, str, tuple[str | int, ...]]  # kind, id, path in the file


@dataclass(frozen=True)
class Known:
    """The ids that exist (from file names), per kind, and the allowed channels; `hint` gives
    the "did you mean" of an unknown one (an import passes a remembering one)."""

    ids: Mapping[str, Collection[str]]
    channels: tuple[str, ...]
    hint: Callable[[object, Iterable[str]], str] = did_you_mean

    def data_ids(self) -> tuple[dict[str, Collection[str]], str]:
        """The ids as metric data names their kinds (`touchpoint`), and their hash (what an
        aggregated responses CSV depends on; made once per project, not once per metric)."""
        ids = {kind.rstrip("s"): found for kind, found in self.ids.items()}
        return ids, ids_key(ids)


def _journey_refs(journey: Journey) -> Iterator[Ref]:
    for i, persona in enumerate(journey.personas):
        yield "persona", persona, ("personas", i)
    if journey.compare_to is not None:
        yield "journey", journey.compare_to, ("compare_to",)
    for s, stage in enumerate(journey.stages):
        for i, touchpoint in enumerate(stage.touchpoints):
            yield "touchpoint", touchpoint, ("stages", s, "touchpoints", i)
        for i, metric in enumerate(stage.metrics):
            yield "metric", metric, ("stages", s, "metrics", i)
        if stage.detail is not None:
            yield "journey", stage.detail, ("stages", s, "detail")
        for i, pain in enumerate(stage.pain_points):
            if pain.touchpoint is not None:
                yield "touchpoint", pain.touchpoint, ("stages", s, "pain_points", i, "touchpoint")


def _touchpoint_refs(touchpoint: Touchpoint, gaps: FileGaps) -> Iterator[Ref]:
    for persona in mapping_keys(touchpoint.ratings, gaps, "ratings"):
        yield "persona", persona, ("ratings", persona)
    for i, metric in enumerate(touchpoint.metrics):
        yield "metric", metric, ("metrics", i)


def _metric_refs(metric: Metric) -> Iterator[Ref]:
    for field, kind in (
        ("personas", "persona"),
        ("journeys", "journey"),
        ("touchpoints", "touchpoint"),
    ):
        for i, ref in enumerate(getattr(metric.scope, field)):
            yield kind, ref, ("scope", field, i)


def _config_refs(config: Config, gaps: FileGaps) -> Iterator[Ref]:
    for i, brief in enumerate(config.briefs or ()):
        if brief.persona is not None:
            yield "persona", brief.persona, ("briefs", i, "persona")
        if brief.journey is not None:
            yield "journey", brief.journey, ("briefs", i, "journey")
        for metric in mapping_keys(brief.kpi_notes or {}, gaps, "briefs", i, "kpi_notes"):
            yield "metric", metric, ("briefs", i, "kpi_notes", metric)
    for i, metric in enumerate(config.kpis):
        yield "metric", metric, ("kpis", i)


def _unknown(ref: Ref, known: Known, rel: str, marks: Marks) -> Problem | None:
    kind, ref_id, path = ref
    ids = known.ids.get(kind + "s", ())
    if ref_id in ids:
        return None
    line, col = position(marks, path)
    hint = known.hint(ref_id, ids) or f" (no file {kind}s/{ref_id}.yaml)"
    return Problem(rel, line, col, "error", CODES[kind], f"unknown {kind} '{ref_id}'{hint}")


def check_refs(
    entity: object, known: Known, rel: str, marks: Marks, gaps: FileGaps = frozenset()
) -> list[Problem]:
    """Unknown references (and channels) of one validated entity or of the config; `gaps`:
    those of a partial model (validate/partial.py), whose dropped mapping keys count too."""
    refs: Iterator[Ref]
    problems: list[Problem] = []
    if isinstance(entity, Journey):
        refs = _journey_refs(entity)
    elif isinstance(entity, Touchpoint):
        refs = _touchpoint_refs(entity, gaps)
        problems += _channel(entity.channel, ("channel",), known, rel, marks)
    elif isinstance(entity, Metric):
        refs = _metric_refs(entity)
    elif isinstance(entity, Persona):
        refs = iter(())
        for i, channel in enumerate(entity.channels):
            problems += _channel(channel, ("channels", i), known, rel, marks)
    elif isinstance(entity, Config):
        refs = _config_refs(entity, gaps)
        problems += _brief_ids(entity, rel, marks, gaps)
        problems += _notes_off_kpis(entity, known, rel, marks, gaps)
    else:
        return problems
    for ref in refs:
        problem = _unknown(ref, known, rel, marks)
        if problem is not None:
            problems.append(problem)
    return problems


def _channel(
    channel: str, path: tuple[str | int, ...], known: Known, rel: str, marks: Marks
) -> list[Problem]:
    if channel in known.channels:
        return []
    line, col = position(marks, path)
    hint = known.hint(channel, known.channels) or " (add it to 'channels' in cxsite.yaml)"
    return [Problem(rel, line, col, "error", "E208", f"unknown channel '{channel}'{hint}")]


def _brief_ids(config: Config, rel: str, marks: Marks, gaps: FileGaps) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for i, brief in enumerate(config.briefs or ()):
        if ("briefs", i, "id") in gaps:
            continue  # a partial model's stand-in, not an id written
        if brief.id in first:
            line, col = position(marks, ("briefs", i, "id"))
            earlier = position(marks, ("briefs", first[brief.id], "id"))[0]
            problems.append(
                Problem(
                    rel,
                    line,
                    col,
                    "error",
                    "E305",
                    f"brief id '{brief.id}' is used twice (first on line {earlier})",
                )
            )
        first.setdefault(brief.id, i)
    return problems


def _notes_off_kpis(
    config: Config, known: Known, rel: str, marks: Marks, gaps: FileGaps
) -> list[Problem]:
    """E321: a `kpi_notes` entry for an existing metric that `kpis` leaves out (the note
    would never be printed), also one dropped for its text. Without `kpis` every metric is
    a KPI."""
    if not config.kpis:
        return []
    problems: list[Problem] = []
    for i, brief in enumerate(config.briefs or ()):
        for metric in mapping_keys(brief.kpi_notes or {}, gaps, "briefs", i, "kpi_notes"):
            if metric in config.kpis or metric not in known.ids.get("metrics", ()):
                continue
            line, col = position(marks, ("briefs", i, "kpi_notes", metric))
            message = (
                f"kpi_notes: metric '{metric}' is not one of the KPIs (add it to 'kpis' "
                "or remove the note)"
            )
            problems.append(Problem(rel, line, col, "error", "E321", message))
    return problems
