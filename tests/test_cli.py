"""CLI tests of `check` and `schema`: exact output lines, streams and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli, main


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_check_valid_project(make_project) -> None:
    root = make_project()
    result = _invoke("check", str(root), "--strict")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "cxsite check: no problems (5 files)\n"


def test_check_default_project_is_the_current_folder(make_project, monkeypatch) -> None:
    monkeypatch.chdir(make_project({"personas/maya.yaml": "name: Maya\n"}))
    result = _invoke("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "personas/maya.yaml:1:1: error E202: missing required key 'role'",
        "personas/maya.yaml:1:1: warning W507: persona has no evidence; list the interviews, "
        "surveys or data it rests on under 'evidence'",
    ]
    assert result.stderr == "cxsite check failed: 1 error, 1 warning (5 files)\n"


def test_check_strict_fails_on_warnings_only(make_project) -> None:
    root = make_project({"personas/notes.md": "x"})
    line = "personas/notes.md:1:1: warning W520: file ignored: not a .yaml or .yml file\n"
    relaxed = _invoke("check", str(root))
    assert (relaxed.exit_code, relaxed.stdout) == (0, line)
    assert relaxed.stderr == "cxsite check passed: 0 errors, 1 warning (5 files)\n"
    strict = _invoke("check", str(root), "--strict")
    assert (strict.exit_code, strict.stdout) == (1, line)
    assert strict.stderr == "cxsite check failed: 0 errors, 1 warning (5 files)\n"


def test_check_json(make_project) -> None:
    root = make_project(
        {"personas/notes.md": "x", "touchpoints/web-shop.yaml": "name: W\nchannel: wbe\nphase: x\n"}
    )
    result = _invoke("check", str(root), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document == {
        "problems": [
            {
                "path": "touchpoints/web-shop.yaml",
                "line": 2,
                "col": 1,
                "severity": "error",
                "code": "E208",
                "message": "unknown channel 'wbe' (did you mean 'web'?)",
            },
            {
                "path": "touchpoints/web-shop.yaml",
                "line": 3,
                "col": 1,
                "severity": "error",
                "code": "E205",
                "message": "unknown value 'x' for 'phase' (expected one of: before, during, after)",
            },
            {
                "path": "personas/notes.md",
                "line": 1,
                "col": 1,
                "severity": "warning",
                "code": "W520",
                "message": "file ignored: not a .yaml or .yml file",
            },
        ],
        "errors": 2,
        "warnings": 1,
    }


def test_check_json_of_a_clean_project(make_project) -> None:
    result = _invoke("check", str(make_project()), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"problems": [], "errors": 0, "warnings": 0}


def test_check_not_a_project(tmp_path: Path) -> None:
    result = _invoke("check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {tmp_path} has no cxsite.yaml: not a cxsite project "
        "(start one with 'cxsite init DIR')\n"
    )


@pytest.mark.parametrize(
    "command",
    [("check",), ("build", "--no-pdf"), ("pdf",), ("serve", "--no-pdf"), ("new", "persona", "ana")],
)
@pytest.mark.parametrize("exists", [True, False])
def test_every_command_says_the_same_of_a_folder_that_is_not_a_project(
    tmp_path: Path, command: tuple[str, ...], exists: bool
) -> None:
    folder = tmp_path / "notes"
    if exists:
        folder.mkdir()
    result = _invoke(*command, str(folder))  # PROJECT comes last for every command
    where = "has no cxsite.yaml" if exists else "does not exist"
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[-1] == (  # after "Validating" for build
        f"Error: {folder} {where}: not a cxsite project (start one with 'cxsite init DIR')"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == (["notes"] if exists else [])


@pytest.mark.parametrize(
    "args",
    [("check", "--format", "xml"), ("check", "--nope"), ("new", "widget", "x"), ("schema", "x")],
)
def test_usage_errors_exit_2(args: tuple[str, ...], make_project) -> None:
    result = _invoke(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr


def test_check_a_file_checks_the_project_it_is_in(make_project) -> None:
    # a file is a FILE (tests/test_check_files.py), never PROJECT: its project is found
    result = _invoke("check", str(make_project() / "cxsite.yaml"))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "cxsite check: no problems (1 of 5 files)\n"


def test_check_paths_are_relative_posix(make_project, monkeypatch) -> None:
    root = make_project({"journeys/buy.yaml": "title: B\npersonas: [mya]\nstages: [{name: A}]\n"})
    monkeypatch.chdir(root.parent)
    result = _invoke("check", root.name)
    assert result.stdout.splitlines() == [
        "journeys/buy.yaml:2:12: error E302: unknown persona 'mya' (did you mean 'maya'?)",
        "journeys/buy.yaml:3:10: warning W505: stage 'A' has no touchpoints; list where the "
        "customer meets us in this stage under 'touchpoints'",
        "touchpoints/web-shop.yaml:1:1: warning W504: touchpoint 'web-shop' is in no journey; "
        "add it to the 'touchpoints' of the stages where it is used, or remove the file",
    ]


def test_schema_of_one_kind() -> None:
    result = _invoke("schema", "persona")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert "id" not in schema["properties"]
    assert schema["required"] == ["name", "role"]
    assert schema["properties"]["segment_share"]["anyOf"][0]["maximum"] == 1
    assert schema["properties"]["name"]["description"]
    evidence = schema["$defs"]["Evidence"]
    assert evidence["additionalProperties"] is False
    assert evidence["properties"]["date"]["anyOf"][0]["format"] == "date"


def test_schema_of_every_kind() -> None:
    result = _invoke("schema")
    assert result.exit_code == 0
    schemas = json.loads(result.stdout)
    assert list(schemas) == ["config", "persona", "journey", "touchpoint", "metric", "research"]
    for kind, schema in schemas.items():
        assert schema["$schema"].endswith("2020-12/schema"), kind
        assert schema["additionalProperties"] is False, kind
        for name, definition in schema["properties"].items():
            assert definition.get("description"), f"{kind}.{name} has no description"
        for name, definition in schema.get("$defs", {}).items():
            for option in [definition, *definition.get("anyOf", [])]:
                for key, prop in option.get("properties", {}).items():
                    assert prop.get("description"), f"{kind}: {name}.{key} has no description"
    assert "id" in schemas["config"]["$defs"]["Brief"]["properties"]
    pain = schemas["journey"]["$defs"]["PainPoint"]["anyOf"]
    assert pain[0] == {"type": "string", "minLength": 1}
    assert pain[1]["additionalProperties"] is False
    # Text accepts what cxsite keeps as text: `period: 2026` must not be flagged.
    period = schemas["metric"]["$defs"]["PeriodValue"]["properties"]["period"]
    assert period["type"] == ["string", "number", "boolean"]
    assert schemas["metric"]["properties"]["kind"]["enum"] == [
        "nps",
        "csat",
        "ces",
        "churn",
        "clv",
        "custom",
    ]


def test_version() -> None:
    result = _invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("cxsite, version ")


def test_python_dash_m_is_the_same_command_line(make_project) -> None:
    """`python -m cxsite` runs the CLI (in a fresh process: streams and exit code)."""
    root = make_project({"personas/notes.md": "x"})
    done = subprocess.run(
        [sys.executable, "-m", "cxsite", "check", str(root), "--strict"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == (
        "personas/notes.md:1:1: warning W520: file ignored: not a .yaml or .yml file\n"
    )
    assert done.stderr == "cxsite check failed: 0 errors, 1 warning (5 files)\n"
    version = subprocess.run(
        [sys.executable, "-m", "cxsite", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("cxsite, version ")


def _run_main(*args: str) -> subprocess.CompletedProcess[str]:
    """The console script's entry point in a fresh process, with a hook that says when
    Python shuts down."""
    code = (
        "import atexit, sys; atexit.register(print, 'python shut down');"
        f"sys.argv = ['cxsite', *{list(args)!r}]; from cxsite.client import main; main()"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_build_and_check_end_the_process_when_done(make_project, tmp_path, monkeypatch) -> None:
    """Run by the console script, `build` and `check` end the moment their work is done
    (`end_now`: nothing freed object by object, so Python's shutdown hooks never run), yet
    every line is printed, the output and caches are written and the exit code is kept.
    Called in a process that goes on (a test calling `cli.main`), they return as before."""
    root, out = make_project(), tmp_path / "site"
    built = _run_main("build", str(root), "-o", str(out), "--no-pdf")
    assert built.returncode == 0, built.stderr
    assert "python shut down" not in built.stdout
    assert built.stderr.startswith("Validating\n")
    assert "\nBuilt 14 pages, 9 charts (9 drawn, 0 cached)" in built.stderr
    assert (out / "index.html").read_text(encoding="utf-8").endswith("</html>\n")
    assert list((root / ".cxsite-cache").glob("validated-*.pickle"))
    again = _run_main("build", str(root), "-o", str(out), "--no-pdf", "-q")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    monkeypatch.setattr(sys, "argv", ["cxsite", "build", str(root), "-o", str(out), "--no-pdf"])
    with pytest.raises(SystemExit) as exited:  # in this process, which goes on afterwards
        main()
    assert exited.value.code == 0
    (root / "personas/maya.yaml").write_text("name: Maya\n", encoding="utf-8")
    checked = _run_main("check", str(root))
    assert checked.returncode == 1
    assert checked.stdout.startswith("personas/maya.yaml:1:1: error E202: missing required key")
    assert checked.stderr == "cxsite check failed: 1 error, 1 warning (5 files)\n"
    assert "python shut down" not in checked.stdout
    version = _run_main("--version")  # a command that does not end early shuts Python down
    assert version.returncode == 0 and version.stdout.endswith("python shut down\n")


def test_a_multi_line_value_in_a_problem_stays_on_one_line(make_project) -> None:
    """A folded YAML scalar with a blank line holds a line break; the problem line shows it
    as `\\n` so every problem is still exactly one `file:line:col` line."""
    metric = "name: NPS\nkind: nps\ntarget: 45\n  colleague\n\n  more\n"
    result = _invoke("check", str(make_project({"metrics/nps.yaml": metric})))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "metrics/nps.yaml:3:1: error E203: 'target': expected a number, "
        "got text '45 colleague\\nmore'",
        "metrics/nps.yaml:1:1: warning W502: metric has no data; add 'values' (period and "
        "value) or 'responses' (a CSV of survey answers) with at least one entry",
    ]


def test_invisible_characters_in_a_problem_show_as_escapes(make_project) -> None:
    """A soft hyphen or a zero-width space in a value showed as nothing, so 'Ma\xadya' read
    as 'Maya' in the message about it (hostile audit); they show as escapes, like a tab."""
    metric = 'name: NPS\nkind: nps\ntarget: "4\u00ad5\u200b"\n'
    result = _invoke("check", str(make_project({"metrics/nps.yaml": metric})))
    assert result.stdout.splitlines()[0] == (
        "metrics/nps.yaml:3:1: error E203: 'target': expected a number, got text '4\\xad5\\u200b'"
    )


def test_a_build_with_briefs_says_one_line_a_step(make_project, tmp_path) -> None:
    # progress on stderr (SPEC 6): plain lines off a terminal, one a step, then the summary
    root = make_project({"cxsite.yaml": "title: T\nbriefs:\n  - {id: exec, kind: executive}\n"})
    built = _run_main("build", str(root), "-o", str(tmp_path / "site"), "-j", "1")
    assert built.returncode == 0, built.stderr
    lines = built.stderr.splitlines()
    assert lines[:-1] == [
        "Validating",
        "Drawing 9 charts",
        "Rendering 14 pages",
        "Rendering 1 PDF brief",
    ]
    assert re.fullmatch(
        r"Built 14 pages, 9 charts \(9 drawn, 0 cached\), 1 PDF brief into .+ in [\d.]+ s",
        lines[-1],
    )
