"""Lint rules of SPEC 8.4: W512 review overdue, W513 entity without an owner.

Kept apart from validate/lint.py (the release-1 rules): these read only each entity's own
`owner`, `reviewed` and `review_every_months` and cxsite.yaml's period and `require_owners`,
and stay silent where one of those could not be read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from cxsite.english import counted
from cxsite.load.reader import Marks, position
from cxsite.model import KINDS, Project
from cxsite.problems import Problem
from cxsite.validate.gaps import Gaps

# How each kind is named in a message ("persona has no owner").
_NOUNS = {"personas": "persona", "journeys": "journey", "touchpoints": "touchpoint"}


def _entities(project: Project) -> Iterator[tuple[str, str, Any]]:
    """(kind, id, entity) for every entity of every kind the project holds."""
    for kind in KINDS:
        for entity_id, entity in getattr(project, kind, {}).items():
            yield kind, entity_id, entity


def lint_reviews(
    project: Project, marks: Mapping[str, Marks], as_of: dt.date, gaps: Gaps
) -> list[Problem]:
    """W512 for every entity whose review fell due before `as_of`, and W513 for every entity
    without an owner when cxsite.yaml sets `require_owners: true`."""
    if "cxsite" in gaps.unread:
        return []  # the review period and require_owners are not known
    config = project.config
    period_known = not gaps.at("cxsite.yaml", "review_every_months")
    owners_required = config.require_owners and not gaps.at("cxsite.yaml", "require_owners")
    problems: list[Problem] = []
    for kind, entity_id, entity in _entities(project):
        rel = project.sources.get(f"{kind}/{entity_id}", f"{kind}/{entity_id}.yaml")
        file_marks = marks.get(rel, {})
        noun = _NOUNS.get(kind, kind.rstrip("s"))
        review = config.review(entity, as_of)
        own_period = getattr(entity, "review_every_months", None) is not None
        known = not gaps.at(rel, "reviewed") and not gaps.at(rel, "review_every_months")
        if review.overdue and known and (own_period or period_known):
            line, col = position(file_marks, ("reviewed",))
            months = counted(review.every_months, "month")
            message = (
                f"review overdue: reviewed {review.reviewed.isoformat()}, due "
                f"{review.due.isoformat()} (every {months}), before {as_of.isoformat()}; "
                "confirm the page is still true, then set 'reviewed' to that day"
            )
            problems.append(Problem(rel, line, col, "warning", "W512", message))
        if owners_required and not review.owner and not gaps.at(rel, "owner"):
            line, col = position(file_marks, ())
            message = (
                f"{noun} has no owner; add 'owner: <person or team>' (cxsite.yaml sets "
                "'require_owners: true')"
            )
            problems.append(Problem(rel, line, col, "warning", "W513", message))
    return problems
