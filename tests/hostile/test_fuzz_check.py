"""Fuzzing `cxsite check` with the example project's YAML, mutated by Hypothesis: keys deleted,
types swapped, random Unicode inserted, files truncated. Whatever the input, the command
never raises, exits 0 or 1, and every line it prints has the SPEC's problem format.

tests/test_load.py fuzzes the YAML loader alone and tests/test_validate.py the model on
random mappings; this runs the whole check (discovery, references, metric data, lint) on
realistic, almost-valid projects.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostilekit import PROBLEM_LINE, copy_example, invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LINE = re.compile(PROBLEM_LINE)
REPLACEMENTS: list[Any] = [
    None, True, 0, -3, 2.5, 1e300, "", "text", "yes", "2026-02-30", "#fff", [], {}, ["a", 1],
    {"k": "v"}, {"text": None}, "../../etc/passwd", "/dev/zero", "nps", 10**30,
]  # fmt: skip


@pytest.fixture(scope="module")
def example_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One copy of the example project, and the text of each of its YAML files."""
    root = copy_example(tmp_path_factory.mktemp("fuzz") / "content")
    files = {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.yaml"))}
    assert invoke("check", str(root)).exit_code == 0  # the mutations start from valid input
    return root, files


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    """Every key or index path inside loaded YAML data."""
    found = []
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        found.append((*prefix, key))
        found += _paths(value, (*prefix, key))
    return found


def _parent(data: Any, path: tuple) -> Any:  # type: ignore[type-arg]
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def mutation(draw: st.DrawFn, files: dict[str, str]) -> tuple[str, str]:
    """(file, new text): one file of the example with one to three mutations."""
    rel = draw(st.sampled_from(sorted(files)))
    text = files[rel]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "swap", "unicode", "truncate", "line"]))
        if kind in ("delete", "swap"):
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError:
                data = None
            paths = _paths(data) if isinstance(data, dict | list) else []
            if not paths:
                continue
            path = draw(st.sampled_from(paths))
            parent = _parent(data, path)
            if kind == "delete":
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(st.sampled_from(REPLACEMENTS))
            text = yaml.safe_dump(
                data, allow_unicode=True, sort_keys=False, default_flow_style=None
            )
        elif kind == "unicode":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.text(min_size=1, max_size=8)) + text[at:]
        elif kind == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                del lines[draw(st.integers(0, len(lines) - 1))]
            text = "".join(lines)
    return rel, text


def _check(root: Path, *args: str) -> tuple[int, str]:
    result = invoke("check", str(root), *args)  # an exception here fails the test
    return result.exit_code, result.stdout


@pytest.mark.slow
def test_check_survives_any_mutation_of_the_example(
    example_files: tuple[Path, dict[str, str]],
) -> None:
    root, files = example_files

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(mutation(files), min_size=1, max_size=3))
    def run(mutations: list[tuple[str, str]]) -> None:
        touched = {}
        try:
            for rel, text in mutations:
                touched[rel] = files[rel]
                (root / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
            code, out = _check(root)
            assert code in (0, 1)
            assert all(LINE.match(line) for line in out.splitlines()), out
            code_json, out_json = _check(root, "--format", "json")
            assert code_json == code
            document = json.loads(out_json)
            assert len(document["problems"]) == len(out.splitlines())
        finally:
            for rel, text in touched.items():
                (root / rel).write_text(text)

    run()
