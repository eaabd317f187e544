"""Hostile YAML: every attack or trap gives exit 1 and one exact problem line, never a traceback.

The file under attack is `personas/maya.yaml` of the small valid base project (tests/conftest).
A trap that is a schema error leaves the rest of the file read, and linted (SPEC 8.14): those
personas have no evidence, so W507 follows the one error line.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hostilekit import invoke, run
from projectfiles import HANG

from cxsite.load.reader import load_yaml
from cxsite.validate.project import load_project

F = "personas/maya.yaml"
NO_EVIDENCE = (
    f"{F}:1:1: warning W507: persona has no evidence; list the interviews, surveys or data it "
    "rests on under 'evidence'"
)
VALID = "name: Maya Chen\nrole: Runner\nevidence:\n  - source: Interviews\n    date: 2026-06-01\n"

BILLION_LAUGHS = (
    "\n".join(
        ["name: Maya\nrole: R\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        + [
            f"{n}: &{n} [{', '.join(['*' + p] * 9)}]"
            for n, p in zip("bcdefghi", "abcdefgh", strict=True)
        ]
    )
    + "\n"
)

# (case, file bytes, the one exact problem line, or it and the lint warnings of the file)
ATTACKS: list[tuple[str, bytes, str | list[str]]] = [
    (
        "python-object-apply",
        b"name: !!python/object/apply:os.system ['touch pwned']\nrole: R\n",
        f"{F}:1:7: error E110: tag '!!python/object/apply:os.system' is not allowed",
    ),
    (
        "python-name",
        b"name: Maya\nrole: !!python/name:os.system\n",
        f"{F}:2:7: error E110: tag '!!python/name:os.system' is not allowed",
    ),
    (
        "python-module",
        b"name: Maya\nrole: R\nquote: !!python/module:os\n",
        f"{F}:3:8: error E110: tag '!!python/module:os' is not allowed",
    ),
    (
        "billion-laughs",
        BILLION_LAUGHS.encode(),
        f"{F}:8:8: error E111: the document expands to more than 200000 values through aliases",
    ),
    (
        "duplicate-key-deep",
        b"name: Maya\nrole: R\ndemographics:\n  Age: 34\n  City: Oslo\n  Age: 35\n",
        # the rest of the file is still read (SPEC 5: all problems in one run)
        [
            f"{F}:6:3: error E108: duplicate key 'Age' (first on line 4, again on line 6)",
            NO_EVIDENCE,
        ],
    ),
    (
        "duplicate-key-in-list-item",
        VALID.encode() + b"    source: Survey\n",
        f"{F}:6:5: error E108: duplicate key 'source' (first on line 4, again on line 6)",
    ),
    (
        "yes-is-not-a-boolean",
        b"name: Maya\nrole: R\nsegment_share: yes\n",
        [f"{F}:3:1: error E203: 'segment_share': expected a number, got text 'yes'", NO_EVIDENCE],
    ),
    (
        "unquoted-colour-is-a-comment",
        b"name: Maya\nrole: #fff\n",
        [
            f"{F}:2:1: error E203: 'role': expected text, got nothing (give a value or remove "
            "the key)",
            NO_EVIDENCE,
        ],
    ),
    (
        "impossible-date",
        b"name: Maya\nrole: R\nevidence:\n  - source: S\n    date: 2024-02-30\n",
        f"{F}:5:5: error E206: 'date': '2024-02-30' is not a real date: "
        "February 2024 has no day 30",
    ),
    (
        "5000-digit-number",
        b"name: Maya\nrole: R\nsegment_share: " + b"9" * 5000 + b"\n",
        [
            f"{F}:3:1: error E204: 'segment_share': expected a finite number, got "
            "99999999999999999999… (5000 characters)",
            NO_EVIDENCE,
        ],
    ),
    (
        "nul-raw",
        b"name: Ma\x00ya\nrole: R\n",
        f"{F}:1:9: error E105: character #x0000 is not allowed in YAML",
    ),
    (
        "nul-escaped",
        b'name: "Ma\\0ya"\nrole: R\n',
        f"{F}:1:7: error E105: character #x0000 is not allowed in YAML (even escaped)",
    ),
    (
        "bell-escaped-in-a-key",
        b'name: Maya\nrole: R\ndemographics:\n  "A\\x07": 1\n',
        f"{F}:4:3: error E105: character #x0007 is not allowed in YAML (even escaped)",
    ),
    (
        "escape-raw",
        b"name: Maya\x1b[31m\nrole: R\n",
        f"{F}:1:11: error E105: character #x001b is not allowed in YAML",
    ),
    (
        "lone-surrogate-escape",
        b'name: "Ma\\ud800ya"\nrole: R\n',
        f"{F}:1:12: error E105: YAML syntax error: found invalid Unicode character escape code "
        "(in a double-quoted value, write a real character)",
    ),
    (
        "utf-16",
        "name: Maya\nrole: R\n".encode("utf-16"),
        f"{F}:1:1: error E102: invalid UTF-8 (byte 0xff): the file is UTF-16: save it as UTF-8",
    ),
    (
        "utf-8-bom",
        b"\xef\xbb\xbfname: Maya\nrole: R\n",
        f"{F}:1:1: error E117: the file starts with a byte-order mark (BOM): "
        "save it as UTF-8 without BOM",
    ),
    (
        "latin-1",
        "name: Zoé\nrole: R\n".encode("latin-1"),
        f"{F}:1:9: error E102: invalid UTF-8 (byte 0xe9): save the file as UTF-8",
    ),
    (
        "5-MB-file",
        b"name: Maya\nrole: R\n" + b"# padding\n" * 500_000,
        f"{F}:1:1: error E101: the file is larger than 2 MB",
    ),
    (
        "multi-document",
        b"name: Maya\nrole: R\n---\nname: Evil\nrole: R\n",
        f"{F}:3:1: error E106: several YAML documents in one file: "
        "keep one (remove the '---' line)",
    ),
    (
        "key-is-a-list",
        b"name: Maya\nrole: R\n? [a, b]\n: x\n",
        f"{F}:3:3: error E109: a key must be text, not a list (quote it)",
    ),
    (
        "key-is-null",
        b"name: Maya\nrole: R\n~: x\n",
        f"{F}:3:1: error E109: a key must be text, not ~ (quote it)",
    ),
    (
        "key-is-a-number",
        b"name: Maya\nrole: R\n1: x\n",
        [
            f"{F}:3:1: error E203: key '1': expected text, got a number (quote it: \"1\")",
            NO_EVIDENCE,
        ],
    ),
    (
        "key-is-a-boolean",
        b"name: Maya\nrole: R\ndemographics:\n  true: x\n",
        f"{F}:4:3: error E109: a key must be text, not true (quote it)",
    ),
]


@pytest.mark.parametrize(("content", "line"), [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_yaml_attack_gives_one_exact_line(
    make_project, content: bytes, line: str | list[str]
) -> None:
    root = make_project({F: content})
    result = invoke("check", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ([line] if isinstance(line, str) else line)
    assert "Traceback" not in result.output


def test_python_tags_execute_nothing(make_project, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    root = make_project({F: f"name: !!python/object/apply:os.system ['touch {marker}']\nrole: R\n"})
    assert invoke("check", str(root)).exit_code == 1
    assert invoke("build", str(root), "--no-pdf", "-q").exit_code == 1
    assert not marker.exists()
    assert not (root / "_site").exists()


def test_alias_bomb_fails_fast_in_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS)
    tracemalloc.start()
    loaded, problems = load_yaml(path, "bomb.yaml")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert loaded is None and [p.code for p in problems] == ["E111"]
    assert peak < 64 * 1024 * 1024  # expanded, it would take gigabytes


@pytest.mark.slow
def test_100000_deep_nesting_through_the_cli(make_project) -> None:
    """A fresh process, as a user runs it: exit 1 and E112, no RecursionError, no crash."""
    root = make_project({F: "name: Maya\nrole: R\nx: " + "[" * 100_000 + "]" * 100_000 + "\n"})
    done = run(["check", str(root)])
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [f"{F}:3:1003: error E112: nesting deeper than 50 levels"]
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_2000_deep_block_mappings_through_the_cli(make_project) -> None:
    deep = "".join(f"{' ' * i}k{i}:\n" for i in range(2000)) + " " * 2000 + "v: 1\n"
    root = make_project(
        {F: "name: Maya\nrole: R\nx:\n" + "".join(" " + ln for ln in deep.splitlines(True))}
    )
    done = run(["check", str(root)])
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and lines[0].endswith("error E112: nesting deeper than 50 levels")
    assert "Traceback" not in done.stderr


def test_yaml_11_traps_keep_what_was_written(make_project) -> None:
    """`no`, `on`, `01234`, `1:20`, `1.10` are text where text is expected, exactly as written."""
    root = make_project(
        {
            F: (
                "name: no\nrole: on\nquote: 1:20\n"
                "demographics:\n  Zip: 01234\n  Version: 1.10\n  Answer: yes\n"
                "evidence:\n  - source: S\n    date: 2026-06-01\n"
            ),
            "cxsite.yaml": 'title: T\nbrand: {primary: "#fff"}\n',
        }
    )
    checked = load_project(root)
    assert [p.format() for p in checked.problems if p.severity == "error"] == []
    maya = checked.project.personas["maya"]
    assert (maya.name, maya.role, maya.quote) == ("no", "on", "1:20")
    shown = {k: getattr(v, "source", v) for k, v in maya.demographics.items()}
    assert shown == {"Zip": "01234", "Version": "1.10", "Answer": "yes"}
    assert checked.project.config.brand.primary == "#fff"


def test_a_5000_digit_number_where_text_is_expected_stays_text(make_project) -> None:
    digits = "9" * 5000
    checked = load_project(make_project({F: f"name: Maya\nrole: {digits}\n"}))
    assert [p for p in checked.problems if p.severity == "error"] == []
    assert checked.project.personas["maya"].role == digits


def test_numbers_no_float_holds_and_yaml_11_numbers_are_said_plainly(make_project) -> None:
    """A 400-digit target is as unusable as 1e999 (it read 'expected a number, got a
    number'); `1_0` is text in YAML 1.2 though Python reads it as 10, and has no quotes to
    remove."""
    big = "1" + "0" * 400
    root = make_project(
        {
            "metrics/nps.yaml": f"name: Net Promoter Score\nkind: nps\ntarget: {big}\n",
            "journeys/buy.yaml": (
                "title: Buy\npersonas: [maya]\nstages:\n  - name: Purchase\n    emotion: 1_0\n"
            ),
        }
    )
    checked = load_project(root)
    assert [p.format() for p in checked.problems if p.severity == "error"] == [
        "journeys/buy.yaml:5:5: error E203: 'emotion': expected a number, got text '1_0'",
        "metrics/nps.yaml:3:1: error E204: 'target': expected a finite number, got "
        "10000000000000000000… (401 characters)",
    ]


@pytest.mark.parametrize("filler", ["a", "1-", "x.", "a@"])
def test_huge_verbatims_are_linted_in_linear_time(make_project, filler: str) -> None:
    """140 thoughts of 10,000 characters (1.4 MB, under the 2 MB file limit) must not make
    the personal-data lint (W511) backtrack for minutes: the e-mail pattern is bounded."""
    thought = (filler * 10_000)[:10_000]
    journey = (
        "title: Buy\npersonas: [maya]\nstages:\n  - name: Purchase\n    emotion: 1\n"
        "    touchpoints: [web-shop]\n    metrics: [nps]\n    thoughts:\n"
        + f"      - '{thought}'\n"
        * 140
    )
    root = make_project({"journeys/buy.yaml": journey})
    started = time.perf_counter()
    result = invoke("check", str(root))
    assert time.perf_counter() - started < HANG
    assert result.exit_code == 0, result.output


def test_a_text_value_is_capped_at_10000_characters(make_project) -> None:
    """Every text value is rendered as Markdown somewhere; Markdown is superlinear on some
    input (thousands of `[`), so one value holds at most 10,000 characters."""
    root = make_project({F: "name: Maya\nrole: '" + "[" * 10_001 + "'\n"})
    result = invoke("check", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{F}:2:1: error E204: 'role' is 10,001 characters long, at most 10,000",
        NO_EVIDENCE,
    ]
