"""`cxsite diff`: the semantic changes between two git revisions, with real repositories
(fixed dates), every scenario of the issue, and the repository left exactly as it was."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from gitkit import commit, git, init, untouched_state

from cxsite.cli import cli

EPOCH = "1790000000"

PROJECT: dict[str, str] = {
    "cxsite.yaml": "title: Diff CX\n",
    "personas/maya.yaml": (
        "name: Maya Chen\nrole: Busy urban runner\ngoals:\n  - Run a marathon\n"
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    ),
    "personas/dan.yaml": "name: Dan Lee\nrole: Weekend camper\n",
    "touchpoints/web-shop.yaml": (
        "name: Web shop\nchannel: web\nphase: during\n"
        "ratings:\n  maya: {importance: 4, satisfaction: 3}\n"
    ),
    "touchpoints/store.yaml": (
        "name: Store\nchannel: store\nphase: during\n"
        "ratings:\n  maya: {importance: 2, satisfaction: 4}\n"
    ),
    "journeys/buy.yaml": (
        "title: Buy running shoes\n"
        "personas: [maya]\n"
        "stages:\n"
        "  - name: Discover\n    emotion: 1\n"
        "  - name: Compare\n    emotion: 0\n"
        "    pain_points:\n      - text: Prices are unclear\n        severity: high\n"
        "    opportunities:\n      - text: Price match promise\n        status: idea\n"
        "  - name: Purchase\n    emotion: -1\n    touchpoints: [web-shop]\n"
        "  - name: Delivery\n    emotion: 1\n    touchpoints: [store]\n"
    ),
    "metrics/nps.yaml": (
        "name: Net Promoter Score\nkind: nps\ntarget: 40\n"
        "responses: data/nps.csv\nperiod: quarter\n"
    ),
    "data/nps.csv": "date,score\n2026-01-10,9\n2026-02-10,10\n2026-03-10,3\n",
}


PROJECT_YAML = [rel for rel in PROJECT if rel.endswith(".yaml")]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(
        cli, ["diff", *args], catch_exceptions=False, env={"SOURCE_DATE_EPOCH": EPOCH}
    )


def changes(result: Result) -> list[tuple]:
    """(kind, id, change, where, subject, before, after) of every change in a JSON report."""
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return [
        (c["kind"], c["id"], c["change"], c["where"], c["subject"], c["before"], c["after"])
        for c in doc["changes"]
    ]


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    """A repository whose first commit (tag v1) is PROJECT; the state is checked to be
    the same after the test's diffs as before them."""
    root = init(tmp_path / "repo")
    commit(root, "v1", PROJECT, date="2026-05-01T09:00:00Z", tag="v1")
    yield root


def diff_json(root: Path, *revisions: str) -> list[tuple]:
    before = untouched_state(root)
    result = invoke(str(root), *revisions, "--format", "json")
    assert untouched_state(root) == before  # working tree, index, refs, status
    return changes(result)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1))


def test_no_change_reports_nothing_and_exit_code_stays_0(repo: Path) -> None:
    result = invoke(str(repo), "--exit-code")
    assert result.exit_code == 0
    assert result.stdout == "cxsite diff: HEAD → working tree\nNo changes.\n"


def test_emotion_change_at_one_stage(repo: Path) -> None:
    edit(repo, "journeys/buy.yaml", "emotion: -1", "emotion: -2")
    commit(repo, "worse purchase", date="2026-05-02T09:00:00Z", tag="v2")
    assert diff_json(repo, "v1", "v2") == [
        ("journey", "buy", "emotion", "Purchase", None, -1.0, -2.0),
        ("journey", "buy", "peak", None, None,
         {"stage": "Discover", "emotion": 1.0}, {"stage": "Purchase", "emotion": -2.0}),
    ]  # fmt: skip


