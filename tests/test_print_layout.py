"""SPEC 8.10's print layout, measured on the PDFs with pdfplumber:

- no page holds only a sliver: every page of every example brief that is not the last of
  its section (the next page starts a section: it has a bookmark near its top) uses at
  least 15 % of the page's text area;
- text, chart text included, prints at 7 pt or more in every brief;
- `paper: A3` prints a journey brief as a landscape wall poster with a 9-stage map on one
  page; on A4 landscape the 9 stages are split over pages and every column stays inside
  the page.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdf
import pytest
from test_briefs import FILES, run_pdf, write_project

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

MIN_FILL = 0.15
MIN_TEXT_PT = 7.0
# The text area: the page less the running header and footer bands (briefs.css @page).
TOP_MM, BOTTOM_MM = 20, 18
MM = 72 / 25.4


def briefs_of(out: Path) -> list[Path]:
    found = sorted((out / "briefs").glob("*.pdf"))
    assert found
    return found


def section_starts(path: Path) -> set[int]:
    """0-based pages with a bookmark in their top quarter (a section begins there)."""
    reader = pypdf.PdfReader(path)
    starts = set()

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            page = reader.get_destination_page_number(item)
            height = float(reader.pages[page].mediabox.height)
            top = item.get("/Top")
            if top is None or float(top) >= height * 0.75:
                starts.add(page)

    walk(reader.outline)
    return starts


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
    starts = section_starts(path)
    found = []
    with pdfplumber.open(path) as pdf:
        last = len(pdf.pages) - 1
        for number, page in enumerate(pdf.pages):
            if number == last or number + 1 in starts or number == 0:
                continue  # the cover, and the last page of a section, may be short
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


def test_no_page_of_an_example_brief_holds_only_a_sliver(example_build: Path) -> None:
    problems = [line for path in briefs_of(example_build) for line in slivers(path)]
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
        "<div style='height: 230mm; break-inside: avoid'><p>An unbreakable block.</p></div>"
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
