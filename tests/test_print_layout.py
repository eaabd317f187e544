"""SPEC 8.10's print layout, measured on the PDFs with pdfplumber:

- no page holds only a sliver: every page of every example brief but the cover uses at
  least 20 % of the page's text area (the last page of a section or of the brief too: a
  mini chart, a sentence or three rows of a table alone on a page is a sliver), in
  English, German and French, and a blank project's executive brief is two pages;
- every table, in every language, stays inside the page's right margin;
- no two words overlap (the small emotion curves' value labels once sat on their axis
  labels);
- text, chart text included, prints at 7 pt or more in every brief;
- `paper: A3` prints a journey brief as a landscape wall poster with a 9-stage map on one
  page; on A4 landscape the 9 stages are split over pages and every column stays inside
  the page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from test_briefs import FILES, run_pdf, write_project
from test_executive_brief import on_one_line, words

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

MIN_FILL = 0.20
MIN_TEXT_PT = 7.0
# The text area: the page less the running header and footer bands (briefs.css @page).
TOP_MM, BOTTOM_MM = 20, 18
MM = 72 / 25.4


def briefs_of(out: Path) -> list[Path]:
    found = sorted((out / "briefs").glob("*.pdf"))
    assert found
    return found


def fill(page: pdfplumber.page.Page) -> float:
    """The share of the text area's height between the first and the last body text."""
    top, bottom = TOP_MM * MM, float(page.height) - BOTTOM_MM * MM
    chars = [c for c in page.chars if c["top"] >= top - 1 and c["bottom"] <= bottom + 1]
    images = [i for i in page.images if i["top"] >= top - 1 and i["bottom"] <= bottom + 1]
    boxes = [(c["top"], c["bottom"]) for c in chars] + [(i["top"], i["bottom"]) for i in images]
    if not boxes:
        return 0.0
    used = max(b for _, b in boxes) - min(t for t, _ in boxes)
    return used / (bottom - top)


def slivers(path: Path) -> list[str]:
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            if number == 0:
                continue  # the cover, or a one-page brief, may be short
            share = fill(page)
            if share < MIN_FILL:
                found.append(f"{path.name} page {number + 1}: {share:.0%} of the text area")
    return found


def small_text(path: Path) -> list[str]:
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            small = [c for c in page.chars if c["size"] < MIN_TEXT_PT - 0.05 and c["text"].strip()]
            if small:
                sample = "".join(c["text"] for c in small)[:40]
                size = min(c["size"] for c in small)
                found.append(
                    f"{path.name} page {number}: {len(small)} chars at {size:.1f} pt: {sample}"
                )
    return found


def past_the_margin(path: Path) -> list[str]:
    """Text, rules and cell borders right of the page's right margin (briefs.css: 17 mm)."""
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            edge = float(page.width) - 17 * MM + 1
            chars = "".join(c["text"] for c in page.chars if c["x1"] > edge)
            # a full-bleed band (the cover's) starts at the paper's edge: not a table
            inside = [r for r in page.rects + page.lines if r["x0"] > 17 * MM - 1]
            rules = [r for r in inside if r["x1"] > edge + 1]
            if chars or rules:
                found.append(f"{path.name} page {number}: {chars[:30]!r}, {len(rules)} rules")
    return found


def overlapping_words(path: Path) -> list[str]:
    """Pairs of words on a page whose boxes overlap by more than 1 pt each way."""
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words(use_text_flow=True)
            for i, a in enumerate(words):
                for b in words[i + 1 :]:
                    dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    if dx > 1 and dy > 1:
                        found.append(f"{path.name} page {number}: {a['text']!r} on {b['text']!r}")
    return found