def test_stage_renamed_moved_and_added(repo: Path) -> None:
    journey = (
        "title: Buy running shoes\npersonas: [maya]\nstages:\n"
        "  - name: Browse\n    emotion: 1\n"  # renamed in place from Discover
        "  - name: Purchase\n    emotion: -1\n    touchpoints: [web-shop]\n"  # moved up
        "  - name: Compare\n    emotion: 0\n"
        "    pain_points:\n      - text: Prices are unclear\n        severity: high\n"
        "    opportunities:\n      - text: Price match promise\n        status: idea\n"
        "  - name: Delivery\n    emotion: 1\n    touchpoints: [store]\n"
        "  - name: Review\n    emotion: 0.5\n"  # added
    )
    commit(repo, "stages", {"journeys/buy.yaml": journey}, date="2026-05-02T09:00:00Z")
    found = diff_json(repo, "v1", "HEAD")
    assert found == [
        ("journey", "buy", "stage-added", None, "Review", None, 5),
        ("journey", "buy", "stage-renamed", None, "Browse", "Discover", "Browse"),
        ("journey", "buy", "stage-moved", None, "Purchase", 3, 2),
        ("journey", "buy", "peak", None, None,
         {"stage": "Discover", "emotion": 1.0}, {"stage": "Browse", "emotion": 1.0}),
        ("journey", "buy", "end", None, None,
         {"stage": "Delivery", "emotion": 1.0}, {"stage": "Review", "emotion": 0.5}),
    ]  # fmt: skip


def test_pain_added_and_removed_and_opportunity_status(repo: Path) -> None:
    edit(repo, "journeys/buy.yaml", "Prices are unclear", "Delivery fees appear late")
    edit(repo, "journeys/buy.yaml", "status: idea", "status: in-progress")
    found = diff_json(repo)  # HEAD against the working tree (uncommitted edits)
    assert found == [
        ("journey", "buy", "pain-added", "Compare", "Delivery fees appear late", None, "high"),
        ("journey", "buy", "pain-removed", "Compare", "Prices are unclear", "high", None),
        ("journey", "buy", "opportunity-status", "Compare", "Price match promise",
         "idea", "in-progress"),
    ]  # fmt: skip


def test_rating_change_moves_ipa_quadrants(repo: Path) -> None:
    edit(repo, "touchpoints/web-shop.yaml", "satisfaction: 3", "satisfaction: 5")
    found = diff_json(repo, "v1")
    assert found == [
        ("touchpoint", "store", "quadrant", None, None, "Possible overkill", "Low priority"),
        ("touchpoint", "web-shop", "rating", None, "maya",
         {"importance": 4.0, "satisfaction": 3.0}, {"importance": 4.0, "satisfaction": 5.0}),
        ("touchpoint", "web-shop", "quadrant", None, None,
         "Concentrate here", "Keep up the good work"),
    ]  # fmt: skip


def test_new_metric_period_and_latest_value(repo: Path) -> None:
    csv = (repo / "data/nps.csv").read_text() + "2026-04-10,9\n2026-05-10,9\n2026-06-10,6\n"
    commit(repo, "Q2 answers", {"data/nps.csv": csv}, date="2026-07-01T09:00:00Z", tag="v2")
    result = invoke(str(repo), "v1", "v2", "--format", "json")
    doc = json.loads(result.stdout)
    assert [(c["change"], c["subject"], c["before"], c["after"]) for c in doc["changes"]] == [
        ("period-added", "2026-Q2", None, pytest.approx(33.333, abs=0.01)),
        ("latest", None, pytest.approx(33.333, abs=0.01), pytest.approx(33.333, abs=0.01)),
    ]
    latest = doc["changes"][1]["detail"]
    # The verdict of SPEC 8.1 (tests/test_diff_verdict.py): 3 answers each are too few.
    assert latest == {
        "before_period": "2026-Q1",
        "after_period": "2026-Q2",
        "before_n": 3,
        "after_n": 3,
        "verdict": "too-few",
        "kind": "nps",
    }


def test_renamed_file_is_a_rename(repo: Path) -> None:
    git(repo, "mv", "personas/dan.yaml", "personas/dan-lee.yaml")
    commit(repo, "rename", date="2026-05-02T09:00:00Z")
    assert diff_json(repo, "v1", "HEAD") == [
        ("persona", "dan-lee", "renamed", None, None, "dan", "dan-lee")
    ]


def test_reformatted_file_with_the_same_data_is_no_change(repo: Path) -> None:
    (repo / "touchpoints/web-shop.yaml").write_text(
        "# reordered, flow style, comments and blank lines\n"
        "phase: during\n\nname: 'Web shop'\nratings: {maya: {satisfaction: 3, importance: 4}}\n"
        "channel:   web   \n"
    )
    assert diff_json(repo) == []
    result = invoke(str(repo), "--exit-code")
    assert result.exit_code == 0


def test_exit_code_when_something_changed(repo: Path) -> None:
    edit(repo, "personas/maya.yaml", "Run a marathon", "Run an ultra")
    result = invoke(str(repo), "--exit-code")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "cxsite diff: HEAD → working tree",
        "1 change in 1 entity.",
        "",
        "Persona: Maya Chen (maya)",
        "  Fields changed · goals",
    ]


