"""A curve per persona, pain points per persona, and as-is / to-be journeys (SPEC 8.7):
the model, the analyses, the charts, the pages, search, cx.json and the journey brief."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from curvefiles import AS_IS, VALUES
from curvefiles import curve_files as _files

from cxsite.analysis.analyse import analyse
from cxsite.charts.keys import compare_chart_key, journey_chart_key, plan_charts
from cxsite.cli import cli
from cxsite.site.search import search_documents
from cxsite.validate.project import load_project


@pytest.fixture
def project(make_project):
    root = make_project(_files(), base=False)
    result = load_project(root)
    assert result.problems == []
    return result.project


def test_a_number_counts_for_every_persona_and_a_mapping_per_persona(project) -> None:
    wait = project.journeys["visit"].stages[1]
    assert wait.per_persona and wait.mean_emotion == -1.5
    assert (wait.emotion_of("ana"), wait.emotion_of("joe"), wait.emotion_of("lea")) == (
        -1,
        -2,
        None,
    )
    book = project.journeys["visit"].stages[0]
    assert not book.per_persona and book.emotion_of("joe") == 1 and book.mean_emotion == 1


def test_each_persona_gets_peak_end_average_and_steepest_drop(project) -> None:
    curve = analyse(project, {}).curves["clinic"]
    assert [p.persona_id for p in curve.personas] == ["ana", "joe", "lea"]
    ana, joe, lea = curve.personas
    assert (ana.short, ana.peak, ana.end, ana.end_emotion) == ("Ana", 4, 8, 1)
    assert ana.average == pytest.approx(sum(VALUES["ana"]) / 9)
    assert (ana.steepest_drop.from_index, ana.steepest_drop.to_index) == (3, 4)
    assert ana.steepest_drop.delta == -1.5
    assert (joe.steepest_drop.from_index, joe.steepest_drop.delta) == (3, -1)
    assert (lea.steepest_drop.from_index, lea.steepest_drop.delta) == (1, -1)
    # the overall curve is the stage means
    assert [s.emotion for s in curve.stages][:2] == [pytest.approx(0.5), pytest.approx(1 / 6)]
    assert curve.peak == 4 and curve.average == pytest.approx(
        sum(sum(v[i] for v in VALUES.values()) / 3 for i in range(9)) / 9
    )


def test_a_journey_of_numbers_has_no_persona_curves(make_project) -> None:
    result = load_project(make_project())
    curve = analyse(result.project, {}).curves["buy"]
    assert curve.personas == () and not curve.per_persona


def test_pain_rankings_count_only_the_personas_a_pain_point_lists(project) -> None:
    pains = {p.text: p for p in analyse(project, {}).pains}
    assert pains["Interpreter not booked"].personas == ("lea",)
    assert pains["No parking"].personas == ("ana", "joe", "lea")


def test_as_is_and_to_be_match_stages_by_name(project) -> None:
    analysis = analyse(project, {})
    cmp = analysis.comparisons["visit"]
    assert analysis.comparisons["visit-2027"] is cmp
    assert (cmp.current_id, cmp.future_id, cmp.matched) == ("visit", "visit-2027", 2)
    rows = [(r.name, r.before, r.after, r.gone, r.new) for r in cmp.rows]
    assert rows == [
        ("book", 1, 1.5, (), ()),
        ("Check in at a kiosk", None, 0.5, (), ("Kiosk queue at 9 am",)),
        ("Wait", -1.5, 0.5, ("No idea how long the wait is",), ()),
        ("Pay", 0, None, ("Card machine broken",), ()),
    ]
    assert cmp.rows[0].delta == 0.5 and cmp.rows[1].delta is None
    assert cmp.rows[2].persona_deltas == (("Ana Silva", -1, 0.5), ("Joe Park", -2, 0.5))
    assert (cmp.pains_gone, cmp.pains_new) == (2, 1)


def test_the_chart_has_a_line_per_persona_and_says_every_number(project) -> None:
    analysis = analyse(project, {})
    jobs = plan_charts(project, analysis)
    job = jobs[journey_chart_key("clinic")]
    assert job.kind == "emotion_lines"
    series = job.data["series"]
    assert [s["name"] for s in series] == ["Ana Silva", "Joe Park", "Lea Roux"]
    looks = {(s["colour"], s["marker"], s["dash"]) for s in series}
    assert len({s["colour"] for s in series}) == len({s["marker"] for s in series}) == 3
    assert len(looks) == 3
    assert "Lea Roux: Stage 1 with a long name 0" in job.desc
    assert "peak Stage 5 with a long name (-2); end Stage 9 with a long name (+1)" in job.desc
    cmp = jobs[compare_chart_key("visit", "visit-2027")]
    assert cmp.title == "As-is and to-be: Visit today"
    assert "As-is: book +1, Check in at a kiosk not recorded, Wait -1.5, Pay 0." in cmp.desc
    # a journey of numbers keeps release 1's single curve
    assert jobs[journey_chart_key("visit-2027")].kind == "emotion"


def _label_boxes(svg: str) -> list[tuple[float, float, str]]:
    """(x, y, text) of the bold peak/end labels of a chart (text stays text in the SVG)."""
    found = []
    for match in re.finditer(
        r'<text [^>]*x="([-\d.]+)" y="([-\d.]+)"[^>]*>((?:Peak|End)[^<]*)<', svg
    ):
        x, y, text = match.groups()
        found.append((float(x), float(y), text))
    return found


def test_peak_and_end_labels_of_one_stage_never_overlap(project) -> None:
    from cxsite.charts.draw import draw

    analysis = analyse(project, {})
    svg = draw(plan_charts(project, analysis)[journey_chart_key("clinic")]).decode()
    labels = _label_boxes(svg)
    assert sorted(t for _, _, t in labels) == [
        "End: Ana",
        "End: Joe",
        "End: Lea",
        "Peak: Ana",
        "Peak: Joe",
        "Peak: Lea",
    ]
    for a in labels:
        for b in labels:
            if a is not b and abs(a[0] - b[0]) < 60:  # beside the same stage
                assert abs(a[1] - b[1]) >= 9, (a, b)  # at least one line of 7.5 pt apart
    assert svg.count("<title") == 1 and "Emotion curve per persona: Visit the clinic" in svg
    for name in ("Ana Silva", "Joe Park", "Lea Roux"):  # the legend
        assert f">{name}</text>" in svg


def test_the_journey_page_shows_each_persona_and_the_gap_table(make_project) -> None:
    root = make_project(_files(), base=False)
    out = root / "_site"
    result = CliRunner().invoke(
        cli, ["build", str(root), "-o", str(out), "--no-pdf", "-q"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    page = (out / "journeys/clinic.html").read_text()
    assert page.count('class="pc-line pc-') == 3
    # each value in the grid with the persona's name
    value = '<span class="emo emo-pos1">+0.5</span> <span class="small">Positive</span>'
    assert f'<span class="pc-name">Lea</span> {value}' in page
    assert "Emotion curve per persona" in page and "All personas (stage means)" in page
    assert "· for <bdi>Lea Roux</bdi>" in page  # the pain point of one persona
    visit = (out / "journeys/visit.html").read_text()
    assert "Planned version: " in visit and "visit-2027.html" in visit
    assert "to-be only" in visit and "as-is only" in visit
    assert '<li class="gone">No idea how long the wait is</li>' in visit
    assert "<li>Kiosk queue at 9 am</li>" in visit
    assert (out / "charts/compare-visit_visit-2027.svg").is_file()
    index = (out / "journeys/index.html").read_text()
    assert index.index("Today: as-is journeys") < index.index("Planned: to-be journeys")
    later = index[index.index("Planned: to-be journeys") :]
    assert "Visit in 2027" in later and "Visit today" not in later.split("At a glance")[0]
    doc = json.loads((out / "data/cx.json").read_text())
    computed = doc["journeys"]["clinic"]["computed"]["persona_curves"]["lea"]
    assert computed["emotions"][:3] == [0, 0, -1] and computed["peak"] == 4
    gap = doc["journeys"]["visit"]["computed"]["comparison"]
    assert gap["future"] == "visit-2027" and gap["stages"][2]["pains_gone"] == [
        "No idea how long the wait is"
    ]
    assert "computed" not in doc["journeys"]["visit-2027"]["stages"][0]


def test_search_says_whose_emotion_and_whose_pain(project) -> None:
    docs = search_documents(project)
    stage = next(d for d in docs if d["kind"] == "stage" and d["title"] == "Wait")
    assert "Ana Silva: Negative · Joe Park: Very negative" in stage["text"]
    pain = next(d for d in docs if d["title"] == "Interpreter not booked")
    assert pain["subtitle"].endswith("· for Lea Roux")
    journey = next(d for d in docs if d["title"] == "Visit in 2027")
    assert journey["subtitle"].startswith("Journey (to-be) · ")


@pytest.mark.pdf
def test_a_journey_brief_prints_persona_curves_and_compares(make_project) -> None:
    pypdf = pytest.importorskip("pypdf")
    briefs = (
        "briefs:\n"
        "  - {id: clinic, kind: journey, journey: clinic}\n"
        "  - {id: visit, kind: journey, journey: visit, compare: true}\n"
    )
    root = make_project(_files(**{"cxsite.yaml": "title: Clinic\n" + briefs}), base=False)
    result = CliRunner().invoke(cli, ["pdf", str(root), "-o", str(root / "out")])
    assert result.exit_code == 0, result.output

    def text(name: str) -> str:
        reader = pypdf.PdfReader(root / "out" / "briefs" / f"{name}.pdf")
        return "\n".join(p.extract_text() for p in reader.pages)

    clinic = text("clinic")
    assert "Emotion curve per persona" in clinic and "All personas (stage\nmeans)" in clinic
    assert "Lea: Very negative (−2)" in clinic
    visit = text("visit")
    assert "As-is and to-be" in visit and "Kiosk queue at 9 am" in visit
    assert "Check in at a kiosk (to-be only)" in visit


def test_compare_brief_needs_a_pair(make_project) -> None:
    config = (
        "title: Clinic\nbriefs:\n  - id: c\n    kind: journey\n    journey: clinic\n"
        "    compare: true\n"
    )
    root = make_project(_files(**{"cxsite.yaml": config}), base=False)
    result = CliRunner().invoke(cli, ["check", str(root)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "cxsite.yaml:6:5: error E313: brief 'c' compares, but journey 'clinic' has no as-is or "
        "to-be version: set 'compare_to' on one of the two journeys, or remove 'compare'"
    )


def test_no_e209_while_the_journey_personas_could_not_be_read(make_project) -> None:
    """A journey whose `personas` key could not be read says nothing about mapping keys."""
    journey = AS_IS.replace("personas: [ana, joe]", "personas: 7")
    root = make_project(_files(**{"journeys/visit.yaml": journey}), base=False)
    lines = [p.format() for p in load_project(Path(root)).problems if p.severity == "error"]
    assert lines == [
        "journeys/visit.yaml:2:1: error E203: 'personas': expected a list, got a number"
    ]


def test_the_briefs_as_is_line_joins_across_a_stage_only_the_to_be_has(make_project) -> None:
    """The to-be adds "Check in at a kiosk": the as-is line goes on from Book to Wait and
    Pay, not broken there (its later points looked like a line that ended early)."""
    import datetime as dt

    from cxsite.briefs.context import brief_html

    briefs = "briefs:\n  - {id: visit, kind: journey, journey: visit, compare: true}\n"
    root = make_project(_files(**{"cxsite.yaml": "title: Clinic\n" + briefs}), base=False)
    result = load_project(root)
    assert result.project is not None
    project = result.project
    analysis = analyse(project, result.metric_data)
    brief = project.config.briefs[0]
    html = brief_html(project, analysis, {}, brief, dt.date(2026, 11, 20)).html
    as_is = re.findall(r'<polyline points="([^"]+)" fill="none"\s+stroke="#6b7785"', html)
    assert [len(points.split()) for points in as_is] == [3]  # Book, Wait, Pay: one line


def test_two_pairs_of_journeys_never_share_a_compare_chart() -> None:
    """`a` with its to-be `b-c` and `a-b` with `c` were both `charts/compare-a-b-c.svg`:
    one comparison chart overwrote the other (found in review)."""
    from cxsite.charts.keys import compare_chart_key

    assert compare_chart_key("a", "b-c") != compare_chart_key("a-b", "c")
    assert compare_chart_key("visit", "visit-2027") == "charts/compare-visit_visit-2027.svg"
