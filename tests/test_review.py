"""Owners and review dates (SPEC 8.4): the keys on every entity kind and in cxsite.yaml,
the due date and the review status."""

from __future__ import annotations

import datetime as dt

import pytest

from cxsite.model import Config, Journey, Metric, Persona, Touchpoint, add_months, review_of
from cxsite.model.schema import kind_schema
from cxsite.validate.project import load_project

AS_OF = dt.date(2026, 11, 4)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 5, 4), 6, dt.date(2026, 11, 4)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),  # clamped to the month's end
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2025, 12, 15), 1, dt.date(2026, 1, 15)),
        (dt.date(2026, 1, 31), 120, dt.date(2036, 1, 31)),
        (dt.date(9999, 12, 1), 1, dt.date.max),  # past the last date: never due
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def persona(**keys: object) -> Persona:
    return Persona(id="maya", name="Maya", role="Runner", **keys)


@pytest.mark.parametrize(
    ("reviewed", "every", "due", "status"),
    [
        (None, None, None, "never reviewed"),
        (dt.date(2026, 5, 3), None, dt.date(2026, 11, 3), "overdue"),  # due the day before
        (dt.date(2026, 5, 4), None, dt.date(2026, 11, 4), "due within 30 days"),  # due today
        (dt.date(2026, 6, 4), None, dt.date(2026, 12, 4), "due within 30 days"),  # in 30 days
        (dt.date(2026, 6, 5), None, dt.date(2026, 12, 5), "ok"),  # in 31 days
        (dt.date(2026, 6, 5), 3, dt.date(2026, 9, 5), "overdue"),  # the entity's own period
        (dt.date(2025, 12, 1), 12, dt.date(2026, 12, 1), "due within 30 days"),
    ],
)
def test_review_status(
    reviewed: dt.date | None, every: int | None, due: dt.date | None, status: str
) -> None:
    review = Config(title="T").review(
        persona(owner="Research team", reviewed=reviewed, review_every_months=every), AS_OF
    )
    assert (review.due, review.status, review.owner) == (due, status, "Research team")
    assert review.every_months == (every or 6)
    assert review.overdue == (status == "overdue")
    assert review.fresh == (status in ("ok", "due within 30 days"))


def test_the_project_default_period_counts() -> None:
    config = Config(title="T", review_every_months=12)
    review = config.review(persona(reviewed=dt.date(2026, 1, 10)), AS_OF)
    assert (review.due, review.status) == (dt.date(2027, 1, 10), "ok")
    # the default is 6 months; any object with the attributes works, missing ones are unset
    assert review_of(object(), 6, AS_OF).status == "never reviewed"


def test_every_entity_kind_takes_the_keys() -> None:
    keys = {"owner": "CX team", "reviewed": "2026-10-01", "review_every_months": 3}
    entities = [
        persona(**keys),
        Journey(id="buy", title="Buy", personas=["maya"], stages=[{"name": "Buy"}], **keys),
        Touchpoint(id="web", name="Web", channel="web", phase="during", **keys),
        Metric(id="nps", name="NPS", kind="nps", **keys),
    ]
    for entity in entities:
        assert (entity.owner, entity.reviewed, entity.review_every_months) == (
            "CX team",
            dt.date(2026, 10, 1),
            3,
        )
        assert Config(title="T").review(entity, AS_OF).due == dt.date(2027, 1, 1)


def test_config_defaults() -> None:
    config = Config(title="T")
    assert (config.review_every_months, config.require_owners) == (6, False)


@pytest.mark.parametrize("kind", ["persona", "journey", "touchpoint", "metric"])
def test_the_json_schema_has_the_keys(kind: str) -> None:
    properties = kind_schema(kind)["properties"]
    assert {"owner", "reviewed", "review_every_months"} <= set(properties)
    assert properties["review_every_months"]["anyOf"][0] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 120,
    }
    assert properties["reviewed"]["anyOf"][0]["format"] == "date"


def test_the_config_schema_has_the_keys() -> None:
    properties = kind_schema("config")["properties"]
    assert properties["review_every_months"]["default"] == 6
    assert properties["require_owners"] == {
        "default": False,
        "description": "true: every entity needs an 'owner' (warning W513).",
        "title": "Require Owners",
        "type": "boolean",
    }


def test_bad_values_are_reported_at_their_key(make_project) -> None:
    root = make_project(
        {
            "cxsite.yaml": "title: T\nreview_every_months: 0\nrequire_owners: yes\n",
            "personas/maya.yaml": (
                "name: Maya Chen\nrole: Runner\nreviewed: 2026-02-30\nowner: [a, b]\n"
                "review_every_months: six\nevidence:\n  - source: Interviews\n"
            ),
        }
    )
    lines = [p.format() for p in load_project(root).problems if p.severity == "error"]
    assert lines == [
        "cxsite.yaml:2:1: error E204: 'review_every_months' is 0, out of range 1..120",
        "cxsite.yaml:3:1: error E203: 'require_owners': expected true or false, got text 'yes'",
        "personas/maya.yaml:3:1: error E206: 'reviewed': '2026-02-30' is not a real date: "
        "February 2026 has no day 30",
        "personas/maya.yaml:4:1: error E203: 'owner': expected text, got a list",
        "personas/maya.yaml:5:1: error E203: 'review_every_months': expected a whole number, "
        "got text 'six'",
    ]


def test_a_release_1_project_is_unchanged(make_project) -> None:
    result = load_project(make_project())
    assert result.problems == []
    assert result.project is not None
    assert result.project.personas["maya"].reviewed is None
