"""Fuzzing SPEC 8.14 on the example project: a schema error anywhere in one file (a value of
a wrong type, or an unknown key in any mapping) adds schema problems (E2xx) and nothing
else. The rest of the file is read without the part in error, and no reference, data or
lint problem is made up from the part that is missing.

Each file is compared with itself written back by the same YAML dumper without the mistake,
so the comparison sees the mistake alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hostilekit import copy_example, invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxsite.validate.project import load_project

WRONG = [[["x"]], {"zz": [1]}]  # never valid where the example has any value
ID_KEYED = {"ratings", "kpi_notes", "emotion"}  # mappings whose keys are ids (references)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)


def _places(data: Any, prefix: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    """Every key or index path inside loaded YAML data."""
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    found = []
    for key, value in items:
        found.append((*prefix, key))
        found += _places(value, (*prefix, key))
    return found


def _at(data: Any, path: tuple) -> Any:  # type: ignore[type-arg]
    for key in path:
        data = data[key]
    return data


def _others(root: Path) -> set[tuple[str, str, str]]:
    """The problems that are not schema problems, without their positions."""
    return {(p.path, p.code, p.message) for p in load_project(root).problems if p.code[:2] != "E2"}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A copy of the example project, its YAML files loaded, each one written back once."""
    root = copy_example(tmp_path_factory.mktemp("partial") / "content")
    files = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.yaml"))}
    data = {rel: yaml.safe_load(path.read_text()) for rel, path in files.items()}
    for rel, loaded in data.items():
        files[rel].write_text(_dump(loaded))
    assert invoke("check", str(root)).exit_code == 0  # still a clean project
    return root, data


@pytest.mark.slow
def test_one_schema_error_adds_nothing_but_schema_problems(
    example: tuple[Path, dict[str, Any]],
) -> None:
    root, files = example

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(draw: st.DataObject) -> None:
        rel = draw.draw(st.sampled_from(sorted(files)))
        data = yaml.safe_load(_dump(files[rel]))  # a deep copy
        made: set[tuple[str, str, str]] = set()  # problems the mistake itself brings
        if draw.draw(st.booleans()):
            place = draw.draw(st.sampled_from(_places(data)))
            _at(data, place[:-1])[place[-1]] = draw.draw(st.sampled_from(WRONG))
            if place[-1] in ID_KEYED:  # `{zz: [1]}`: 'zz' is an id read, its value is wrong
                made = {(rel, "E302", "unknown persona 'zz' (no file personas/zz.yaml)")}
                made.add((rel, "E303", "unknown metric 'zz' (no file metrics/zz.yaml)"))
        else:
            # (not inside `where` or `map` of a survey export: their keys name the export's
            # columns, so an unknown one is the file's problem, E439, not the schema's; nor
            # in a mapping keyed by ids, an executive brief's `kpi_notes` (metric ids), a
            # stage's `emotion` or a touchpoint's `ratings` by persona: an unknown id there is
            # a reference, E3xx, also when its value is in error)
            keyed = {"where", "map", "kpi_notes", "emotion", "ratings"}
            mappings = [()] + [
                p
                for p in _places(data)
                if isinstance(_at(data, p), dict) and not keyed & set(map(str, p))
            ]
            _at(data, draw.draw(st.sampled_from(mappings)))["zz_unknown"] = 1
        try:
            (root / rel).write_text(_dump(data))
            result = load_project(root)
            others = {(p.path, p.code, p.message) for p in result.problems if p.code[:2] != "E2"}
            assert others - made == set(), _dump(data)
            assert result.project is None or not result.errors
        finally:
            (root / rel).write_text(_dump(files[rel]))

    run()