def test_base_invalid_prints_its_problem_lines_and_exits_1(repo: Path) -> None:
    commit(repo, "broken", {"personas/dan.yaml": "name: Dan\nrol: camper\n"}, tag="broken")
    commit(repo, "fixed", {"personas/dan.yaml": PROJECT["personas/dan.yaml"]}, tag="fixed")
    before = untouched_state(repo)
    result = invoke(str(repo), "broken", "fixed")
    assert untouched_state(repo) == before
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "personas/dan.yaml:1:1: error E202: missing required key 'role'",
        "personas/dan.yaml:2:1: error E201: unknown key 'rol' (did you mean 'role'?)",
    ]
    assert result.stderr == "Error: broken has errors: 2 errors, 0 warnings\n"


def test_base_file_not_valid_yaml(repo: Path) -> None:
    commit(repo, "bad yaml", {"journeys/buy.yaml": "title: [unclosed\n"}, tag="bad")
    commit(repo, "good", {"journeys/buy.yaml": PROJECT["journeys/buy.yaml"]})
    result = invoke(str(repo), "bad", "HEAD")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("journeys/buy.yaml:2:1: error E105: ")


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("nope", "bad revision 'nope': fatal: Needed a single revision"),
        ("v1~5", "bad revision 'v1~5': fatal: Needed a single revision"),
        ("--output=/tmp/cxsite-x", "bad revision '--output=/tmp/cxsite-x': a revision cannot "
         "start with '-' or be empty"),
        ("--upload-pack=touch /tmp/cxsite-x", "bad revision '--upload-pack=touch /tmp/cxsite-x':"
         " a revision cannot start with '-' or be empty"),
    ],
)  # fmt: skip
def test_bad_revision_exits_2_with_gits_message(repo: Path, revision: str, message: str) -> None:
    before = untouched_state(repo)
    result = invoke("--", str(repo), "v1", revision)  # after `--`, as a user must write it
    assert untouched_state(repo) == before
    assert not Path("/tmp/cxsite-x").exists()
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_not_a_git_repository_exits_2(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "cxsite.yaml").write_text("title: T\n")
    result = CliRunner().invoke(
        cli, ["diff", str(root)], env={"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {root} is not in a git repository: cxsite diff compares git revisions\n"
    )


def test_project_in_a_sub_folder_and_a_revision_without_it(tmp_path: Path) -> None:
    root = init(tmp_path / "mono")
    commit(root, "code only", {"README.md": "code\n"}, tag="before-cx")
    files = {f"cx/{rel}": text for rel, text in PROJECT.items()}
    commit(root, "add the CX project", files, date="2026-05-02T09:00:00Z", tag="cx")
    edit(root, "cx/journeys/buy.yaml", "emotion: 0\n", "emotion: 0.5\n")
    commit(root, "compare is better", date="2026-05-03T09:00:00Z")
    project = root / "cx"
    found = diff_json(project, "cx", "HEAD")
    assert found == [("journey", "buy", "emotion", "Compare", None, 0.0, 0.5)]
    result = invoke(str(project), "before-cx", "cx")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["cxsite diff: before-cx → cx", "7 changes in 7 entities."]
    assert lines[2:5] == ["", "Project settings (cxsite.yaml)", "  Added"]
    assert "Journey: Buy running shoes (buy)" in lines
    assert lines[-1] == "note: the project folder does not exist at before-cx: everything is new"
    document = json.loads(invoke(str(project), "before-cx", "cx", "--format", "json").stdout)
    assert document["notes"] == [
        "the project folder does not exist at before-cx: everything is new"
    ]


def test_shallow_clone(repo: Path, tmp_path: Path) -> None:
    edit(repo, "journeys/buy.yaml", "emotion: -1", "emotion: -0.5")
    commit(repo, "v2", date="2026-05-02T09:00:00Z", tag="v2")
    edit(repo, "journeys/buy.yaml", "emotion: -0.5", "emotion: 0")
    commit(repo, "v3", date="2026-05-03T09:00:00Z", tag="v3")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    assert diff_json(clone, "HEAD") == []
    result = invoke(str(clone), "v1", "HEAD")  # not fetched: a bad revision
    assert result.exit_code == 2
    assert "bad revision 'v1'" in result.stderr
    git(clone, "fetch", "-q", "--depth", "2", "origin", "main")
    assert diff_json(clone, "HEAD~1", "HEAD") == [
        ("journey", "buy", "emotion", "Purchase", None, -0.5, 0.0),
    ]


def test_markdown_for_a_pull_request(repo: Path) -> None:
    edit(repo, "journeys/buy.yaml", "emotion: -1", "emotion: -2")
    edit(repo, "touchpoints/web-shop.yaml", "satisfaction: 3", "satisfaction: 5")
    edit(repo, "personas/maya.yaml", "Busy urban runner", "Busy *urban* runner | trails")
    result = invoke(str(repo), "--format", "markdown")
    text = result.stdout
    assert text.startswith("## cxsite diff: HEAD → working tree\n\n6 changes in 4 entities.\n")
    assert (
        "### Journey: Buy running shoes (buy)\n\n| Change | Where / what | Before | After |" in text
    )
    assert "| Emotion | Purchase | -1 | -2 ▼ |" in text
    assert "| IPA quadrant |   | Concentrate here | Keep up the good work |" in text
    assert "| Fields changed | role |   |   |" in text


def test_working_tree_diff_leaves_untracked_and_staged_files_alone(repo: Path) -> None:
    edit(repo, "journeys/buy.yaml", "emotion: 1\n", "emotion: 2\n")
    git(repo, "add", "journeys/buy.yaml")  # staged
    (repo / "personas/new.yaml").write_text("name: New\nrole: Someone\n")  # untracked
    found = diff_json(repo)
    assert ("persona", "new", "added", None, None, None, None) in found
    assert ("journey", "buy", "emotion", "Discover", None, 1.0, 2.0) in found


def test_project_argument_defaults_to_the_current_folder(repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    edit(repo, "journeys/buy.yaml", "emotion: -1", "emotion: -2")
    commit(repo, "v2", date="2026-05-02T09:00:00Z", tag="v2")
    result = invoke("v1", "v2")
    assert result.stdout.splitlines()[:2] == ["cxsite diff: v1 → v2", "2 changes in 1 entity."]


def test_git_missing_from_path_is_exit_2(repo: Path, monkeypatch) -> None:
    empty = repo.parent / "no-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = invoke(str(repo))
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: git is not installed (no 'git' program on PATH): cxsite diff compares git"
        " revisions\n"
    )
    assert shutil.which("git") is None


def test_after_a_build_only_the_changed_file_is_validated(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both versions share one session seeded with what the last build kept: a file that
    did not change (between the versions, or since the build) is validated once or not at
    all; the report is the one diff gives without any cache, and nothing is written."""
    from cxsite.commands.build import build_site
    from cxsite.validate import onefile

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build_site(repo, tmp_path / "site", pdf=False)
    edit(repo, "journeys/buy.yaml", "emotion: -1", "emotion: -2")
    validated: list[str] = []
    original = onefile._validate

    def counted(model, data, rel, marks, entity_id):  # type: ignore[no-untyped-def]
        validated.append(rel)
        return original(model, data, rel, marks, entity_id)

    monkeypatch.setattr(onefile, "_validate", counted)
    cached = diff_json(repo)
    assert validated == ["journeys/buy.yaml"]  # the working tree's; HEAD's was kept
    shutil.rmtree(repo / ".cxsite-cache")
    validated.clear()
    assert diff_json(repo) == cached == [
        ("journey", "buy", "emotion", "Purchase", None, -1.0, -2.0),
        ("journey", "buy", "peak", None, None,
         {"stage": "Discover", "emotion": 1.0}, {"stage": "Purchase", "emotion": -2.0}),
    ]  # fmt: skip
    assert sorted(validated) == sorted([*PROJECT_YAML, "journeys/buy.yaml"])  # each once, buy twice


def test_a_newline_in_the_repository_path(tmp_path: Path) -> None:
    """git prints the top folder and the prefix one a line: a folder name holding a newline
    must not cut the path (the revisions were resolved in a folder that does not exist)."""
    from cxsite.load.git import GitFailed, find_repo, run_git

    top = init(tmp_path / "f9\ndir" / "re\npo")
    commit(top, "v1", {f"c\nx/{rel}": text for rel, text in PROJECT.items()}, tag="v1")
    project = top / "c\nx"
    found = find_repo(project)
    assert found is not None and (found.top, found.prefix) == (top, "c\nx/")
    edit(project, "journeys/buy.yaml", "emotion: 0\n", "emotion: 0.5\n")
    assert diff_json(project, "v1") == [("journey", "buy", "emotion", "Compare", None, 0.0, 0.5)]
    missing = tmp_path / "gone"
    with pytest.raises(GitFailed) as caught:
        run_git(missing, ["status"])
    assert caught.value.message == f"cannot run git in {missing}: No such file or directory"
