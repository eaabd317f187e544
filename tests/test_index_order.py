"""Indexes list entities by their display name, not by file name; journey tags are labelled
apart from the personas (issue 18 point 11)."""

from __future__ import annotations

import re

from cxsite.commands.build import build_site

PERSONA = "name: {name}\nrole: Runner\nevidence:\n  - source: Interviews\n    date: 2026-06-01\n"
TOUCHPOINT = "name: {name}\nchannel: web\nphase: during\n"


def test_indexes_sort_by_display_name_and_tags_are_labelled(make_project, tmp_path) -> None:
    root = make_project(
        {
            "personas/a-zoe.yaml": PERSONA.format(name="Zoe Park"),
            "personas/z-amy.yaml": PERSONA.format(name="amy Lee"),
            "touchpoints/a-web.yaml": TOUCHPOINT.format(name="Website"),
            "touchpoints/z-app.yaml": TOUCHPOINT.format(name="App"),
            "journeys/buy.yaml": "title: Buy running shoes\npersonas: [maya]\ntags: [priority]\n"
            "stages:\n  - name: Purchase\n    emotion: 1\n    touchpoints: [web-shop]\n",
        }
    )
    out = tmp_path / "out"
    build_site(root, out, pdf=False)
    personas = (out / "personas/index.html").read_text(encoding="utf-8")
    shown = re.findall(r'href="(?:personas/)?([a-z-]+)\.html"', personas)
    assert [p for p in dict.fromkeys(shown) if p in ("z-amy", "maya", "a-zoe")] == [
        "z-amy",
        "maya",
        "a-zoe",
    ]
    catalog = (out / "touchpoints/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<th scope="row"><a\s+href="([a-z-]+)\.html"', catalog)
    assert rows == ["z-app", "web-shop", "a-web"]
    journey = (out / "journeys/buy.html").read_text(encoding="utf-8")
    assert re.search(r"<span>Tags:</span>\s*<span class=\"badge badge-outline\">priority", journey)


def test_the_metrics_table_lists_metrics_by_name(make_project, tmp_path) -> None:
    metric = "name: {name}\nkind: custom\ncategory: operational\nhigher_is_better: true\n"
    root = make_project(
        {
            "metrics/a-zeta.yaml": metric.format(name="Zeta rate"),
            "metrics/z-alpha.yaml": metric.format(name="alpha rate"),
        }
    )
    out = tmp_path / "out"
    build_site(root, out, pdf=False)
    page = (out / "metrics/index.html").read_text(encoding="utf-8")
    table = page[page.index("<tbody>") :]
    rows = re.findall(r'<th scope="row"><a\s+href="([a-z-]+)\.html"', table)
    assert [r for r in rows if r != "nps"] == ["z-alpha", "a-zeta"]
