"""Unit tests of load.py: YAML 1.2 scalars, marks, limits and the E1xx problems."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxsite.load.reader import load_yaml, position, resolve_scalar


def _load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "f.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_yaml(path, "f.yaml")


def _lines(problems) -> list[str]:
    return [p.format() for p in problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("Yes", "Yes"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("2026-07-14", "2026-07-14"),
        ("12:30", "12:30"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
    ],
)
def test_yaml_12_scalars(text: str, expected: object) -> None:
    assert resolve_scalar(text, None, True) == expected
    assert type(resolve_scalar(text, None, True)) is type(expected)


def test_numbers_keep_their_spelling(tmp_path: Path) -> None:
    loaded, problems = _load(tmp_path, "a: 01234\nb: 1.50\nc: 0x1F\nd: 0o17\ne: -3\nf: 1e3\n")
    assert problems == []
    data = loaded.data
    assert (data["a"], data["a"].source) == (1234, "01234")
    assert (data["b"], data["b"].source) == (1.5, "1.50")
    assert (data["c"], data["d"], data["e"], data["f"]) == (31, 15, -3, 1000.0)
    assert isinstance(data["a"], int) and isinstance(data["f"], float)


def test_nan_and_inf_are_floats(tmp_path: Path) -> None:
    loaded, _ = _load(tmp_path, "a: .nan\nb: -.inf\nc: .Inf\n")
    assert math.isnan(loaded.data["a"])
    assert loaded.data["b"] == -math.inf and loaded.data["c"] == math.inf


def test_quoted_and_block_scalars_stay_text(tmp_path: Path) -> None:
    loaded, _ = _load(tmp_path, "a: '01234'\nb: \"true\"\nc: |\n  42\nd: !!str 7\ne: ! 8\n")
    assert loaded.data == {"a": "01234", "b": "true", "c": "42\n", "d": "7", "e": "8"}


def test_marks_for_every_key_and_item(tmp_path: Path) -> None:
    text = (
        "title: T\n"  # 1
        "stages:\n"  # 2
        "  - name: A\n"  # 3
        "    touchpoints: [web, app]\n"  # 4
        "  - name: B\n"  # 5
        "    pain_points:\n"  # 6
        "      - text: slow\n"  # 7
        "        severity: high\n"  # 8
    )
    loaded, problems = _load(tmp_path, text)
    assert problems == []
    marks = loaded.marks
    assert marks[("title",)] == (1, 1)
    assert marks[("stages",)] == (2, 1)
    assert marks[("stages", 0)] == (3, 5)
    assert marks[("stages", 0, "name")] == (3, 5)
    assert marks[("stages", 0, "touchpoints", 1)] == (4, 24)
    assert marks[("stages", 1, "pain_points", 0, "severity")] == (8, 9)
    # Unknown paths fall back to the nearest ancestor, then to 1:1.
    assert position(marks, ("stages", 1, "pain_points", 0, "nope")) == (7, 9)
    assert position(marks, ("nothing",)) == (1, 1)
    assert position({}, ("a", "b")) == (1, 1)


def test_bom_is_an_error_at_the_start_of_the_file(tmp_path: Path) -> None:
    loaded, problems = _load(tmp_path, "\ufeffname: Maya\n".encode())
    assert loaded is None
    assert [p.format() for p in problems] == [
        "f.yaml:1:1: error E117: the file starts with a byte-order mark (BOM): "
        "save it as UTF-8 without BOM"
    ]


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    loaded, _ = _load(tmp_path, "note: [café, thé]\n")
    assert loaded.marks[("note", 1)] == (1, 14)


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_nel_ls_and_ps_are_text_not_line_breaks(tmp_path: Path, char: str) -> None:
    """YAML 1.2 and editors count lines at `\\n` alone; PyYAML (YAML 1.1) also broke them at
    NEL, LS and PS, so every problem below one was reported a line too far down."""
    loaded, _ = _load(tmp_path, f"name: A{char}B\nquote: 'x{char}y'\ngoals: [run]\n")
    assert loaded.data == {"name": f"A{char}B", "quote": f"x{char}y", "goals": ["run"]}
    assert loaded.marks[("goals", 0)] == (3, 9)
    _, problems = _load(tmp_path, f"name: A{char}B\ngoals: [run\n")
    assert [(p.line, p.code) for p in problems] == [(3, "E105")]


def test_duplicate_keys_at_any_depth_name_both_lines(tmp_path: Path) -> None:
    text = "a: 1\nb:\n  c:\n    - d: 1\n      e: 2\n      d: 3\na: 2\n"
    loaded, problems = _load(tmp_path, text)
    assert loaded is None
    assert _lines(problems) == [
        "f.yaml:6:7: error E108: duplicate key 'd' (first on line 4, again on line 6)",
        "f.yaml:7:1: error E108: duplicate key 'a' (first on line 1, again on line 7)",
    ]


def test_validation_reads_a_file_despite_duplicate_keys(tmp_path: Path) -> None:
    # the last value of each key; every other caller still gets nothing from such a file
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    loaded, problems = load_yaml(path, "f.yaml", despite_duplicates=True)
    assert loaded is not None and loaded.data == {"a": 3, "b": 2}
    assert _lines(problems) == [
        "f.yaml:3:1: error E108: duplicate key 'a' (first on line 1, again on line 3)"
    ]
    assert load_yaml(path, "f.yaml")[0] is None
    path.write_text("a: 1\na: 2\nb: [\n", encoding="utf-8")  # and a syntax error
    assert load_yaml(path, "f.yaml", despite_duplicates=True)[0] is None

    text = "base: &b {x: 1, y: 2}\nm:\n  w: 0\n  <<: *b\n  y: 3\n"
    loaded, problems = _load(tmp_path, text)
    assert problems == []
    assert list(loaded.data["m"].items()) == [("w", 0), ("x", 1), ("y", 3)]
    assert loaded.marks[("m", "x")] == (4, 3)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("? [a, b]\n: 1\n", "f.yaml:1:3: error E109: a key must be text, not a list (quote it)"),
        ("true: 1\n", "f.yaml:1:1: error E109: a key must be text, not true (quote it)"),
        ("~: 1\n", "f.yaml:1:1: error E109: a key must be text, not ~ (quote it)"),
    ],
)
def test_keys_must_be_text(tmp_path: Path, text: str, line: str) -> None:
    loaded, problems = _load(tmp_path, text)
    assert loaded is None
    assert _lines(problems) == [line]


def test_number_keys_are_kept_for_the_model_to_judge(tmp_path: Path) -> None:
    loaded, problems = _load(tmp_path, "emotion_labels:\n  -2: Awful\n  2: Great\n")
    assert problems == []
    assert loaded.data == {"emotion_labels": {-2: "Awful", 2: "Great"}}


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"", "f.yaml:1:1: error E103: the file is empty"),
        (b"# only a comment\n\n", "f.yaml:1:1: error E103: the file is empty"),
        (b"---\n", "f.yaml:1:1: error E103: the file is empty"),
        (b"- a\n", "f.yaml:1:1: error E107: the file must be a mapping of keys, not a list"),
        (
            b"just text\n",
            "f.yaml:1:1: error E107: the file must be a mapping of keys, not a single value",
        ),
        (
            b"a: 1\n---\nb: 2\n",
            "f.yaml:2:1: error E106: several YAML documents in one file: keep one "
            "(remove the '---' line)",
        ),
        (
            b"a:\n  b: 1\n\tc: 2\n",
            "f.yaml:3:1: error E104: a tab is used for indentation: indent with spaces",
        ),
        (
            b"a: 1\nb: caf\xc3\n",
            "f.yaml:2:7: error E102: invalid UTF-8 (byte 0xc3): save the file as UTF-8",
        ),
        (b"a: \x00\n", "f.yaml:1:4: error E105: character #x0000 is not allowed in YAML"),
        # columns count characters, not the bytes libyaml counts (it said 2:5 here)
        (
            "a: caf\u00e9\n\x00\n".encode(),
            "f.yaml:2:1: error E105: character #x0000 is not allowed in YAML",
        ),
        (b"a: !!set {x}\n", "f.yaml:1:4: error E110: tag '!!set' is not allowed"),
        (b"a: !custom x\n", "f.yaml:1:4: error E110: tag '!custom' is not allowed"),
        (b"a: !!int abc\n", "f.yaml:1:4: error E110: 'abc' is not a valid !!int"),
        (b"a: *nope\n", "f.yaml:1:4: error E105: alias '*nope' refers to no anchor above it"),
    ],
)
def test_file_problems(tmp_path: Path, content: bytes, line: str) -> None:
    loaded, problems = _load(tmp_path, content)
    assert loaded is None
    assert _lines(problems) == [line]


def test_tab_inside_a_value_is_fine(tmp_path: Path) -> None:
    loaded, problems = _load(tmp_path, "a: 'x\ty'\nb: |\n  code:\n  \tindented\n")
    assert problems == []
    assert loaded.data["a"] == "x\ty"


def test_python_tags_construct_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    loaded, problems = _load(tmp_path, text)
    assert loaded is None
    assert problems[0].code == "E110"
    assert not marker.exists()


def test_aliases_are_counted(tmp_path: Path) -> None:
    ok = "a: &x 1\nb: [" + ", ".join(["*x"] * 100) + "]\n"
    loaded, problems = _load(tmp_path, ok)
    assert problems == [] and len(loaded.data["b"]) == 100
    loaded, problems = _load(tmp_path, ok.replace("]", ", *x]"))
    assert loaded is None
    assert problems[0].code == "E111" and "more than 100 aliases" in problems[0].message


def test_alias_bomb_under_the_alias_limit_is_refused(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for name, prev in zip("bcdefghij", "abcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    loaded, problems = _load(tmp_path, "\n".join(lines) + "\n")
    assert loaded is None
    assert problems[0].code == "E111"


def test_depth_limit(tmp_path: Path) -> None:
    ok = "a: " + "[" * 49 + "]" * 49 + "\n"
    assert _load(tmp_path, ok)[1] == []
    deep = "a: " + "[" * 50 + "]" * 50 + "\n"
    assert _lines(_load(tmp_path, deep)[1]) == [
        "f.yaml:1:53: error E112: nesting deeper than 50 levels"
    ]
    # An alias can hide depth: its subtree counts where it is used.
    hidden = "x: &x " + "[" * 30 + "]" * 30 + "\ny: " + "[" * 25 + "*x" + "]" * 25 + "\n"
    assert _load(tmp_path, hidden)[1][0].code == "E112"


def test_deep_nesting_in_a_subprocess(tmp_path: Path) -> None:
    """100,000 levels: exit cleanly with E112, no RecursionError, no crash."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    code = (
        "import sys; from pathlib import Path; from cxsite.load.reader import load_yaml; "
        f"loaded, problems = load_yaml(Path({str(path)!r}), 'deep.yaml'); "
        "print(problems[0].code); sys.exit(0 if loaded is None else 3)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "E112"


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    # Not even valid YAML: the size check must come first.
    path.write_bytes(b"[" * (2 * 1024 * 1024 + 1))
    loaded, problems = load_yaml(path, "big.yaml")
    assert loaded is None
    assert _lines(problems) == ["big.yaml:1:1: error E101: the file is larger than 2 MB"]


def test_unreadable_file(tmp_path: Path) -> None:
    loaded, problems = load_yaml(tmp_path / "missing.yaml", "missing.yaml")
    assert loaded is None
    assert problems[0].code == "E113"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.text(alphabet=st.sampled_from(list("ab:-[]{},&*!|>'\"#\t\n ?%@`~.0123")), max_size=120),
    )
)
def test_any_input_gives_data_or_e1xx_problems(tmp_path: Path, content: bytes | str) -> None:
    """Fuzz: whatever the bytes, a mapping with marks or E1xx problems, never an exception."""
    loaded, problems = _load(tmp_path, content)
    if loaded is None:
        assert problems and all(p.code.startswith("E1") for p in problems)
        assert all(p.line >= 1 and p.col >= 1 for p in problems)
    else:
        assert problems == [] and isinstance(loaded.data, dict)
