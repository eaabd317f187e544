"""Pages of large projects stay bounded: metric breakdowns, the importance heatmap, cx.json."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path

from click.testing import CliRunner

from cxsite.analysis.analyse import analyse
from cxsite.cli import cli
from cxsite.site.cxjson import cx_document
from cxsite.site.pages import BREAKDOWN_ROWS
from cxsite.validate.project import load_project

EPOCH = "1790000000"  # 2026-09-21


def _build(root: Path) -> Path:
    out = root / "_site"
    result = CliRunner().invoke(
        cli,
        ["build", str(root), "-o", str(out), "--no-pdf"],
        catch_exceptions=False,
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.exit_code == 0, result.output
    return out


def _text(html: str) -> str:
    """The text a reader sees in an HTML snippet, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def _table(html: str, caption: str) -> str:
    """The HTML from a table's caption to the end of its scrolling box."""
    start = html.index(f"<caption>{caption}</caption>")
    return html[start : html.index("</div>", start)]


# 25 touchpoints; t00/t01 have 30 responses, t02/t03 29, ... (pairs tie on n); names run
# backwards ("Zone y", "Zone x", ...) so a tie is broken by name, not by id.
COUNT = 25


def _name(i: int) -> str:
    return f"Zone {chr(ord('y') - i)}"


def _responses(i: int) -> int:
    return 30 - i // 2


def _breakdown_files() -> dict[str, str]:
    files = {
        f"touchpoints/t{i:02d}.yaml": f"name: {_name(i)}\nchannel: web\nphase: during\n"
        for i in range(COUNT)
    }
    rows = ["date,score,touchpoint"]
    for i in range(COUNT):
        rows += [f"2026-0{1 + k % 3}-10,{k % 11},t{i:02d}" for k in range(_responses(i))]
    files["data/nps.csv"] = "\n".join(rows) + "\n"
    files["metrics/nps.yaml"] = "name: Net Promoter Score\nkind: nps\nresponses: data/nps.csv\n"
    return files


def test_breakdown_over_the_limit_shows_the_top_segments_and_says_so(make_project) -> None:
    out = _build(make_project(_breakdown_files()))
    html = (out / "metrics/nps.html").read_text(encoding="utf-8")
    table = _table(html, "By touchpoint (all periods)")
    shown = re.findall(r'href="../touchpoints/(t\d\d)\.html">([^<]+)</a></th>', table)
    # most responses first; within a pair the name decides ("Zone x" before "Zone y")
    expected = [i + (1 - k) for i in range(0, BREAKDOWN_ROWS, 2) for k in range(2)]
    assert [(tid, name) for tid, name in shown] == [(f"t{i:02d}", _name(i)) for i in expected]
    assert re.findall(r'<td class="num">(\d+)</td>', table)[:4] == ["30", "30", "29", "29"]
    assert (
        f"Showing the {BREAKDOWN_ROWS} touchpoints with the most responses, of {COUNT}. "
        "Every segment is in data/cx.json." in _text(table)
    )
    assert 'href="../data/cx.json"' in table
    # the data file keeps every segment
    data = json.loads((out / "data/cx.json").read_text(encoding="utf-8"))
    assert len(data["metrics"]["nps"]["computed"]["breakdowns"]["touchpoint"]) == COUNT


def test_breakdown_within_the_limit_lists_every_segment_in_id_order(make_project) -> None:
    files = _breakdown_files()
    for i in range(BREAKDOWN_ROWS, COUNT):
        del files[f"touchpoints/t{i:02d}.yaml"]
    rows = files["data/nps.csv"].splitlines()
    kept = [r for r in rows[1:] if int(r.rsplit(",t", 1)[1]) < BREAKDOWN_ROWS]
    files["data/nps.csv"] = "\n".join([rows[0], *kept]) + "\n"
    html = (_build(make_project(files)) / "metrics/nps.html").read_text(encoding="utf-8")
    table = _table(html, "By touchpoint (all periods)")
    shown = re.findall(r'href="../touchpoints/(t\d\d)\.html"', table)
    assert shown == [f"t{i:02d}" for i in range(BREAKDOWN_ROWS)]
    assert "Showing the" not in table


