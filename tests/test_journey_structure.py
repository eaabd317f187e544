"""Journey structure (SPEC 8.7): sub-journeys, the service blueprint, gamification mechanics.

The exact problem lines of the bad inputs are in tests/projects/invalid/journey-details and
blueprint-and-mechanics; here: the analysis, more validation shapes, the built pages and
the journey brief.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from cxsite.analysis.hierarchy import has_blueprint, hierarchy
from cxsite.cli import cli
from cxsite.validate.project import load_project

EPOCH = {"SOURCE_DATE_EPOCH": "1795132800"}  # 2026-11-20

PERSONA = "name: Ana\nrole: Patient\nevidence:\n  - source: Interviews\n    date: 2026-06-01\n"
TOUCHPOINT = "name: Front desk\nchannel: store\nphase: during\nmetrics: [nps]\n"


def journey(title: str, *stages: str) -> str:
    """A journey file of persona `ana` with the given stage blocks."""
    return f"title: {title}\npersonas: [ana]\nstages:\n" + "".join(stages)


def stage(name: str, emotion: float, extra: str = "") -> str:
    """One stage block at the desk, with an emotion; `extra` lines are indented for it."""
    lines = "".join(f"    {line}\n" for line in extra.splitlines())
    return f"  - name: {name}\n    emotion: {emotion}\n    touchpoints: [desk]\n{lines}"


# A visit whose "Wait" stage zooms into a waiting-room journey, which zooms into triage.
FILES = {
    "personas/ana.yaml": PERSONA,
    "touchpoints/desk.yaml": TOUCHPOINT,
    "metrics/nps.yaml": (
        "name: NPS\nkind: nps\ntarget: 40\nvalues:\n  - {period: 2026-Q3, value: 31}\n"
    ),
    "journeys/visit.yaml": journey(
        "Visit the clinic",
        stage("Book", 1),
        stage(
            "Wait",
            -1,
            "detail: waiting-room\n"
            "frontstage: [Receptionist calls the patient]\n"
            "physical_evidence: [Ticket with a queue number]\n"
            "backstage: [Nurse prepares the room]\n"
            "support_processes: ['Scheduling system']\n"
            "pain_points:\n"
            "  - {text: Nobody says how long the wait is, severity: high, fail_point: true}\n"
            "opportunities: [Show the expected wait]",
        ),
        stage("Leave", 0.5),
    ),
    "journeys/waiting-room.yaml": journey(
        "Wait to be seen",
        stage("Take a ticket", 0, "detail: triage"),
        stage(
            "Sit and wait",
            -1.5,
            "pain_points:\n"
            "  - {text: No seats left, severity: high}\n"
            "  - {text: Screen shows the wrong number, severity: high}\n"
            "  - Too cold\n"
            "opportunities: [More seats]",
        ),
        stage("Get called", -1.5),
    ),
    "journeys/triage.yaml": journey("Triage", stage("Nurse asks questions", 0.5)),
}


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "cxsite.yaml").write_text(
        "title: Clinic\nbriefs:\n  - {id: visit, kind: journey, journey: visit}\n"
    )
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """FILES built into a site (no PDFs)."""
    root = write(tmp_path_factory.mktemp("structure") / "project", FILES)
    out = root.parent / "site"
    result = CliRunner(env=EPOCH).invoke(
        cli, ["build", str(root), "-o", str(out), "--no-pdf", "--strict"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    """The text a reader sees: tags dropped (a <bdi> isolates a value inside its line),
    whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"</?bdi\b[^>]*>", "", html)).split())


def check(tmp_path: Path, files: dict[str, str]) -> list[str]:
    """`cxsite check` problem lines of FILES with `files` on top."""
    root = write(tmp_path / "p", {**FILES, **files})
    return [p.format() for p in load_project(root).problems]


# --- the analysis ----------------------------------------------------------------------


def test_the_tree_its_parents_and_the_roll_up(tmp_path: Path) -> None:
    project = load_project(write(tmp_path / "p", FILES)).project
    assert project is not None
    tree = hierarchy(project)
    assert tree.roots == ("visit",)
    assert tree.children == {"visit": ("waiting-room",), "waiting-room": ("triage",)}
    assert [(r.journey_id, r.stage_name) for r in tree.ancestors("triage")] == [
        ("visit", "Wait"),
        ("waiting-room", "Take a ticket"),
    ]
    assert tree.ancestors("visit") == ()
    roll = tree.rollups["waiting-room"]
    # The sub-journey itself: 3 stages, its lowest emotion at its first lowest stage, and
    # its two high-severity pains (triage's stages are not counted).
    assert (roll.stages, roll.lowest, roll.lowest_stage, roll.high_pains) == (
        3,
        -1.5,
        "Sit and wait",
        2,
    )
    assert has_blueprint(project.journeys["visit"])
    assert not has_blueprint(project.journeys["waiting-room"])


