"""PDF briefs on real PDFs: `cxsite pdf`, every brief kind, page sizes, text, reproducibility."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.analysis.analyse import analyse
from cxsite.briefs.context import brief_html
from cxsite.cli import cli
from cxsite.validate.project import load_project

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.pdf

STAGES = [
    ("Discover", 1, "Newsletter buried in promotions"),
    ("Compare", 0.5, None),
    ("Check stock", -1, "Stock shown as limited without sizes"),
    ("Order", 1.5, None),
    ("Wait", -1, None),
    ("Pick up", -2, "Order ready but still in the back room"),
    ("First run", 1.5, None),
    ("Review", 0.5, "Survey is twelve questions long"),
]


def _journey_yaml() -> str:
    lines = [
        "title: Click and collect shoes",
        "personas: [maya, dan]",
        "goal: Get the right shoes *today*",
        "stages:",
    ]
    for name, emotion, pain in STAGES:
        lines += [f"  - name: {name}", f"    emotion: {emotion}", "    touchpoints: [web-shop]"]
        if pain:
            severity = "high" if "back room" in pain or "limited" in pain else "medium"
            lines += [
                "    pain_points:",
                f"      - {{text: {pain}, severity: {severity}}}",
                "    opportunities:",
                f"      - {{text: Fix '{name}' step, impact: high, effort: low}}",
            ]
    return "\n".join(lines) + "\n"


FILES: dict[str, str] = {
    "cxsite.yaml": (
        "title: Test CX\n"
        "organization: Acme Outdoor\n"
        "brand: {primary: '#123456', accent: '#e07a1f'}\n"
        "briefs:\n"
        "  - {id: exec, kind: executive, title: Board CX review}\n"
        "  - {id: maya, kind: persona, persona: maya}\n"
        "  - {id: book, kind: personas, paper: Letter}\n"
        "  - {id: map, kind: journey, journey: buy, paper: Letter}\n"
    ),
    "personas/maya.yaml": (
        "name: Maya Chen\n"
        "role: Busy urban runner\n"
        'quote: "If the app says ready, it had better be on the shelf."\n'
        "demographics: {Age: 34, Location: Denver}\n"
        "goals: [Run a faster ultra]\n"
        "frustrations: [Waiting at the counter]\n"
        "channels: [web, store]\n"
        "evidence:\n  - source: Diary study\n    date: 2026-06-01\n"
    ),
    "personas/dan.yaml": (
        "name: Dan Whitfield\n"
        "role: Family camper on a budget\n"
        'quote: "I need the tent that keeps three kids dry."\n'
        "evidence:\n  - source: Interviews\n    date: 2026-05-01\n"
    ),
    "touchpoints/web-shop.yaml": (
        "name: Web shop\nchannel: web\nphase: during\npillar: digital\n"
        "moment_of_truth: true\nmetrics: [nps]\n"
        "ratings:\n  maya: {importance: 4, satisfaction: 3}\n"
    ),
    "journeys/buy.yaml": _journey_yaml(),
    "metrics/nps.yaml": (
        "name: Net Promoter Score\nkind: nps\ntarget: 40\n"
        "values:\n  - {period: 2026-Q1, value: 31}\n  - {period: 2026-Q2, value: 35}\n"
    ),
    "metrics/churn.yaml": (
        "name: Churn rate\nkind: churn\ntarget: 5\n"
        "values:\n  - {period: 2026-Q1, value: 6.5}\n  - {period: 2026-Q2, value: 4.25}\n"
    ),
}

A4 = (595, 842)
LETTER_LANDSCAPE = (792, 612)
LETTER = (612, 792)


def write_project(root: Path, files: dict[str, str]) -> Path:
    """Write a project's files under root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run_pdf(*args: str) -> object:
    """Invoke `cxsite pdf` in-process."""
    return CliRunner().invoke(cli, ["pdf", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The four briefs of FILES, built once by `cxsite pdf` (as of 2026-11-20)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1795132800")  # 2026-11-20
    root = write_project(tmp_path_factory.mktemp("briefs") / "project", FILES)
    out = root.parent / "out"
    result = run_pdf(str(root), "-o", str(out), "-j", "2")
    mp.undo()
    assert result.exit_code == 0, result.output
    return {p.stem: p for p in (out / "briefs").glob("*.pdf")} | {"_out": out, "_root": root}


def pages(path: Path) -> list:
    """The pages of a PDF."""
    return list(pypdf.PdfReader(path).pages)


def size(page: object) -> tuple[int, int]:
    """A page's (width, height) in points, rounded."""
    box = page.mediabox  # type: ignore[attr-defined]
    return round(float(box.width)), round(float(box.height))


def text(path: Path) -> str:
    """All the text of a PDF, whitespace collapsed."""
    return " ".join(" ".join(p.extract_text() for p in pages(path)).split())


def test_cli_writes_every_configured_brief(built: dict[str, Path]) -> None:
    out = built["_out"]
    assert sorted(p.name for p in (out / "briefs").iterdir()) == [
        "book.pdf",
        "exec.pdf",
        "map.pdf",
        "maya.pdf",
    ]
    assert (out / ".cxsite-output").is_file()  # a later `cxsite build` may replace it


def test_executive_brief(built: dict[str, Path]) -> None:
    doc = pages(built["exec"])
    assert 4 <= len(doc) <= 8
    assert all(size(p) == A4 for p in doc)
    words = text(built["exec"])
    for expected in (
        "Board CX review",
        "Acme Outdoor",
        "As of 20 November 2026",
        "Net Promoter Score",
        "35 pts",
        "Churn rate",
        "4.3 %",  # 4.25 rounds half away from zero, as on the site and charts
        "Order ready but still in the back room",
        "Stock shown as limited without sizes",
        "Page 2 of",
    ):
        assert expected in words, expected
    # Ranked: both high-severity pain points come before the medium ones.
    high = max(words.index("back room"), words.index("limited without sizes"))
    assert high < words.index("Survey is twelve questions long")


def test_executive_brief_has_bookmarks_and_metadata(built: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(built["exec"])
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Key performance indicators" in titles
    assert "Moments of truth" in titles
    assert reader.metadata.title == "Board CX review"
    assert reader.metadata.creation_date.date().isoformat() == "2026-11-20"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged PDF (PDF/UA-1)


def test_persona_brief_is_a_one_pager(built: dict[str, Path]) -> None:
    doc = pages(built["maya"])
    assert 1 <= len(doc) <= 2
    assert size(doc[0]) == A4
    words = text(built["maya"])
    assert "Maya Chen" in words
    assert "If the app says ready, it had better be on the shelf." in words
    assert "Click and collect shoes" in words  # the journeys she takes


def test_personas_brief_has_contents_and_a_page_each(built: dict[str, Path]) -> None:
    doc = pages(built["book"])
    assert len(doc) == 3  # contents, then one page per persona
    assert all(size(p) == LETTER for p in doc)
    contents = doc[0].extract_text()
    assert "Dan Whitfield" in contents and "Maya Chen" in contents
    assert "Dan Whitfield" in doc[1].extract_text()
    assert "I need the tent that keeps three kids dry." in doc[1].extract_text()
    assert "Maya Chen" in doc[2].extract_text()


def test_journey_brief_is_landscape_with_stages_in_order(built: dict[str, Path]) -> None:
    doc = pages(built["map"])
    assert 2 <= len(doc) <= 4  # eight stages wrap onto a second map page
    assert all(size(p) == LETTER_LANDSCAPE for p in doc)
    words = text(built["map"])
    grid = words.split("End: Review", 1)[1]  # after the lede naming the peak and end stages
    positions = [grid.index(name) for name, _, _ in STAGES]
    assert positions == sorted(positions)
    assert "Order ready but still in the back room" in words
    assert "Fix ‘Pick up’ step" in words  # Markdown's smart quotes


def test_two_builds_are_byte_identical(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "again"
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "1795132800"}).invoke(
        cli, ["pdf", str(built["_root"]), "-o", str(out), "-j", "1"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    for name in ("exec", "maya", "book", "map"):
        assert (out / "briefs" / f"{name}.pdf").read_bytes() == built[name].read_bytes(), name


def test_one_brief_by_id(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "one"
    result = run_pdf(str(built["_root"]), "-o", str(out), "--brief", "maya")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (out / "briefs").iterdir()] == ["maya.pdf"]
    assert result.output.strip().endswith(str(out / "briefs" / "maya.pdf"))


def test_unknown_brief_id_fails_with_a_suggestion(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "none"
    result = CliRunner().invoke(cli, ["pdf", str(built["_root"]), "-o", str(out), "--brief", "mya"])
    assert result.exit_code == 1
    assert (
        "Error: unknown brief 'mya' (did you mean 'maya'?); "
        "briefs in cxsite.yaml: book, exec, map, maya"
    ) in result.output
    assert not out.exists()


def test_default_is_one_executive_brief(tmp_path: Path) -> None:
    files = dict(FILES)
    files["cxsite.yaml"] = "title: Plain CX\n"
    root = write_project(tmp_path / "p", files)
    result = run_pdf(str(root), "--brief", "executive")
    assert result.exit_code == 0, result.output
    made = root / "_site" / "briefs" / "executive.pdf"
    assert [p.name for p in made.parent.iterdir()] == ["executive.pdf"]
    assert re.search(r"Plain CX", text(made))
    wrong = CliRunner().invoke(cli, ["pdf", str(root), "--brief", "exec"])
    assert wrong.exit_code == 1
    assert wrong.output.splitlines()[-1] == (  # it once said "briefs in cxsite.yaml"
        "Error: unknown brief 'exec' (did you mean 'executive'?); "
        "briefs (cxsite.yaml sets none): executive"
    )


def test_refuses_a_foreign_output_folder(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", FILES)
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["pdf", str(root), "-o", str(foreign)])
    assert result.exit_code == 1
    assert "not made by cxsite" in result.output
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]


def test_invalid_project_fails_before_rendering(tmp_path: Path) -> None:
    files = dict(FILES)
    files["personas/maya.yaml"] = files["personas/maya.yaml"] + "gaols: [x]\n"
    root = write_project(tmp_path / "p", files)
    result = CliRunner().invoke(cli, ["pdf", str(root)])
    assert result.exit_code == 1
    assert "personas/maya.yaml:" in result.output and "gaols" in result.output
    assert not (root / "_site").exists()


def test_pdf_text_is_selectable_not_drawn(built: dict[str, Path]) -> None:
    # Text extraction works on every page of every brief (no page is only an image).
    for name in ("exec", "maya", "book", "map"):
        for page in pages(built[name]):
            assert page.extract_text().strip(), name


def test_a_sparse_project_renders_every_kind(tmp_path: Path) -> None:
    # No metrics, no emotions, a persona with only the required keys: every brief still
    # renders, saying what is missing instead of failing.
    root = write_project(
        tmp_path / "sparse",
        {
            "cxsite.yaml": (
                "title: Sparse\nbriefs:\n  - {id: exec, kind: executive}\n"
                "  - {id: p, kind: persona, persona: solo}\n  - {id: all, kind: personas}\n"
                "  - {id: j, kind: journey, journey: walk}\n"
            ),
            "personas/solo.yaml": "name: Solo Person\nrole: Someone\n",
            "journeys/walk.yaml": "title: A walk\npersonas: [solo]\nstages:\n  - name: Start\n",
        },
    )
    result = run_pdf(str(root), "-j", "1")
    assert result.exit_code == 0, result.output
    briefs = root / "_site" / "briefs"
    assert "No metrics are defined yet." in text(briefs / "exec.pdf")
    assert "Not yet recorded: Key performance indicators · Top pain points" in text(
        briefs / "exec.pdf"
    )
    assert "Solo Person" in text(briefs / "p.pdf")
    assert "Start" in text(briefs / "j.pdf")
    assert len(pages(briefs / "all.pdf")) == 2


def _avatar_text(html: str) -> str:
    """The initials in a site page's avatar."""
    found = re.search(r'class="avatar avatar-initials[^"]*"[^>]*>([^<]*)<', html)
    assert found, "no initials avatar on the page"
    return found.group(1)


def test_the_site_and_the_pdf_show_the_same_initials(tmp_path: Path) -> None:
    # One initials function for both: a one-word name keeps two letters in the PDF too.
    root = write_project(
        tmp_path / "names",
        {
            "cxsite.yaml": "title: Names\nbriefs:\n  - {id: book, kind: personas}\n",
            "personas/cher.yaml": "name: Cher\nrole: Singer\n",
            "personas/ada.yaml": "name: Ada Lovelace\nrole: Analyst\n",
            "journeys/walk.yaml": (
                "title: A walk\npersonas: [cher, ada]\nstages:\n  - name: Start\n"
            ),
        },
    )
    site = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(site), "--quiet"])
    assert result.exit_code == 0, result.output
    book = text(site / "briefs" / "book.pdf")
    for pid, name, expected in (("cher", "Cher", "CH"), ("ada", "Ada Lovelace", "AL")):
        html = (site / "personas" / f"{pid}.html").read_text(encoding="utf-8")
        assert _avatar_text(html) == expected
        # The avatar comes just before the persona's name in the PDF's text.
        assert f" {expected} {name} " in book
    # and in the same colour: the persona's own, not the brand's
    project = load_project(root).project
    assert project is not None
    brief = project.config.brief_list()[0]
    html = brief_html(project, analyse(project, {}), {}, brief, dt.date(2026, 11, 1)).html
    for pid in ("cher", "ada"):
        page = (site / "personas" / f"{pid}.html").read_text(encoding="utf-8")
        colour = re.search(r'class="avatar avatar-initials[^"]*" style="background:([^"]+)"', page)
        assert colour is not None
        assert f'class="avatar initials" style="background:{colour.group(1)}"' in html
    assert len(set(re.findall(r'class="avatar initials" style="background:([^"]+)"', html))) == 2


def test_a_persona_in_one_journey_gets_a_curve_whose_axis_labels_stand_apart(
    tmp_path: Path,
) -> None:
    """One journey: the wide curve is tall enough that +2, 0 and −2 do not overlap (they
    were drawn on top of each other in a 6 mm plot)."""
    import datetime as dt

    from cxsite.analysis.analyse import analyse
    from cxsite.briefs.context import brief_html
    from cxsite.validate.project import load_project

    root = write_project(tmp_path / "project", FILES)
    result = load_project(root)
    assert result.project is not None
    project = result.project
    brief = next(b for b in project.config.briefs if b.id == "maya")
    html = brief_html(
        project, analyse(project, result.metric_data), {}, brief, dt.date(2026, 11, 20)
    )
    svg = re.search(r'<div class="curve">(.*?)</svg>', html.html, re.S)
    assert svg is not None
    ys = {
        label: float(y)
        for y, label in re.findall(
            r'<text x="[\d.]+" y="([\d.]+)" text-anchor="end"[^>]*>([^<]+)<', svg[1]
        )
    }
    size = float(
        re.search(r'text-anchor="end"\s+font-family="DejaVu Sans" font-size="([\d.]+)"', svg[1])[1]
    )
    assert ys["0"] - ys["+2"] >= 1.5 * size and ys["−2"] - ys["0"] >= 1.5 * size


def test_a_persona_in_many_journeys_starts_them_on_page_one(tmp_path: Path) -> None:
    """The example's Maya in nine journeys: the first row of curves stays under her facts on
    page 1, not the whole grid moved to a nearly empty page 2."""
    import shutil

    from cxsite.resources import example_dir

    root = tmp_path / "project"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    for n in range(7):
        (root / f"journeys/extra-{n}.yaml").write_text(
            f"title: Extra journey {n}\nowner: CX\npersonas: [maya-okafor]\nstages:\n"
            "  - name: Start\n    emotion: 1\n  - name: End\n    emotion: -1\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    args = ["pdf", str(root), "-o", str(out), "--brief", "persona-maya-okafor", "-j", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    pages = pypdf.PdfReader(out / "briefs" / "persona-maya-okafor.pdf").pages
    assert "Buy in the app, collect in store" in " ".join(pages[0].extract_text().split())


ROLE_AR = "مخطط رحلات التخييم العائلية"
QUOTE_HE = "קראתי את המפרט שלוש פעמים."


@pytest.fixture(scope="module")
def rtl_persona(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A persona brief whose role is Arabic (with a share of customers) and quote Hebrew."""
    files = dict(FILES)
    files["personas/dan.yaml"] = (
        f"name: Dan Whitfield\nrole: {ROLE_AR}\nsegment_share: 0.31\nquote: {QUOTE_HE}\n"
        "evidence:\n  - source: Interviews\n    date: 2026-05-01\n"
    )
    files["cxsite.yaml"] = "title: Test CX\nbriefs:\n  - {id: dan, kind: persona, persona: dan}\n"
    root = write_project(tmp_path_factory.mktemp("rtl") / "project", files)
    result = run_pdf(str(root), "-o", str(root.parent / "out"))
    assert result.exit_code == 0, result.output
    return root


def _line_of(words: list[dict], word: str) -> list[dict]:
    """The words on the line of `word`, left to right."""
    top = next(w["top"] for w in words if w["text"] == word)
    return sorted((w for w in words if abs(w["top"] - top) < 2), key=lambda w: w["x0"])


def test_rtl_role_and_quote_keep_their_order_in_the_persona_brief(rtl_persona: Path) -> None:
    """The share stays whole after an Arabic role ("31 %" was split around it), and a Hebrew
    quote keeps its period at its own end (the left) inside the template's quote marks (the
    quote is laid out right to left: its opening mark at the right)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(rtl_persona.parent / "out" / "briefs" / "dan.pdf") as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        chars = page.chars
    role = [w["text"] for w in _line_of(words, "customers")]
    assert role[-5:] == ["·", "31", "%", "of", "customers"]
    assert len(role) == 4 + 5  # the role's four words, all left of the share
    top = next(c["top"] for c in chars if c["text"] == "”")
    quote = "".join(
        c["text"] for c in sorted(chars, key=lambda c: c["x0"]) if abs(c["top"] - top) < 2
    )
    assert quote.startswith("”.") and quote.endswith("“")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_an_rtl_quote_has_its_accent_bar_at_the_right(rtl_persona: Path) -> None:
    """The quote's accent bar (border-inline-start, the blockquote dir=rtl) stands at the
    start of the Hebrew text, on its right, not at the left while the text sits right."""
    pdfplumber = pytest.importorskip("pdfplumber")
    image = pytest.importorskip("PIL.Image")
    pdf = rtl_persona.parent / "out" / "briefs" / "dan.pdf"
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    top = next(c["top"] for c in chars if c["text"] == "”")
    line = [c for c in chars if abs(c["top"] - top) < 2]
    left, right = min(c["x0"] for c in line), max(c["x1"] for c in line)
    # at 72 dpi a pixel is a point, as pdfplumber counts
    png = subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", str(pdf)],
                         capture_output=True, check=True).stdout  # fmt: skip
    page = image.open(io.BytesIO(png)).convert("RGB")
    accent = (0xE0, 0x7A, 0x1F)  # the default brand accent

    def is_accent(x: int) -> bool:
        pixel = page.getpixel((x, round(top) + 4))
        return all(abs(a - b) < 24 for a, b in zip(pixel, accent, strict=True))

    bar = [x for x in range(page.width) if is_accent(x)]
    assert bar, "no accent bar on the quote's line"
    assert min(bar) > right and max(bar) - right < 20, (left, right, bar)


def test_user_values_are_isolated_in_the_persona_briefs_html(rtl_persona: Path) -> None:
    project = load_project(rtl_persona).project
    assert project is not None
    brief = project.config.brief_list()[0]
    html = brief_html(project, analyse(project, {}), {}, brief, dt.date(2026, 11, 1)).html
    assert f'<div class="role"><bdi dir="rtl">{ROLE_AR}</bdi> · 31 % of customers</div>' in html
    quote = f'<blockquote class="quote" dir="rtl">“<bdi dir="rtl">{QUOTE_HE}</bdi>”</blockquote>'
    assert quote in html
    assert '<h1 id="persona-dan"><bdi>Dan Whitfield</bdi></h1>' in html


NAME_AR, NAME_HE = "محمد العلي", "דוד כהן"
STAGES_HE = ("לבחור חנות", "לשלם", "לאסוף")


@pytest.fixture(scope="module")
def rtl_journey(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journey brief and a persona brief: personas named in Arabic and Hebrew, an Arabic
    role with a share of customers, Hebrew stage names (peak first, end last)."""
    files = dict(FILES)
    files["personas/maya.yaml"] = files["personas/maya.yaml"].replace("Maya Chen", NAME_AR)
    files["personas/dan.yaml"] = (
        f"name: {NAME_HE}\nrole: {ROLE_AR}\nsegment_share: 0.31\n"
        "evidence:\n  - source: Interviews\n    date: 2026-05-01\n"
    )
    stages = "".join(
        f"  - name: {name}\n    emotion: {emotion}\n    touchpoints: [web-shop]\n"
        for name, emotion in zip(STAGES_HE, (1.5, 0, -1), strict=True)
    )
    files["journeys/buy.yaml"] = f"title: Buy shoes\npersonas: [maya, dan]\nstages:\n{stages}"
    files["cxsite.yaml"] = (
        "title: Test CX\nbriefs:\n  - {id: dan, kind: persona, persona: dan}\n"
        "  - {id: map, kind: journey, journey: buy}\n"
    )
    root = write_project(tmp_path_factory.mktemp("rtl-journey") / "project", files)
    result = run_pdf(str(root), "-o", str(root.parent / "out"))
    assert result.exit_code == 0, result.output
    return root.parent / "out" / "briefs"


def _bbox_words(pdf: Path) -> list[tuple[float, float, str]]:
    """(top, left, word) of every word on the first page, as `pdftotext -bbox` places them."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    return [(float(y), float(x), unescape(w)) for x, y, w in found]


def _line(words: list[tuple[float, float, str]], word: str) -> list[tuple[float, str]]:
    """The words on the line of `word`, left to right, with their left edges."""
    top = next(t for t, _, w in words if w == word)
    return sorted((x, w) for t, x, w in words if abs(t - top) < 2)


def _left(line: list[tuple[float, str]], text: str) -> float:
    """The left edge of the first word of `line` that is a word of `text` (pdftotext gives a
    right-to-left word in visual order, its letters reversed, with a comma beside it)."""
    words = text.split()
    return min(x for x, w in line if w.strip(",") in words or w.strip(",")[::-1] in words)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_rtl_values_in_brief_messages_keep_the_sentence_order(rtl_journey: Path) -> None:
    """'Personas: {names}' lists the Arabic name before the Hebrew one (two right-to-left
    names joined by a comma swapped places), and 'Peak: {peak} · End: {end}' keeps each
    stage after its own word."""
    line = _line(_bbox_words(rtl_journey / "map.pdf"), "Personas:")
    words = [w for _, w in line]
    assert words[0] == "Personas:"
    assert _left(line, NAME_AR) < _left(line, NAME_HE) < _left(line, "Peak:")
    assert _left(line, "Peak:") < _left(line, STAGES_HE[0]) < _left(line, "End:")
    assert _left(line, "End:") < _left(line, STAGES_HE[2])
    share = _line(_bbox_words(rtl_journey / "dan.pdf"), "customers")
    assert [w for _, w in share][-5:] == ["·", "31", "%", "of", "customers"]
    assert _left(share, ROLE_AR) < _left(share, "31")


def test_brief_message_values_are_isolated_with_their_direction(rtl_journey: Path) -> None:
    project = load_project(rtl_journey.parent.parent / "project").project
    assert project is not None
    brief = next(b for b in project.config.brief_list() if b.id == "map")
    html = brief_html(project, analyse(project, {}), {}, brief, dt.date(2026, 11, 1)).html
    names = f'<bdi dir="rtl">{NAME_AR}</bdi>, <bdi dir="rtl">{NAME_HE}</bdi>'
    assert f"Personas: {names}" in html
    peak, end = (f'<bdi dir="rtl">{STAGES_HE[i]}</bdi>' for i in (0, 2))
    assert f"Peak: {peak} · End: {end}" in html


def test_pdf_says_its_steps_and_prints_paths_from_the_current_folder(tmp_path: Path) -> None:
    """`cxsite pdf` printed nothing on stderr (so `--quiet` did nothing) and the briefs'
    absolute paths; like `build` it now says its steps, and prints each path as the folder
    was written on the command line (docs/cli.md), e.g. for `cd` + copy-paste."""
    files = dict(FILES)
    files["cxsite.yaml"] = "title: Test CX\nbriefs:\n  - {id: dan, kind: persona, persona: dan}\n"
    write_project(tmp_path / "p", files)
    env = {**os.environ, "CXSITE_NO_SERVER": "1"}
    command = [sys.executable, "-m", "cxsite", "pdf", "p", "-j", "1"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "p/_site/briefs/dan.pdf\n"
    assert done.stderr.splitlines() == ["Validating", "Rendering 1 PDF brief"]
    again = subprocess.run([*command, "-q"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (again.stdout, again.stderr) == ("p/_site/briefs/dan.pdf\n", "")
