"""A hostile repository and hostile revisions: reading history (build) and `cxsite diff`
run no program the repository's configuration names, and no revision becomes an option.

The repository's `.git/config` and `.gitattributes` point every hook git has for reading
commands at a script that writes a marker file: pager, external diff, textconv, clean and
smudge filters, fsmonitor, signature verification. The marker must never appear.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitkit import commit, git, init
from hostilekit import EPOCH, copy_example

from cxsite.cli import cli
from cxsite.commands.build import build_site
from cxsite.load.git import GitFailed, find_repo, resolve_commit


def _hostile_repo(tmp_path: Path) -> tuple[Path, Path]:
    """The example project committed twice (tags v1, v2), then the repository's config
    turned hostile; (project, marker)."""
    marker = tmp_path / "MARKER"
    script = tmp_path / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> {marker}\ncat\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    root = init(tmp_path / "repo")
    copy_example(root / "content")
    commit(root, "v1", date="2026-05-01T09:00:00Z", tag="v1")
    journey = root / "content/journeys/family-camping-trip.yaml"
    journey.write_text(journey.read_text().replace("emotion: 0.5\n", "emotion: -1\n", 1))
    commit(root, "v2", date="2026-05-02T09:00:00Z", tag="v2")
    hostile = {
        "core.pager": str(script),
        "pager.log": str(script),
        "pager.diff": str(script),
        "diff.external": str(script),
        "diff.evil.textconv": str(script),
        "diff.evil.command": str(script),
        "filter.evil.clean": str(script),
        "filter.evil.smudge": str(script),
        "filter.evil.process": str(script),
        "core.fsmonitor": str(script),
        "core.hooksPath": str(tmp_path),
        "log.showSignature": "true",
        "gpg.program": str(script),
        "core.sshCommand": str(script),
        "core.editor": str(script),
        "sequence.editor": str(script),
        "core.askPass": str(script),
    }
    for key, value in hostile.items():
        git(root, "config", key, value)
    (root / ".gitattributes").write_text("* filter=evil diff=evil\n")
    (root / ".git/hooks").mkdir(exist_ok=True)
    for hook in ("post-checkout", "post-index-change", "reference-transaction"):
        path = tmp_path / hook
        path.write_text(f"#!/bin/sh\necho hook >> {marker}\n")
        path.chmod(0o755)
    # An uncommitted edit: the history read compares bytes, the working-tree diff validates.
    persona = root / "content/personas/maya-okafor.yaml"
    persona.write_text(persona.read_text() + "# edited\n")
    os.utime(persona, ns=(1, 1))  # stat-dirty: git status would run the clean filter
    return root / "content", marker


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    return _hostile_repo(tmp_path)


def test_the_hostile_config_would_run_the_script(hostile: tuple[Path, Path]) -> None:
    """The trap is real: plain git with this config runs the script."""
    project, marker = hostile
    git(project, "status", "--porcelain")  # fsmonitor and the clean filter
    assert marker.exists()
    marker.unlink()


def test_diff_runs_no_configured_program(hostile: tuple[Path, Path]) -> None:
    project, marker = hostile
    for args in (["v1", "v2"], ["v1"], [], ["--format", "markdown", "v1"]):
        result = CliRunner().invoke(
            cli, ["diff", str(project), *args], env={"SOURCE_DATE_EPOCH": EPOCH}
        )
        assert result.exit_code == 0, result.output
        assert not marker.exists(), (args, marker.read_text())
    result = CliRunner().invoke(cli, ["diff", str(project), "v1", "v2"])
    assert "Emotion · Research and shortlist: 0.5 -> -1" in result.stdout.replace("+", "")


def test_history_read_runs_no_configured_program(hostile: tuple[Path, Path], tmp_path) -> None:
    project, marker = hostile
    config = project / "cxsite.yaml"
    config.write_text(config.read_text() + "changes_since: v1\n")
    build_site(project, tmp_path / "site", pdf=False)
    assert not marker.exists(), marker.read_text()
    page = (tmp_path / "site/personas/maya-okafor.html").read_text()
    assert "changed since the last commit" in page
    assert (tmp_path / "site/changes.html").is_file()


@pytest.mark.parametrize(
    "revision",
    ["--output=/tmp/cxsite-hostile-out", "--upload-pack=touch /tmp/cxsite-hostile-out", "-p",
     "--exec-path=/tmp", ""],
)  # fmt: skip
def test_a_revision_never_becomes_an_option(hostile: tuple[Path, Path], revision: str) -> None:
    project, _marker = hostile
    repo = find_repo(project)
    assert repo is not None
    with pytest.raises(GitFailed) as caught:
        resolve_commit(repo, revision)
    assert caught.value.exit_code == 2
    assert "a revision cannot start with '-' or be empty" in caught.value.message
    result = CliRunner().invoke(cli, ["diff", "--", str(project), "v1", revision])
    assert result.exit_code == 2
    assert not Path("/tmp/cxsite-hostile-out").exists()


def test_a_revision_after_end_of_options_is_only_a_revision(hostile) -> None:
    project, _marker = hostile
    repo = find_repo(project)
    assert repo is not None
    with pytest.raises(GitFailed, match=r"fatal: Needed a single revision"):
        resolve_commit(repo, "v1 --output=/tmp/cxsite-hostile-out")
    assert not Path("/tmp/cxsite-hostile-out").exists()


def test_git_dir_from_the_users_shell_is_ignored(hostile, tmp_path, monkeypatch) -> None:
    """GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE left in a shell would point git at another
    repository (or write another index): the project's own repository is read."""
    project, marker = hostile
    other = init(tmp_path / "other")
    commit(other, "other", {"x.txt": "x\n"})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "index"))
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(marker.parent / "evil.sh"))
    result = CliRunner().invoke(cli, ["diff", str(project), "v1", "v2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("cxsite diff: v1 → v2\n1 change in 1 entity.")
    assert not (tmp_path / "index").exists()
    assert not marker.exists()


def test_a_symlink_in_a_revision_is_never_written(tmp_path: Path) -> None:
    """A committed symlink (to a file outside the project) is not written into the
    temporary copy: the photo it stands for is reported missing, nothing is read through it."""
    root = copy_example(tmp_path / "repo")
    init(root)
    photo = root / "assets/maya-okafor.svg"
    photo.unlink()
    photo.symlink_to("/etc/passwd")
    commit(root, "link", tag="link")
    result = CliRunner().invoke(cli, ["diff", str(root), "link"], env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 1
    assert result.stdout.startswith("personas/maya-okafor.yaml:")
    assert " error E40" in result.stdout
    assert "root:" not in result.output


def test_changes_since_that_looks_like_an_option_is_w526(tmp_path: Path) -> None:
    """`changes_since` comes from a file anyone can edit in a pull request."""
    root = copy_example(tmp_path / "repo")
    init(root)
    config = root / "cxsite.yaml"
    config.write_text(config.read_text() + "changes_since: --output=/tmp/cxsite-hostile-out\n")
    commit(root, "hostile")
    result = CliRunner().invoke(
        cli,
        ["build", str(root), "-o", str(tmp_path / "site"), "--no-pdf"],
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.exit_code == 0, result.output
    assert (
        "warning W526: changes_since '--output=/tmp/cxsite-hostile-out' cannot be compared: "
        "bad revision '--output=/tmp/cxsite-hostile-out': a revision cannot start with '-'"
    ) in result.stdout
    assert not Path("/tmp/cxsite-hostile-out").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["HEAD", "config", "shallow", "refs/heads/main"])
def test_a_fifo_in_the_git_folder_is_never_opened(tmp_path: Path, name: str) -> None:
    """An unpacked repository whose `.git/HEAD` (or `config`, the `shallow` file a build
    reads to tell a deepened clone, or the branch file HEAD names) is a FIFO: git would
    wait for ever to read it (a build took 121 s, two git calls timing out, then built
    silently). git is not run: the build goes ahead as outside git, at once, and `diff`
    says why."""
    root = init(tmp_path / "repo")
    copy_example(root / "content")
    commit(root, "v1", date="2026-05-01T09:00:00Z")
    (root / ".git" / name).unlink(missing_ok=True)
    os.mkfifo(root / ".git" / name)
    _built_without_history_and_diff_refused(
        root / "content", tmp_path / "site", root / ".git" / name
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["HEAD", "index", "refs/heads/other"])
def test_a_fifo_in_a_worktrees_git_folder_is_never_opened(tmp_path: Path, name: str) -> None:
    """A worktree's `.git` is a file naming its own folder (HEAD, index) beside the shared
    one (refs, config): a FIFO in either is refused as in a repository's `.git` folder."""
    root = init(tmp_path / "repo")
    copy_example(root / "content")
    commit(root, "v1", date="2026-05-01T09:00:00Z")
    tree = tmp_path / "wt"
    git(root, "worktree", "add", "-q", "-b", "other", str(tree))
    private = root / ".git" / "worktrees" / "wt"
    fifo = (root / ".git" if name.startswith("refs/") else private) / name
    fifo.unlink()
    os.mkfifo(fifo)
    _built_without_history_and_diff_refused(tree / "content", tmp_path / "site", fifo)


def test_a_git_that_does_not_answer_is_said_in_words(tmp_path: Path) -> None:
    """A git that times out is reported in plain words, not as its command line."""
    import subprocess

    from cxsite.load import git as gitmodule

    late = subprocess.TimeoutExpired(["git", "-c", "core.pager=cat", "log"], 60)
    assert gitmodule._cannot_run(tmp_path, late) == "git did not answer within 60 s"


def _built_without_history_and_diff_refused(content: Path, site: Path, special: Path) -> None:
    """A build goes ahead as outside git (no last changes), and `diff` names the file."""
    from hostilekit import run

    built = run(["build", str(content), "-o", str(site), "--no-pdf", "-q"], timeout=60)
    assert built.returncode == 0, built.stderr
    assert "Last changed" not in (site / "personas" / "maya-okafor.html").read_text()
    diffed = run(["diff", str(content)], timeout=60)
    assert diffed.returncode == 2
    assert diffed.stderr == (
        f"Error: {special} is not a regular file: cxsite diff compares git revisions\n"
    )
