"""Lint rules (SPEC section 5): warnings W501-W517 and W528 about a valid but incomplete project.

Every warning points at the key or list item it concerns and ends with a one-line hint
saying how to fix it.

Lint also runs on a project with errors, on what could be read (SPEC 8.14): a file with
schema errors gives a partial model, a file with a YAML error none. A rule stays silent
when what it reads has a gap (validate/partial.py), as its warning could then be false: a
stage whose only opportunity was dropped is not "without opportunities". The rules that
read other files (W503, W504, W509) stay silent unless every file of the kind they read was
read whole there and every reference they follow resolves: a persona "in no journey" may
be in the journey that could not be read, or the one meant by a misspelt reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from cxsite.load.reader import Marks, position
from cxsite.metricdata.types import MetricData
from cxsite.model import Journey, Persona, Project, add_months
from cxsite.problems import Problem
from cxsite.validate.evidence import lint_evidence, research_dates
from cxsite.validate.gaps import Gaps
from cxsite.validate.lint_review import lint_reviews
from cxsite.validate.personal_data import find_personal_data

Path_ = tuple[str | int, ...]


class _Linter:
    """Collects warnings for one project; one method per entity kind."""

    def __init__(self, project: Project, marks: Mapping[str, Marks], gaps: Gaps) -> None:
        self.project = project
        self.marks = marks
        self.gaps = gaps
        self.problems: list[Problem] = []

    def gap(self, key: str, *path: str | int | None) -> bool:
        """Whether something at or under `path` of `key`'s file could not be read."""
        return self.gaps.at(self.project.sources.get(key, f"{key}.yaml"), *path)

    def warn(self, key: str, path: Path_, code: str, message: str) -> None:
        rel = self.project.sources.get(key, f"{key}.yaml")
        line, col = position(self.marks.get(rel, {}), path)
        self.problems.append(Problem(rel, line, col, "warning", code, message))


def lint_project(
    project: Project,
    marks: Mapping[str, Marks],
    metric_data: Mapping[str, MetricData],
    as_of: dt.date,
    gaps: Gaps | None = None,
) -> list[Problem]:
    """Every lint warning of the project, in no particular order (the caller sorts)."""
    linter = _Linter(project, marks, gaps or Gaps())
    _lint_personas(linter, as_of)
    _lint_journeys(linter)
    _lint_touchpoints(linter)
    _lint_metrics(linter, metric_data)
    _lint_research(linter, as_of)
    return linter.problems + lint_reviews(project, marks, as_of, linter.gaps)


def _lint_research(linter: _Linter, as_of: dt.date) -> None:
    """The evidence rules (validate/evidence.py), with the stale age when it is known."""
    stale_after = linter.project.config.stale_after_months
    known = "cxsite" not in linter.gaps.unread and not linter.gap("cxsite", "stale_after_months")
    # An item naming a study that could not be read is skipped (validate/evidence.py).
    cutoff = add_months(as_of, -stale_after) if known else None
    lint_evidence(linter, cutoff, stale_after)


def _lint_personas(linter: _Linter, as_of: dt.date) -> None:
    project = linter.project
    in_journeys = {p for journey in project.journeys.values() for p in journey.personas}
    journeys_read = not linter.gaps.anywhere("journeys", "personas")
    journeys_read = journeys_read and in_journeys <= set(project.personas)
    for pid, persona in project.personas.items():
        key = f"personas/{pid}"
        if pid not in in_journeys and journeys_read:
            linter.warn(
                key,
                ("name",),
                "W503",
                f"persona '{pid}' is in no journey; add it to the 'personas' of a journey "
                "that it takes, or remove the file",
            )
        # No evidence, or only old evidence, may be all that could be read of it; an
        # entry's source or url that could not be read says nothing about its date.
        if not linter.gap(key, "evidence", None, "date"):
            _lint_evidence(linter, key, persona, as_of)
        for path, text in _persona_verbatims(persona):
            _check_personal_data(linter, key, path, text)


def _lint_evidence(linter: _Linter, key: str, persona: Persona, as_of: dt.date) -> None:
    if not persona.evidence:
        linter.warn(
            key,
            ("name",),
            "W507",
            "persona has no evidence; list the interviews, surveys or data it rests on "
            "under 'evidence'",
        )
    if "cxsite" in linter.gaps.unread or linter.gap("cxsite", "stale_after_months"):
        return  # the age that counts as stale is not known
    stale_after = linter.project.config.stale_after_months
    cutoff = add_months(as_of, -stale_after)
    dated = [
        (e.date, i)
        for i, e in enumerate(persona.evidence)
        if not isinstance(e, str) and e.date is not None
    ]
    studies = research_dates(persona, linter.project)
    if studies is None:
        return  # a study whose date could not be read may be the recent one
    dated += studies
    if dated:
        newest, index = max(dated)
        if newest < cutoff:
            entry = persona.evidence[index]
            linter.warn(
                key,
                ("evidence", index) if isinstance(entry, str) else ("evidence", index, "date"),
                "W508",
                f"newest evidence is from {newest.isoformat()}, more than {stale_after} "
                f"months before {as_of.isoformat()}; refresh the research or raise "
                "'stale_after_months' in cxsite.yaml",
            )


