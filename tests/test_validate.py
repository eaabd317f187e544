"""Tests of validate.py (and the modules it uses): problems, positions, the Project built."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxsite.model import Journey, Persona
from cxsite.problems import CxError, ValidationFailed
from cxsite.validate.project import load_project, require_valid


def _lines(root: Path) -> list[str]:
    return [p.format() for p in load_project(root).problems]


def test_base_project_is_valid(make_project) -> None:
    result = load_project(make_project())
    assert result.problems == []
    project = result.project
    assert project is not None
    assert list(project.personas) == ["maya"]
    assert isinstance(project.personas["maya"], Persona)
    assert project.personas["maya"].id == "maya"
    assert isinstance(project.journeys["buy"], Journey)
    assert project.sources["personas/maya"] == "personas/maya.yaml"
    assert project.sources["cxsite"] == "cxsite.yaml"
    assert result.metric_data["nps"].source == "values"
    assert [p.value for p in result.metric_data["nps"].points] == [31, 35]
    assert result.marks["journeys/buy.yaml"][("stages", 0, "touchpoints", 0)] == (6, 19)
    assert result.files == 5


def test_entities_are_in_id_order_and_yml_works(make_project) -> None:
    root = make_project(
        {
            "personas/zoe.yml": "name: Zoe\nrole: Student\n",
            "personas/adam.yaml": "name: Adam\nrole: Parent\n",
        }
    )
    result = load_project(root)
    assert result.project is not None
    assert list(result.project.personas) == ["adam", "maya", "zoe"]
    assert result.project.sources["personas/zoe"] == "personas/zoe.yml"


def test_yaml_12_text_keeps_its_spelling(make_project) -> None:
    root = make_project(
        {"personas/maya.yaml": "name: 01234\nrole: no\nquote: on\ntags: [yes, 1.50, true]\n"}
    )
    project = load_project(root).project
    assert project is not None
    persona = project.personas["maya"]
    assert (persona.name, persona.role, persona.quote) == ("01234", "no", "on")
    assert persona.tags == ["yes", "1.50", "true"]


def test_id_key_is_unknown(make_project) -> None:
    root = make_project({"personas/maya.yaml": "id: maya\nname: Maya\nrole: Runner\n"})
    assert _lines(root) == [
        "personas/maya.yaml:1:1: error E201: unknown key 'id' (the id comes from the file name)",
        "personas/maya.yaml:2:1: "
        "warning W507: persona has no evidence; list the interviews, surveys or data it rests "
        "on under 'evidence'",
    ]


def test_nested_unknown_keys_suggest_from_their_own_model(make_project) -> None:
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy\npersonas: [maya]\nstages:\n  - name: Pay\n    emotions: 1\n"
                "    touchpoints: [web-shop]\n    pain_points:\n      - text: Slow\n"
                "        severity: high\n        impact: high\n"
            ),
            "cxsite.yaml": "title: T\nbrand:\n  primry: '#123456'\n",
        }
    )
    assert _lines(root) == [
        "cxsite.yaml:3:3: error E201: unknown key 'primry' (did you mean 'primary'?)",
        "journeys/buy.yaml:5:5: error E201: unknown key 'emotions' (did you mean 'emotion'?)",
        "journeys/buy.yaml:10:9: error E201: unknown key 'impact'",
        # the rest of each file is still checked (SPEC 8.14)
        "journeys/buy.yaml:7:5: warning W506: stage 'Pay' has pain points but no opportunities; "
        "add at least one idea under 'opportunities'",
    ]


def test_shorthand_items_and_empty_text(make_project) -> None:
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy\npersonas: [maya]\nstages:\n  - name: Pay\n"
                "    touchpoints: [web-shop]\n    pain_points: ['', slow]\n"
                "    opportunities:\n      - Faster\n      - text: Cheaper\n        status: dne\n"
            )
        }
    )
    assert _lines(root) == [
        "journeys/buy.yaml:6:19: error E204: item 1 of 'pain_points' must not be empty",
        "journeys/buy.yaml:10:9: error E205: unknown value 'dne' for 'status' (did you mean "
        "'done'?)",
    ]


def test_valid_shorthands_take_defaults(make_project) -> None:
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy\npersonas: [maya]\nstages:\n  - name: Pay\n    emotion: -1.5\n"
                "    touchpoints: [web-shop]\n    pain_points: [Slow]\n"
                "    opportunities: [Faster]\n"
            )
        }
    )
    result = load_project(root)
    assert [p for p in result.problems if p.severity == "error"] == []
    stage = result.project.journeys["buy"].stages[0]
    assert (stage.pain_points[0].text, stage.pain_points[0].severity) == ("Slow", "medium")
    assert (stage.opportunities[0].impact, stage.opportunities[0].status) == ("medium", "idea")
    assert stage.emotion == -1.5


def test_files_ignored_with_or_without_a_warning(make_project) -> None:
    root = make_project(
        {
            "personas/notes.md": "# notes\n",
            "personas/.maya.yaml.swp": "x",
            "personas/.#maya.yaml": "x",
            "personas/maya.yaml~": "{{{",
            "personas/#maya.yaml#": "{{{",
            "personas/.hidden.yaml": "{{{",
            "personas/archive/old.yaml": "{{{",
            "notes/anything.txt": "outside the entity folders: not looked at",
        }
    )
    result = load_project(root)
    assert [p.format() for p in result.problems] == [
        "personas/archive:1:1: warning W521: folder ignored: put personas files directly in "
        "personas/",
        "personas/notes.md:1:1: warning W520: file ignored: not a .yaml or .yml file",
    ]
    assert result.project is not None


def test_errors_come_before_warnings_and_project_is_none(make_project) -> None:
    root = make_project(
        {"personas/notes.md": "x", "touchpoints/web-shop.yaml": "name: W\nchannel: web\n"}
    )
    result = load_project(root)
    assert [p.severity for p in result.problems] == ["error", "warning"]
    assert result.project is None
    assert (result.errors, result.warnings) == (1, 1)


def test_invalid_config_still_checks_every_file(make_project) -> None:
    root = make_project(
        {
            "cxsite.yaml": "title: T\nchannels: [kiosk]\nlanguage: [en]\n",
            "touchpoints/kiosk.yaml": "name: Kiosk\nchannel: kiosk\nphase: during\n",
            "touchpoints/web-shop.yaml": "name: Web\nchannel: wbe\nphase: during\n",
        }
    )
    assert _lines(root) == [
        "cxsite.yaml:3:1: error E203: 'language': expected text, got a list",
        "touchpoints/web-shop.yaml:2:1: error E208: unknown channel 'wbe' (did you mean 'web'?)",
        "touchpoints/kiosk.yaml:1:1: warning W504: touchpoint 'kiosk' is in no journey; add it "
        "to the 'touchpoints' of the stages where it is used, or remove the file",
    ]


def test_paths_inside_the_project_are_accepted(make_project) -> None:
    root = make_project(
        {
            "assets/maya.png": b"\x89PNG\r\n\x1a\n",
            "assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "cxsite.yaml": "title: T\nbrand:\n  logo: ./assets/../assets/logo.svg\n",
            "personas/maya.yaml": (
                "name: Maya\nrole: Runner\nphoto: assets/maya.png\n"
                "evidence: [{source: Interviews, date: 2026-06-01}]\n"
            ),
        }
    )
    result = load_project(root)
    assert [p for p in result.problems if p.severity == "error"] == []


def test_wrong_suffix_for_images_and_csv(make_project) -> None:
    root = make_project(
        {
            "assets/maya.txt": "not an image",
            "personas/maya.yaml": "name: Maya\nrole: Runner\nphoto: assets/maya.txt\n",
            "data/nps.json": "x",
            "metrics/csat.yaml": "name: CSAT\nkind: csat\ntarget: 80\nresponses: data/nps.json\n",
        }
    )
    assert _lines(root) == [
        "metrics/csat.yaml:4:1: error E405: 'data/nps.json' should be a csv or xlsx or xlsm file",
        "personas/maya.yaml:3:1: error E405: 'assets/maya.txt' should be a png or jpg or jpeg "
        "or gif or webp or svg file",
        "personas/maya.yaml:1:1: "
        "warning W507: persona has no evidence; list the interviews, surveys or data it rests "
        "on under 'evidence'",
    ]


def test_responses_csv_is_read(make_project) -> None:
    rows = "".join(f"2026-0{m}-1{d},{s}\n" for m in (1, 2) for d, s in enumerate([10, 9, 7, 3]))
    root = make_project(
        {
            "data/nps.csv": "date,score\n" + rows,
            "metrics/nps.yaml": "name: NPS\nkind: nps\ntarget: 40\nresponses: data/nps.csv\n",
        }
    )
    result = load_project(root)
    assert [p for p in result.problems if p.severity == "error"] == []
    data = result.metric_data["nps"]
    assert data.source == "responses"
    assert [(p.period, p.value, p.n) for p in data.points] == [
        ("2026-01", 25.0, 4),
        ("2026-02", 25.0, 4),
    ]


def test_references_use_every_file_even_an_invalid_one(make_project) -> None:
    """A persona with a schema error is still a known id: no cascade of E302 lines."""
    root = make_project({"personas/maya.yaml": "name: Maya\n"})
    assert _lines(root) == [
        "personas/maya.yaml:1:1: error E202: missing required key 'role'",
        "personas/maya.yaml:1:1: "
        "warning W507: persona has no evidence; list the interviews, surveys or data it rests "
        "on under 'evidence'",
    ]


def test_not_a_project() -> None:
    with pytest.raises(CxError, match=r"has no cxsite\.yaml: not a cxsite project"):
        load_project(Path(__file__).parent)
    with pytest.raises(CxError, match="does not exist"):
        load_project(Path("/nonexistent/cx"))


def test_require_valid(make_project, capsys) -> None:
    """The problems come back in the result or the error, never printed by the library."""
    good = make_project()
    assert require_valid(good, strict=True).project is not None
    warned = make_project({"personas/notes.md": "x"})
    result = require_valid(warned, strict=False)
    assert result.project is not None
    assert [p.format() for p in result.problems] == [
        "personas/notes.md:1:1: warning W520: file ignored: not a .yaml or .yml file"
    ]
    with pytest.raises(ValidationFailed) as failed:
        require_valid(warned, strict=True)
    assert failed.value.exit_code == 1
    assert failed.value.problems == result.problems
    bad = make_project({"personas/maya.yaml": "name: Maya\n"})
    with pytest.raises(ValidationFailed, match="1 error") as failed:
        require_valid(bad, strict=False)
    assert [p.code for p in failed.value.problems] == ["E202", "W507"]  # lint runs too (8.14)
    assert capsys.readouterr().out == ""


def test_several_errors_in_one_file_are_all_reported(make_project) -> None:
    root = make_project(
        {"personas/maya.yaml": "name: [M]\nsegment_share: -1\ngoals: Run\nevidence: [{url: x}]\n"}
    )
    assert _lines(root) == [
        "personas/maya.yaml:1:1: error E202: missing required key 'role'",
        "personas/maya.yaml:1:1: error E203: 'name': expected text, got a list",
        "personas/maya.yaml:2:1: error E204: 'segment_share' is -1, out of range 0..1",
        "personas/maya.yaml:3:1: error E203: 'goals': expected a list, got text",
        "personas/maya.yaml:4:12: error E202: missing required key 'source'",
    ]


def test_theme_folder_is_checked(make_project) -> None:
    root = make_project(
        {
            "cxsite.yaml": "title: T\ntheme: brand-theme\n",
            "brand-theme/templates/base.html": "{% block body %}{% endblock %}",
        }
    )
    assert _lines(root) == []
    for theme, line in [
        ("../elsewhere", "E402: '../elsewhere' points outside the project (through '..')"),
        ("missing", "E403: folder not found: 'missing'"),
        ("personas", "E404: theme 'personas' has no templates/ folder"),
        ("cxsite.yaml", "E404: 'cxsite.yaml' is not a folder"),
    ]:
        root = make_project({"cxsite.yaml": f"title: T\ntheme: {theme}\n"})
        assert _lines(root) == [f"cxsite.yaml:2:1: error {line}"]


def test_config_ranges_and_key_ranges(make_project) -> None:
    root = make_project(
        {"cxsite.yaml": "title: T\nemotion_labels: {-2: Awful, 5: x}\nstale_after_months: 0\n"}
    )
    assert _lines(root) == [
        "cxsite.yaml:2:29: error E204: key '5' of 'emotion_labels' is 5, out of range -2..2",
        "cxsite.yaml:3:1: error E204: 'stale_after_months' is 0, but must be at least 1",
    ]
    good = make_project({"cxsite.yaml": "title: T\nemotion_labels: {-2: Awful, +2: Superb}\n"})
    project = load_project(good).project
    assert project.config.emotion_label(-2) == "Awful"
    assert project.config.emotion_label(2) == "Superb"
    assert project.config.emotion_label(0) == "Neutral"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_special_files_are_never_opened(make_project) -> None:
    root = make_project()
    os.mkfifo(root / "personas" / "pipe.yaml")
    (root / "personas" / "gone.yaml").symlink_to(root / "nowhere.yaml")
    assert _lines(root) == [
        "personas/gone.yaml:1:1: error E113: broken symlink",
        "personas/pipe.yaml:1:1: error E113: not a regular file",
    ]


@pytest.mark.parametrize("target", ["../shared/touchpoints", "touchpoints"])
def test_a_kind_folder_that_is_a_broken_symlink_is_named(make_project, target: str) -> None:
    """`touchpoints` linking to a folder that is not there (or to itself): one line names
    it; it used to count as an empty folder, leaving only the follow-on errors."""
    root = make_project()
    shutil.rmtree(root / "touchpoints")
    (root / "touchpoints").symlink_to(target, target_is_directory=True)
    assert "touchpoints:1:1: error E113: broken symlink" in _lines(root)


def test_config_symlink_leading_outside(make_project, tmp_path: Path) -> None:
    root = make_project({"cxsite.yaml": None})
    (tmp_path / "elsewhere.yaml").write_text("title: T\n")
    (root / "cxsite.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert _lines(root) == [
        "cxsite.yaml:1:1: error E402: cxsite.yaml is a symlink leading outside the project"
    ]


_KEYS = st.sampled_from(
    [
        "name",
        "role",
        "title",
        "personas",
        "stages",
        "emotion",
        "touchpoints",
        "pain_points",
        "text",
        "severity",
        "ratings",
        "maya",
        "importance",
        "demographics",
        "evidence",
        "date",
        "channel",
        "phase",
        "kind",
        "values",
        "period",
        "value",
        "scope",
        "brand",
        "x",
        "1",
    ]
)
_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 5),
        st.floats(allow_nan=True),
        st.sampled_from(["maya", "web", "during", "nps", "2026-01-01", "", "high", "web-shop"]),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=12,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(
        [
            "personas/maya.yaml",
            "journeys/buy.yaml",
            "touchpoints/web-shop.yaml",
            "metrics/nps.yaml",
            "cxsite.yaml",
        ]
    ),
    st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=5),
)
def test_any_mapping_gives_located_problems(make_project, rel: str, data: dict) -> None:
    """Fuzz: whatever mapping a file holds, validation reports lines, never raises."""
    root = make_project({rel: yaml.safe_dump(data)})
    result = load_project(root)
    for problem in result.problems:
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message and "Input should" not in problem.message
    assert (result.project is None) == (result.errors > 0)
