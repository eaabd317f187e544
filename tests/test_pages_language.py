"""The metrics, insights, freshness, changes and research pages in the project's language
(SPEC 8.12): German text and numbers, French numbers, no English interface text of these pages
in a German build, and the clinic's labels leaving no "customer" or "purchase" on them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitkit import commit, init
from projectfiles import CLINIC_LABELS

from cxsite.cli import cli
from cxsite.i18n.catalogue import LOCALE_DIR, shipped_texts

EPOCH = "1790000000"  # 21 September 2026
PAGES = (
    "metrics/index.html",
    "metrics/csat.html",
    "insights.html",
    "freshness.html",
    "research/index.html",
    "research/interviews.html",
    "changes.html",
)
CLINIC = CLINIC_LABELS + "  pillar.purchase: Booking\n"


def _answers() -> str:
    """Two months of CSAT answers: 25 of 50 satisfied in August, 42 of 55 in September
    (76.4 %), a comment on most of them, some about waiting."""
    rows = ["date,score,comment"]
    for day, total, happy in (("2026-08-10", 50, 25), ("2026-09-10", 55, 42)):
        for i in range(total):
            score = 5 if i < happy else 2
            comment = ("Long wait at the desk", "Friendly staff", "")[i % 3]
            rows.append(f"{day},{score},{comment}")
    return "\n".join(rows) + "\n"


def _files(config: str) -> dict[str, str]:
    return {
        "cxsite.yaml": "title: Test CX\n" + config,
        "journeys/buy.yaml": (
            "title: Book a visit\n"
            "personas: [maya]\n"
            "stages:\n"
            "  - name: Checkout\n"
            "    emotion: 1\n"
            "    evidence: [interviews]\n"
            "    touchpoints: [web-shop]\n"
            "    metrics: [nps, csat]\n"
            "    pain_points:\n"
            "      - {text: Too many steps, severity: high}\n"
            "    opportunities:\n"
            "      - {text: One page form, impact: high, effort: low}\n"
        ),
        "metrics/csat.yaml": (
            "name: Visit satisfaction\n"
            "kind: csat\n"
            "target: 80\n"
            "responses: data/csat.csv\n"
            "period: month\n"
            "themes:\n"
            "  waiting: [wait]\n"
        ),
        "data/csat.csv": _answers(),
        "research/interviews.yaml": (
            "title: Visitor interviews\nmethod: interview\ndate: 2026-06-01\nparticipants: 8\n"
        ),
    }


def _build(make_project, config: str, tmp_path: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    """A project in a git repository with `changes_since: v1` (an emotion changed since),
    built; the site folder."""
    files = _files(config + "changes_since: v1\n")
    root = make_project(files)
    init(root)
    commit(root, "first", date="2026-03-02T10:00:00Z", tag="v1")
    text = (root / "journeys/buy.yaml").read_text().replace("emotion: 1", "emotion: -1")
    commit(root, "second", {"journeys/buy.yaml": text}, date="2026-04-15T10:00:00Z")
    out = tmp_path / name
    result = CliRunner().invoke(
        cli,
        ["build", str(root), "-o", str(out), "--no-pdf"],
        catch_exceptions=False,
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.exit_code == 0, result.output
    return out


def _text(page: Path) -> str:
    """What a reader reads in the page's main part: tags, charts' pictures and captions
    (the charts' own text) left out, entities decoded, spaces collapsed."""
    found = re.search(r"<main\b.*?</main>", page.read_text(encoding="utf-8"), re.S)
    assert found, page
    charts = r"<svg\b.*?</svg>|<figcaption\b.*?</figcaption>|<img\b[^>]*>"
    main = re.sub(charts, " ", found.group(0), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _module_build(tmp_path_factory, "language: de\n", "de")


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _module_build(tmp_path_factory, CLINIC, "clinic")


def _module_build(factory: pytest.TempPathFactory, config: str, name: str) -> Path:
    from projectfiles import BASE_FILES, write_files

    base = factory.mktemp(name)
    counter = iter(range(100))

    def make(files):  # type: ignore[no-untyped-def]
        root = base / f"project{next(counter)}"
        root.mkdir()
        return write_files(root, {**BASE_FILES, **files})

    return _build(make, config, base, "site")


def test_german_metrics_pages(german: Path) -> None:
    index = _text(german / "metrics/index.html")
    assert "Woran wir erkennen, dass wir besser werden" in index
    assert "2 KPIs mit Zielwerten, aktuellen Werten und Trends." in index
    assert (
        "Alle Kennzahlen Kennzahl Art Verantwortlich Zeitraum Aktuell Ziel Status Trend n" in index
    )
    page = _text(german / "metrics/csat.html")
    assert "Kennzahl · Zufriedenheit · CSAT" in page
    assert "Ist die Veränderung echt?" in page
    assert "▲ +26,4 · signifikant (p = 0,004)" in page
    assert "hat sich der Wert um +26,4 Punkte verändert" in page
    assert "eine echte Veränderung (p unter 0,05)." in page
    assert "Zeitraum Wert n Fehlerspanne Ziel Status Veränderung" in page  # the change column
    assert "Ziel verfehlt" in page
    assert "Was Kunden sagen 71 Kommentare, alle Zeiträume" in page
    assert "Themen in den Kommentaren Thema Nennungen Anteil der Kommentare CSAT" in page
    assert "Ohne Thema" in page
    assert "Quelle: Umfrageantworten" in page


def test_german_insights_freshness_research_and_changes(german: Path) -> None:
    insights = _text(german / "insights.html")
    assert "Wichtigkeits-Leistungs-Matrix" in insights
    assert "Hier ansetzen" in insights  # the web shop: important, not satisfying
    assert "Kanal Vor dem Kauf Während des Kaufs Nach dem Kauf Gesamt" in insights
    assert "Wirkung \\ Aufwand Gering Mittel Hoch" in insights
    fresh = _text(german / "freshness.html")
    assert "Wer die Dokumentation aktuell hält" in fresh
    assert "Nie geprüft" in fresh
    research = _text(german / "research/index.html")
    assert "1 Studie hinter den Personas, Journeys und Kontaktpunkten." in research
    assert "Interview 1. Juni 2026 8" in research
    study = _text(german / "research/interviews.html")
    assert "Forschung · Interview" in study and "8 Teilnehmende" in study
    assert "Was auf dieser Studie beruht" in study
    changes = _text(german / "changes.html")
    assert "Was sich geändert hat" in changes
    assert "Emotionskurven vorher und nachher" in changes
    assert "Phase Bei v1 Jetzt Veränderung" in changes


def _english_fragments() -> set[str]:
    """The English text of this area's messages, in pieces of three words or more between
    the braces, where German says something else."""
    de = shipped_texts("de")
    pieces = set()
    for name in ("pages.po", "analysis.po"):
        keys = re.findall(r'^msgid "(.+)"$', (LOCALE_DIR / "en" / name).read_text(), re.M)
        for key in keys:
            english = shipped_texts("en")[key]
            for piece in re.split(r"\{[^}]*\}", english):
                piece = piece.strip(" .,:;()")
                if len(piece.split()) >= 3 and piece not in de[key]:
                    pieces.add(piece)
    return pieces


def test_no_english_interface_text_of_these_pages_in_german(german: Path) -> None:
    fragments = _english_fragments()
    assert len(fragments) > 50
    for name in PAGES:
        text = _text(german / name)
        assert [f for f in fragments if f in text] == [], name


def test_french_numbers_on_a_metric_page(tmp_path: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    site = _build(make_project, "language: fr\n", tmp_path, "site")
    page = _text(site / "metrics/csat.html")
    assert "76,4 %" in page
    assert "Le changement est-il réel ?" in page
    assert "Ce que disent les clients" in page


def test_clinic_labels_leave_no_customer_or_purchase(clinic: Path) -> None:
    assert "What patients say" in _text(clinic / "metrics/csat.html")
    insights = _text(clinic / "insights.html")
    assert "Where patients hurt most" in insights
    assert "Channel Before the visit At the clinic After the visit Total" in insights
    for name in PAGES:
        text = _text(clinic / name)
        assert not re.search(r"customer|purchase", text, re.I), (name, text)
