"""freshness.html (SPEC 8.4): every entity with owner, dates and status, overdue first;
complete without JavaScript, linked from the navigation of every page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from click.testing import CliRunner

from cxsite.analysis.freshness import freshness
from cxsite.cli import cli
from cxsite.validate.project import load_project

EPOCH = "1793750400"  # 2026-11-04
AS_OF = dt.date(2026, 11, 4)
FILES = {
    "cxsite.yaml": "title: Test CX\nreview_every_months: 6\n",
    "personas/maya.yaml": (
        "name: Maya Chen\nrole: Busy urban runner\nowner: Research team\nreviewed: 2026-03-01\n"
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    ),
    "personas/ana.yaml": (
        "name: Ana Lopez\nrole: Weekend hiker\nowner: Research team\nreviewed: 2026-05-20\n"
        "evidence:\n  - source: Survey\n    date: 2026-06-01\n"
    ),
    "journeys/buy.yaml": (
        "title: Buy running shoes\npersonas: [maya, ana]\nowner: CX team\nreviewed: 2026-10-01\n"
        "stages:\n  - name: Purchase\n    emotion: 1\n    touchpoints: [web-shop]\n"
        "    metrics: [nps]\n"
    ),
    "touchpoints/web-shop.yaml": (
        "name: Web shop\nchannel: web\nphase: during\nowner: Digital team\n"
        "reviewed: 2026-09-01\nreview_every_months: 2\nmetrics: [nps]\n"
    ),
}


def test_rows_are_ordered_overdue_first(make_project) -> None:
    result = load_project(make_project(FILES))
    assert result.project is not None
    table = freshness(result.project, AS_OF)
    assert [(r.kind, r.id, r.status, r.due, r.days_left) for r in table.rows] == [
        ("personas", "maya", "overdue", dt.date(2026, 9, 1), -64),
        ("touchpoints", "web-shop", "overdue", dt.date(2026, 11, 1), -3),
        ("personas", "ana", "due within 30 days", dt.date(2026, 11, 20), 16),
        ("metrics", "nps", "never reviewed", None, None),
        ("journeys", "buy", "ok", dt.date(2027, 4, 1), 148),
    ]
    assert table.counts == (
        ("overdue", 2),
        ("due within 30 days", 1),
        ("never reviewed", 1),
        ("ok", 1),
    )
    assert table.owners == ("CX team", "Digital team", "Research team")
    assert table.kinds == ("personas", "journeys", "touchpoints", "metrics")
    assert table.unowned == 1
    assert table.rows[0].source == "personas/maya.yaml"
    assert table.rows[0].page == "personas/maya.html"
    assert not table.has_last_change
    # the last change (from git history, when the caller has it) lands on its file's row
    table = freshness(result.project, AS_OF, {"metrics/nps.yaml": "2026-10-30 · 1a2b3c4"})
    assert table.has_last_change
    assert [r.last_change for r in table.rows if r.id == "nps"] == ["2026-10-30 · 1a2b3c4"]


def _build(root: Path, out: Path) -> str:
    result = CliRunner(env={"SOURCE_DATE_EPOCH": EPOCH}).invoke(
        cli, ["build", str(root), "-o", str(out), "--no-pdf", "-q"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return (out / "freshness.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_page_lists_every_entity_without_javascript(make_project, tmp_path: Path) -> None:
    html = _build(make_project(FILES), tmp_path / "site")
    rows = re.findall(r"<tr data-owner=\"([^\"]*)\" data-kind=\"(\w+)\" data-status=\"([^\"]+)\">"
                      r"(.*?)</tr>", html, re.S)  # fmt: skip
    assert [(owner, kind, status) for owner, kind, status, _ in rows] == [
        ("Research team", "personas", "overdue"),
        ("Digital team", "touchpoints", "overdue"),
        ("Research team", "personas", "due within 30 days"),
        ("-", "metrics", "never reviewed"),
        ("CX team", "journeys", "ok"),
    ]
    assert [_text(cells) for *_, cells in rows] == [
        "Maya Chen personas/maya.yaml Overdue 1 Sep 2026 64 days late 1 Mar 2026 Research team "
        "Persona",
        "Web shop touchpoints/web-shop.yaml Overdue 1 Nov 2026 3 days late every 2 months "
        "1 Sep 2026 Digital team Touchpoint",
        "Ana Lopez personas/ana.yaml Due within 30 days 20 Nov 2026 in 16 days 20 May 2026 "
        "Research team Persona",
        "Net Promoter Score metrics/nps.yaml Never reviewed – – – Metric",
        "Buy running shoes journeys/buy.yaml OK 1 Apr 2027 in 148 days 1 Oct 2026 CX team Journey",
    ]
    assert 'href="personas/maya.html"' in rows[0][3]
    text = _text(html)
    assert "5 pages, 1 without an owner" in text
    assert "statuses as of 4 Nov 2026" in text
    assert "2 Overdue 1 Due within 30 days 1 Never reviewed 1 OK" in text
    # the filters are hidden until the script shows them; they offer every owner and kind
    assert '<form class="card filters" id="freshness-filters" hidden' in html
    owners = re.search(r'<select name="owner".*?</select>', html, re.S).group()
    assert re.findall(r'<option value="([^"]*)">', owners) == [
        "", "CX team", "Digital team", "Research team", "-"
    ]  # fmt: skip
    assert "Last change" not in html  # no history known: no empty column


def test_every_page_links_to_it(make_project, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _build(make_project(FILES), out)
    for rel in ("index.html", "personas/maya.html", "insights.html", "search.html"):
        page = (out / rel).read_text(encoding="utf-8")
        link = "freshness.html" if "/" not in rel else "../freshness.html"
        assert f'<a href="{link}">Freshness</a>' in page, rel
    assert '<a href="freshness.html" aria-current="page">Freshness</a>' in (
        out / "freshness.html"
    ).read_text(encoding="utf-8")


def test_an_empty_project_has_the_page(make_project, tmp_path: Path) -> None:
    html = _build(make_project({"cxsite.yaml": "title: Empty\n"}, base=False), tmp_path / "s")
    assert "Nothing to review yet" in html


def test_the_example_has_a_mix_of_statuses() -> None:
    content = Path(__file__).resolve().parent.parent / "content"
    result = load_project(content)
    assert result.project is not None
    table = freshness(result.project, dt.date(2026, 11, 27))
    counts = dict(table.counts)
    assert counts["overdue"] == 0  # W512 would fail `check --strict`
    assert counts["due within 30 days"] >= 3
    assert counts["never reviewed"] >= 3
    assert counts["ok"] >= 20
    assert table.unowned == 0  # the example sets require_owners: true
    assert len(table.owners) >= 10
