"""SPEC 8.16 and 8.6: the project found upward from the current folder, `cxsite check
[PROJECT] [FILE]...` showing only the problems of those files (and those that involve them),
and `--format github` annotations. Exact lines, streams and exit codes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli

BROKEN = {
    # E303 in the journey, E208 at the touchpoint, W503 at maya (the journey is ana's now)
    "personas/ana.yaml": (
        "name: Ana Lopez\nrole: Weekend hiker\nevidence:\n  - source: Survey\n"
        "    date: 2026-06-01\n"
    ),
    "journeys/buy.yaml": (
        "title: Buy running shoes\npersonas: [ana]\nstages:\n  - name: Purchase\n"
        "    emotion: 1\n    touchpoints: [web-shop]\n    metrics: [nsp]\n"
    ),
    "touchpoints/web-shop.yaml": "name: Web shop\nchannel: webb\nphase: during\nmetrics: [nps]\n",
}
E303 = "journeys/buy.yaml:7:15: error E303: unknown metric 'nsp' (did you mean 'nps'?)"
E208 = "touchpoints/web-shop.yaml:2:1: error E208: unknown channel 'webb' (did you mean 'web'?)"
W503 = (
    "personas/maya.yaml:1:1: warning W503: persona 'maya' is in no journey; add it to the "
    "'personas' of a journey that it takes, or remove the file"
)


def _invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


# --- the project found upward ---


def test_commands_find_the_project_from_a_sub_folder(make_project, monkeypatch) -> None:
    root = make_project(BROKEN)
    monkeypatch.chdir(root / "personas")
    result = _invoke("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [E303, E208, W503]  # paths stay project-relative
    assert result.stderr == "cxsite check failed: 2 errors, 1 warning (6 files)\n"
    # `new` writes into the project found, not into the current folder
    made = _invoke("new", "persona", "bea")
    assert made.exit_code == 0, made.output
    assert made.stdout == f"Created {Path('..') / 'personas' / 'bea.yaml'}\n"
    assert (root / "personas" / "bea.yaml").is_file()


def test_build_from_a_sub_folder_writes_into_the_project(make_project, monkeypatch) -> None:
    root = make_project()
    (root / "journeys" / "drafts").mkdir()
    monkeypatch.chdir(root / "journeys" / "drafts")
    result = _invoke("build", "--no-pdf", "-q", env={"SOURCE_DATE_EPOCH": "1793750400"})
    assert result.exit_code == 0, result.output
    assert (root / "_site" / "freshness.html").is_file()
    assert not (root / "journeys" / "drafts" / "_site").exists()


def test_the_nearest_project_wins(make_project, monkeypatch) -> None:
    outer = make_project()
    inner = outer / "sub"
    inner.mkdir()
    (inner / "cxsite.yaml").write_text("title: Inner\n", encoding="utf-8")
    monkeypatch.chdir(inner)
    result = _invoke("check")
    assert (result.exit_code, result.stderr) == (0, "cxsite check: no problems (1 file)\n")


def test_no_project_anywhere_above(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["check"], ["build"], ["pdf"], ["serve"], ["new", "persona", "ana"]):
        result = _invoke(*args)
        assert result.exit_code == 1, args
        assert result.stdout == ""
        assert result.stderr == (
            f"Error: no cxsite.yaml in {tmp_path} or any folder above it: not a cxsite "
            "project (give PROJECT, or start one with 'cxsite init DIR')\n"
        ), args


def test_a_given_project_is_not_searched(make_project, monkeypatch) -> None:
    root = make_project()
    monkeypatch.chdir(root / "personas")
    result = _invoke("check", ".")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: . has no cxsite.yaml: not a cxsite project (start one with 'cxsite init DIR')\n"
    )


# --- check FILE... ---


def test_only_the_problems_of_the_files_given(make_project, monkeypatch) -> None:
    root = make_project(BROKEN)
    monkeypatch.chdir(root)
    result = _invoke("check", "touchpoints/web-shop.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [E208]
    assert result.stderr == "cxsite check failed: 1 error, 0 warnings (1 of 6 files)\n"
    # a clean file: exit 0, whatever the rest of the project holds
    result = _invoke("check", "personas/ana.yaml")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "cxsite check: no problems (1 of 6 files)\n"
    # PROJECT and FILEs together, FILEs relative to the current folder
    monkeypatch.chdir(root.parent)
    result = _invoke("check", root.name, f"{root.name}/journeys/buy.yaml", "--strict")
    # the journey's own error, and the warning it causes by not naming maya
    assert result.stdout.splitlines() == [E303, W503]
    assert result.stderr == "cxsite check failed: 1 error, 1 warning (1 of 6 files)\n"


def test_exit_code_follows_what_is_printed(make_project, monkeypatch) -> None:
    root = make_project({"personas/ana.yaml": "name: Ana\nrole: Hiker\n"})
    monkeypatch.chdir(root)
    lines = [
        "personas/ana.yaml:1:1: warning W503: persona 'ana' is in no journey; add it to the "
        "'personas' of a journey that it takes, or remove the file",
        "personas/ana.yaml:1:1: warning W507: persona has no evidence; list the interviews, "
        "surveys or data it rests on under 'evidence'",
    ]
    relaxed = _invoke("check", "personas/ana.yaml")
    assert (relaxed.exit_code, relaxed.stdout.splitlines()) == (0, lines)
    strict = _invoke("check", "personas/ana.yaml", "--strict")
    assert (strict.exit_code, strict.stdout.splitlines()) == (1, lines)
    assert strict.stderr == "cxsite check failed: 0 errors, 2 warnings (1 of 6 files)\n"
    other = _invoke("check", "personas/maya.yaml", "--strict")
    assert (other.exit_code, other.stdout) == (0, "")


def test_references_to_a_renamed_file_are_shown(make_project, monkeypatch) -> None:
    # web-shop.yaml renamed to webshop.yaml: the journey still names the old id
    files = {"touchpoints/web-shop.yaml": None}
    files["touchpoints/webshop.yaml"] = (
        "name: Web shop\nchannel: web\nphase: during\nmetrics: [nps]\n"
    )
    root = make_project(files)
    monkeypatch.chdir(root)
    stale = (
        "journeys/buy.yaml:6:19: error E301: unknown touchpoint 'web-shop' "
        "(did you mean 'webshop'?)"
    )
    # (W504 "in no journey" stays silent while a journey names an unknown touchpoint)
    assert _invoke("check", "touchpoints/webshop.yaml").stdout.splitlines() == [stale]
    # the deleted file's old id, too (a pre-commit hook passes the files it changes)
    assert _invoke("check", "touchpoints/web-shop.yaml").stdout.splitlines() == [stale]
    assert _invoke("check", "personas/maya.yaml").stdout == ""


def test_a_metric_shows_the_problems_of_its_responses_csv(make_project, monkeypatch) -> None:
    metric = "name: NPS\nkind: nps\ntarget: 40\nresponses: ./data/nps.csv\n"
    root = make_project({"metrics/nps.yaml": metric, "data/nps.csv": "date,score\n2026-10-01,11\n"})
    monkeypatch.chdir(root)
    csv = "data/nps.csv:2:12: error E426: score 11 is outside the NPS scale 0..10"
    assert _invoke("check", "metrics/nps.yaml").stdout.splitlines() == [csv]
    assert _invoke("check", "data/nps.csv").stdout.splitlines() == [csv]
    assert _invoke("check", "personas/maya.yaml").stdout == ""


def test_the_config_shows_the_rules_it_sets(make_project, monkeypatch) -> None:
    root = make_project({**BROKEN, "cxsite.yaml": "title: T\nchannels: [kiosk]\n"})
    monkeypatch.chdir(root)
    assert _invoke("check", "cxsite.yaml").stdout.splitlines() == [E208]
    # a typo's suggestion involves the file suggested: 'nsp' was probably meant as nps
    assert _invoke("check", "metrics/nps.yaml").stdout.splitlines() == [E303]


def test_a_folder_selects_the_files_in_it(make_project, monkeypatch) -> None:
    root = make_project(BROKEN)
    monkeypatch.chdir(root)
    assert _invoke("check", "journeys").exit_code == 1  # a folder first is PROJECT
    result = _invoke("check", ".", "touchpoints", "journeys/")
    assert result.stdout.splitlines() == [E303, E208, W503]


def test_a_file_outside_the_project_is_a_usage_error(make_project, monkeypatch) -> None:
    root = make_project()
    (root.parent / "notes.yaml").write_text("x: 1\n", encoding="utf-8")
    monkeypatch.chdir(root)
    result = _invoke("check", "../notes.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: '../notes.yaml' is not inside the project '.'"
    )


def test_a_file_that_is_not_there_is_a_usage_error(make_project, monkeypatch) -> None:
    # FILEs are relative to the current folder: written from the root inside a sub-folder,
    # the path names nothing, and "no problems" would pass a file never checked
    root = make_project(BROKEN)
    monkeypatch.chdir(root / "touchpoints")
    result = _invoke("check", "touchpoints/web-shop.yaml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "Error: 'touchpoints/web-shop.yaml' does not exist (did you mean 'web-shop.yaml'?)"
    )
    assert _invoke("check", "web-shop.yaml").stdout.splitlines() == [E208]
    monkeypatch.chdir(root)
    result = _invoke("check", "notes.txt")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: 'notes.txt' does not exist",
    )
    # a deleted entity file is not an error: what still names its id is shown
    assert _invoke("check", "personas/gone.yaml").exit_code == 0


def test_files_find_their_project_when_the_current_folder_has_none(
    make_project, monkeypatch
) -> None:
    # a pre-commit hook runs at the repository root and passes paths from there
    root = make_project(BROKEN)
    monkeypatch.chdir(root.parent)
    result = _invoke("check", f"{root.name}/touchpoints/web-shop.yaml")
    assert result.stdout.splitlines() == [E208]
    assert result.exit_code == 1


# --- --format github ---


def _git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)


def test_github_annotations_are_relative_to_the_repository(make_project, monkeypatch) -> None:
    root = make_project(BROKEN)
    _git_init(root.parent)  # the project is the sub-folder root.name of the repository
    monkeypatch.chdir(root / "journeys")
    result = _invoke("check", "--format", "github")
    assert result.exit_code == 1
    name = root.name
    assert result.stdout.splitlines() == [
        f"::error file={name}/journeys/buy.yaml,line=7,col=15,title=E303::unknown metric "
        "'nsp' (did you mean 'nps'?)",
        f"::error file={name}/touchpoints/web-shop.yaml,line=2,col=1,title=E208::unknown "
        "channel 'webb' (did you mean 'web'?)",
        f"::warning file={name}/personas/maya.yaml,line=1,col=1,title=W503::persona 'maya' "
        "is in no journey; add it to the 'personas' of a journey that it takes, or remove "
        "the file",
    ]
    assert result.stderr == "cxsite check failed: 2 errors, 1 warning (6 files)\n"
    # with FILEs, the same selection as the text format
    selected = _invoke("check", "--format", "github", "../touchpoints/web-shop.yaml")
    assert selected.stdout.splitlines() == [result.stdout.splitlines()[1]]


def test_github_annotations_outside_a_repository(make_project, monkeypatch) -> None:
    root = make_project({"personas/a,b%.md": "x", "personas/maya.yaml": "name: 50% Maya\n"})
    if (root / ".git").exists() or subprocess.run(
        ["git", "-C", str(root), "rev-parse"], capture_output=True, check=False
    ).returncode == 0:
        pytest.skip("the temporary folder is inside a git repository")
    monkeypatch.chdir(root.parent)
    result = _invoke("check", root.name, "--format", "github")
    assert result.stdout.splitlines() == [
        f"::error file={root.name}/personas/maya.yaml,line=1,col=1,title=E202::missing "
        "required key 'role'",
        f"::warning file={root.name}/personas/a%2Cb%25.md,line=1,col=1,title=W520::file "
        "ignored: not a .yaml or .yml file",
        f"::warning file={root.name}/personas/maya.yaml,line=1,col=1,title=W507::persona has "
        "no evidence; list the interviews, surveys or data it rests on under 'evidence'",
    ]
    assert result.exit_code == 1
