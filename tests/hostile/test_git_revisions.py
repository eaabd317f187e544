"""Revisions a contributor can craft, read by `cxsite diff` (and by `build` for
`changes_since`): a damaged tree, a project without its cxsite.yaml, symbolic links, large
files beside the project, names with Markdown in them. One plain line, never a traceback."""

from __future__ import annotations

import binascii
import subprocess
from pathlib import Path

from click.testing import CliRunner, Result
from gitkit import commit, git, init

from cxsite.cli import cli

PROJECT = {
    "cxsite.yaml": "title: Revisions\n",
    "personas/maya.yaml": "name: Maya Chen\nrole: Runner\n",
    "personas/dan.yaml": "name: Dan Lee\nrole: Camper\n",
    "metrics/nps.yaml": "name: NPS\nkind: nps\ntarget: 40\nresponses: data/nps.csv\n",
    "data/nps.csv": "date,score\n2026-01-10,9\n2026-02-10,10\n",
}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["diff", *args], env={"SOURCE_DATE_EPOCH": "1790000000"})


def _raw(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", *args], cwd=repo, input=stdin, capture_output=True, check=True
    ).stdout


def _tree_with_personas_twice(repo: Path) -> str:
    """A commit whose personas/ tree lists its first file twice (git fsck: duplicateEntries)."""
    top = _raw(repo, "rev-parse", "HEAD^{tree}").decode().strip()
    raw = _raw(repo, "cat-file", "tree", "HEAD:personas")
    first = raw[: raw.index(b"\0") + 21]
    personas = _raw(repo, "hash-object", "-t", "tree", "-w", "--literally", "--stdin",
                    stdin=first + raw).decode().strip()  # fmt: skip
    entries, at, out = _raw(repo, "cat-file", "tree", top), 0, b""
    while at < len(entries):
        end = entries.index(b"\0", at)
        mode_name, sha = entries[at:end], entries[end + 1 : end + 21]
        if mode_name.endswith(b" personas"):
            sha = binascii.unhexlify(personas)
        out += mode_name + b"\0" + sha
        at = end + 21
    tree = _raw(repo, "hash-object", "-t", "tree", "-w", "--literally", "--stdin", stdin=out)
    return git(repo, "commit-tree", tree.decode().strip(), "-p", "HEAD", "-m", "dup").strip()


def test_a_tree_listing_a_file_twice_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    commit(repo, "v1", PROJECT, tag="v1")
    git(repo, "tag", "dup", _tree_with_personas_twice(repo))
    result = invoke(str(repo), "v1", "dup")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: the project at 'dup' cannot be read: its tree lists 'personas/dan.yaml' "
        "twice (see 'git fsck')\n"
    )


def test_a_build_comparing_with_such_a_tree_warns_and_goes_on(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    commit(repo, "v1", PROJECT, tag="v1")
    git(repo, "tag", "dup", _tree_with_personas_twice(repo))
    (repo / "cxsite.yaml").write_text("title: Revisions\nchanges_since: dup\n")
    result = CliRunner().invoke(cli, ["build", str(repo), "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output
    assert (
        "cxsite.yaml:2:1: warning W526: changes_since 'dup' cannot be compared: the project at "
        "'dup' cannot be read: its tree lists 'personas/dan.yaml' twice (see 'git fsck')"
    ) in result.stdout.splitlines()
    assert "Traceback" not in result.output


def test_a_revision_without_cxsite_yaml_is_an_error_not_an_empty_project(tmp_path: Path) -> None:
    """The folder is there with its files: not "the project folder does not exist" and every
    item removed (exit 0), but the revision's error, as `check` would give one."""
    repo = init(tmp_path / "repo")
    commit(repo, "v1", PROJECT, tag="v1")
    (repo / "cxsite.yaml").unlink()
    (repo / "cxsite.yaml").symlink_to("/etc/passwd")
    commit(repo, "link", tag="link")
    result = invoke(str(repo), "v1", "link")
    assert result.exit_code == 1
    assert result.stdout == (
        "cxsite.yaml:1:1: error E403: the project folder has no cxsite.yaml at this revision "
        "(or it is a symbolic link leading out, which is never read from git)\n"
    )
    assert result.stderr == "Error: link has errors: 1 error, 0 warnings\n"


def test_a_link_to_a_file_of_the_project_is_read_as_that_file(tmp_path: Path) -> None:
    """`check` and `build` follow a link inside the project; so does a revision's copy."""
    repo = init(tmp_path / "repo")
    commit(repo, "v1", PROJECT, tag="v1")
    (repo / "data/nps.csv").rename(repo / "data/nps-real.csv")
    (repo / "data/nps.csv").symlink_to("nps-real.csv")
    (repo / "personas/dan.yaml").write_text("name: Dan Lee\nrole: Weekend camper\n")
    commit(repo, "linked", tag="linked")
    result = invoke(str(repo), "v1", "linked")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == ["cxsite diff: v1 → linked", "1 change in 1 entity."]


def test_a_large_file_beside_the_project_is_neither_read_nor_counted(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    commit(repo, "v1", PROJECT, tag="v1")
    (repo / "videos").mkdir()
    with open(repo / "videos/big.bin", "wb") as handle:
        handle.truncate(600 * 1024 * 1024)  # over the 512 MB a version may hold
    commit(repo, "big", tag="big")
    result = invoke(str(repo), "v1", "big")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert result.stdout.splitlines()[1] == "No changes."


def test_diff_finds_the_project_upward_from_a_sub_folder(tmp_path: Path, monkeypatch) -> None:
    repo = init(tmp_path / "repo")
    commit(repo, "v1", PROJECT, tag="v1")
    (repo / "personas/dan.yaml").write_text("name: Dan Changed\nrole: Camper\n")
    commit(repo, "v2", tag="v2")
    monkeypatch.chdir(repo / "personas")
    result = invoke("v1", "v2", "--exit-code")
    assert result.exit_code == 1  # something changed
    assert result.stdout.splitlines()[:2] == ["cxsite diff: v1 → v2", "1 change in 1 entity."]


def test_a_revision_name_in_a_markdown_note_is_escaped(tmp_path: Path) -> None:
    root = init(tmp_path / "mono")
    commit(root, "code", {"r.txt": "x\n"})
    git(root, "branch", "old<b>x</b>|y")
    commit(root, "cx", {f"cx/{rel}": text for rel, text in PROJECT.items()})
    result = invoke(str(root / "cx"), "old<b>x</b>|y", "HEAD", "--format", "markdown")
    assert result.exit_code == 0, result.output
    note = [line for line in result.stdout.splitlines() if line.startswith(">")]
    assert note == [
        "> the project folder does not exist at old\\<b\\>x\\</b\\>\\|y: everything is new"
    ]


def test_a_name_over_several_lines_stays_on_its_line_of_the_text_report(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    commit(repo, "v1", PROJECT, tag="v1")
    (repo / "personas/dan.yaml").write_text('name: "Dan\\nInjected: line"\nrole: Camper\n')
    result = invoke(str(repo), "v1")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == [
        "",
        "Persona: Dan Injected: line (dan)",
        "  Fields changed · name",
    ]
