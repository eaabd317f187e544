"""The verdicts of SPEC 8.1 and the number formats of SPEC 8.13 where readers see them: KPI
tiles, metric pages, entity pages, data/cx.json, chart labels and the executive brief."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from cxsite.analysis.analyse import analyse
from cxsite.briefs.context import brief_html
from cxsite.charts.keys import journey_chart_key, plan_charts
from cxsite.commands.build import build_site
from cxsite.model import Brief
from cxsite.validate.project import load_project


def answers(period_day: str, counts: dict[int, int], touchpoint: str = "") -> list[str]:
    """CSV rows: `counts[score]` answers with that score on `period_day`."""
    return [f"{period_day},{score},{touchpoint}" for score, n in counts.items() for _ in range(n)]


def nps_csv(*rows: list[str]) -> str:
    return "date,score,touchpoint\n" + "".join(r + "\n" for part in rows for r in part)


# NPS 30 (n=100: 45 promoters, 40 passives, 15 detractors) -> 50 (n=80: 48/24/8)
ISSUE_CASE = nps_csv(
    answers("2026-09-10", {10: 45, 8: 40, 3: 15}),
    answers("2026-10-10", {9: 48, 7: 24, 0: 8}, "web-shop"),
)
RESPONSES_METRIC = (
    "name: Net Promoter Score\nkind: nps\ntarget: 60\nresponses: data/nps.csv\n"
    "scope:\n  touchpoints: [web-shop]\n"
)


def build(make_project, files: dict[str, str], tmp_path: Path) -> Path:
    root = make_project(files)
    out = tmp_path / f"site-{root.name}"
    build_site(root, out, pdf=False, strict=False, jobs=1)
    return out


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def svg_texts(svg: str) -> list[str]:
    """The text elements of an SVG chart (text is kept as text, not glyph outlines)."""
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def visible(page: str) -> str:
    """The text of a page as read: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_metric_page_kpi_tile_and_cx_json_show_the_verdict(make_project, tmp_path: Path):
    out = build(
        make_project,
        {"metrics/nps.yaml": RESPONSES_METRIC, "data/nps.csv": ISSUE_CASE},
        tmp_path,
    )
    page = read(out, "metrics/nps.html")
    text = visible(page)
    # the tile at the top and the change column of the values table
    assert "▲ +20 vs 2026-09 (better) · within noise" in text
    assert re.search(r'<td class="change"><span class="trend trend-flat trend-compact">', page)
    # the test, its numbers and its method, stated on the page
    assert (
        "From 2026-09 (n = 100) to 2026-10 (n = 80) the value changed by +20 points. The 95 % "
        "confidence interval of the change is −0.3 to +40.3 (z = 1.93, p = 0.053): within noise"
    ) in text
    assert "Method: the unpooled Wald test of the difference of two independent samples" in text
    # answers needed: v = .6 + .1 - .25 = .45, gap .10: 7.849 * .9 / .01 = 706.4 -> 707
    assert (
        "Answers needed: the latest value misses the target by 10 points. Telling a change of "
        "that size from noise takes about 707 answers per period (alpha 0.05, power 0.8, "
        "the variance of 2026-10); 2026-10 has 80."
    ) in text
    # home KPI tile: grey arrow, the verdict beside it
    home = read(out, "index.html")
    assert re.search(r'<span class="trend trend-flat">\s*<span aria-hidden="true">▲</span>', home)
    assert "▲ +20 vs 2026-09 (better) · within noise" in visible(home)
    # data/cx.json: the documented keys
    trend = json.loads(read(out, "data/cx.json"))["metrics"]["nps"]["computed"]["trend"]
    sig = trend["significance"]
    assert (trend["period"], trend["previous_period"], trend["direction"]) == (
        "2026-10",
        "2026-09",
        "up",
    )
    keys = "method delta se low high statistic df p n_previous n_latest min_responses verdict"
    assert sorted(sig) == sorted(keys.split())
    assert (sig["method"], sig["verdict"], sig["n_previous"], sig["n_latest"]) == (
        "wald",
        "noise",
        100,
        80,
    )
    assert round(sig["se"], 2) == 10.36 and sig["df"] is None
    computed = json.loads(read(out, "data/cx.json"))["metrics"]["nps"]["computed"]
    assert computed["answers_needed"] == 707
    assert computed["overall"]["n"] == 180
    # search shows the latest value as the pages do
    assert '"subtitle": "NPS · Satisfaction · 50 pts in 2026-10"' in read(out, "search-index.js")


def test_significant_change_is_coloured_and_gives_p(make_project, tmp_path: Path):
    csv = nps_csv(
        answers("2026-09-10", {10: 30, 8: 40, 3: 30}),  # NPS 0, n = 100
        answers("2026-10-10", {10: 60, 8: 30, 3: 10}),  # NPS 50, n = 100
    )
    out = build(make_project, {"metrics/nps.yaml": RESPONSES_METRIC, "data/nps.csv": csv}, tmp_path)
    home = read(out, "index.html")
    assert re.search(r'<span class="trend trend-good">\s*<span aria-hidden="true">▲</span>', home)
    assert "▲ +50 vs 2026-09 (better) · significant (p < 0.001)" in visible(home)