@pytest.fixture(scope="module")
def translated_builds(
    example_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The example project built in German and in French, and a blank project, with briefs."""
    import shutil

    from cxsite.commands.build import build_site
    from cxsite.commands.new import init_project
    from cxsite.resources import example_dir

    outs = {"en": example_build}
    for language in ("de", "fr"):
        root = tmp_path_factory.mktemp(f"example-{language}") / "content"
        shutil.copytree(
            example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site")
        )
        config = root / "cxsite.yaml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                "\nlanguage: en\n", f"\nlanguage: {language}\n"
            ),
            encoding="utf-8",
        )
        outs[language] = root.parent / "site"
        build_site(root, outs[language], pdf=True, strict=False, jobs=1)
    blank = tmp_path_factory.mktemp("blank") / "blank"
    init_project(blank, example=False)
    outs["blank"] = blank.parent / "site"
    build_site(blank, outs["blank"], pdf=True, strict=False, jobs=1)
    return outs


def _in_every_build(builds: dict[str, Path], check: Callable[[Path], list[str]]) -> list[str]:
    """What `check` finds in every brief of every build, each line led by the build's name."""
    return [
        f"{language}: {line}"
        for language, out in builds.items()
        for path in briefs_of(out)
        for line in check(path)
    ]


def test_no_page_of_an_example_brief_holds_only_a_sliver(
    translated_builds: dict[str, Path],
) -> None:
    assert _in_every_build(translated_builds, slivers) == []


def test_a_blank_projects_executive_brief_is_not_a_page_a_sentence(
    translated_builds: dict[str, Path],
) -> None:
    """Nothing to say: the summary page alone, naming what is not yet recorded (empty
    sections on a page of their own, each saying 'No ... yet', read as a template)."""
    path = translated_builds["blank"] / "briefs" / "executive.pdf"
    pages = pypdf.PdfReader(path).pages
    assert len(pages) == 1
    text = " ".join(pages[0].extract_text().split())
    assert "No metrics are defined yet." in text
    assert (
        "Not yet recorded: Key performance indicators · Top pain points · Opportunity backlog"
        " · Journeys by health, and their emotion curves · Moments of truth."
    ) in text


def test_every_table_stays_inside_the_page_in_every_language(
    translated_builds: dict[str, Path],
) -> None:
    assert _in_every_build(translated_builds, past_the_margin) == []


def test_the_example_briefs_kpis_keep_each_number_with_its_unit(example_build: Path) -> None:
    """'611 USD' once wrapped before its unit in the example's KPI table (cells that could
    wrap); a trend's arrow never sits alone above its change (summary and KPI table)."""
    pages = words(example_build / "briefs" / "executive.pdf")
    usd = [ok for page in pages for ok in on_one_line(page, "611", "USD")]
    assert len(usd) == 2 and all(usd)  # its tile and its row of the table
    arrows = [(n, a) for n, page in enumerate(pages) for a in page if a[3] in ("▲", "▼")]
    alone = [
        (n, a)
        for n, a in arrows
        if not any(abs(b[2] - a[2]) < 1 and 0 <= b[0] - a[1] < 8 for b in pages[n])
    ]
    assert len(arrows) >= 12 and alone == []


def test_no_two_words_of_an_example_brief_overlap(example_build: Path) -> None:
    problems = [line for path in briefs_of(example_build) for line in overlapping_words(path)]
    assert problems == []


def test_all_text_of_the_example_briefs_prints_at_7_pt_or_more(example_build: Path) -> None:
    problems = [line for path in briefs_of(example_build) for line in small_text(path)]
    assert problems == []


def test_the_measures_see_a_sliver_and_small_text(tmp_path: Path) -> None:
    """Both measures are live: a page left with two lines by a block pushed to the next page,
    and 5 pt text, are reported."""
    from cxsite.briefs.pdf import render_pdf

    html = (
        "<html lang=en><head><title>t</title><style>@page { size: A4; margin: 20mm 17mm 18mm }"
        "p { font-size: 9pt; line-height: 12pt; margin: 0 0 6pt }</style></head><body>"
        "<h1>First</h1>" + "<p>Body text line.</p>" * 42 + "<p style='font-size: 5pt'>tiny</p>"
        "<div style='height: 230mm; break-inside: avoid; display: flex; flex-direction: column;"
        " justify-content: space-between'><p>An unbreakable block.</p><p>Its end.</p></div>"
        "</body></html>"
    )
    path = tmp_path / "sliver.pdf"
    path.write_bytes(render_pdf(html, tmp_path, {}).data)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 3
    assert [line.split(":")[0] for line in slivers(path)] == ["sliver.pdf page 2"]
    assert "5.0 pt" in " ".join(small_text(path))


NINE_STAGES = (
    "\n".join(
        ["title: Nine steps", "personas: [maya]", "stages:"]
        + [
            f"  - name: Stage number {i}\n    emotion: {(i % 5) - 2}\n    touchpoints: [web-shop]\n"
            f"    actions: [Does thing {i} carefully and at length]\n"
            f"    pain_points:\n      - {{text: Pain at stage {i}, severity: medium}}"
            for i in range(1, 10)
        ]
    )
    + "\n"
)


@pytest.fixture(scope="module")
def nine_stage_briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    files = dict(FILES)
    files["journeys/nine.yaml"] = NINE_STAGES
    files["cxsite.yaml"] = (
        "title: Test CX\n"
        "briefs:\n"
        "  - {id: nine-a4, kind: journey, journey: nine}\n"
        "  - {id: nine-a3, kind: journey, journey: nine, paper: A3}\n"
    )
    root = write_project(tmp_path_factory.mktemp("nine") / "project", files)
    out = root.parent / "out"
    result = run_pdf(str(root), "-o", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return {p.stem: p for p in (out / "briefs").glob("*.pdf")}


def stage_pages(path: Path) -> dict[int, int]:
    """Stage number -> the 1-based page its column heading is on."""
    found: dict[int, int] = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            for i in range(1, 10):
                if f"Stage number {i}" in text:
                    found.setdefault(i, number)
    return found


def test_a3_prints_a_nine_stage_map_on_one_landscape_poster(
    nine_stage_briefs: dict[str, Path],
) -> None:
    path = nine_stage_briefs["nine-a3"]
    with pdfplumber.open(path) as pdf:
        first = pdf.pages[0]
        assert (round(first.width), round(first.height)) == (1191, 842)  # A3 landscape
        outside = [c["text"] for p in pdf.pages for c in p.chars if c["x1"] > p.width]
    assert outside == []
    assert set(stage_pages(path).values()) == {1}  # all nine columns on the first page
    assert small_text(path) == []
    assert slivers(path) == []


def test_a4_splits_a_nine_stage_map_and_keeps_it_inside_the_page(
    nine_stage_briefs: dict[str, Path],
) -> None:
    path = nine_stage_briefs["nine-a4"]
    with pdfplumber.open(path) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (842, 595)
        outside = [c["text"] for p in pdf.pages for c in p.chars if c["x1"] > p.width - 17 * MM + 1]
    assert outside == []
    pages = stage_pages(path)
    assert sorted(pages) == list(range(1, 10))
    assert len(set(pages.values())) == 2  # balanced: 5 + 4 columns
    assert small_text(path) == []
    assert slivers(path) == []


def test_a_long_contents_entry_hangs_under_its_title_with_its_page_on_its_last_line(
    tmp_path: Path,
) -> None:
    """A contents entry that wraps went on under its number, and its page number dropped
    onto a line of its own (PDF stress review)."""
    files = dict(FILES)
    files["personas/dan.yaml"] = (
        "name: Dan Whitfield\nrole: Family camping planner on a budget who compares every"
        " tent, stove and sleeping bag across three shops before he buys anything at all\n"
    )
    root = write_project(tmp_path / "p", files)
    result = run_pdf(str(root), "-o", str(tmp_path / "out"), "--brief", "book")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    first = words(tmp_path / "out" / "briefs" / "book.pdf")[0]
    dan = next(w for w in first if w[3] == "Dan")
    entry = sorted(
        (w for w in first if dan[2] - 1 < w[2] < dan[2] + 30 and w[0] > dan[0] - 20),
        key=lambda w: (round(w[2] / 2), w[0]),
    )
    lines = sorted({round(w[2] / 2) for w in entry})
    assert len(lines) >= 2  # the role wraps
    number = next(w for w in first if w[3] == "1" and abs(w[2] - dan[2]) < 3)
    page = [w for w in entry if w[1] == max(x1 for _, x1, _, _ in entry)]
    body = [w for w in entry if w not in page]
    # the wrapped line starts under the title, not under the number
    second = min(w[0] for w in body if round(w[2] / 2) == lines[1])
    assert abs(second - dan[0]) < 1 and second > number[1] + 5
    # the page number: alone at the right, on the entry's last line, not below it
    assert [w[3] for w in page] == ["2"]
    assert abs(page[0][2] - max(w[2] for w in body)) < 1.5
    assert page[0][0] > max(w[1] for w in body)


def test_a_short_contents_entry_beside_a_long_one_keeps_its_page_on_its_line(
    translated_builds: dict[str, Path],
) -> None:
    """In the German brief "1 Kennzahlen" stands beside a two-line entry: its page number
    was printed a line below it, at the foot of the grid row (designer's review)."""
    first = words(translated_builds["de"] / "briefs" / "executive.pdf")[0]
    number = next(w for i, w in enumerate(first) if w[3] == "1" and first[i + 1][3] == "Kennzahlen")
    title = next(w for w in first if w[3] == "Kennzahlen" and abs(w[2] - number[2]) < 1.5)
    page = [w for w in first if w[0] > title[1] + 20 and abs(w[2] - title[2]) < 1.5]
    assert [w[3] for w in page][:1] == ["2"], page


# A map that spans pages (the stress review's "v1-long"): one stage with 12 long pain points,
# opportunities of 300 characters, and a blueprint (frontstage, backstage, support).
LONG_TEXT = (
    "Customers who order in the app before noon expect their gear on the shelf by the entrance "
    "when they arrive after work, but in the busiest stores the order is still in the back room "
    "and the associate has to leave the counter to fetch it while the queue behind grows. "
) * 2
LONG_STAGES = ["Notice a need", "Find and choose", "Pay and pick", "Wait", "Collect", "First run"]


def _long_journey() -> str:
    lines = ["title: A long map", "personas: [maya]", "stages:"]
    for i, name in enumerate(LONG_STAGES):
        lines += [
            f"  - name: {name}",
            f"    emotion: {(i % 5) - 2}",
            "    touchpoints: [web-shop]",
            f"    actions: [Checks the order status in the app during the afternoon {i}]",
            f"    frontstage: [Associate greets the customer and scans the order code {i}]",
            f"    backstage: [Associate picks the order on a handheld and marks it ready {i}]",
            f"    support_processes: [Order management system marks the order {i}]",
            "    opportunities:",
            f"      - {{text: 'Opportunity {i}: {LONG_TEXT[:290]}', impact: high, effort: low}}",
            "    pain_points:",
        ]
        count = 12 if i == 2 else 1
        lines += [
            f"      - {{text: 'Pain {i}.{k}: {LONG_TEXT[: 60 + 13 * k]}', severity: medium}}"
            for k in range(count)
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def long_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = dict(FILES)
    files["journeys/buy.yaml"] = _long_journey()
    files["cxsite.yaml"] = "title: Test CX\nbriefs:\n  - {id: long, kind: journey, journey: buy}\n"
    root = write_project(tmp_path_factory.mktemp("long") / "project", files)
    out = root.parent / "out"
    result = run_pdf(str(root), "-o", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return out / "briefs" / "long.pdf"


def page_texts(path: Path) -> list[str]:
    """Each page's text, whitespace collapsed (a stage heading wraps over lines)."""
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages]


def test_every_page_of_a_long_map_heads_its_columns_with_the_stages(long_map: Path) -> None:
    """A lane longer than a page (12 pain points in a stage) breaks across pages, and every
    page it continues onto repeats the stage headings, so each column still says its stage."""
    texts = page_texts(long_map)
    blueprint = next(i for i, t in enumerate(texts) if "Service blueprint" in t)
    # the blueprint starts on the page of the map's last lanes
    map_pages = texts[: blueprint + 1]
    assert len(map_pages) >= 3  # the map continues onto two pages or more
    for number, page in enumerate(map_pages, start=1):
        missing = [s for s in LONG_STAGES if s not in page]
        assert missing == [], f"page {number} lacks the headings {missing}: {page[:120]}"
    # the lane of pain points starts on the page before the one it fills (no page is left
    # half empty while the whole lane moves on)
    assert "Pain 2.0" in " ".join(map_pages[:2])


def test_a_blueprint_line_stays_on_the_page_of_the_lane_below_it(example_build: Path) -> None:
    """The example's blueprint once ended a page on "Line of visibility" with a quarter of
    the page blank and backstage on the next: each line now prints with the lane below it."""
    texts = page_texts(example_build / "briefs" / "journey-click-and-collect.pdf")
    for line, lane in (
        ("LINE OF INTERACTION", "FRONTSTAGE"),
        ("LINE OF VISIBILITY", "BACKSTAGE"),
        ("LINE OF INTERNAL INTERACTION", "SUPPORT PROCESSES"),
    ):
        assert [t for t in texts if f"{line} {lane}" in t], f"{line} is not above {lane}"
        assert [t for t in texts if line in t and f"{line} {lane}" not in t] == []


def _example_copy(root: Path, language: str, executive_keys: str) -> Path:
    """The example project at `root` in `language`, with `executive_keys` (YAML lines) added
    to its executive brief."""
    import shutil

    from cxsite.resources import example_dir

    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    config = root / "cxsite.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "\nlanguage: en\n", f"\nlanguage: {language}\n"
    )
    text = text.replace("    kind: executive\n", f"    kind: executive\n{executive_keys}", 1)
    config.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def shorter_summaries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example's executive brief in English, German and French on Letter paper, and on
    A4 with a "What changed since v1" entry (one emotion changed after the tag v1)."""
    import gitkit

    found = {}
    for language in ("en", "de", "fr"):
        letter = _example_copy(
            tmp_path_factory.mktemp(f"letter-{language}") / "p", language, "    paper: Letter\n"
        )
        since = _example_copy(tmp_path_factory.mktemp(f"since-{language}") / "p", language, "")
        gitkit.init(since)
        gitkit.commit(since, "example", tag="v1")
        journey = since / "journeys" / "pickup-at-the-counter.yaml"
        config = since / "cxsite.yaml"
        gitkit.commit(
            since,
            "one emotion up, and the brief says what changed since v1",
            {
                "journeys/pickup-at-the-counter.yaml": journey.read_text(encoding="utf-8").replace(
                    "emotion: 0", "emotion: 1", 1
                ),
                "cxsite.yaml": config.read_text(encoding="utf-8").replace(
                    "    kind: executive\n", "    kind: executive\n    since: v1\n", 1
                ),
            },
            date="2026-05-05T10:00:00Z",
        )
        for name, root in (("letter", letter), ("since", since)):
            out = root.parent / "out"
            result = run_pdf(str(root), "-o", str(out), "--brief", "executive", "-j", "1")
            assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
            found[f"{name}-{language}"] = out / "briefs" / "executive.pdf"
    return found


KPI_HEADINGS = {"en": "Key performance indicators", "de": "Kennzahlen", "fr": "Indicateurs clés"}


def test_the_summary_holds_on_page_one_on_letter_and_with_what_changed(
    shorter_summaries: dict[str, Path],
) -> None:
    """On Letter (18 mm shorter than A4), or with a "What changed" entry, the summary once
    ran onto page 2 with the end of its contents alone there: the lists now give up their
    last entries, so page 2 starts with the KPI section and is no sliver."""
    for name, path in shorter_summaries.items():
        language = name.split("-")[1]
        texts = page_texts(path)
        # page 2's body starts with the first section (pypdf reads the running texts last)
        assert texts[1].startswith(KPI_HEADINGS[language]), f"{name}: {texts[1][:90]}"
        with pdfplumber.open(path) as pdf:
            assert fill(pdf.pages[1]) >= MIN_FILL, f"{name}: page 2 is a sliver"
        if name.startswith("since"):
            assert "v1" in texts[0], f"{name}: the summary lacks what changed"


MAP_PAGE_FILL = 0.40


def test_no_page_of_a_journey_brief_holds_only_a_lane_or_two(
    translated_builds: dict[str, Path],
) -> None:
    """The German map once ended on a page of two lanes (backstage and metrics) with the
    rest blank, and the English blueprint's last lane went alone onto the next page: every
    page of a journey brief but its last now fills a good share of the page, and the
    blueprint's last lane prints on the page of the lane before it."""
    short = []
    for language in ("en", "de", "fr"):
        for path in sorted((translated_builds[language] / "briefs").glob("journey-*.pdf")):
            with pdfplumber.open(path) as pdf:
                for number, page in enumerate(pdf.pages[1:-1], start=2):
                    if fill(page) < MAP_PAGE_FILL:
                        short.append(f"{language}: {path.name} page {number}: {fill(page):.0%}")
    assert short == []
    texts = page_texts(translated_builds["en"] / "briefs" / "journey-click-and-collect.pdf")
    last = [t for t in texts if "LINE OF INTERNAL INTERACTION" in t]
    assert last and all("LINE OF VISIBILITY" in t for t in last), "the last lane is alone"


def test_no_page_of_the_shorter_summaries_briefs_is_a_sliver(
    shorter_summaries: dict[str, Path],
) -> None:
    """The German brief on Letter once ended on the last three rows of the health score's
    table alone (11 % of the page): the test and the health score parts of the methods page
    now move whole."""
    for name, path in shorter_summaries.items():
        with pdfplumber.open(path) as pdf:
            thin = [n for n, page in enumerate(pdf.pages, start=1) if fill(page) < MIN_FILL]
        assert thin == [], f"{name}: pages {thin} are slivers"


NOTE = (
    '"A long note on purpose, as boards get them: what the number means, who watches it,'
    ' and what the team does next quarter to move it towards its target."'
)
DECISION = (
    "Fund the staging shelf in the forty busiest stores, report waiting times every month"
    " and bring the result to the board in March"
)


@pytest.fixture(scope="module")
def long_summaries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example's executive brief in English and German with a two-line note beside
    every KPI and four two-line decisions: laid out as planned, its summary ran onto
    page 2 (the decisions and the contents there, the rest of that page empty)."""
    import re

    found = {}
    for language in ("en", "de"):
        root = _example_copy(tmp_path_factory.mktemp(f"long-{language}") / "p", language, "")
        config = root / "cxsite.yaml"
        metrics = sorted(p.stem for p in (root / "metrics").glob("*.yaml"))
        notes = "".join(f"      {m}: {NOTE}\n" for m in metrics)
        decisions = "".join(f"      - Decision {n} — {DECISION}.\n" for n in range(1, 5))
        text = config.read_text(encoding="utf-8")
        old_notes = r"    kpi_notes:\n(?:      .*\n|        .*\n)+"
        text = re.sub(old_notes, "    kpi_notes:\n" + notes, text)
        text = re.sub(r"    decisions:\n(?:      - .*\n)+", "    decisions:\n" + decisions, text)
        config.write_text(text, encoding="utf-8")
        out = root.parent / "out"
        result = run_pdf(str(root), "-o", str(out), "--brief", "executive", "-j", "1")
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        found[language] = out / "briefs" / "executive.pdf"
    return found


def test_a_long_summary_gives_up_kpi_rows_and_risks_until_it_fits_page_one(
    long_summaries: dict[str, Path],
) -> None:
    """The layout measures where the summary ends and how tall its KPI rows and risks are
    printed; a summary that ran past page 1 is made again with fewer of them, so page 1
    holds every decision and the contents, and page 2 starts with the KPI section. It gives
    up only what it must: at least two KPI rows stay, and page 1 is well filled."""
    for language, path in long_summaries.items():
        texts = page_texts(path)
        one = " ".join(texts[0].split())
        assert texts[1].startswith(KPI_HEADINGS[language]), f"{language}: {texts[1][:90]}"
        assert all(f"Decision {n} — " in one for n in range(1, 5)), f"{language}: {one[-300:]}"
        assert "Methods" in one or "Methoden" in one, f"{language}: no contents on page 1"
        kpi_rows = one.count("A long note on purpose")
        assert 2 <= kpi_rows < 6, f"{language}: {kpi_rows} KPI rows"
        with pdfplumber.open(path) as pdf:
            assert fill(pdf.pages[0]) >= 0.75, f"{language}: page 1 is {fill(pdf.pages[0]):.0%}"
