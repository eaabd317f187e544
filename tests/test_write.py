"""The write package: output safety checks, atomic swap, failures leave no trace, unchanged
files kept, the in-place preview, files the user keeps."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cxsite.write.inplace import output_in_place
from cxsite.write.output import MARKER, MARKER_TEXT, OutputRefused, check_output, staged_output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "cxsite.yaml").write_text("title: T\n")
    return root


def _snapshot(folder: Path) -> dict[str, bytes]:
    files = (p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".cxsite-" in p.name)


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        (lambda root: root, "it is the project folder"),
        (lambda root: root.parent, "it contains the project folder"),
        (lambda root: Path("/"), "it is the root of the file system"),
        (lambda root: Path.home(), "it is your home folder"),
    ],
)
def test_refuses_dangerous_folders(project: Path, target, reason: str) -> None:
    out = target(project)
    with pytest.raises(OutputRefused) as info:
        check_output(out, project)
    assert info.value.format_message() == f"refusing to write the site to {out.resolve()}: {reason}"


def test_refuses_foreign_non_empty_folder(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(OutputRefused, match="not empty and was not made by cxsite"):
        check_output(out, project)
    assert (out / "keep.txt").read_text() == "mine"


def test_refuses_folder_with_git_even_with_marker(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "repo"
    (out / ".git").mkdir(parents=True)
    (out / MARKER).write_text("x")
    with pytest.raises(OutputRefused, match=r"holds a git repository \(\.git\)"):
        check_output(out, project)


def test_refuses_a_file(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "file"
    out.write_text("x")
    with pytest.raises(OutputRefused, match="is a file"):
        check_output(out, project)


def test_accepts_new_empty_and_marked_folders(project: Path, tmp_path: Path) -> None:
    assert check_output(project / "_site", project) == (project / "_site").resolve()
    empty = tmp_path / "empty"
    empty.mkdir()
    check_output(empty, project)
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / MARKER).write_text("")
    (marked / "old.html").write_text("old")
    check_output(marked, project)


def test_swap_replaces_output_and_writes_marker(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with staged_output(out, project) as stage:
        stage.write("index.html", "one")
        stage.write("a/b.txt", b"bytes")
    assert set(_snapshot(out)) == {"index.html", "a/b.txt", MARKER}
    assert (out / "a/b.txt").read_bytes() == b"bytes"
    with staged_output(out, project) as stage:
        stage.write("index.html", "two")
    assert set(_snapshot(out)) == {"index.html", MARKER}  # stale files are gone
    assert (out / "index.html").read_text() == "two"
    assert _leftovers(tmp_path) == []


def test_failure_keeps_previous_output_and_leaves_no_temp(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with staged_output(out, project) as stage:
        stage.write("index.html", "good")
    before = _snapshot(out)
    with pytest.raises(RuntimeError, match="boom"), staged_output(out, project) as stage:
        stage.write("index.html", "half-written")
        raise RuntimeError("boom")
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []


def test_an_output_that_is_a_mount_point_is_swapped_entry_by_entry(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mount point (`docker run -v $PWD/public:/out`) cannot be renamed: the build is
    staged inside it and its entries swapped, unchanged files kept by hard link; nothing
    is left beside it or inside it."""
    out = tmp_path / "site"
    with staged_output(out, project) as stage:
        stage.write("index.html", "one")
        stage.write("same.html", "same")
        stage.write("a/b.txt", b"old")
    kept = os.stat(out / "same.html").st_ino
    real_replace = os.replace

    def no_renaming_the_mount(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if out in (Path(src), Path(dst)):
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr("cxsite.write.output.os.replace", no_renaming_the_mount)
    monkeypatch.setattr("cxsite.write.output.os.path.ismount", lambda path: Path(path) == out)
    staged_in: list[Path] = []
    with staged_output(out, project) as stage:
        staged_in.append(stage.path.parent)
        stage.write("index.html", "two")
        stage.write("same.html", "same")
    assert staged_in == [out]
    assert set(_snapshot(out)) == {"index.html", "same.html", MARKER}
    assert (out / "index.html").read_text() == "two"
    assert os.stat(out / "same.html").st_ino == kept
    assert _leftovers(tmp_path) == [] and _leftovers(out) == [MARKER]


def test_an_output_that_cannot_be_moved_aside_leaves_nothing_beside_it(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the previous output cannot be moved aside, the error is raised, the output is
    as it was, and no `.NAME.cxsite-old-*` folder is left (one was, on every try)."""
    out = tmp_path / "site"
    with staged_output(out, project) as stage:
        stage.write("index.html", "good")
    before = _snapshot(out)
    real_replace = os.replace

    def busy(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(src) == out:
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr("cxsite.write.output.os.replace", busy)
    with pytest.raises(OSError, match="busy"), staged_output(out, project) as stage:
        stage.write("index.html", "new")
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []


def test_swaps_into_one_folder_take_turns(project: Path, tmp_path: Path) -> None:
    """Two builds into one output used to fail now and then ('Directory not empty', a
    previous site left beside it): a swap waits for the lock on the output's parent folder,
    held here as by another build swapping, and goes ahead when it is released."""
    out = tmp_path / "site"
    script = (
        "import sys; from pathlib import Path; from cxsite.write.output import staged_output\n"
        "with staged_output(Path(sys.argv[1]), Path(sys.argv[2])) as stage:\n"
        "    stage.write('index.html', 'new')\n"
    )
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        run = subprocess.Popen([sys.executable, "-c", script, str(out), str(project)])
        with pytest.raises(subprocess.TimeoutExpired):
            run.wait(timeout=3)
        assert not out.exists()
    finally:
        os.close(fd)
    assert run.wait(timeout=60) == 0
    assert (out / "index.html").read_text() == "new"
    assert _leftovers(tmp_path) == []


def test_a_staged_folder_a_killed_build_left_is_removed(project: Path, tmp_path: Path) -> None:
    """SIGKILL (the OOM killer, a power cut) leaves the staged folder beside the output: the
    next build removes it, and only it: a folder another build is filling (it holds the
    folder's lock) and one made a moment ago stay."""
    out = tmp_path / "site"
    abandoned, busy, fresh = (tmp_path / f".site.cxsite-tmp-{name}" for name in ("a", "b", "c"))
    for folder in (abandoned, busy, fresh):
        (folder / "pages").mkdir(parents=True)
        (folder / "pages" / "index.html").write_text("half a site")
    for folder in (abandoned, busy):
        os.utime(folder, (1_000_000_000, 1_000_000_000))
    fd = os.open(busy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with staged_output(out, project) as stage:
            stage.write("index.html", "new")
        assert _leftovers(tmp_path) == sorted([busy.name, fresh.name])
    finally:
        os.close(fd)
    assert (out / "index.html").read_text() == "new"


def test_unchanged_files_keep_bytes_and_mtime(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with staged_output(out, project) as stage:
        stage.write("same.html", "same")
        stage.write("changed.html", "v1")
    same_before = os.stat(out / "same.html")
    os.utime(out / "same.html", ns=(1_000_000_000, 1_000_000_000))
    with staged_output(out, project) as stage:
        stage.write("same.html", "same")
        stage.write("changed.html", "v2")
    same_after = os.stat(out / "same.html")
    assert same_after.st_ino == same_before.st_ino
    assert same_after.st_mtime_ns == 1_000_000_000
    assert (out / "changed.html").read_text() == "v2"


def test_stage_refuses_paths_escaping_the_site(project: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError), staged_output(tmp_path / "site", project) as stage:
        stage.write("../escape.txt", "x")
    assert not (tmp_path / "escape.txt").exists()
    assert _leftovers(tmp_path) == []


def test_in_place_update_writes_changed_files_removes_stale_ones_keeps_the_rest(
    project: Path, tmp_path: Path
) -> None:
    """`serve`'s preview: only changed files are replaced, files no longer made are removed
    (and their emptied folders), unchanged files keep their inode and mtime."""
    out = tmp_path / "site"
    with staged_output(out, project) as stage:
        stage.write("index.html", "one")
        stage.write("same.html", "same")
        stage.write("old/gone.txt", "x")
    os.utime(out / "same.html", ns=(1_000_000_000, 1_000_000_000))
    same_before = os.stat(out / "same.html")
    asset = tmp_path / "logo.svg"
    asset.write_text("<svg/>")
    with output_in_place(out, project) as update:
        update.write("index.html", "two")
        update.write("same.html", "same")
        update.copy("assets/logo.svg", asset)
    assert set(_snapshot(out)) == {"index.html", "same.html", "assets/logo.svg", MARKER}
    assert (out / "index.html").read_text() == "two"
    assert (out / "assets/logo.svg").read_text() == "<svg/>"
    assert not (out / "old").exists()
    same_after = os.stat(out / "same.html")
    assert (same_after.st_ino, same_after.st_mtime_ns) == (same_before.st_ino, 1_000_000_000)
    assert _leftovers(tmp_path) == []


def test_in_place_update_that_fails_writes_nothing(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with staged_output(out, project) as stage:
        stage.write("index.html", "good")
    before = _snapshot(out)
    with pytest.raises(RuntimeError, match="boom"), output_in_place(out, project) as update:
        update.write("index.html", "half-written")
        update.write("new.html", "new")
        raise RuntimeError("boom")
    assert _snapshot(out) == before
    with pytest.raises(ValueError), output_in_place(out, project) as update:
        update.write("../escape.txt", "x")
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize("place", [".cxsite-cache/serve", ".cxsite-cache"])
def test_in_place_update_never_writes_through_a_folder_swapped_for_a_link(
    project: Path, tmp_path: Path, place: str
) -> None:
    """`serve`'s preview (or the cache folder it sits in) replaced by a link leading out
    while a build runs, or before it starts: the update is refused and nothing is written
    where the link leads, even into a folder made by cxsite."""
    out = project / ".cxsite-cache" / "serve"
    site = tmp_path / "elsewhere" / "serve"
    site.mkdir(parents=True)
    (site / MARKER).write_text(MARKER_TEXT)
    target = site if place.endswith("serve") else site.parent
    refusal = f"refusing to write the site to {out}: {project / place} is a symlink"
    for swapped_during_the_build in (True, False):
        shutil.rmtree(project / ".cxsite-cache", ignore_errors=True)
        (project / ".cxsite-cache").unlink(missing_ok=True)
        out.mkdir(parents=True)
        if not swapped_during_the_build:
            shutil.rmtree(project / place)
            (project / place).symlink_to(target, target_is_directory=True)
        with pytest.raises(OutputRefused) as refused, output_in_place(out, project) as update:
            update.write("personas/maya.html", "written")
            if swapped_during_the_build:
                shutil.rmtree(project / place)
                (project / place).symlink_to(target, target_is_directory=True)
        assert refused.value.format_message() == refusal
        assert _snapshot(site) == {MARKER: MARKER_TEXT.encode()}


def test_in_place_update_refuses_an_output_outside_the_project_that_is_a_link(
    project: Path, tmp_path: Path
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "site").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(OutputRefused) as refused, output_in_place(tmp_path / "site", project):
        pass
    assert refused.value.format_message() == (
        f"refusing to write the site to {tmp_path / 'site'}: {tmp_path / 'site'} is a symlink"
    )
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_in_place_update_replaces_a_link_inside_the_preview(project: Path, tmp_path: Path) -> None:
    """A link where the preview has a folder is removed, not written through."""
    out = project / ".cxsite-cache" / "serve"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with output_in_place(out, project) as update:
        update.write("personas/maya.html", "one")
        update.write("journeys/buy.html", "one")
    (out / "personas").rename(tmp_path / "moved")
    (out / "personas").symlink_to(elsewhere, target_is_directory=True)
    (out / "journeys").rename(tmp_path / "moved-too")
    (out / "journeys").symlink_to(elsewhere, target_is_directory=True)
    with output_in_place(out, project) as update:
        update.write("personas/maya.html", "two")  # journeys/ is no longer made
    assert _snapshot(out) == {"personas/maya.html": b"two", MARKER: MARKER_TEXT.encode()}
    assert not (out / "personas").is_symlink() and not (out / "journeys").exists()
    assert list(elsewhere.iterdir()) == []


def test_a_rename_that_fails_midway_puts_the_replaced_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cxsite import` writes several YAML files; the last rename fails (a refused folder,
    a file system gone read-only): the two files already replaced and the new one are as
    they were before, and no temporary or kept copy is left."""
    from cxsite.write.userfiles import write_text_files

    (tmp_path / "a.yaml").write_text("a: old\n")
    (tmp_path / "b.yaml").write_text("b: old\n")
    (tmp_path / "c.yaml").write_text("c: old\n")
    real_replace = os.replace
    renames: list[str] = []

    def third_fails(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        renames.append(Path(dst).name)
        if len(renames) == 4:  # a.yaml, new.yaml, b.yaml placed; c.yaml refused
            raise OSError(errno.EROFS, "Read-only file system")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr("cxsite.write.userfiles.os.replace", third_fails)
    texts = {
        tmp_path / "a.yaml": "a: new\n",
        tmp_path / "new.yaml": "n: new\n",
        tmp_path / "b.yaml": "b: new\n",
        tmp_path / "c.yaml": "c: new\n",
    }
    with pytest.raises(OSError, match="Read-only file system"):
        write_text_files(texts)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "c.yaml"]
    for name in "abc":
        assert (tmp_path / f"{name}.yaml").read_text() == f"{name}: old\n"
