"""Export then import gives the same data: a Hypothesis property over generated projects.

A project is generated as data (research studies, personas, touchpoints with ratings, a
journey whose stages use every stage key, a sub-journey for `detail`), written as YAML by
the importer's own writer, validated, exported with `touchpoints-csv`, `personas-csv` and
`journey-csv`, imported back with --force, and validated again: every entity's model data
must be what it was (a journey's own keys, which no sheet holds, kept from the file replaced).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxsite.commands.export import export_text
from cxsite.commands.import_ import run_import
from cxsite.interop.importing import ImportOptions
from cxsite.interop.yamlwrite import dump
from cxsite.model import PHASES, PILLARS
from cxsite.model.touchpoint import MECHANICS
from cxsite.validate.project import require_valid

# Text with the characters that matter to CSV, YAML, formulas and the cell syntax: quotes,
# separators, formula triggers, a leading apostrophe, brackets, accents and other scripts.
_CHARS = st.sampled_from([*"aZé ß漢,\"'=+-@:#%[]()!?./*|&{}<>", "\u202e", "\u00a0"])


def _strip(text: str) -> str:
    return text.strip()


def words(extra: str = "", bad: str = "") -> st.SearchStrategy[str]:
    """One line of text, no outer whitespace, none of `bad`."""
    alphabet = st.one_of(_CHARS, st.sampled_from(list(extra)) if extra else st.nothing())
    return (
        st.text(alphabet, min_size=1, max_size=12)
        .map(_strip)
        .filter(lambda t: bool(t) and not any(c in bad for c in t))
    )


def _nonnumeric(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return True
    return False


LINE = words(";")  # a list item: any character but a line break
TEXT = words(";\n").map(lambda t: t.strip()).filter(bool)  # free text: line breaks too
# Markdown: several lines may end with a line break, as a YAML `|` block does.
MD = st.one_of(TEXT, TEXT.filter(lambda t: "\n" in t).map(lambda t: t + "\n"))
ITEMS = st.lists(LINE, max_size=3)
IDS = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
LEVEL = st.sampled_from(["low", "medium", "high"])
ATTR = words(bad=",[]:;").filter(lambda t: t == t.strip())  # a value inside `[key: value]`
CONFIDENCE = st.sampled_from(["assumption", "reasoned", "validated"])
REVIEWED = st.dates().map(lambda d: d.isoformat())
MONTHS = st.integers(1, 120)
STUDIES = ("s-one", "s-two", "s-three")  # research studies every generated project has


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {})}


@st.composite
def projects(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Files of a valid project: path -> YAML data."""
    persona_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    touchpoint_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    files: dict[str, dict[str, Any]] = {"cxsite.yaml": {"title": "Round trip"}}
    for study in STUDIES:
        files[f"research/{study}.yaml"] = {
            "title": f"Study {study}",
            "method": "interview",
            "date": "2026-01-05",
        }
    study_ids = st.lists(st.sampled_from(STUDIES), max_size=2, unique=True)
    for pid in persona_ids:
        evidence = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"source": LINE},
                    optional={"url": LINE, "date": st.dates().map(lambda d: d.isoformat())},
                )
                | st.sampled_from(STUDIES),  # a research study's id, among the entries
                max_size=3,
            )
        )
        files[f"personas/{pid}.yaml"] = _drop_none(
            {
                "name": draw(LINE),
                "role": draw(LINE),
                "quote": draw(st.none() | TEXT),
                "segment_share": draw(st.none() | st.sampled_from([0, 0.25, 1])),
                "summary": draw(st.none() | MD),
                "demographics": draw(
                    st.dictionaries(
                        words(bad="."), LINE.filter(_nonnumeric) | st.integers(0, 99), max_size=2
                    )
                ),
                "psychographics": draw(
                    st.dictionaries(
                        words(bad="."),
                        LINE | st.lists(LINE, min_size=1, max_size=2),
                        max_size=2,
                    )
                ),
                "goals": draw(ITEMS),
                "frustrations": draw(ITEMS),
                "channels": draw(st.lists(st.sampled_from(["web", "store", "email"]), max_size=2)),
                "evidence": evidence,
                "tags": draw(ITEMS),
                "owner": draw(st.none() | LINE),
                "reviewed": draw(st.none() | REVIEWED),
                "review_every_months": draw(st.none() | MONTHS),
            }
        )
    for tid in touchpoint_ids:
        ratings = draw(
            st.dictionaries(
                st.sampled_from(persona_ids),
                st.fixed_dictionaries(
                    {
                        "importance": st.sampled_from([1, 2.5, 5]),
                        "satisfaction": st.sampled_from([1, 3, 4.5]),
                    }
                ),
                max_size=2,
            )
        )
        files[f"touchpoints/{tid}.yaml"] = _drop_none(
            {
                "name": draw(LINE),
                "channel": draw(st.sampled_from(["web", "store", "phone"])),
                "phase": draw(st.sampled_from(PHASES)),
                "pillar": draw(st.none() | st.sampled_from(PILLARS)),
                "owner": draw(st.none() | LINE),
                "reviewed": draw(st.none() | REVIEWED),
                "review_every_months": draw(st.none() | MONTHS),
                "description": draw(st.none() | MD),
                "expectations": draw(ITEMS),
                "moment_of_truth": draw(st.booleans()),
                "ratings": ratings,
                "mechanics": draw(st.lists(st.sampled_from(MECHANICS), max_size=2, unique=True)),
                "evidence": draw(study_ids),
            }
        )
    pain = st.one_of(
        LINE,
        st.fixed_dictionaries(
            {"text": LINE, "severity": LEVEL},
            optional={
                "touchpoint": st.sampled_from(touchpoint_ids),
                "fail_point": st.booleans(),
                "evidence": study_ids,
                "confidence": CONFIDENCE,
            },
        ),
    )
    opportunity = st.one_of(
        LINE,
        st.fixed_dictionaries(
            {"text": LINE},
            optional={
                "impact": LEVEL,
                "effort": LEVEL,
                "status": st.sampled_from(["idea", "planned", "in-progress", "done"]),
                "owner": ATTR,
                "evidence": study_ids,
                "confidence": CONFIDENCE,
            },
        ),
    )
    names = draw(st.lists(LINE, min_size=1, max_size=3, unique_by=str.casefold))
    stages = [
        _drop_none(
            {
                "name": name,
                "phase": draw(st.none() | st.sampled_from(PHASES)),
                "description": draw(st.none() | MD),
                "actions": draw(ITEMS),
                "emotion": draw(st.none() | st.sampled_from([-2, -0.5, 0, 1.5, 2])),
                "feelings": draw(ITEMS),
                "thoughts": draw(ITEMS),
                "touchpoints": draw(st.lists(st.sampled_from(touchpoint_ids), max_size=2)),
                "pain_points": draw(st.lists(pain, max_size=2)),
                "opportunities": draw(st.lists(opportunity, max_size=2)),
                "backstage": draw(ITEMS),
                "frontstage": draw(ITEMS),
                "support_processes": draw(ITEMS),
                "physical_evidence": draw(ITEMS),
                "detail": draw(st.none() | st.just("sub")) if index == 0 else None,
                "metrics": [],
                "evidence": draw(study_ids),
                "confidence": draw(st.none() | CONFIDENCE),
            }
        )
        for index, name in enumerate(names)  # one stage at most zooms into "sub"
    ]
    files["journeys/trip.yaml"] = _drop_none(
        {  # the journey's own keys: no sheet holds them, a replaced journey keeps them
            "title": draw(TEXT.filter(lambda t: "\n" not in t)),
            "owner": draw(st.none() | LINE),
            "reviewed": draw(st.none() | REVIEWED),
            "review_every_months": draw(st.none() | MONTHS),
            "goal": draw(st.none() | TEXT),
            "summary": draw(st.none() | MD),
            "personas": persona_ids[:1],
            "stages": stages,
        }
    )
    files["journeys/sub.yaml"] = {  # the sub-journey a stage's `detail` may zoom into
        "title": "Sub",
        "personas": persona_ids[:1],
        "stages": [{"name": "Zoomed in"}],
    }
    return files


