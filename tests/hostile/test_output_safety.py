"""`-o` pointing somewhere dangerous: refused with one line and exit 1, nothing deleted.

tests/test_write.py checks `check_output` itself and tests/test_build.py three folders through
`cxsite build`; here every dangerous folder goes through both commands that write (`build`
and `pdf`), including the ones reached through a symlink.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hostilekit import SMALL_PROJECT, invoke, leftovers, snapshot, write_project

from cxsite.write.output import MARKER


def _home(tmp: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "thesis.txt").write_text("years of work")
    monkeypatch.setenv("HOME", str(home))
    return home


def _git(tmp: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (repo / MARKER).write_text("")  # even a marker does not make a git repository fair game
    return repo


def _foreign(tmp: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    return folder


def _symlink_to_project(tmp: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    link = tmp / "looks-harmless"
    link.symlink_to(root, target_is_directory=True)
    return link


def _symlink_to_foreign(tmp: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    link = tmp / "site-link"
    link.symlink_to(_foreign(tmp, root, monkeypatch), target_is_directory=True)
    return link


def _project_subfolder(tmp: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return root / "personas"


def _default_site_is_a_symlink_home(tmp: Path, root: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """A hostile repository commits `_site` as a link to the user's home folder."""
    (root / "_site").symlink_to(_home(tmp, root, monkeypatch), target_is_directory=True)
    return root / "_site"


def _file(tmp: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp / "report.txt"
    path.write_text("not a folder")
    return path


CASES: dict[str, tuple[Callable[..., Path], str]] = {
    "project": (lambda tmp, root, mp: root, "it is the project folder"),
    "parent": (lambda tmp, root, mp: tmp, "it contains the project folder"),
    "root": (lambda tmp, root, mp: Path("/"), "it is the root of the file system"),
    "home": (_home, "it is your home folder"),
    "git": (_git, "it holds a git repository (.git)"),
    "foreign": (_foreign, "it is not empty and was not made by cxsite (no .cxsite-output file)"),
    "symlink-to-project": (_symlink_to_project, "it is the project folder"),
    "symlink-to-foreign": (
        _symlink_to_foreign,
        "it is not empty and was not made by cxsite (no .cxsite-output file)",
    ),
    "project-subfolder": (
        _project_subfolder,
        "it is not empty and was not made by cxsite (no .cxsite-output file)",
    ),
    "default-site-linked-home": (_default_site_is_a_symlink_home, "it is your home folder"),
    "file": (_file, "it is a file, not a folder"),
    # a name longer than the file system allows (it was a traceback)
    "name-too-long": (
        lambda tmp, root, mp: tmp / ("x" * 300),
        "it cannot be used (File name too long)",
    ),
}


@pytest.mark.parametrize("command", ["build", "pdf"])
@pytest.mark.parametrize("case", list(CASES))
def test_dangerous_output_is_refused_and_nothing_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, command: str
) -> None:
    root = write_project(tmp_path / "project", SMALL_PROJECT)
    make, reason = CASES[case]
    out = make(tmp_path, root, monkeypatch)
    watched = tmp_path if case != "root" else root
    before = snapshot(watched)
    args = [command, str(root), "-q"] + ([] if case.startswith("default") else ["-o", str(out)])
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: refusing to write the site to {out.resolve()}: {reason}"
    )
    assert snapshot(watched) == before
    assert leftovers(tmp_path) == []
    assert "Traceback" not in result.output


def test_a_site_made_by_cxsite_is_replaced_and_only_it(tmp_path: Path) -> None:
    """The marker is what makes a folder replaceable; files beside it are never touched."""
    root = write_project(tmp_path / "project", SMALL_PROJECT)
    out = tmp_path / "public"
    out.mkdir()
    (out / MARKER).write_text("")
    (out / "old.html").write_text("old")
    (tmp_path / "beside.txt").write_text("keep")
    result = invoke("build", str(root), "-o", str(out), "--no-pdf", "-q")
    assert result.exit_code == 0, result.output
    assert not (out / "old.html").exists() and (out / "index.html").is_file()
    assert (tmp_path / "beside.txt").read_text() == "keep"
    assert leftovers(tmp_path) == []


def test_a_project_path_that_is_not_utf8_builds(tmp_path: Path) -> None:
    """A folder name with a byte that is not UTF-8 (an old archive unpacked on Linux): the
    build's key is made from the path's bytes, not a UnicodeEncodeError traceback."""
    parent = Path(os.fsdecode(os.fsencode(tmp_path) + b"/old\xffarchive"))
    root = write_project(parent / "project", SMALL_PROJECT)
    for _ in range(2):  # the second build reads the key the first one wrote
        result = invoke("build", str(root), "--no-pdf", "-q")
        assert result.exit_code == 0, result.output
    assert (root / "_site" / "index.html").is_file()


@pytest.mark.parametrize(
    ("head", "tail"),
    [(("build",), ("--no-pdf",)), (("pdf",), ()), (("export", "touchpoints-csv"), ())],
    ids=["build", "pdf", "export"],
)
def test_an_empty_output_path_is_a_usage_error(tmp_path: Path, monkeypatch, head, tail) -> None:  # type: ignore[no-untyped-def]
    """`-o ''` (an unset shell variable) is no path: Python reads it as the current folder,
    where `build` refused the parent of the project and `export` said "Device or resource
    busy". Now one usage line, exit 2, and nothing written anywhere."""
    root = write_project(tmp_path / "project", SMALL_PROJECT)
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke(*head, str(root), *tail, "-o", "")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '-o' / '--output': an empty path names no file or folder"
    )
    assert snapshot(tmp_path) == before