# --- validation ------------------------------------------------------------------------


def test_a_three_journey_cycle_is_named_once_from_its_first_journey(tmp_path: Path) -> None:
    files = {"journeys/triage.yaml": journey("Triage", stage("Nurse", 0, "detail: visit"))}
    problems = check(tmp_path, files)
    assert problems == [
        "journeys/triage.yaml:7:5: error E315: detail cycle 'triage' (stage 'Nurse') -> "
        "'visit' (stage 'Wait') -> 'waiting-room' (stage 'Take a ticket') -> 'triage': a "
        "journey cannot zoom into itself, directly or through its sub-journeys; remove one "
        "'detail'"
    ]


def test_two_journeys_naming_one_sub_journey(tmp_path: Path) -> None:
    files = {"journeys/other.yaml": journey("Other", stage("Queue", 0, "detail: triage"))}
    assert check(tmp_path, files) == [
        "journeys/waiting-room.yaml:7:5: error E314: journey 'triage' is already the detail "
        "of stage 'Queue' of 'other' (journeys/other.yaml:7): a sub-journey zooms into one "
        "stage only"
    ]


def test_a_mechanic_measured_by_a_metric_scope_needs_no_metric_key(tmp_path: Path) -> None:
    card = "name: Card\nchannel: store\nphase: after\nmechanics: [points]\n"
    scoped = FILES["metrics/nps.yaml"] + "scope:\n  touchpoints: [card]\n"
    bare = check(tmp_path / "a", {"touchpoints/card.yaml": card})
    assert [p for p in bare if "W514" in p] == [
        "touchpoints/card.yaml:4:1: warning W514: gamification mechanics without a metric; "
        "add the KPI that shows whether they change behaviour (repeat visits, churn) under "
        "'metrics'"
    ]
    measured = check(tmp_path / "b", {"touchpoints/card.yaml": card, "metrics/nps.yaml": scoped})
    assert not [p for p in measured if "W514" in p]


def test_a_sentence_with_a_colon_stays_a_string_pain_point(tmp_path: Path) -> None:
    files = {
        "journeys/triage.yaml": journey(
            "Triage",
            stage(
                "Nurse",
                0,
                "pain_points: ['Confusing touchpoint: the kiosk']\nopportunities: [Fix it]",
            ),
        )
    }
    assert check(tmp_path, files) == []


# --- the site --------------------------------------------------------------------------


def test_a_sub_journey_says_what_it_is_part_of(site: Path) -> None:
    html = page(site, "journeys/triage.html")
    part_of = re.search(r'<nav class="part-of" aria-label="Part of">(.*?)</nav>', html, re.S)
    assert part_of is not None
    links = re.findall(r'<a href="([^"]+)"><bdi>([^<]+)</bdi></a>', part_of.group(1))
    assert links == [
        ("visit.html", "Visit the clinic"),
        ("visit.html#stage-2", "Wait"),
        ("waiting-room.html", "Wait to be seen"),
        ("waiting-room.html#stage-1", "Take a ticket"),
    ]
    assert text_of(part_of.group(1)) == (
        "Part of: Visit the clinic › Wait › Wait to be seen › Take a ticket"
    )
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S)
    assert crumbs is not None
    assert text_of(crumbs.group(0)) == "Home Journeys Visit the clinic Wait to be seen Triage"


def test_the_parent_stage_shows_the_roll_up(site: Path) -> None:
    html = page(site, "journeys/visit.html")
    row = re.search(r'<tr><th scope="row" class="lane">Sub-journey</th>(.*?)</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert [text_of(c) for c in cells] == [
        "",
        "⤵ Wait to be seen 3 stages Lowest emotion −1.5 (Sit and wait) 2 high-severity pain points",
        "",
    ]
    assert 'href="waiting-room.html"' in cells[1]


def test_the_index_is_a_tree(site: Path) -> None:
    html = page(site, "journeys/index.html")
    tree = html[html.index('<ul class="jtree"') :]
    titles = re.findall(r'class="jtree-title" href="([^"]+)"', tree)
    assert titles == ["visit.html", "waiting-room.html", "triage.html"]
    # Each sub-journey sits in the list of its parent: two nested lists.
    assert tree.count('<ul class="jtree-children">') == 2
    assert 'zooms into <a href="visit.html#stage-2"><bdi>Wait</bdi></a>' in tree


