"""Right-to-left values on the site: a name, role or stage written in Arabic or Hebrew is
isolated (`<bdi>`, or `dir="auto"` on a block holding only that text), so it does not
reorder the interface words, numbers and separators beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from curvefiles import AS_IS, curve_files

from cxsite.analysis.analyse import analyse
from cxsite.charts.draw import draw
from cxsite.charts.keys import compare_chart_key, journey_chart_key, plan_charts
from cxsite.commands.build import build_site
from cxsite.validate.project import load_project

ROLE_AR = "مخطط رحلات التخييم العائلية"
QUOTE_HE = "קראתי את המפרט שלוש פעמים."
TITLE_HE = "לקנות נעלי ריצה"
FIRST_HE, LAST_HE = "לבחור חנות", "לאסוף"

FILES = {
    "personas/maya.yaml": (
        f"name: Maya Chen\nrole: {ROLE_AR}\nsegment_share: 0.31\nquote: {QUOTE_HE}\n"
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    ),
    "journeys/buy.yaml": (
        f"title: {TITLE_HE}\npersonas: [maya]\nstages:\n"
        f"  - name: {FIRST_HE}\n    emotion: 1.5\n    touchpoints: [web-shop]\n    metrics: [nps]\n"
        f"    pain_points: [{{text: {QUOTE_HE}, severity: high, touchpoint: web-shop}}]\n"
        f"  - name: {LAST_HE}\n    emotion: -1\n    touchpoints: [web-shop]\n"
    ),
}


@pytest.fixture
def site(make_project, tmp_path: Path) -> Path:
    """The base project with an Arabic role, a Hebrew quote, journey title and stage names."""
    out = tmp_path / "out"
    build_site(make_project(FILES), out, pdf=False)
    return out


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_persona_page_isolates_the_role_and_quote(site: Path) -> None:
    html = page(site, "personas/maya.html")
    assert f'<p class="lede" dir="auto">{ROLE_AR}</p>' in html
    assert f'<blockquote class="quote" dir="auto">“{QUOTE_HE}”</blockquote>' in html


def test_journey_page_isolates_stage_names_beside_numbers(site: Path) -> None:
    html = page(site, "journeys/buy.html")
    assert (
        f'<span class="stage-num">1</span><span class="stage-name"><bdi>{FIRST_HE}</bdi></span>'
        in html
    )
    assert f'<div class="kpi-meta"><a href="#stage-1"><bdi>{FIRST_HE}</bdi></a></div>' in html
    drop = f"<span><bdi>{FIRST_HE}</bdi> → <bdi>{LAST_HE}</bdi></span>"
    assert f'<div class="kpi-meta">{drop}</div>' in html
    assert f'<li class="pain sev-high"><bdi>{QUOTE_HE}</bdi><div class="badges">' in html


def test_home_page_isolates_journey_and_stage_in_a_place(site: Path) -> None:
    html = page(site, "index.html")
    where = f'<a href="journeys/buy.html#stage-1"><bdi>{TITLE_HE}</bdi> › <bdi>{FIRST_HE}</bdi></a>'
    assert where in html
    assert f'<div dir="auto">{QUOTE_HE}</div>' in html
    assert f'<p class="persona-role" dir="auto">{ROLE_AR}</p>' in html
    assert f"<td><bdi>{FIRST_HE}</bdi> (+1.5)</td>" in page(site, "journeys/index.html")


def test_a_latin_value_is_escaped_inside_its_isolation(make_project, tmp_path: Path) -> None:
    files = dict(FILES)
    files["journeys/buy.yaml"] = files["journeys/buy.yaml"].replace(
        f"name: {FIRST_HE}", 'name: "Pick <b>&</b> pay"'
    )
    build_site(make_project(files), tmp_path / "out", pdf=False)
    html = page(tmp_path / "out", "journeys/buy.html")
    assert '<span class="stage-name"><bdi>Pick &lt;b&gt;&amp;&lt;/b&gt; pay</bdi></span>' in html


def test_values_filled_into_messages_are_isolated(site: Path) -> None:
    """'Peak: {stage} ({emotion})': the Hebrew stage keeps the number after it."""
    peak = f"<span>Peak: <bdi>{FIRST_HE}</bdi> (+1.5)</span>"
    assert peak in page(site, "index.html")
    assert peak in page(site, "journeys/index.html")
    assert "Journeys <bdi>Maya Chen</bdi> takes" in page(site, "personas/maya.html")


# Attributes, chart SVG text and search entries cannot hold a <bdi>: a right-to-left value
# there is isolated with FSI … PDI, and a Latin one is left as it is (its bytes unchanged).
FSI, PDI = "\u2068", "\u2069"


def _isolated(value: str) -> str:
    return f"{FSI}{value}{PDI}"


def test_rtl_values_in_plain_text_are_isolated(site: Path) -> None:
    html = page(site, "journeys/buy.html")
    title, first, last = (_isolated(v) for v in (TITLE_HE, FIRST_HE, LAST_HE))
    desc = (
        f"Emotion across the 2 stages of {title}. {first}: Very positive (+1.5); "
        f"{last}: Negative (-1). Peak: {first} (+1.5). End: {last} (-1)."
    )
    assert f'alt="{desc}"' in html  # the chart's alt text
    assert f'aria-label="Emotion curve: {first} +1.5, {last} −1"' in html  # the map's curve
    assert f'role="region" aria-label="Emotion curve: {title}"' in html
    svg = page(site, "charts/journey-buy-emotion.svg")
    assert f">{desc}</desc>" in svg
    assert f">Emotion curve: {title}</title>" in svg
    index = page(site, "search-index.js")
    assert f'"subtitle": "High severity · {title} › {first}"' in index
    assert f'"subtitle": "{title} · stage 1"' in index


def test_latin_values_in_plain_text_are_not_isolated(make_project, tmp_path: Path) -> None:
    files = {
        path: text.replace(TITLE_HE, "Buy running shoes")
        .replace(FIRST_HE, "Pick a shop")
        .replace(LAST_HE, "Collect")
        for path, text in FILES.items()
    }
    out = tmp_path / "out"
    build_site(make_project(files), out, pdf=False)
    html = page(out, "journeys/buy.html")
    assert 'aria-label="Emotion curve: Pick a shop +1.5, Collect −1"' in html
    assert 'alt="Emotion across the 2 stages of Buy running shoes. Pick a shop: ' in html
    svg = page(out, "charts/journey-buy-emotion.svg")
    assert ">Emotion curve: Buy running shoes</title>" in svg
    index = page(out, "search-index.js")
    assert '"subtitle": "High severity · Buy running shoes › Pick a shop"' in index
    for text in (html, svg, index, page(out, "index.html")):
        assert FSI not in text and PDI not in text


THEME = Path(__file__).parent.parent / "themes" / "default"


@pytest.mark.parametrize(
    ("sheet", "selector"),
    [
        ("static/cxsite.css", "blockquote"),
        ("static/cxsite.css", ".profile-hero .quote"),
        ("static/cxsite.css", ".thought"),
        ("templates/briefs/briefs.css", ".quote"),
    ],
)
def test_a_quotes_accent_bar_follows_its_direction(sheet: str, selector: str) -> None:
    """A quote's bar is on the start side of its text (dir=auto on the site, dir=rtl in the
    briefs): the logical properties, so an Arabic or Hebrew quote has it on the right."""
    css = (THEME / sheet).read_text(encoding="utf-8")
    rule = re.search(rf"(?m)^{re.escape(selector)} \{{([^}}]*)\}}", css)
    assert rule is not None
    body = rule.group(1)
    assert "border-inline-start:" in body
    assert "border-left" not in body and "padding-left" not in body


def test_right_to_left_names_inside_charts_are_isolated(make_project) -> None:
    """Text drawn in a chart beside interface words or numbers ("Peak: <name>", "As-is:
    <title>", "<level>  1")
    isolates a right-to-left name, so the words keep their side of it; Latin text is
    unchanged (content/'s charts keep their bytes)."""
    files = curve_files()
    files["personas/lea.yaml"] = files["personas/lea.yaml"].replace("Lea Roux", ROLE_AR)
    files["touchpoints/desk.yaml"] += "pyramid: usability\n"
    files["cxsite.yaml"] = f"title: T\nlabels:\n  pyramid.usability: {FIRST_HE}\n"
    files["journeys/visit.yaml"] = AS_IS.replace("title: Visit today", f"title: {TITLE_HE}")
    project = load_project(make_project(files, base=False)).project
    assert project is not None
    plan = plan_charts(project, analyse(project, {}))
    curves = draw(plan[journey_chart_key("clinic")]).decode()
    first = ROLE_AR.split()[0]  # the curves' notes name a persona by the first word
    assert f">Peak: \u2068{first}\u2069<" in curves and f">End: \u2068{first}\u2069<" in curves
    assert ">End: Ana<" in curves  # a Latin name as it was
    pair = draw(plan[compare_chart_key("visit", "visit-2027")]).decode()
    assert f"As-is: \u2068{TITLE_HE}\u2069" in pair
    assert "To-be: Visit in 2027" in pair
    pyramid = draw(plan["charts/pyramid.svg"]).decode()
    assert f">\u2068{FIRST_HE}\u2069  1<" in pyramid  # the count after the level's name
