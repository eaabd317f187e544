"""The site's own pages in the project's language (SPEC 8.12): a German build shows German
text on the home, personas, persona, search and 404 pages, in the search index and in the
texts the theme's scripts show, and no English text of site.po; the clinic's labels leave no
"customer" or "purchase" on those pages or in the search index."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli
from cxsite.i18n.catalogue import LOCALE_DIR

# conftest's make_project (not imported: tests/hostile has a conftest of the same name).
MakeProject = Callable[..., Path]
PAGES = (
    "index.html",
    "personas/index.html",
    "personas/maya.html",
    "search.html",
    "404.html",
)
EPOCH = {"SOURCE_DATE_EPOCH": "1790035200"}  # 2026-09-22

# The base project with what these pages can show: a second persona, goals and channels,
# a stage with a pain point and an opportunity, a touchpoint that is a moment of truth.
FILES = {
    "personas/maya.yaml": (
        "name: Maya Chen\nrole: Busy urban runner\nsegment_share: 0.4\n"
        "goals: [Run a marathon]\nchannels: [web, mobile-app]\n"
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    ),
    "personas/ben.yaml": "name: Ben Ortiz\nrole: Weekend hiker\n",
    "touchpoints/web-shop.yaml": (
        "name: Web shop\nchannel: web\nphase: before\npillar: digital\nmoment_of_truth: true\n"
        "ratings:\n  maya: {importance: 4, satisfaction: 3}\nmetrics: [nps]\n"
    ),
    "journeys/buy.yaml": (
        "title: Buy running shoes\npersonas: [maya]\nstages:\n"
        "  - name: Choose online\n    emotion: 1\n    touchpoints: [web-shop]\n"
        "    metrics: [nps]\n"
        "    pain_points:\n      - {text: Sizes run small, severity: high}\n"
        "    opportunities:\n"
        "      - {text: Add a fit guide, impact: high, effort: low, status: planned}\n"
    ),
}


def _build(make_project: MakeProject, config: str) -> Path:
    root = make_project({**FILES, "cxsite.yaml": "title: Test CX\n" + config})
    out = root / "out"
    result = CliRunner(env=EPOCH).invoke(
        cli, ["build", str(root), "-o", str(out), "--no-pdf", "-q"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out


def _visible(page: str, charts: bool = True) -> str:
    """What a reader sees or hears of a page: its text and its alt, label and placeholder
    attributes; scripts and styles left out (and with `charts=False`, the charts' images,
    whose descriptions the charts' own messages write)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    if not charts:
        page = re.sub(r'<img [^>]*src="[./]*charts/[^>]*>', " ", page)
    attrs = re.findall(r'\b(?:alt|aria-label|placeholder|title)="([^"]*)"', page)
    # a <bdi> isolates a value inside its line: its text reads on with the line's
    text = re.sub(r"<[^>]+>", " ", re.sub(r"</?bdi\b[^>]*>", "", page))
    return html.unescape(" ".join([text, *attrs]))


def _messages(page: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="cx-messages">(.*?)</script>', page)
    assert found, "the page carries no interface texts for its scripts"
    return json.loads(found.group(1))


def _index(out: Path) -> dict:
    text = (out / "search-index.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("window.CXSITE_SEARCH = ").rstrip().rstrip(";"))


def _po(language: str) -> dict[str, str]:
    text = (LOCALE_DIR / language / "site.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, re.MULTILINE)
    return {key: json.loads(f'"{value}"') for key, value in pairs}


@pytest.fixture
def german(make_project: MakeProject) -> Path:
    return _build(make_project, "language: de\n")


def test_german_pages_speak_german(german: Path) -> None:
    home = _visible((german / "index.html").read_text(encoding="utf-8"))
    for text in (
        "Was Kunden erleben · Stand 22. September 2026",
        "Auf einen Blick",
        "Schwere Schmerzpunkte",
        "Wichtige Kennzahlen",
        "Die größten Schmerzpunkte",
        "Schweregrad: Hoch",
        "1 Journey",
        "Wirkung: hoch",
        "Aufwand: gering",
        "Alle Personas →",
        "Ziel 40",
        "1 Phase",
    ):
        assert text in home, text
    persona = _visible((german / "personas/maya.html").read_text(encoding="utf-8"))
    for text in (
        "40 % der Kunden",
        "Ziele",
        "Bevorzugte Kanäle",
        "Website",
        "Mobile App",
        "Belege",
        "Juni 2026",
        "Journeys von Maya Chen",
        "Prioritäten der Kontaktpunkte",
    ):
        assert text in persona, text
    people = _visible((german / "personas/index.html").read_text(encoding="utf-8"))
    assert "Wer unsere Kunden sind" in people
    assert "2 belegte Porträts der Kunden, für die wir gestalten." in people
    search = _visible((german / "search.html").read_text(encoding="utf-8"))
    for text in ("Website durchsuchen", "Suchen", "Die Suche braucht JavaScript."):
        assert text in search, text
    missing = (german / "404.html").read_text(encoding="utf-8")
    assert "<title>Seite nicht gefunden · Test CX</title>" in missing
    assert "<h1>Diese Seite gibt es nicht</h1>" in missing
    crumbs = (german / "personas/maya.html").read_text(encoding="utf-8")
    assert '<li><a href="../index.html">Start</a></li>' in crumbs
    assert '<li><a href="index.html">Personas</a></li>' in crumbs
    for page, title in [("insights.html", "Erkenntnisse"), ("research/index.html", "Forschung")]:
        text = (german / page).read_text(encoding="utf-8")
        assert f"<title>{title} · Test CX</title>" in text, page
        assert f'<span aria-current="page">{title}</span>' in text, page


def test_german_search_index_and_script_texts(german: Path) -> None:
    index = _index(german)
    assert dict(index["kinds"])["stage"] == "Journey-Phasen"
    assert dict(index["kinds"])["pain"] == "Schmerzpunkte"
    subtitles = {doc["title"]: doc["subtitle"] for doc in index["docs"]}
    assert subtitles["Web shop"] == "Website · Vor dem Kauf · Moment der Wahrheit"
    assert subtitles["Choose online"] == "Buy running shoes · Phase 1"
    assert subtitles["Sizes run small"] == "Schweregrad: Hoch · Buy running shoes › Choose online"
    assert subtitles["Add a fit guide"].startswith("Wirkung: hoch · Aufwand: gering · Geplant · ")
    assert re.fullmatch(r"NPS · Zufriedenheit · 35 \S+ in 2026-Q2", subtitles["Net Promoter Score"])
    texts = _messages((german / "search.html").read_text(encoding="utf-8"))
    assert texts["site.js.results.other"] == "{n} Ergebnisse für „{query}“"
    assert texts["site.js.no_results"] == "Keine Ergebnisse für „{query}“."
    assert texts["site.js.touchpoints_shown.other"] == "{shown} von {n} Kontaktpunkten"
    # Every page with the theme's scripts carries them (the filters count with them too);
    # 404.html has no script (it inlines its stylesheet to work at any depth).
    assert _messages((german / "touchpoints/index.html").read_text(encoding="utf-8")) == texts
    assert "cx-messages" not in (german / "404.html").read_text(encoding="utf-8")


def test_no_english_text_of_site_po_in_a_german_build(german: Path) -> None:
    english, deutsch = _po("en"), _po("de")
    # The words of each English message between its braces, where German says otherwise
    # (not a loanword German uses too, such as "Journeys"). The IPA partial's quadrant
    # headings are the insights page's text, not this catalogue's.
    german_words = " ".join(deutsch.values())
    pieces = {
        piece.strip(" ·.,:;()→")
        for key, text in english.items()
        if text != deutsch[key] and not key.startswith("site.quadrant.")
        for piece in re.split(r"\{[^}]*\}", text)
    }
    pieces = {
        p for p in pieces if len(p) >= 5 and re.search(r"[A-Za-z]{4}", p) and p not in german_words
    }
    assert len(pieces) > 80  # the check reads the catalogue, not an empty list
    seen = {
        page: _visible((german / page).read_text(encoding="utf-8"), charts=False) for page in PAGES
    }
    subtitles = " ".join(doc["subtitle"] for doc in _index(german)["docs"])
    left = sorted(
        f"{where}: {piece!r}"
        for where, text in [*seen.items(), ("search-index.js", subtitles)]
        for piece in pieces
        if re.search(rf"(?<![A-Za-z]){re.escape(piece)}(?![A-Za-z])", text)
    )
    assert left == []


def test_french_titles_and_breadcrumbs(make_project: MakeProject) -> None:
    out = _build(make_project, "language: fr\n")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Test CX</title>" in home
    assert "Ce que vivent les clients · au 22 septembre 2026" in home
    people = (out / "personas/index.html").read_text(encoding="utf-8")
    assert "<title>Personas · Test CX</title>" in people
    assert '<li><a href="../index.html">Accueil</a></li>' in people


def test_the_clinic_labels_leave_no_customer_or_purchase(make_project: MakeProject) -> None:
    labels = 'labels:\n  customers: patients\n  phase.before: "Before the visit"\n'
    out = _build(make_project, labels)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "What patients experience" in home
    persona = (out / "personas/maya.html").read_text(encoding="utf-8")
    assert "40 % of patients" in persona
    assert "Who our patients are" in (out / "personas/index.html").read_text(encoding="utf-8")
    left = []
    for page in PAGES:
        text = (out / page).read_text(encoding="utf-8")
        # The footer is base.html's (footer.as_of, common.po), not these pages' own text;
        # the stylesheet 404.html inlines has comments.
        text = re.sub(r"<(footer|style)\b.*?</\1>", "", text, flags=re.S)
        left += [f"{page}: {m.group(0)}" for m in re.finditer(r"customer|purchase", text, re.I)]
    index = (out / "search-index.js").read_text(encoding="utf-8")
    left += [f"search-index.js: {m[0]}" for m in re.finditer("customer|purchase", index, re.I)]
    assert left == []
    subtitles = {doc["title"]: doc["subtitle"] for doc in _index(out)["docs"]}
    assert subtitles["Web shop"] == "Web · Before the visit · moment of truth"


def test_a_language_cxsite_does_not_ship_is_published_in_its_own_words(
    make_project: MakeProject,
) -> None:
    """SPEC 8.12: a Spanish project (`es`, no catalogue shipped) names its own words in
    labels; the page says it is Spanish, and dates and numbers read the Spanish way."""
    labels = (
        "language: es\nlabels:\n  term.personas: Arquetipos\n  customers: clientes\n"
        '  count.touchpoints.many: "{n} de puntos de contacto"\n'
    )
    out = _build(make_project, labels)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert home.startswith('<!doctype html>\n<html lang="es">')
    assert "22 septiembre 2026" in _visible(home)  # the as-of date: CLDR's Spanish month
    persona = _visible((out / "personas/maya.html").read_text(encoding="utf-8"))
    assert "40 % of clientes" in persona  # English words where no label is given
    people = (out / "personas/index.html").read_text(encoding="utf-8")
    assert "<title>Arquetipos · Test CX</title>" in people
    assert _messages(home)["count.touchpoints.many"] == "{n} de puntos de contacto"


@pytest.mark.browser
def test_search_and_filters_speak_german_in_the_browser(german: Path, browser) -> None:
    page = browser.new_page()
    try:
        page.goto((german / "search.html").as_uri() + "?q=Ortiz")
        status = page.locator("#search-status")
        assert status.inner_text() == "1 Ergebnis für „Ortiz“"
        assert page.locator(".result-group h2").first.text_content() == "Personas (1)"
        page.fill("#search-input", "zzzzqqq")
        assert status.inner_text() == "Keine Ergebnisse für „zzzzqqq“."
        page.goto((german / "touchpoints/index.html").as_uri())
        assert page.locator("#catalog-count").inner_text() == "1 Kontaktpunkt"
        page.fill("#catalog-filters input[name=q]", "zzzzqqq")
        page.locator("#catalog-filters input[name=q]").dispatch_event("input")
        assert page.locator("#catalog-count").inner_text() == "0 von 1 Kontaktpunkt"
    finally:
        page.close()