def _model_data(root: Path) -> dict[str, Any]:
    project = require_valid(root, strict=False).project
    assert project is not None
    return {
        "personas": {k: v.model_dump() for k, v in project.personas.items()},
        "touchpoints": {k: v.model_dump() for k, v in project.touchpoints.items()},
        "journeys": {k: v.model_dump() for k, v in project.journeys.items()},
    }


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    # A project draws some hundred lines of text, each filtered (no outer space, no `;`...),
    # so a few rejected draws per project are expected rather than a sign of a bad strategy.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
@given(projects())
def test_export_then_import_gives_the_same_data(files: dict[str, dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(dump(data), encoding="utf-8")
        before = _model_data(root)
        project = require_valid(root, strict=False).project
        assert project is not None
        sheets = {
            "touchpoints": export_text("touchpoints-csv", project),
            "personas": export_text("personas-csv", project),
            "journey": export_text("journey-csv", project, journey_id="trip"),
        }
        for kind, text in sheets.items():
            sheet = root.parent / f"{root.name}-{kind}.csv"
            sheet.write_text(text, encoding="utf-8", newline="")
            options = ImportOptions("trip", None, tuple(files["journeys/trip.yaml"]["personas"]))
            try:
                run_import(kind, sheet, root, force=True, options=options)
            finally:
                sheet.unlink()
        assert _model_data(root) == before
