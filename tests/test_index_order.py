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
