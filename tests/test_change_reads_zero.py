"""A change that rounds to 0 in its kind's digits (NPS 30.0 -> 29.6 reads 30 -> 30) has no
direction anywhere: `▶ 0`, grey, as an unchanged value, never `▲ 0` or `▼ 0` (SPEC 8.13)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from test_change_display import answers, build, nps_csv, read, visible

from cxsite.analysis.formats import trend_text
from cxsite.analysis.metrics import trend
from cxsite.metricdata.types import PeriodPoint

# NPS 30 (n=100: 45/40/15) -> 29.6 (n=125: 56/50/19)
CSV = nps_csv(
    answers("2026-09-10", {10: 45, 8: 40, 3: 15}),
    answers("2026-10-10", {10: 56, 8: 50, 3: 19}),
)
METRIC = "name: Net Promoter Score\nkind: nps\ntarget: 60\nresponses: data/nps.csv\n"


def test_trend_of_a_change_that_reads_0_is_flat() -> None:
    before = PeriodPoint("2026-09", 30.2)
    after = PeriodPoint("2026-10", 30.4)
    found = trend(after, before, better_high=True, kind="nps")
    assert (found.direction, found.verdict, found.tone) == ("flat", "same", "flat")
    assert trend_text(found, "nps") == "▶ 0"
    # one decimal for CSAT: +0.2 is a change
    assert trend_text(trend(after, before, True, "csat"), "csat") == "▲ +0.2"
    assert trend_text(trend(before, after, True, "csat"), "csat") == "▼ −0.2"


def test_pages_and_cx_json_show_no_direction(make_project, tmp_path: Path) -> None:
    out = build(make_project, {"metrics/nps.yaml": METRIC, "data/nps.csv": CSV}, tmp_path)
    page = visible(read(out, "metrics/nps.html"))
    assert "▶ 0 vs 2026-09 (same) · within noise" in page
    home = read(out, "index.html")
    assert "▶ 0 vs 2026-09 (same) · within noise" in visible(home)
    assert re.search(r'<span class="trend trend-flat">\s*<span aria-hidden="true">▶</span>', home)
    for html in out.rglob("*.html"):
        assert not re.search(r"[▲▼]\s*0(?![.,\d])", visible(html.read_text())), html
    computed = json.loads(read(out, "data/cx.json"))["metrics"]["nps"]["computed"]
    assert computed["trend"]["direction"] == "flat"
