"""The journey, persona and persona book briefs in the project's language and words (SPEC
8.12): a German project's briefs carry no English interface word and say `/Lang de`; an
English clinic that renames customers and the phases finds neither word in its briefs.

The project's own content is written in the project's language (German, or English without
the two words), so any word found here is interface text.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from click.testing import CliRunner
from projectfiles import CLINIC_LABELS

from cxsite.briefs.views import PERSONA_LISTS, page_counter
from cxsite.cli import cli
from cxsite.i18n.catalogue import LANGUAGES, Messages
from cxsite.model import Brief

pypdf = pytest.importorskip("pypdf")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_brief_kind_and_persona_list_has_its_words(language: str) -> None:
    """The keys the briefs build from a kind or a field (`brief.kind.<kind>`, ...) exist."""
    messages = Messages(language)
    kinds = typing.get_args(Brief.model_fields["kind"].annotation)
    assert kinds and all(messages.has(f"brief.kind.{kind}") for kind in kinds)
    assert all(messages.has(f"brief.persona.{field}") for field in PERSONA_LISTS)


def test_the_page_counter_keeps_the_words_out_of_the_stylesheet() -> None:
    german = page_counter(Messages("de"))
    assert german.texts == ("Seite ", " von ")
    wanted = "string(brief-page-0) counter(page) string(brief-page-1) counter(pages)"
    assert german.content == wanted
    assert german.strings == ", brief-page-0 attr(data-page-0), brief-page-1 attr(data-page-1)"
    odd = page_counter(Messages("en", {"brief.page": '{pages}"} body{x:y} {page}'}))
    assert odd.texts == ('"} body{x:y} ',)
    assert odd.content == "counter(pages) string(brief-page-0) counter(page)"


BRIEFS = (
    "briefs:\n"
    "  - {id: karte, kind: journey, journey: besuch}\n"
    "  - {id: vergleich, kind: journey, journey: heute, compare: true}\n"
    "  - {id: ana, kind: persona, persona: ana}\n"
    "  - {id: buch, kind: personas}\n"
)


def _files(config: str, words: dict[str, str]) -> dict[str, str]:
    """A project using every part of the three brief kinds: a map with phases, all lanes,
    a sub-journey, the blueprint with a fail point, evidence and assumptions, a curve per
    persona, an as-is / to-be pair, and personas with every list. `words`: the content's
    words ({stage}, {pain}...), so the content is in the project's language."""
    w = words
    return {
        "cxsite.yaml": config + BRIEFS,
        "research/studie.yaml": f"title: {w['study']}\nmethod: survey\ndate: 2026-06-01\n",
        "personas/ana.yaml": (
            f"name: Ana Silva\nrole: {w['role']}\nsegment_share: 0.4\n"
            f"demographics: {{{w['age']}: 34}}\n"
            f"psychographics: {{{w['values']}: [{w['family']}]}}\n"
            f"goals: [{w['goal']}]\nneeds: [{w['goal']}]\nmotivations: [{w['goal']}]\n"
            f"frustrations: [{w['pain']}]\nbehaviors: [{w['goal']}]\nneed_states: [{w['goal']}]\n"
            "channels: [web, store, phone]\nevidence: [studie]\n"
        ),
        "personas/joe.yaml": f"name: Joe Park\nrole: {w['role']}\nevidence: [studie]\n",
        "touchpoints/theke.yaml": f"name: {w['desk']}\nchannel: store\nphase: during\n",
        "metrics/zufriedenheit.yaml": (
            f"name: {w['metric']}\nkind: csat\ntarget: 80\n"
            "scope: {journeys: [besuch]}\nvalues:\n  - {period: 2026-09, value: 70}\n"
        ),
        "journeys/besuch.yaml": (
            f"title: {w['journey']}\npersonas: [ana, joe]\ngoal: {w['goal']}\nstages:\n"
            f"  - name: {w['stage1']}\n    phase: before\n    touchpoints: [theke]\n"
            "    emotion: {ana: 1, joe: 0.5}\n    evidence: [studie]\n"
            f"    actions: [{w['action']}]\n    thoughts: [{w['thought']}]\n"
            f"    feelings: [{w['feeling']}]\n    metrics: [zufriedenheit]\n"
            f"    physical_evidence: [{w['thing']}]\n    frontstage: [{w['action']}]\n"
            f"    backstage: [{w['action']}]\n    support_processes: [{w['action']}]\n"
            f"  - name: {w['stage2']}\n    phase: during\n    touchpoints: [theke]\n"
            "    emotion: {ana: -2, joe: -1}\n    detail: warten\n"
            f"    pain_points:\n      - {{text: {w['pain']}, severity: high, fail_point: true,"
            " personas: [joe], evidence: [studie]}\n"
            f"    opportunities:\n      - {{text: {w['idea']}, impact: high, effort: low,"
            f" status: planned, owner: {w['team']}}}\n"
            f"  - name: {w['stage3']}\n    phase: after\n    touchpoints: [theke]\n"
            "    emotion: {ana: 1, joe: 1.5}\n"
        ),
        "journeys/warten.yaml": (
            f"title: {w['sub']}\npersonas: [ana]\nstages:\n"
            f"  - name: {w['stage2']}\n    touchpoints: [theke]\n    emotion: -1\n"
            f"    pain_points: [{{text: {w['pain']}, severity: medium}}]\n"
            f"    opportunities: [{w['idea']}]\n"
        ),
        "journeys/heute.yaml": (
            f"title: {w['today']}\npersonas: [ana]\nstages:\n"
            f"  - name: {w['stage1']}\n    touchpoints: [theke]\n    emotion: 0\n"
            f"    pain_points: [{w['pain']}]\n    opportunities: [{w['idea']}]\n"
            f"  - name: {w['stage2']}\n    touchpoints: [theke]\n    emotion: -1\n"
        ),
        "journeys/morgen.yaml": (
            f"title: {w['tomorrow']}\npersonas: [ana]\nstate: future\ncompare_to: heute\n"
            f"stages:\n  - name: {w['stage1']}\n    touchpoints: [theke]\n    emotion: 1\n"
            f"  - name: {w['stage3']}\n    touchpoints: [theke]\n    emotion: 1\n"
            f"    pain_points: [{w['pain']}]\n    opportunities: [{w['idea']}]\n"
        ),
    }


