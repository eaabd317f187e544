"""The executive brief v2 (SPEC 8.10) on real PDFs: the one-page summary (headline, KPIs with
verdicts and notes, journeys by health, top risks with evidence, decisions), the Methods
page, the brief keys' bad input, and the brief in German."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_briefs import FILES, write_project

from cxsite.cli import cli

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.pdf

MM = 72 / 25.4


def _answers() -> str:
    """CSAT answers: 40 in September (30 satisfied), 40 in October (36 satisfied)."""
    rows = ["date,score"]
    for month, satisfied in (("09", 30), ("10", 36)):
        rows += [f"2026-{month}-{1 + i % 28:02d},{5 if i < satisfied else 2}" for i in range(40)]
    return "\n".join(rows) + "\n"


EXEC = (
    "  - id: exec\n"
    "    kind: executive\n"
    "    title: Board CX review\n"
    "    headline: Pickups are **late**, and the board must act\n"
    "    kpi_notes:\n"
    "      csat: Up since the new counter opened.\n"
    "    decisions:\n"
    "      - Fund the staging shelf <script>alert(1)</script>\n"
    "      - 'Hire <b onclick=\"x()\">two</b> pickup staff'\n"
)
V2 = {
    **FILES,
    "cxsite.yaml": FILES["cxsite.yaml"].replace(
        "  - {id: exec, kind: executive, title: Board CX review}\n", EXEC
    ),
    "metrics/csat.yaml": (
        "name: Pickup satisfaction\nkind: csat\ntarget: 80\nresponses: data/csat.csv\n"
    ),
    "data/csat.csv": _answers(),
}


def run(*args: str) -> object:
    """Invoke the CLI in-process."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def page_texts(path: Path) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def build(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Build the project's executive brief; its path."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795132800")  # 2026-11-20
    out = root.parent / "out"
    result = run("pdf", str(root), "-o", str(out), "--brief", "exec")
    assert result.exit_code == 0, result.output
    return out / "briefs" / "exec.pdf"


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The executive brief of V2, built once."""
    mp = pytest.MonkeyPatch()
    root = write_project(tmp_path_factory.mktemp("exec") / "project", V2)
    try:
        return build(root, mp)
    finally:
        mp.undo()


def test_page_one_is_the_summary_and_page_two_the_next_section(brief: Path) -> None:
    pages = page_texts(brief)
    first = pages[0]
    for expected in (
        "Board CX review",
        "Summary",
        "Pickups are late, and the board must act",
        "Decisions requested",
        "Fund the staging shelf",
        "Hire two pickup staff",
        "Top risks",
        "Journeys by health",
        "In this brief",
    ):
        assert expected.upper() in first.upper(), expected  # labels print in capitals
    # the KPI, its value and target, the verdict of its last change and its note
    assert "Pickup satisfaction" in first
    assert "90.0 %" in first and "80.0 %" in first
    assert "▲ +15.0 · within noise" in first  # 75 % -> 90 % on 40 answers each: p = 0.08
    assert "Up since the new counter opened." in first
    # the two high-severity pain points are the top risks
    assert "Order ready but still in the back room" in first
    assert "Stock shown as limited without sizes" in first
    # page 2 starts the next section, under the running header
    assert pages[1].splitlines()[0].strip() == "Key performance indicators"


def test_html_in_decisions_is_removed_from_the_pdf(brief: Path) -> None:
    text = "\n".join(page_texts(brief))
    for raw in ("<script>", "alert(1)", "<b", "onclick", "x()"):
        assert raw not in text, raw


def test_the_last_page_explains_the_methods(brief: Path) -> None:
    last = page_texts(brief)[-1]
    assert "Methods" in last
    # a CSAT KPI from responses: its formula, margin of error, sample sizes and the test
    assert "% of answers that are 4 or 5" in last
    assert "Margin of error" in last
    assert "with s the share of 4 and 5." in " ".join(last.split())
    assert "Sample sizes" in last
    assert "2026-10 40 2026-09 40 within noise" in last
    assert "at least 30 answers" in last
    assert "unpooled Wald z-test" in last
    assert "Welch" not in last  # no CES KPI: its test is not described
    assert "CSAT 1.96 × √(s (1 − s) / n) × 100" in last
    assert "NPS 1.96" not in last  # the NPS KPI has no answers: no margin of error
    # the health score with the configured weights
    assert "Journey health score" in last
    assert "Ownership 1 when the journey has an owner. 1" in last
    assert "Evidence" not in last  # the project records no evidence: left out of the score


def test_methods_shows_only_the_parts_with_data(tmp_path: Path, monkeypatch) -> None:
    files = {**V2, "cxsite.yaml": V2["cxsite.yaml"] + "health_weights: {ownership: 0.5}\n"}
    del files["metrics/csat.yaml"], files["data/csat.csv"]
    files["cxsite.yaml"] = files["cxsite.yaml"].replace(
        "    kpi_notes:\n      csat: Up since the new counter opened.\n", ""
    )
    last = page_texts(build(write_project(tmp_path / "p", files), monkeypatch))[-1]
    assert "Journey health score" in last
    assert "Ownership 1 when the journey has an owner. 0.5" in last
    for absent in ("Formulas", "Sample sizes", "Significance test"):
        assert absent not in last, absent


def test_a_brief_without_the_new_keys_still_has_a_summary(tmp_path: Path, monkeypatch) -> None:
    first = page_texts(build(write_project(tmp_path / "p", FILES), monkeypatch))[0]
    assert "SUMMARY" in first and "Net Promoter Score" in first
    assert "DECISIONS REQUESTED" not in first


def test_the_summary_in_german(tmp_path: Path, monkeypatch) -> None:
    files = {**V2, "cxsite.yaml": "language: de\n" + V2["cxsite.yaml"]}
    pages = page_texts(build(write_project(tmp_path / "p", files), monkeypatch))
    first, last = pages[0], pages[-1]
    for expected in (
        "Zusammenfassung",
        "Erbetene Entscheidungen",
        "Größte Risiken",
        "Journeys nach Gesundheit",
        "90,0 %",
        "▲ +15,0 · im Rauschen",
        "In diesem Bericht",
    ):
        assert expected.upper() in first.upper(), expected
    assert "Methoden" in last and "Stichprobengrößen" in last
    for english in ("Summary", "Decisions requested", "Top risks", "within noise", "Methods"):
        assert english.upper() not in (first + last).upper(), english


def test_kpi_notes_bad_input_lines(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "p",
        {
            **FILES,
            "cxsite.yaml": FILES["cxsite.yaml"] + "kpis: [nps]\n",
        },
    )
    text = (root / "cxsite.yaml").read_text()
    text = text.replace(
        "  - {id: exec, kind: executive, title: Board CX review}\n",
        "  - id: exec\n    kind: executive\n    kpi_notes: {nsp: Typo., churn: Not a KPI.}\n",
    ).replace(
        "  - {id: map, kind: journey, journey: buy, paper: Letter}\n",
        "  - {id: map, kind: journey, journey: buy, headline: Not here}\n"
        "  - {id: a5, kind: executive, paper: A5}\n",
    )
    (root / "cxsite.yaml").write_text(text)
    result = run("check", str(root))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if " error " in line]
    assert lines == [
        "cxsite.yaml:7:17: error E303: unknown metric 'nsp' (did you mean 'nps'?)",
        "cxsite.yaml:7:29: error E321: kpi_notes: metric 'churn' is not one of the KPIs "
        "(add it to 'kpis' or remove the note)",
        "cxsite.yaml:10:44: error E207: 'headline' is only for 'executive' briefs",
        "cxsite.yaml:11:31: error E205: unknown value 'A5' for 'paper' "
        "(expected one of: A4, A3, Letter)",
    ]


def test_a_summary_too_long_for_page_one_runs_onto_an_ordinary_page(
    tmp_path: Path, monkeypatch
) -> None:
    """Long journey titles and a dozen decisions push the summary past page 1, further than
    its KPI rows and risks could give back (so it keeps them): the page it runs onto has the
    margins, running title and page number of every page (it had none, and text 1.5 mm
    from the paper's edge), and every chart prints in DejaVu Sans like the text."""
    files = dict(V2)
    asks = "".join(
        f"      - Ask number {n}, a decision the board is asked to take\n" for n in range(12)
    )
    files["cxsite.yaml"] = files["cxsite.yaml"].replace(
        "    decisions:\n", "    decisions:\n" + asks
    )
    long = "Buy in the app and collect in store and exchange the size on the spot " * 2
    for n in range(5):
        files[f"journeys/extra-{n}.yaml"] = (
            f"title: {long.strip()} {n}\npersonas: [maya]\nstages:\n"
            "  - name: Start\n    emotion: -1\n"
            "    pain_points:\n      - {text: " + long.strip() + ", severity: high}\n"
        )
    path = build(write_project(tmp_path / "project", files), monkeypatch)
    pages = page_texts(path)
    assert "Board CX review" not in pages[0].splitlines()[0]  # page 1: the band, no header
    lines = pages[1].splitlines()
    assert "Board CX review Acme Outdoor" in lines  # the running title and organisation
    assert "7 Methods 8" in lines  # the end of the summary's contents
    assert f"Page 2 of {len(pages)}" in pages[1]
    reader = pypdf.PdfReader(path)
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    fonts |= {
        str(f["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for xobject in page["/Resources"].get("/XObject", {}).values()
        for f in xobject.get_object().get("/Resources", {}).get("/Font", {}).values()
    }
    assert fonts and all(name.startswith("DejaVu") for name in fonts), fonts


def words(path: Path) -> list[list[tuple[float, float, float, str]]]:
    """Each page's words as (x0, x1, bottom, text), read with poppler's `pdftotext -bbox`
    (the bottom: words of one line in different sizes share it within a point)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append(
            [
                (float(x0), float(x1), float(bottom), text)
                for x0, x1, bottom, text in re.findall(
                    r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
                    page,
                )
            ]
        )
    return pages


def on_one_line(
    page: list[tuple[float, float, float, str]], first: str, then: str, by_first: bool = True
) -> list[bool]:
    """For each word `first` on the page (each word `then` if not `by_first`): is it beside
    the other word, `first` just before `then` on the same line?"""
    pairs = [
        (a, b)
        for a in page
        for b in page
        if a[3] == first and b[3] == then and abs(a[2] - b[2]) < 1 and 0 <= b[0] - a[1] < 8
    ]
    found = {id(a if by_first else b) for a, b in pairs}
    return [id(w) in found for w in page if w[3] == (first if by_first else then)]


BILLIONS = {
    **V2,
    "metrics/gmv.yaml": (
        "name: Gross merchandise value\nkind: custom\ncategory: financial\nunit: €\n"
        "higher_is_better: true\ntarget: 2500000000\nowner: Finance\n"
        "values:\n  - {period: 2026-Q3, value: 1999999999}\n"
        "  - {period: 2026-Q4, value: 2345678901}\n"
    ),
    "metrics/revenue.yaml": (
        "name: Click & collect revenue\nkind: custom\ncategory: financial\nunit: €\n"
        "higher_is_better: true\ntarget: 15000000\nowner: Finance\n"
        "values:\n  - {period: 2026-Q3, value: 11980000}\n"
        "  - {period: 2026-Q4, value: 14210000}\n"
    ),
    "metrics/clv.yaml": (
        "name: Member lifetime value\nkind: clv\ncurrency: USD\ntarget: 640\n"
        "values:\n  - {period: 2026-Q2, value: 592}\n  - {period: 2026-Q3, value: 611}\n"
    ),
}


def test_kpis_in_the_billions_stay_inside_the_margin_on_one_line(
    tmp_path: Path, monkeypatch
) -> None:
    """A value in the billions kept the KPI table 13 mm past the right margin, its trend
    arrow alone above its number, and wrapped its tile's unit onto a line of its own."""
    path = build(write_project(tmp_path / "p", BILLIONS), monkeypatch)
    pages = words(path)
    width = float(pypdf.PdfReader(path).pages[0].mediabox.width)
    edge = width - 17 * MM + 1
    past = [(n, text) for n, page in enumerate(pages, 1) for _, x1, _, text in page if x1 > edge]
    assert past == []
    kpis = next(page for page in pages if "PERIOD" in {w[3] for w in page})
    # the tile and the table row: each number with its unit on one line
    assert on_one_line(kpis, "2,345,678,901", "€") == [True, True]
    assert on_one_line(kpis, "2,500,000,000", "€") == [True, True]  # tile foot, table
    assert on_one_line(kpis, "611", "USD") == [True, True]
    assert on_one_line(kpis, "640", "USD") == [True, True]
    # the trend's arrow beside its change, in the table and on the summary page
    assert on_one_line(kpis, "▲", "+345,678,902", by_first=False) == [True]
    assert on_one_line(pages[0], "▲", "+345,678,902", by_first=False) == [True]
    assert on_one_line(pages[0], "2,345,678,901", "€") == [True]


SPARSE = {
    "cxsite.yaml": "title: Sparse CX\nbriefs:\n  - {id: exec, kind: executive}\n",
    "personas/sam.yaml": "name: Sam Lee\nrole: Commuter\n",
    "journeys/buy.yaml": (
        "title: Buy a bike\npersonas: [sam]\nstages:\n  - name: Order online\n    emotion: 1\n"
    ),
}


def test_a_sparse_brief_lists_only_what_it_holds(tmp_path: Path, monkeypatch) -> None:
    """One persona, one journey of one stage, nothing else: the contents listed four sections
    that each pointed to a page saying only 'No ... yet'. Now the contents list what the
    brief holds, one line names the rest, and page 1 says there are no KPIs."""
    pages = [
        " ".join(p.split())
        for p in page_texts(build(write_project(tmp_path / "p", SPARSE), monkeypatch))
    ]
    first, rest = pages[0], " ".join(pages[1:])
    assert "SUMMARY No metrics are defined yet. JOURNEYS BY HEALTH" in first
    assert "1 Journeys by health, and their emotion curves 2 2 Methods 3" in first
    assert (
        "IN THIS BRIEF Not yet recorded: Key performance indicators · Top pain points · "
        "Opportunity backlog · Moments of truth."
    ) in first
    assert first.count("Key performance indicators") == 1  # not in the contents
    assert rest.startswith("Journeys by health, and their emotion curves")
    for absent in (
        "Key performance indicators",
        "Top pain points",
        "Opportunity backlog",
        "Moments of truth",
        "No metrics",
        "No pain points",
        "No opportunities",
    ):
        assert absent not in rest, absent


def test_a_small_curve_of_many_stages_shows_only_its_peak_and_end_values(
    tmp_path: Path, monkeypatch
) -> None:
    """In the small curves (more than 3 journeys), a 14-stage journey's value labels ran
    into its 'Peak' and 'End' labels (PDF stress review)."""
    files = dict(V2)
    stages = "".join(
        f"  - name: Step {i}\n    emotion: {(-1, 1, 2, -2, 0)[i % 5]}\n" for i in range(14)
    )
    files["journeys/long.yaml"] = f"title: Fourteen steps\npersonas: [maya]\nstages:\n{stages}"
    for n in range(3):
        files[f"journeys/extra-{n}.yaml"] = (
            f"title: Extra {n}\npersonas: [maya]\nstages:\n  - name: Start\n    emotion: 1\n"
        )
    pages = words(build(write_project(tmp_path / "p", files), monkeypatch))
    page = next(p for p in pages if "Peak" in {w[3] for w in p})
    title = [w for w in page if w[3] == "Fourteen"][-1]  # the curve's title, after the table
    column = [w for w in page if title[0] - 1 < w[0] < title[0] + 230]
    subtitle = next(w[2] for w in column if w[3] == "Peak:")
    below = [w[3] for w in column if subtitle + 2 < w[2] < subtitle + 70]
    values = [t for t in below if t.lstrip("+−-").replace(".", "").isdigit()]
    # the axis (+2, 0, −2) and the values of the peak (step 2) and the end (step 13), no other
    assert sorted(values) == sorted(["+2", "0", "−2", "+2", "−2"]), below
