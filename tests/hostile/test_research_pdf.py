"""Research studies in the PDF briefs: a study's title and summary written as HTML or script
reach the persona and journey briefs as text, never as markup, a link or JavaScript."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest
from hostilekit import invoke
from projectfiles import write_files

TITLE = "<script>alert('XS1')</script> <a href=\"javascript:alert('XS2')\">Diary</a>"
SUMMARY = "<img src=x onerror=alert('XS3')> [link](javascript:alert('XS4'))"


@pytest.mark.pdf
def test_hostile_research_reaches_the_briefs_as_text(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write_files(
        root,
        {
            "cxsite.yaml": (
                "title: Hostile research\nbriefs:\n  - {id: maya, kind: persona, persona: maya}\n"
                "  - {id: map, kind: journey, journey: buy}\n"
            ),
            "research/diary.yaml": (
                f"title: {json.dumps(TITLE)}\nmethod: diary-study\ndate: 2026-06-01\n"
                f"summary: {json.dumps(SUMMARY)}\n"
            ),
            "personas/maya.yaml": "name: Maya\nrole: Runner\nevidence: [diary]\n",
            "journeys/buy.yaml": (
                "title: Buy\npersonas: [maya]\nstages:\n"
                "  - name: Buy\n    emotion: 1\n    evidence: [diary]\n"
                "  - name: Use\n    emotion: -1\n"
            ),
        },
    )
    result = invoke("pdf", str(root), "-j", "1")
    assert result.exit_code == 0, result.output
    persona = root / "_site" / "briefs" / "maya.pdf"
    journey = root / "_site" / "briefs" / "map.pdf"
    for pdf in (persona, journey):
        data = pdf.read_bytes()
        assert b"/JavaScript" not in data and b"/JS " not in data and b"javascript:" not in data
        for page in pypdf.PdfReader(pdf).pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A") or {}
                assert "javascript" not in str(action.get("/URI", "")).lower()
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(persona).pages)
    # The title is printed as the characters written, so the script is visible text.
    assert "<script>alert('XS1')</script>" in " ".join(text.split())
    journey_text = " ".join(p.extract_text() for p in pypdf.PdfReader(journey).pages)
    assert "Assumption: rests on no research yet" in " ".join(journey_text.split())