def test_min_responses_comes_from_cxsite_yaml(make_project, tmp_path: Path):
    out = build(
        make_project,
        {
            "cxsite.yaml": "title: Test CX\nmin_responses: 90\n",
            "metrics/nps.yaml": RESPONSES_METRIC,
            "data/nps.csv": ISSUE_CASE,
        },
        tmp_path,
    )
    text = visible(read(out, "metrics/nps.html"))
    assert "▲ +20 vs 2026-09 (better) · too few answers" in text
    assert "With fewer than 90 answers in a period, the change is not tested" in text
    cx = json.loads(read(out, "data/cx.json"))
    assert cx["metrics"]["nps"]["computed"]["trend"]["significance"]["verdict"] == "too-few"


def test_values_series_keep_their_coloured_arrow_without_a_verdict(make_project, tmp_path):
    out = build(make_project, {}, tmp_path)  # the base NPS: values 31 -> 35
    home = read(out, "index.html")
    assert re.search(r'<span class="trend trend-good">\s*<span aria-hidden="true">▲</span>', home)
    assert "▲ +4 vs 2026-Q1 (better)" in visible(home)
    assert "noise" not in visible(home) and "significant" not in visible(home)
    cx = json.loads(read(out, "data/cx.json"))
    assert cx["metrics"]["nps"]["computed"]["trend"]["significance"] is None


def test_touchpoint_page_shows_the_metric_among_its_answers(make_project, tmp_path: Path):
    out = build(
        make_project,
        {"metrics/nps.yaml": RESPONSES_METRIC, "data/nps.csv": ISSUE_CASE},
        tmp_path,
    )
    text = visible(read(out, "touchpoints/web-shop.html"))
    # the 80 answers of 2026-10 name the web shop: NPS 50 +- 14.7; all 180: (93 - 23) / 180 = 39
    assert (
        "Among the answers about this touchpoint, all periods Metric Here n ± MoE All answers "
        "Net Promoter Score 50 pts 80 ± 14.7 39 pts"
    ) in text


def test_chart_labels_equal_the_table_cells(make_project, tmp_path: Path):
    csv = nps_csv(
        answers("2026-08-10", {10: 89, 8: 2, 3: 9}),  # 80.0
        answers("2026-09-10", {10: 445, 8: 540, 3: 15}),  # 43.0, n = 1000
        answers("2026-10-10", {10: 89, 8: 111, 3: 0}),  # 44.5: half away from zero -> 45
    )
    out = build(make_project, {"metrics/nps.yaml": RESPONSES_METRIC, "data/nps.csv": csv}, tmp_path)
    svg = read(out, "charts/metric-nps-trend.svg")
    labels = svg_texts(svg)
    cells = re.findall(r'<td class="num">([^<]*) pts</td>', read(out, "metrics/nps.html"))
    for value in ("80", "43", "45"):
        assert value in labels, labels
        assert value in cells, cells
    assert "44" not in labels and "44.5" not in labels
    assert "Target 60" in labels
    composition = read(out, "charts/metric-nps-nps.svg")
    assert "+45" in svg_texts(composition)


@pytest.fixture
def half_emotions(make_project):
    root = make_project(
        {
            "journeys/buy.yaml": (
                "title: Buy running shoes\npersonas: [maya]\nstages:\n"
                "  - name: Browse\n    emotion: -0.5\n    touchpoints: [web-shop]\n"
                "  - name: Purchase\n    emotion: 0.5\n    touchpoints: [web-shop]\n"
                "    metrics: [nps]\n"
            ),
        }
    )
    return root


def test_half_emotions_read_the_same_on_chart_grid_and_brief(half_emotions, tmp_path: Path):
    # -0.5 and +0.5 round half away from zero: Negative and Positive everywhere
    out = tmp_path / "site"
    build_site(half_emotions, out, pdf=False, strict=False, jobs=1)
    grid = read(out, "journeys/buy.html")
    assert '<div class="emo emo-neg1">Negative</div>' in grid  # the feelings lane
    assert '<div class="emo emo-pos1">Positive</div>' in grid
    checked = load_project(half_emotions)
    analysis = analyse(checked.project, checked.metric_data)
    chart = plan_charts(checked.project, analysis)[journey_chart_key("buy")]
    assert "Browse: Negative (-0.5); Purchase: Positive (+0.5)" in chart.desc
    assert chart.data["emotions"] == [-0.5, 0.5]
    svg = read(out, journey_chart_key("buy"))
    assert "Browse: Negative (-0.5)" in html.unescape(svg)
    brief = brief_html(
        checked.project,
        analysis,
        {},
        Brief(id="map", kind="journey", journey="buy"),
        dt.date(2026, 11, 4),
    ).html
    brief_text = visible(brief)
    assert "Negative" in brief_text and "Positive" in brief_text
    assert "Neutral" not in brief_text


@pytest.mark.pdf
def test_executive_brief_states_the_verdict(make_project, tmp_path: Path):
    pypdf = pytest.importorskip("pypdf")
    root = make_project({"metrics/nps.yaml": RESPONSES_METRIC, "data/nps.csv": ISSUE_CASE})
    out = tmp_path / "site"
    build_site(root, out, pdf=True, strict=False, jobs=1)
    reader = pypdf.PdfReader(out / "briefs" / "executive.pdf")
    words = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "▲ +20 · within noise" in words
    assert "unpooled Wald test for NPS and CSAT" in words
