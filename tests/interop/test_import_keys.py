"""`cxsite import` of the keys added since release 1: owners and reviews, mechanics, evidence
and confidence, the blueprint lanes, `detail`, fail points and research ids in a persona's
evidence; and the column tables kept equal to the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from sheetkit import invoke, write_sheet

from cxsite.interop.columns import FAMILIES, ITEM_KEYS, KEYS, REQUIRED
from cxsite.interop.keys import unsheeted
from cxsite.model import Persona, Touchpoint
from cxsite.model.journey import Opportunity, PainPoint, Stage

STUDY = "title: Store interviews\nmethod: interview\ndate: 2026-03-02\n"


@pytest.mark.parametrize(
    ("kind", "model", "families"),
    [
        ("touchpoints", Touchpoint, {"ratings"}),
        ("personas", Persona, {"demographics", "psychographics", "evidence"}),
        ("journey", Stage, set()),
    ],
)
def test_every_model_key_has_a_column(kind: str, model: type, families: set[str]) -> None:
    assert unsheeted(kind) == ()
    assert set(KEYS[kind]) | set(FAMILIES[kind]) == set(model.model_fields)
    assert set(FAMILIES[kind]) == families
    assert all(key in model.model_fields for key in REQUIRED[kind])


def test_item_attributes_are_every_key_but_the_text() -> None:
    assert ITEM_KEYS["pains"] == (
        "severity",
        "touchpoint",
        "fail_point",
        "evidence",
        "confidence",
        "personas",
    )
    assert ITEM_KEYS["opportunities"] == (
        "impact",
        "effort",
        "status",
        "owner",
        "evidence",
        "confidence",
    )
    assert set(ITEM_KEYS["pains"]) == set(PainPoint.model_fields) - {"text"}
    assert set(ITEM_KEYS["opportunities"]) == set(Opportunity.model_fields) - {"text"}


def test_bad_cells_of_the_new_touchpoint_keys(make_project, here) -> None:
    root = make_project({"research/store-interviews.yaml": STUDY})
    sheet = write_sheet(
        here,
        "tp.csv",
        "name,channel,phase,owner,reviewed,review_every_months,mechanics,evidence\n"
        "Kiosk,store,during,Retail,2026-13-01,six,points;pionts,store-interviews;store-interview\n",
    )
    result = invoke("import", "touchpoints", sheet, str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tp.csv:2:27: error E469: 'reviewed': '2026-13-01' is not a real date: "
        "there is no month 13 (01..12)",
        "tp.csv:2:38: error E469: 'review_every_months': expected a whole number, got text 'six'",
        "tp.csv:2:42: error E469: unknown value 'pionts' for item 2 of 'mechanics' "
        "(did you mean 'points'?)",
        "tp.csv:2:56: error E469: unknown research study 'store-interview' "
        "(did you mean 'store-interviews'?)",
    ]
    assert not (root / "touchpoints" / "kiosk.yaml").exists()


def test_bad_cells_of_the_new_stage_keys(make_project, here) -> None:
    root = make_project({"research/store-interviews.yaml": STUDY})
    sheet = write_sheet(
        here,
        "st.csv",
        "name,detail,confidence,pain_points\n"
        "Search,sub-trip,sure,Slow [fail_point: maybe]\n"
        'Pay,,,"Queue [fail_point: yes, evidence: store-interviews stor, confidence: sure]"\n',
    )
    result = invoke("import", "journey", sheet, str(root), "--persona", "maya")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "st.csv:2:8: error E469: unknown journey 'sub-trip' (no file journeys/sub-trip.yaml)",
        "st.csv:2:17: error E469: unknown value 'sure' for 'confidence' "
        "(expected one of: assumption, reasoned, validated)",
        "st.csv:2:22: error E469: 'fail_point': expected true or false, got text 'maybe'",
        "st.csv:3:7: error E469: unknown research study 'stor' (did you mean 'store-interviews'?)",
        "st.csv:3:7: error E469: unknown value 'sure' for 'confidence' "
        "(expected one of: assumption, reasoned, validated)",
    ]


def test_new_keys_are_written_as_yaml(make_project, here) -> None:
    root = make_project({"research/store-interviews.yaml": STUDY})
    sheet = write_sheet(
        here,
        "st.csv",
        "name,frontstage,support_processes,physical_evidence,evidence,confidence,pain_points,"
        "opportunities\n"
        "Pay,Greets;Scans,Stock system,Receipt,store-interviews,reasoned,"
        '"Queue [fail_point: yes, evidence: store-interviews, confidence: validated]",'
        '"Faster tills [impact: high, evidence: store-interviews]"\n',
    )
    result = invoke("import", "journey", sheet, str(root), "--persona", "maya", "--id", "pay")
    assert result.exit_code == 0, result.output
    text = (root / "journeys" / "pay.yaml").read_text(encoding="utf-8")
    assert text.split("stages:\n", 1)[1] == (
        "  - name: Pay\n"
        "    pain_points:\n"
        "      - text: Queue\n"
        "        fail_point: true\n"
        "        evidence:\n"
        "          - store-interviews\n"
        "        confidence: validated\n"
        "    opportunities:\n"
        "      - text: Faster tills\n"
        "        impact: high\n"
        "        evidence:\n"
        "          - store-interviews\n"
        "    frontstage:\n"
        "      - Greets\n"
        "      - Scans\n"
        "    support_processes:\n"
        "      - Stock system\n"
        "    physical_evidence:\n"
        "      - Receipt\n"
        "    evidence:\n"
        "      - store-interviews\n"
        "    confidence: reasoned\n"
    )


def test_persona_evidence_mixes_entries_and_study_ids(make_project, here) -> None:
    root = make_project({"research/store-interviews.yaml": STUDY})
    sheet = write_sheet(
        here,
        "pe.csv",
        "name,role,owner,reviewed,review_every_months,evidence.source,evidence.date,"
        "evidence.study\n"
        'Maya Chen,Runner,Insights,2026-05-01,3,12 interviews,2026-01-10,"\nstore-interviews"\n',
    )
    result = invoke("import", "personas", sheet, str(root), "--force")
    assert result.exit_code == 0, result.output
    text = (root / "personas" / "maya-chen.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == [
        "name: Maya Chen",
        "role: Runner",
        "evidence:",
        "  - source: 12 interviews",
        "    date: 2026-01-10",
        "  - store-interviews",
        "owner: Insights",
        "reviewed: 2026-05-01",
        "review_every_months: 3",
    ]
    exported = invoke("export", "personas-csv", str(root))
    assert exported.exit_code == 0, exported.output
    header = exported.stdout.splitlines()[0]
    assert header.endswith(
        ",owner,reviewed,review_every_months,evidence.source,evidence.date,evidence.study"
    )
    assert '"\nstore-interviews"' in exported.stdout.replace("\r\n", "\n")


def test_a_line_with_a_study_and_a_source_is_an_error(make_project, here) -> None:
    root = make_project({"research/store-interviews.yaml": STUDY})
    sheet = write_sheet(
        here,
        "pe.csv",
        "name,role,evidence.source,evidence.study\nMaya,Runner,12 interviews,store-interviews\n",
    )
    result = invoke("import", "personas", sheet, str(root), "--force")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["pe.csv:2:27: error E469: unknown key 'study'"]


@pytest.mark.parametrize("kind", ["touchpoints", "personas", "journey"])
def test_the_docs_list_every_column(kind: str) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "import-export.md"
    row = next(
        line
        for line in docs.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"| `{kind}` |")
    )
    listed = {part.strip(" `") for cell in row.split("|")[3:5] for part in cell.split(",")}
    assert set(KEYS[kind]) <= listed
    families = {p.split(".")[0] for p in listed - set(KEYS[kind])}
    assert families == set(FAMILIES[kind])