def _heatmap_files(personas: int, touchpoints: int) -> dict[str, str]:
    """Persona p rates touchpoint t when (t + p) % 4 == 0, importance 1 + (t + 2p) % 5."""
    files = {
        f"personas/p{p:02d}.yaml": f"name: Persona {p}\nrole: Customer\n" for p in range(personas)
    }
    for t in range(touchpoints):
        ratings = "".join(
            f"  p{p:02d}: {{importance: {1 + (t + 2 * p) % 5}, satisfaction: 3}}\n"
            for p in range(personas)
            if (t + p) % 4 == 0 or (t < 3 and p < 20)  # t00..t02 rated by many
        )
        files[f"touchpoints/t{t:03d}.yaml"] = (
            f"name: Spot {t}\nchannel: web\nphase: during\nratings:\n{ratings}"
        )
    return files


def test_heatmap_over_the_limit_is_bounded_and_says_so(make_project) -> None:
    out = _build(make_project(_heatmap_files(40, 120)))
    html = (out / "insights.html").read_text(encoding="utf-8")
    section = html[html.index('id="heatmap"') :]
    section = section[: section.index("</section>")]
    header = re.search(r"<thead>(.*?)</thead>", section, re.S).group(1)
    rows = re.findall(r'<tr><th scope="row"><a href="touchpoints/(t\d+)\.html">', section)
    assert header.count('scope="col" class="num"') == 16
    assert len(rows) == 40
    assert {"t000", "t001", "t002"} <= set(rows)  # rated by the most personas
    assert rows == sorted(rows)
    # 120 touchpoints and 40 personas, plus the base project's web shop rated by Maya
    assert (
        "Showing the 40 touchpoints rated by the most of these personas, of 121, and the 16 "
        "personas with the most ratings, of 41. Each persona’s page lists every touchpoint it "
        "rated" in _text(section)
    )
    svg = (out / "charts/importance-heatmap.svg").read_text(encoding="utf-8")
    assert "of 121, and the 16 personas with the most ratings, of 41." in svg
    # each persona's page still lists every touchpoint it rated
    persona = (out / "personas/p39.html").read_text(encoding="utf-8")
    rated = {f"t{t:03d}" for t in range(120) if (t + 39) % 4 == 0}
    assert rated <= set(re.findall(r'href="../touchpoints/(t\d+)\.html"', persona))


def test_small_heatmap_shows_everything_without_a_sentence(make_project) -> None:
    out = _build(make_project(_heatmap_files(4, 30)))
    html = (out / "insights.html").read_text(encoding="utf-8")
    section = html[html.index('id="heatmap"') :]
    # 30 touchpoints and 4 personas, plus the base project's web shop rated by Maya
    assert len(re.findall(r'<tr><th scope="row"><a href="touchpoints/', section)) == 31
    assert "Showing the" not in section


def test_cx_json_is_compact_and_equals_the_model(make_project) -> None:
    root = make_project(_breakdown_files())
    text = (_build(root) / "data/cx.json").read_text(encoding="utf-8")
    assert "\n" not in text.rstrip("\n") and ": " not in text.replace('": "', "")
    result = load_project(root)
    assert result.project is not None
    analysis = analyse(result.project, result.metric_data, as_of=dt.date(2026, 9, 21))
    expected = cx_document(result.project, analysis, dt.date(2026, 9, 21))
    assert json.loads(text) == expected
    assert list(json.loads(text)) == list(expected)
    assert len(expected["metrics"]["nps"]["computed"]["breakdowns"]["touchpoint"]) == COUNT
    # the points are the analysis's, every field that is set, in field order
    summary = analysis.metrics["nps"]
    computed = json.loads(text)["metrics"]["nps"]["computed"]

    def fields(point: object) -> dict:
        return {k: v for k, v in point._asdict().items() if v is not None}

    assert computed["series"] == [fields(p) for p in summary.points]
    by_tp = computed["breakdowns"]["touchpoint"]
    rows = summary.breakdowns["touchpoint"]
    assert by_tp == {eid: fields(p) for eid, p in rows}
    assert [list(p) for p in by_tp.values()] == [list(fields(p)) for _, p in rows]