def _persona_verbatims(persona: Persona) -> Iterator[tuple[Path_, str]]:
    """Every text of the persona: in the customer's voice or about the person."""
    for name in ("name", "role", "quote", "summary"):
        if getattr(persona, name):
            yield (name,), getattr(persona, name)
    for group in ("demographics", "psychographics"):
        for key, value in getattr(persona, group).items():
            for index, text in enumerate(value if isinstance(value, list) else [value]):
                if isinstance(text, str):
                    yield (group, key, index) if isinstance(value, list) else (group, key), text
    for name in (
        "goals",
        "needs",
        "motivations",
        "frustrations",
        "behaviors",
        "need_states",
    ):
        for index, text in enumerate(getattr(persona, name)):
            yield (name, index), text


def _journey_verbatims(journey: Journey) -> Iterator[tuple[Path_, str]]:
    """The journey's texts in the customer's voice: thoughts, feelings, actions, pains."""
    if journey.summary:
        yield ("summary",), journey.summary
    for s, stage in enumerate(journey.stages):
        base: Path_ = ("stages", s)
        if stage.description:
            yield (*base, "description"), stage.description
        for name in ("thoughts", "feelings", "actions"):
            for index, text in enumerate(getattr(stage, name)):
                yield (*base, name, index), text
        for index, pain in enumerate(stage.pain_points):
            yield (*base, "pain_points", index), pain.text


def _check_personal_data(linter: _Linter, key: str, path: Path_, text: str) -> None:
    for kind, found in find_personal_data(text):
        linter.warn(
            key,
            path,
            "W511",
            f"personal data in a verbatim: {kind} '{found}'; remove it or replace it with "
            "a placeholder such as [email] or [phone]",
        )


def _lint_journeys(linter: _Linter) -> None:
    for jid, journey in linter.project.journeys.items():
        key = f"journeys/{jid}"
        with_emotion = sum(stage.emotion is not None for stage in journey.stages)
        # A dropped stage or emotion would change the count, or be the missing emotion.
        emotions_read = not linter.gap(key, "stages", None, "emotion")
        for s, stage in enumerate(journey.stages):
            if linter.gap(key, "stages", s, "name"):
                continue  # its name is a stand-in: a warning could not name it
            if not stage.touchpoints and not linter.gap(key, "stages", s, "touchpoints"):
                linter.warn(
                    key,
                    ("stages", s),
                    "W505",
                    f"stage '{stage.name}' has no touchpoints; list where the customer "
                    "meets us in this stage under 'touchpoints'",
                )
            dropped = linter.gap(key, "stages", s, "opportunities")
            if stage.pain_points and not stage.opportunities and not dropped:
                linter.warn(
                    key,
                    ("stages", s, "pain_points"),
                    "W506",
                    f"stage '{stage.name}' has pain points but no opportunities; add at "
                    "least one idea under 'opportunities'",
                )
            if stage.emotion is None and with_emotion and emotions_read:
                linter.warn(
                    key,
                    ("stages", s),
                    "W510",
                    f"stage '{stage.name}' has no emotion while {with_emotion} other "
                    "stage(s) have one; add 'emotion: <-2..2>' so the curve has no gap",
                )
        for path, text in _journey_verbatims(journey):
            _check_personal_data(linter, key, path, text)


def _lint_touchpoints(linter: _Linter) -> None:
    project = linter.project
    used: set[str] = set()
    for journey in project.journeys.values():
        for stage in journey.stages:
            used.update(stage.touchpoints)
            used.update(p.touchpoint for p in stage.pain_points if p.touchpoint)
    measured = {t for metric in project.metrics.values() for t in metric.scope.touchpoints}
    gaps = linter.gaps
    journeys_read = not gaps.anywhere("journeys", "stages", None, "touchpoints")
    journeys_read &= not gaps.anywhere("journeys", "stages", None, "pain_points")
    journeys_read &= used <= set(project.touchpoints)
    metrics_read = not gaps.anywhere("metrics", "scope", "touchpoints")
    metrics_read &= measured <= set(project.touchpoints)
    for tid, touchpoint in project.touchpoints.items():
        key = f"touchpoints/{tid}"
        if tid not in used and journeys_read:
            linter.warn(
                key,
                ("name",),
                "W504",
                f"touchpoint '{tid}' is in no journey; add it to the 'touchpoints' of the "
                "stages where it is used, or remove the file",
            )
        unmeasured = not touchpoint.metrics and tid not in measured and metrics_read
        if touchpoint.moment_of_truth and unmeasured and not linter.gap(key, "metrics"):
            linter.warn(
                key,
                ("moment_of_truth",),
                "W509",
                "moment of truth without a metric; add the KPI that measures it under 'metrics'",
            )
        if touchpoint.mechanics and unmeasured and not linter.gap(key, "metrics"):
            linter.warn(
                key,
                ("mechanics",),
                "W514",
                "gamification mechanics without a metric; add the KPI that shows whether "
                "they change behaviour (repeat visits, churn) under 'metrics'",
            )


def _lint_metrics(linter: _Linter, metric_data: Mapping[str, MetricData]) -> None:
    for mid, metric in linter.project.metrics.items():
        key = f"metrics/{mid}"
        if metric.target is None and not linter.gap(key, "target"):
            linter.warn(
                key,
                ("name",),
                "W501",
                "metric has no target; add 'target: <number>' so its status can be shown",
            )
        data = metric_data.get(mid)
        unread = linter.gap(key, "values") or linter.gap(key, "responses")
        if (data is None or not data.points) and not unread:
            where: Path_ = ("name",)
            if metric.values is not None:
                where = ("values",)
            elif metric.responses is not None:
                where = ("responses",)
            linter.warn(
                key,
                where,
                "W502",
                "metric has no data; add 'values' (period and value) or 'responses' "
                "(a CSV of survey answers) with at least one entry",
            )
