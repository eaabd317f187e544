"""The home page's top pain points: the places a pain occurs, the first two named and the
rest counted, so the list agrees with its "N journeys" badge."""

from __future__ import annotations

import re

from cxsite.commands.build import build_site

STAGE = "  - name: {name}\n    emotion: -1\n    touchpoints: [web-shop]\n    pain_points: [Slow]\n"


def test_a_pain_in_more_than_two_places_counts_the_others(make_project, tmp_path) -> None:
    stages = "".join(STAGE.format(name=name) for name in ("Browse", "Pay", "Wait"))
    root = make_project({"journeys/buy.yaml": f"title: Buy\npersonas: [maya]\nstages:\n{stages}"})
    build_site(root, tmp_path / "out", pdf=False)
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    pain = r'<li class="card pain[^>]*>.*?<div class="small muted">(.*?)</div>'
    places = re.search(pain, home, re.S)
    assert places is not None
    text = re.sub(r"<[^>]+>", "", places.group(1))
    assert text == "Buy › Browse · Buy › Pay · +1 more"
    assert '<a href="insights.html#pain-points">+1 more</a>' in places.group(1)