GERMAN = {
    "study": "Gespräche mit Patienten",
    "role": "Berufstätige Mutter",
    "age": "Alter",
    "values": "Werte",
    "family": "Familie",
    "goal": "Schnell einen Termin bekommen",
    "pain": "Niemand sagt wie lange es dauert",
    "desk": "Anmeldung",
    "metric": "Zufriedenheit mit dem Termin",
    "journey": "Einen Termin wahrnehmen",
    "stage1": "Termin buchen",
    "stage2": "Im Wartezimmer",
    "stage3": "Nachsorge",
    "action": "Ruft in der Praxis an",
    "thought": "Hoffentlich klappt es heute",
    "feeling": "angespannt",
    "thing": "Wartenummer",
    "idea": "Wartezeit auf einem Bildschirm zeigen",
    "team": "Praxisteam",
    "sub": "Warten auf den Aufruf",
    "today": "Besuch heute",
    "tomorrow": "Besuch morgen",
}
ENGLISH = {
    "study": "Patient interviews",
    "role": "Working parent",
    "age": "Age",
    "values": "Values",
    "family": "family",
    "goal": "Get an appointment quickly",
    "pain": "Nobody says how long it takes",
    "desk": "Reception",
    "metric": "Visit satisfaction",
    "journey": "Attend a visit",
    "stage1": "Book",
    "stage2": "In the waiting room",
    "stage3": "Aftercare",
    "action": "Phones the practice",
    "thought": "I hope it works out today",
    "feeling": "tense",
    "thing": "Queue ticket",
    "idea": "Show the wait on a screen",
    "team": "Practice team",
    "sub": "Waiting to be called",
    "today": "Visit today",
    "tomorrow": "Visit tomorrow",
}
# English interface words of these briefs (words German shares, such as Status, Emotion,
# Persona, Journey, are left out).
ENGLISH_WORDS = (
    "page", "as of", "contents", "journey map", "persona profile", "persona book", "curve",
    "peak", "end", "goal", "feelings", "actions", "touchpoints", "thoughts", "pain points?",
    "opportunit(y|ies)", "backstage", "frontstage", "line of", "fail",
    "sub-journey", "stages?", "lowest", "high-severity", "demographics", "psychographics",
    "preferred channels", "evidence", "goals", "needs", "motivations", "frustrations",
    "behaviou?rs", "need states", "customers?", "purchase", "as-is", "to-be", "go away",
    "change", "average", "steepest drop", "all personas", "assumption", "severity", "impact",
    "effort", "owner", "support processes", "physical", "health", "coverage", "planned",
    "high", "low", "medium", "store", "phone", "survey", "of", "and", "for", "the",
)  # fmt: skip


