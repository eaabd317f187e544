"""`kpis` in cxsite.yaml picks and orders the home page KPI tiles and the executive brief's
KPI table (SPEC 8.16; issue 18 point 10)."""

from __future__ import annotations

import re
from pathlib import Path

from cxsite.analysis.analyse import analyse
from cxsite.briefs.executive import executive_context
from cxsite.commands.build import build_site
from cxsite.validate.project import load_project

CSAT = "name: Visit satisfaction\nkind: csat\nvalues:\n  - {period: 2026-Q2, value: 81}\n"
CHURN = "name: Churn\nkind: churn\ntarget: 5\nvalues:\n  - {period: 2026-Q2, value: 4}\n"
FILES = {"metrics/csat.yaml": CSAT, "metrics/churn.yaml": CHURN}


def _tiles(out: Path) -> list[str]:
    html = (out / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<h3 class="kpi-name"><a href="[^"]+">([^<]+)</a>', html)


def test_default_order_targets_first_then_category_and_name(make_project, tmp_path) -> None:
    root = make_project(FILES)
    build_site(root, tmp_path / "out", pdf=False)
    # NPS and churn have targets (satisfaction before behavioral); CSAT has none.
    assert _tiles(tmp_path / "out") == ["Net Promoter Score", "Churn", "Visit satisfaction"]


def test_kpis_pick_and_order_the_tiles_and_the_brief_table(make_project, tmp_path) -> None:
    root = make_project({**FILES, "cxsite.yaml": "title: Test CX\nkpis: [csat, nps]\n"})
    build_site(root, tmp_path / "out", pdf=False)
    assert _tiles(tmp_path / "out") == ["Visit satisfaction", "Net Promoter Score"]
    result = load_project(root)
    assert result.project is not None
    analysis = analyse(result.project, result.metric_data)
    kpis = executive_context(result.project, analysis, {})["kpis"]
    assert [k["id"] for k in kpis] == ["csat", "nps"]


def test_an_unknown_kpi_is_an_error_with_did_you_mean(make_project) -> None:
    root = make_project({**FILES, "cxsite.yaml": "title: Test CX\nkpis: [nps, csta]\n"})
    assert [p.format() for p in load_project(root).problems if p.severity == "error"] == [
        "cxsite.yaml:2:13: error E303: unknown metric 'csta' (did you mean 'csat'?)"
    ]
