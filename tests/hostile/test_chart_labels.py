"""Chart labels from content, end to end: `$`, `\\`, markup characters, very long words, emoji
and right-to-left text give well-formed SVG with the text as written; NaN and infinity are
refused at validation with their position.

tests/test_charts.py checks the drawing functions on hand-made jobs; here the labels come
from YAML through a whole build, into every kind of chart.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hostilekit import SMALL_PROJECT, invoke, write_project

SVG = "{http://www.w3.org/2000/svg}"
LONG_WORD = "Supercalifragilisticexpialidocious" * 4
LABELS = {
    "dollar": r"Save $5 or $\frac{1}{2}$ now",
    "backslash": r"C:\new\table \n \\ end",
    "markup": "<b>&amp; ]]> \"quoted\" 'single' & <",
    "long": LONG_WORD,
    "emoji": "Ready 🚀 👩🏽‍💻 ✅",
    "rtl": "שלום עולם مرحبا بالعالم",
    "percent": "100% {braces} %s %(name)s",
}


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _files() -> dict[str, str]:
    files = dict(SMALL_PROJECT)
    stages = "".join(
        f"  - name: {_yaml(label)}\n    emotion: {(-2, -1, 0, 1, 2, 1.5, -0.5)[i]}\n"
        "    touchpoints: [web-shop]\n"
        f"    pain_points: [{{text: {_yaml(label)}, severity: high}}]\n"
        f"    opportunities: [{{text: {_yaml(label)}, impact: high, effort: low}}]\n"
        for i, label in enumerate(LABELS.values())
    )
    files["journeys/buy.yaml"] = (
        "title: " + _yaml(LABELS["dollar"]) + ("\npersonas: [maya]\nstages:\n" + stages)
    )
    files["personas/maya.yaml"] = (
        f"name: {_yaml(LABELS['rtl'])}\nrole: R\n"
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    )
    files["touchpoints/web-shop.yaml"] = (
        f"name: {_yaml(LABELS['backslash'] + ' ' + LABELS['markup'])}\n"
        "channel: web\nphase: during\npillar: digital\npyramid: usability\n"
        "moment_of_truth: true\nratings:\n  maya: {importance: 4, satisfaction: 3}\n"
        "metrics: [nps]\n"
    )
    files["metrics/nps.yaml"] = (
        f"name: {_yaml(LABELS['emoji'] + ' ' + LABELS['percent'])}\nkind: nps\ntarget: 40\n"
        "values:\n  - {period: 2026-Q1, value: 31}\n  - {period: 2026-Q2, value: -35}\n"
    )
    return files


@pytest.fixture(scope="module")
def charts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    base = tmp_path_factory.mktemp("labels")
    root = write_project(base / "project", _files())
    result = invoke("build", str(root), "-o", str(base / "site"), "--no-pdf", "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted((base / "site" / "charts").glob("*.svg"))}


def _text(svg: bytes) -> str:
    """Every piece of text of a chart: drawn text, title and description."""
    root = ET.fromstring(svg)
    return " ".join("".join(element.itertext()) for element in root.iter()
                    if element.tag in (f"{SVG}text", f"{SVG}title", f"{SVG}desc"))  # fmt: skip


def test_every_chart_is_well_formed(charts: dict[str, bytes]) -> None:
    assert "journey-buy-emotion.svg" in charts and "ipa-overall.svg" in charts
    for name, svg in charts.items():
        ET.fromstring(svg)  # raises on an unescaped `<` or `&`
        assert b"<script" not in svg, name


@pytest.mark.parametrize("label", list(LABELS))
def test_journey_chart_keeps_every_label_as_written(charts: dict[str, bytes], label: str) -> None:
    text = _text(charts["journey-buy-emotion.svg"])
    assert LABELS[label] in text  # in the description at least, exactly as written


def test_dollars_are_not_mathtext(charts: dict[str, bytes]) -> None:
    drawn = " ".join(
        "".join(t.itertext())
        for t in ET.fromstring(charts["journey-buy-emotion.svg"]).iter(f"{SVG}text")
    )
    assert "$5" in drawn  # drawn literally: a `$...$` pair is not typeset as math


def test_other_charts_carry_the_names(charts: dict[str, bytes]) -> None:
    assert LABELS["markup"] in _text(charts["ipa-overall.svg"])
    assert LABELS["emoji"] in _text(charts["metric-nps-trend.svg"])
    assert LABELS["rtl"] in _text(charts["importance-heatmap.svg"])


NON_FINITE = [
    ("journeys/buy.yaml", "    emotion: 1\n", "    emotion: .nan\n", "journeys/buy.yaml:8:5",
     "'emotion'", ".nan"),
    ("journeys/buy.yaml", "    emotion: 1\n", "    emotion: -.inf\n", "journeys/buy.yaml:8:5",
     "'emotion'", "-.inf"),
    ("touchpoints/web-shop.yaml", "importance: 4", "importance: .inf",
     "touchpoints/web-shop.yaml:6:10", "'importance'", ".inf"),
    ("metrics/nps.yaml", "target: 40", "target: .NaN", "metrics/nps.yaml:3:1", "'target'",
     ".NaN"),
    ("metrics/nps.yaml", "value: 31", "value: 1e999", "metrics/nps.yaml:5:23", "'value'",
     "1e999"),
    ("personas/maya.yaml", "role: Busy urban runner\n",
     "role: Busy urban runner\nsegment_share: .inf\n", "personas/maya.yaml:3:1",
     "'segment_share'", ".inf"),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "old", "new", "where", "label", "shown"), NON_FINITE)
def test_nan_and_inf_are_refused_at_validation_with_a_position(
    tmp_path: Path, rel: str, old: str, new: str, where: str, label: str, shown: str
) -> None:
    files = dict(SMALL_PROJECT)
    assert old in files[rel]
    files[rel] = files[rel].replace(old, new, 1)
    root = write_project(tmp_path / "project", files)
    result = invoke("check", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{where}: error E204: {label}: expected a finite number, got {shown}"
    ]


@pytest.mark.parametrize("score", ["nan", "inf", "-inf", "1e999", "NaN"])
def test_nan_and_inf_in_a_responses_csv_are_refused_with_the_csv_line(
    tmp_path: Path, score: str
) -> None:
    files = dict(SMALL_PROJECT)
    files["metrics/nps.yaml"] = "name: NPS\nkind: nps\ntarget: 40\nresponses: data/nps.csv\n"
    files["data/nps.csv"] = f"date,score\n2026-01-05,9\n2026-01-06,{score}\n2026-01-07,3\n"
    root = write_project(tmp_path / "project", files)
    result = invoke("check", str(root))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("data/nps.csv:3:12: error E4"), lines
