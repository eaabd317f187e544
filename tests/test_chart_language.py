"""Charts speak the project's language (SPEC 8.12): the titles, descriptions, axis titles,
legends, notes and numbers of a German or French project's charts come from the catalogue,
a label renames them, and a chart is drawn again only when its texts change."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from projectfiles import write_files

from cxsite.analysis.analyse import analyse
from cxsite.charts.draw import draw
from cxsite.charts.keys import (
    CHANNEL_PHASE_KEY,
    IMPACT_EFFORT_KEY,
    IMPORTANCE_KEY,
    PILLARS_KEY,
    PYRAMID_KEY,
    ipa_chart_key,
    job_digest,
    journey_chart_key,
    metric_composition_key,
    metric_trend_key,
    plan_charts,
    render_charts,
)
from cxsite.charts.words import COMMON, DRAWN
from cxsite.cli import cli
from cxsite.i18n.catalogue import LANGUAGES, shipped_texts
from cxsite.model import Config, Journey, Metric, Persona, Project, Touchpoint

SVG = "{http://www.w3.org/2000/svg}"
PHASE_LABEL = "Before the visit"


def _nps_rows() -> str:
    rows = ["date,score"]
    for month, scores in (("2026-05", [10] * 12 + [8] * 6 + [3] * 4),
                          ("2026-06", [9] * 14 + [7] * 5 + [2] * 3)):  # fmt: skip
        rows += [f"{month}-10,{score}" for score in scores]
    return "\n".join(rows) + "\n"


# A project whose own names are not English, so any English word in a chart is interface text.
FILES = {
    "cxsite.yaml": "title: Testladen\nlanguage: de\n",
    "personas/anna.yaml": (
        "name: Anna Berg\nrole: Läuferin\nevidence:\n  - source: Gespräche\n    date: 2026-06-01\n"
    ),
    "personas/bert.yaml": (
        "name: Bert Kunz\nrole: Wanderer\nevidence:\n  - source: Gespräche\n    date: 2026-06-01\n"
    ),
    "touchpoints/webshop.yaml": (
        "name: Webshop\nchannel: web\nphase: before\npillar: digital\npyramid: utility\n"
        "ratings:\n  anna: {importance: 5, satisfaction: 2}\n"
        "  bert: {importance: 3, satisfaction: 4.5}\nmetrics: [nps]\n"
    ),
    "touchpoints/kasse.yaml": (
        "name: Kasse\nchannel: store\nphase: during\npillar: delivery\npyramid: usability\n"
        "ratings:\n  anna: {importance: 2, satisfaction: 5}\n"
        "  bert: {importance: 4, satisfaction: 3}\n"
    ),
    "journeys/kauf.yaml": (
        "title: Schuhkauf\npersonas: [anna, bert]\nstages:\n"
        "  - name: Suchen\n    emotion: 1\n    touchpoints: [webshop]\n    metrics: [nps]\n"
        "  - name: Bezahlen\n    emotion: -1.5\n    touchpoints: [kasse]\n"
        "    opportunities:\n      - text: Schneller bezahlen\n        impact: high\n"
        "        effort: low\n"
        "  - name: Tragen\n    emotion: 0.5\n"
    ),
    "metrics/nps.yaml": (
        "name: Weiterempfehlung\nkind: nps\ntarget: 20\nresponses: data/nps.csv\nperiod: month\n"
    ),
    "metrics/zufriedenheit.yaml": (
        "name: Zufriedenheit\nkind: csat\ntarget: 80\nvalues:\n"
        "  - {period: 2026-Q1, value: 78.25}\n  - {period: 2026-Q2, value: 82.5}\n"
    ),
    "data/nps.csv": _nps_rows(),
}
CHARTS = {
    journey_chart_key("kauf"): ["Emotionskurve", "Höhepunkt", "Sehr negativ", "Phasen"],
    metric_trend_key("zufriedenheit"): ["Verlauf", "Ziel 80,0", "Ziel erreicht", "82,5"],
    metric_composition_key("nps"): ["Promotoren", "Passive", "Kritiker", "Anteil"],
    ipa_chart_key(): ["Hier ansetzen", "Weiter so", "Zufriedenheit (Leistung), 1–5"],
    ipa_chart_key("anna"): ["Wichtigkeit, 1–5", "Möglicher Überaufwand"],
    IMPORTANCE_KEY: ["Wichtigkeit der Touchpoints je Persona", "nicht bewertet"],
    CHANNEL_PHASE_KEY: ["Davor", "Währenddessen", "Filiale"],
    IMPACT_EFFORT_KEY: ["Aufwand", "Wirkung", "Schnelle Erfolge", "Hoch"],
    PILLARS_KEY: ["Touchpoints je CX-Säule", "Lieferung"],
    PYRAMID_KEY: ["CX-Pyramide", "Nutzen", "Bedienbarkeit"],
}


def _words(texts: dict[str, str]) -> set[str]:
    found = set()
    for text in texts.values():
        found.update(re.findall(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", " ", text)))
    return found


# Words of the English interface that the German catalogue never uses.
ENGLISH_ONLY = _words(shipped_texts("en")) - _words(shipped_texts("de"))


def _texts(svg: bytes) -> list[str]:
    """Every text a reader meets in a chart: its title, description and drawn texts."""
    root = ET.fromstring(svg)
    return ["".join(node.itertext()) for tag in ("title", "desc", "text")
            for node in root.iter(f"{SVG}{tag}")]  # fmt: skip


@pytest.fixture(scope="module")
def german_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = write_files(tmp_path_factory.mktemp("de") / "project", FILES)
    out = root.parent / "site"
    result = CliRunner().invoke(
        cli, ["build", str(root), "-o", str(out), "--no-pdf", "-q", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    return root, out


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(CHARTS))
def test_a_german_chart_has_german_words_and_no_english_one(
    german_site: tuple[Path, Path], key: str
) -> None:
    texts = _texts((german_site[1] / key).read_bytes())
    joined = "\n".join(texts)
    assert [word for word in CHARTS[key] if word not in joined] == []
    english = sorted(set(re.findall(r"[A-Za-z]{3,}", joined)) & ENGLISH_ONLY)
    assert english == [], f"{key}: {english}\n{joined}"


@pytest.mark.slow
def test_a_rebuild_keeps_charts_and_a_label_redraws_only_its_charts(
    german_site: tuple[Path, Path],
) -> None:
    root, out = german_site
    journey, pillars = out / journey_chart_key("kauf"), out / PILLARS_KEY
    before = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in (journey, pillars)}
    args = ["build", str(root), "-o", str(out), "--no-pdf", "-j", "1"]
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert "0 drawn" in again.output
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in before} == before
    config = root / "cxsite.yaml"
    config.write_text(config.read_text() + 'labels:\n  emotion.-2: "Am Boden"\n')
    relabelled = CliRunner().invoke(cli, args)
    assert relabelled.exit_code == 0, relabelled.output
    assert "Am Boden" in _texts(journey.read_bytes())
    assert "Sehr negativ" not in "\n".join(_texts(journey.read_bytes()))
    assert (pillars.stat().st_mtime_ns, pillars.read_bytes()) == before[pillars]


def _project(language: str, labels: dict[str, str] | None = None) -> Project:
    rated = {"a": {"importance": 5, "satisfaction": 2}, "b": {"importance": 3, "satisfaction": 4}}
    stages = [
        {"name": "S1", "emotion": 1.5, "touchpoints": ["t"]},
        {"name": "S2", "emotion": -2,
         "opportunities": [{"text": "X", "impact": "high", "effort": "low"}]},
    ]  # fmt: skip
    values = [{"period": "2026-Q1", "value": 1234.5}, {"period": "2026-Q2", "value": 82.5}]
    tp = Touchpoint(id="t", name="T1", channel="web", phase="before", pillar="digital",
                    pyramid="utility", ratings=rated)  # fmt: skip
    return Project(
        root=Path("."),
        config=Config(title="T", language=language, labels=labels or {}),
        personas={p: Persona(id=p, name=p.upper(), role="R") for p in ("a", "b")},
        journeys={"j": Journey(id="j", title="J", personas=["a", "b"], stages=stages)},
        touchpoints={"t": tp},
        metrics={"c": Metric(id="c", name="C", kind="csat", target=80, values=values)},
        sources={},
    )


def _plan(project: Project):
    return plan_charts(project, analyse(project, {}))


def test_french_numbers_use_a_comma_and_a_narrow_group_space() -> None:
    jobs = _plan(_project("fr"))
    trend = jobs[metric_trend_key("c")]
    assert trend.data["labels"] == ["1\u202f234,5", "82,5"]
    assert trend.data["target_label"] == "80,0"
    assert "2026-Q2 82,5" in trend.desc and "Dernière valeur 82,5 %" in trend.desc
    assert "S1 : Très positive (+1,5)" in jobs[journey_chart_key("j")].desc
    texts = _texts(draw(trend))
    assert "Cible 80,0" in texts and "82,5" in texts
    assert not [t for t in texts if re.fullmatch(r"[\d,.\u202f]+", t) and "." in t]


def test_english_charts_keep_english_words_and_points() -> None:
    jobs = _plan(_project("en"))
    trend = jobs[metric_trend_key("c")]
    assert trend.data["labels"] == ["1,234.5", "82.5"]
    assert "Target 80.0" in _texts(draw(trend))
    assert "S1: Very positive (+1.5)" in jobs[journey_chart_key("j")].desc


def test_a_label_changes_the_digest_of_the_charts_that_draw_it_only(tmp_path: Path) -> None:
    plain = _plan(_project("de"))
    same = _plan(_project("de"))
    relabelled = _plan(_project("de", {"emotion.-2": "Am Boden", "phase.before": PHASE_LABEL}))
    changed = {key for key in plain if job_digest(plain[key]) != job_digest(relabelled[key])}
    assert changed == {journey_chart_key("j"), CHANNEL_PHASE_KEY}
    assert all(job_digest(plain[key]) == job_digest(same[key]) for key in plain)
    assert "Am Boden" in _texts(draw(relabelled[journey_chart_key("j")]))
    assert "Before the\nvisit" in "\n".join(_texts(draw(relabelled[CHANNEL_PHASE_KEY])))
    first = render_charts(plain, tmp_path, 1)
    again = render_charts(same, tmp_path, 1)
    assert (again.rendered, again.cached) == (0, len(plain))
    assert again.svgs == first.svgs
    redrawn = render_charts(relabelled, tmp_path, 1)
    assert redrawn.rendered == 2


def test_another_language_draws_the_chart_anew_with_the_same_data() -> None:
    german, french = _plan(_project("de")), _plan(_project("fr"))
    key = IMPACT_EFFORT_KEY
    assert german[key].data == french[key].data
    assert job_digest(german[key]) != job_digest(french[key])
    assert "Gains rapides" in _texts(draw(french[key]))


def test_a_label_for_customers_or_the_phase_renames_chart_text() -> None:
    labels = {"customers": "patients", "phase.before": PHASE_LABEL}
    jobs = _plan(_project("en", labels))
    joined = "\n".join(
        "\n".join([job.title, job.desc, *job.words.values(), *map(str, job.data.values())])
        for job in jobs.values()
    )
    assert PHASE_LABEL in joined
    # the CX pillar "Purchase" is the one place the word belongs (its own vocabulary word)
    assert not re.search(r"customer|purchase", re.sub(r"\bPurchase\b", "", joined), re.I)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_a_drawing_writes_is_in_the_catalogue(language: str) -> None:
    texts = shipped_texts(language)
    keys = {key for kind in DRAWN.values() for key in kind} | set(COMMON)
    keys |= {f"charts.phase.{p}" for p in ("before", "during", "after")}
    assert sorted(key for key in keys if not texts.get(key, "").strip()) == []


def test_a_job_without_words_still_draws_with_english_separators() -> None:
    job = _plan(_project("de"))[IMPORTANCE_KEY]
    bare = dataclasses.replace(job, words={})
    assert "5" in _texts(draw(bare))