def test_the_blueprint_view(site: Path) -> None:
    html = page(site, "journeys/visit.html")
    switch = html[html.index('<div class="view-switch"') :]
    assert switch.startswith('<div class="view-switch" id="view-switch" role="group"')
    assert " hidden>" in switch.split("\n")[0]  # shown by the script only
    blueprint = html[html.index('<section id="view-blueprint"') :]
    lanes = re.findall(r'<th scope="row" class="lane">([^<]+)</th>', blueprint)
    assert lanes == [
        "Fail points",
        "Physical evidence",
        "Customer actions",
        "Frontstage",
        "Backstage",
        "Support processes",
    ]
    lines = re.findall(r"<span>(Line of [^<]+)</span>", blueprint)
    assert lines == ["Line of interaction", "Line of visibility", "Line of internal interaction"]
    order = [blueprint.index(s) for s in ("Customer actions", *lines, "Support processes")]
    assert order == sorted(order)
    assert "Receptionist calls the patient" in blueprint
    assert "Nobody says how long the wait is" in blueprint
    assert "Fail point</dt>" in blueprint  # the legend
    # Both views are in the page, the map first; the map marks the fail point too.
    assert html.index('id="view-map"') < html.index('id="view-blueprint"')
    assert html.count("badge-fail") == 1


def test_journeys_without_blueprint_lanes_keep_the_release_1_map(site: Path) -> None:
    html = page(site, "journeys/waiting-room.html")
    assert "view-switch" not in html and "view-blueprint" not in html
    assert '<section aria-labelledby="map-h">' in html


def test_mechanics_on_the_touchpoint_page_and_in_the_catalog(tmp_path: Path) -> None:
    files = {
        **FILES,
        "touchpoints/card.yaml": (
            "name: Loyalty card\nchannel: store\nphase: after\nmechanics: [rewards, points]\n"
            "metrics: [nps]\n"
        ),
    }
    files["journeys/triage.yaml"] = journey(
        "Triage", stage("Nurse", 0.5, "touchpoints: [desk, card]")
    ).replace("    touchpoints: [desk]\n    touchpoints", "    touchpoints")
    root = write(tmp_path / "p", files)
    out = tmp_path / "out"
    result = CliRunner(env=EPOCH).invoke(
        cli, ["build", str(root), "-o", str(out), "--no-pdf", "--strict"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    card = page(out, "touchpoints/card.html")
    section = card[card.index('aria-labelledby="g-h"') :]
    assert text_of(section[: section.index("</section>")]).startswith(
        'aria-labelledby="g-h"> Gamification Rewards Points'
    )
    assert 'href="index.html?mechanic=rewards"' in section
    catalog = page(out, "touchpoints/index.html")
    select = catalog[catalog.index('<select name="mechanic"') :]
    select = select[: select.index("</select>")]
    # The vocabulary's order, only the mechanics in use.
    assert re.findall(r'<option value="([^"]*)">', select) == ["", "points", "rewards"]
    assert 'data-mechanic="rewards points"' in catalog
    assert "Gamification: Rewards, Points" in catalog
    assert "data-mechanic" not in page(out, "touchpoints/desk.html")


def test_a_release_1_project_gets_no_tree_and_no_mechanic_filter(tmp_path: Path) -> None:
    files = {**FILES, "journeys/visit.yaml": journey("Visit", stage("Book", 1))}
    del files["journeys/waiting-room.yaml"]
    root = write(tmp_path / "p", files)
    out = tmp_path / "out"
    CliRunner(env=EPOCH).invoke(cli, ["build", str(root), "-o", str(out), "--no-pdf"])
    assert "jtree" not in page(out, "journeys/index.html")
    assert 'name="mechanic"' not in page(out, "touchpoints/index.html")


def test_search_finds_blueprint_lanes_and_mechanics(site: Path) -> None:
    index = page(site, "search-index.js")
    assert "Receptionist calls the patient" in index
    assert "Ticket with a queue number" in index


# --- the journey brief -----------------------------------------------------------------


@pytest.mark.pdf
def test_the_journey_brief_prints_the_blueprint(tmp_path: Path) -> None:
    root = write(tmp_path / "p", FILES)
    out = tmp_path / "out"
    result = CliRunner(env=EPOCH).invoke(
        cli, ["pdf", str(root), "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(out / "briefs" / "visit.pdf")
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    starts = [n for n, t in enumerate(texts) if "Service blueprint" in t]
    assert len(starts) == 1
    # the blueprint follows the map, on the map's last page when there is room (a page of a
    # lane or two is a sliver, SPEC 8.10), and may continue on the next
    words = " ".join(texts[starts[0] :])
    for lane in ("FAIL POINTS", "PHYSICAL EVIDENCE", "FRONTSTAGE", "SUPPORT PROCESSES"):
        assert lane in words
    lines = ["LINE OF INTERACTION", "LINE OF VISIBILITY", "LINE OF INTERNAL INTERACTION"]
    assert [words.index(line) for line in lines] == sorted(words.index(line) for line in lines)
    assert "Receptionist calls the patient" in words
    assert "Nobody says how long the wait is" in words
    assert "Wait to be seen" in texts[0]  # the roll-up lane on the map
    assert "3 stages · lowest −1.5 (Sit and wait) · 2 high-severity pains" in texts[0]