def _build(root: Path, files: dict[str, str]) -> dict[str, pypdf.PdfReader]:
    """Write the project, check it strictly and build its briefs (as of 2026-11-04)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1793750400")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    check = CliRunner().invoke(cli, ["check", "--strict", str(root)], catch_exceptions=False)
    assert check.exit_code == 0, check.output
    result = CliRunner().invoke(cli, ["pdf", str(root), "-o", str(root / "out"), "-j", "1"])
    mp.undo()
    assert result.exit_code == 0, result.output
    return {
        path.stem: pypdf.PdfReader(path) for path in sorted((root / "out" / "briefs").glob("*.pdf"))
    }


def _text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pypdf.PdfReader]:
    """The four briefs of a German project."""
    config = "title: Praxis am Fluss\norganization: Praxis am Fluss\nlanguage: de\n"
    return _build(tmp_path_factory.mktemp("de") / "project", _files(config, GERMAN))


@pytest.mark.pdf
def test_german_briefs_have_no_english_interface_word(german: dict) -> None:
    assert sorted(german) == ["ana", "buch", "karte", "vergleich"]
    for name, reader in german.items():
        text = _text(reader)
        found = sorted(
            {m.group(0) for w in ENGLISH_WORDS for m in re.finditer(rf"\b{w}\b", text, re.I)}
        )
        assert found == [], f"{name}: {found}"


@pytest.mark.pdf
def test_german_briefs_say_what_they_are_in_german(german: dict) -> None:
    karte = _text(german["karte"])
    words = ("Seite 1 von", "Stand: 4. November 2026", "VOR DEM KAUF", "GEFÜHLE", "SCHMERZPUNKTE",
             "Service-Blueprint", "Interaktionslinie", "TEIL-JOURNEY", "Schmerzpunkte und Chancen",
             "für Joe Park", "1 Phase", "Höhepunkt", "Emotionskurve je Persona")  # fmt: skip
    for word in words:
        assert word in karte, word
    vergleich = _text(german["vergleich"])
    assert "Ist und Soll" in vergleich and "WEGFALLENDE SCHMERZPUNKTE" in vergleich
    assert "1 Schmerzpunkt fällt" in vergleich and "(nur Soll)" in vergleich
    ana = _text(german["ana"])
    assert "40 % der Kunden" in ana and "DEMOGRAFIE" in ana and "Umfrage" in ana
    buch = _text(german["buch"])
    assert "Inhalt" in buch and "Persona-Buch · 2 Personas" in buch


@pytest.mark.pdf
def test_german_briefs_are_tagged_german(german: dict) -> None:
    for reader in german.values():
        assert reader.trailer["/Root"]["/Lang"] == "de"
    assert german["karte"].metadata["/Subject"] == "Journey Map"
    assert german["buch"].metadata["/Subject"] == "Persona-Buch"


@pytest.mark.pdf
def test_a_clinic_finds_no_customer_and_no_purchase_in_its_briefs(tmp_path: Path) -> None:
    config = "title: Riverside Clinic\norganization: Riverside Clinic\n" + CLINIC_LABELS
    briefs = _build(tmp_path / "project", _files(config, ENGLISH))
    assert sorted(briefs) == ["ana", "buch", "karte", "vergleich"]
    for name, reader in briefs.items():
        text = _text(reader)
        assert re.findall(r"customer|purchase", text, re.I) == [], name
        assert reader.trailer["/Root"]["/Lang"] == "en"
    karte = " ".join(_text(briefs["karte"]).split())
    assert "BEFORE THE VISIT" in karte and "PATIENT ACTIONS" in karte
    assert "40 % of patients" in _text(briefs["ana"])
