"""`cxsite export mermaid`: journey diagrams Mermaid's own parser accepts, scores, escaping."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from mermaidkit import mermaid_parse

from cxsite.cli import cli
from cxsite.interop.mermaid import label, score
from cxsite.validate.project import require_valid

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("emotion", "expected"),
    [(-2, 1), (-1.5, 1), (-1.49, 2), (-0.5, 2), (-0.4, 3), (0, 3), (0.5, 4), (1.5, 5), (2, 5)],
)
def test_emotion_maps_to_scores_rounding_half_away_from_zero(emotion: float, expected: int) -> None:
    assert score(emotion) == expected


def test_a_stage_without_emotion_scores_neutral() -> None:
    assert score(None) == 3


def test_every_example_journey_parses_with_mermaid() -> None:
    project = require_valid(CONTENT, strict=False).project
    assert project is not None
    texts = []
    for journey_id in sorted(project.journeys):
        result = _invoke("export", "mermaid", str(CONTENT), "--journey", journey_id)
        assert result.exit_code == 0
        texts.append(result.stdout)
    for journey_id, parsed in zip(sorted(project.journeys), mermaid_parse(texts), strict=True):
        journey = project.journeys[journey_id]
        assert parsed["ok"], parsed.get("error")
        assert parsed["type"] == "journey" and parsed["config"] == {}
        assert parsed["title"] == label(journey.title)
        assert parsed["sections"] == [label(stage.name) for stage in journey.stages]
        expected = [
            (label(stage.name), score(stage.mean_emotion))
            for stage in journey.stages
            for _ in stage.actions or [stage.name]
        ]
        assert [(t["section"], t["score"]) for t in parsed["tasks"]] == expected
        names = [project.personas[p].name for p in journey.personas]
        assert all(t["people"] == names for t in parsed["tasks"])


def test_all_journeys_come_as_markdown_with_one_block_each() -> None:
    result = _invoke("export", "mermaid", str(CONTENT))
    assert result.exit_code == 0
    text = result.stdout
    journeys = len(list((CONTENT / "journeys").glob("*.yaml")))
    assert journeys >= 3
    assert text.count("```mermaid\njourney\n") == journeys
    assert text.startswith("## Buy in the app, collect in store\n\n```mermaid\njourney\n")
    blocks = [part.split("```", 1)[0] for part in text.split("```mermaid\n")[1:]]
    assert all(parsed["ok"] for parsed in mermaid_parse(blocks))
