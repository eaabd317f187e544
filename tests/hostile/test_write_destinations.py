"""Where `export`, `import`, `new` and `init` write, and what they leave when they cannot.

- `export -o` into a FIFO or a device writes into it (the entry stays what it was); through
  a symlink it replaces the file the link points at (the link stays a link);
- files written get the mode the umask gives, a replaced file keeps its permission bits;
- a destination that cannot be written (a missing folder, a path under a file, a read-only
  folder, a full disk, a full or closed stdout, a deleted current folder) is one `Error:`
  line and exit code 1, never a traceback, and leaves nothing half-written.

A full disk is made real with RLIMIT_FSIZE in a child process: a write past the limit fails
with EFBIG ("File too large") whatever writes it, for any user, without touching /dev.
"""

from __future__ import annotations

import errno
import io
import os
import resource
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostilekit import CXSITE, EPOCH, SMALL_PROJECT, invoke, run, snapshot, write_project

from cxsite.cli import main


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    """Every test runs with the usual umask 022 (new files 0o644, folders 0o755)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "p", SMALL_PROJECT)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _temporaries(*folders: Path) -> list[str]:
    """Files a write may have left behind: anything hidden or named like a temporary."""
    return sorted(
        p.name
        for folder in folders
        for p in folder.iterdir()
        if p.name.startswith(".") or "tmp" in p.name
    )


def _limit_file_size(size: int) -> Callable[[], None]:
    """A child's `preexec_fn`: no file it writes may grow past `size` bytes (a full disk)."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def _exported(tmp_path: Path, fmt: str, root: Path) -> bytes:
    """The bytes of an export written to a regular file (what any other target must get)."""
    plain = tmp_path / f"plain-{fmt}"
    assert invoke("export", fmt, str(root), "-o", str(plain)).exit_code == 0
    data = plain.read_bytes()
    plain.unlink()
    return data


# --- export -o: FIFOs, devices and symlinks stay what they are ---------------------------


def test_export_into_a_fifo_writes_through_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    expected = _exported(tmp_path, "backlog-csv", root)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        result = invoke("export", "backlog-csv", str(root), "-o", str(fifo))
        received, _ = reader.communicate(timeout=20)
    finally:
        reader.kill()
        reader.wait()
    assert result.exit_code == 0
    assert result.stderr == f"Wrote {fifo}\n"
    assert received == expected
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert _temporaries(tmp_path) == []


def test_export_to_dev_stdout_into_a_pipe(tmp_path: Path) -> None:
    """`-o /dev/stdout | head`: /dev/stdout links to /proc/self/fd/1, whose target is a
    pipe with no path; the export is written into it (it was 'No such file')."""
    root = _project(tmp_path)
    expected = _exported(tmp_path, "backlog-csv", root)
    done = subprocess.run(
        [CXSITE, "export", "backlog-csv", str(root), "-o", "/dev/stdout"],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected
    assert done.stderr == b"Wrote /dev/stdout\n"


def test_export_through_a_symlink_replaces_the_file_it_points_at(tmp_path: Path) -> None:
    root = _project(tmp_path)
    expected = _exported(tmp_path, "pains-csv", root)
    elsewhere, here = tmp_path / "elsewhere", tmp_path / "here"
    elsewhere.mkdir()
    here.mkdir()
    real = elsewhere / "pains.csv"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = here / "pains.csv"
    link.symlink_to(real)
    # a link to a file not made yet: the file is made where the link points
    dangling = here / "new.csv"
    dangling.symlink_to(elsewhere / "new.csv")

    for path in (link, dangling):
        result = invoke("export", "pains-csv", str(root), "-o", str(path))
        assert result.exit_code == 0, result.output
        assert path.is_symlink(), f"{path.name} is no longer a link"

    assert os.readlink(link) == str(real)
    assert real.read_bytes() == expected
    assert _mode(real) == 0o640  # a replaced file keeps its permission bits
    assert (elsewhere / "new.csv").read_bytes() == expected
    assert _mode(elsewhere / "new.csv") == 0o644
    assert _temporaries(here, elsewhere) == []


def test_export_into_a_character_device_writes_into_it(tmp_path: Path) -> None:
    """A null and a full device made in tmp_path (never the system's /dev entries)."""
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    root = _project(tmp_path)
    null, full = tmp_path / "null", tmp_path / "full"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))

    result = invoke("export", "backlog-csv", str(root), "-o", str(null))
    assert (result.exit_code, result.stderr) == (0, f"Wrote {null}\n")
    result = invoke("export", "backlog-csv", str(root), "-o", str(full))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {full}: No space left on device\n"

    for device in (null, full):
        assert stat.S_ISCHR(os.lstat(device).st_mode), f"{device.name} was replaced by a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "null", "p"]


# --- modes --------------------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_written_files_get_the_umask_mode(tmp_path: Path, umask: int, mode: int) -> None:
    root = _project(tmp_path)
    sheet = tmp_path / "touchpoints.csv"
    os.umask(umask)
    assert invoke("export", "touchpoints-csv", str(root), "-o", str(sheet)).exit_code == 0
    assert invoke("new", "persona", "ana-lopez", str(root)).exit_code == 0
    (root / "touchpoints/web-shop.yaml").unlink()
    assert invoke("import", "touchpoints", str(sheet), str(root)).exit_code == 0
    for path in (sheet, root / "personas/ana-lopez.yaml", root / "touchpoints/web-shop.yaml"):
        assert _mode(path) == mode, f"{path.name}: {oct(_mode(path))}"

    # replacing keeps the file's own bits, whatever the umask
    for path in (sheet, root / "touchpoints/web-shop.yaml"):
        path.chmod(0o600)
    assert invoke("export", "touchpoints-csv", str(root), "-o", str(sheet)).exit_code == 0
    assert invoke("import", "touchpoints", str(sheet), str(root), "--force").exit_code == 0
    assert _mode(sheet) == _mode(root / "touchpoints/web-shop.yaml") == 0o600


# --- export: a destination that cannot be written -----------------------------------------


@pytest.mark.parametrize(
    ("where", "reason"),
    [("missing/x.csv", "No such file or directory"), ("a-file/x.csv", "Not a directory")],
)
def test_export_to_a_path_that_cannot_be_made_is_one_line(
    tmp_path: Path, where: str, reason: str
) -> None:
    root = _project(tmp_path)
    (tmp_path / "a-file").write_text("keep\n", encoding="utf-8")
    out = tmp_path / where
    result = invoke("export", "backlog-csv", str(root), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {out}: {reason}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "p"]
    assert (tmp_path / "a-file").read_text("utf-8") == "keep\n"


def test_export_into_a_read_only_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EACCES on the rename, as in a folder the user may not write (simulated: root may)."""
    root = _project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.csv").write_text("previous\n", encoding="utf-8")

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    result = invoke("export", "backlog-csv", str(root), "-o", str(out / "x.csv"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {out / 'x.csv'}: Permission denied\n"
    assert snapshot(out) == {"x.csv": b"previous\n"}
    assert _temporaries(out) == []


def test_export_on_a_full_disk_is_one_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.csv").write_text("previous\n", encoding="utf-8")
    result = run(
        ["export", "backlog-csv", str(root), "-o", "x.csv"],
        cwd=out,
        preexec_fn=_limit_file_size(20),
    )
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write x.csv: File too large\n"
    assert snapshot(out) == {"x.csv": b"previous\n"}
    assert _temporaries(out) == []


# --- stdout -------------------------------------------------------------------------------


class _FullDisk(io.RawIOBase):
    """A stdout on a full disk: every write fails, until `full` is cleared."""

    full = True

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        if self.full:
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(data)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "args",
    [("schema",), ("labels", "{root}"), ("export", "backlog-csv", "{root}"), ("check", "{bad}")],
)
def test_stdout_that_cannot_be_written_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args
) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    bad = write_project(tmp_path / "bad", {**SMALL_PROJECT, "personas/maya.yaml": "name: M\n"})
    argv = [a.format(root=root, bad=bad) for a in args]
    monkeypatch.setattr(sys, "argv", ["cxsite", *argv])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    raw = _FullDisk()
    stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)
    try:
        with pytest.raises(SystemExit) as exited:
            main()
    finally:
        raw.full = False  # the rest is dropped, not reported at garbage collection
        stdout.flush()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "Error: cannot write to standard output: No space left on device"
    assert "Traceback" not in err


@pytest.mark.parametrize("args", [("schema",), ("export", "backlog-csv", "{root}")])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, args: tuple[str, ...]) -> None:
    """`cxsite schema | head -1`: the reader goes away; no traceback, nothing on stderr."""
    root = _project(tmp_path)
    argv = [a.format(root=root) for a in args]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    child = subprocess.Popen(
        [CXSITE, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # before the child writes: its first write meets a closed pipe
    err = child.stderr.read()
    assert child.wait(timeout=60) == 1
    assert err == b""


# --- init ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["--example", "--blank"])
def test_init_on_a_full_disk_leaves_no_half_project(tmp_path: Path, mode: str) -> None:
    result = run(["init", "newp", mode], cwd=tmp_path, preexec_fn=_limit_file_size(300))
    assert result.returncode == 1
    assert result.stderr == "Error: cannot create a project in newp: File too large\n"
    assert list(tmp_path.iterdir()) == []
    # an empty folder made beforehand stays, empty
    (tmp_path / "empty").mkdir()
    result = run(["init", "empty", mode], cwd=tmp_path, preexec_fn=_limit_file_size(300))
    assert result.stderr == "Error: cannot create a project in empty: File too large\n"
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]
    assert list((tmp_path / "empty").iterdir()) == []
    # with room again, the same command works
    assert run(["init", "newp", mode], cwd=tmp_path).returncode == 0
    assert (tmp_path / "newp/cxsite.yaml").is_file()
    assert _mode(tmp_path / "newp") == 0o755
    assert _mode(tmp_path / "newp/cxsite.yaml") == 0o644


# --- new ----------------------------------------------------------------------------------


def test_new_on_a_full_disk_leaves_no_empty_file(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = snapshot(root)
    result = run(["new", "persona", "ana", str(root)], preexec_fn=_limit_file_size(100))
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot write {root}/personas/ana.yaml: File too large\n"
    assert snapshot(root) == before
    assert _temporaries(root / "personas") == []
    result = run(["new", "persona", "ana", str(root)])
    assert (result.returncode, result.stdout) == (0, f"Created {root}/personas/ana.yaml\n")


def test_new_where_the_folder_is_a_file_is_one_line(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {**SMALL_PROJECT, "research": "not a folder\n"})
    result = invoke("new", "research", "r", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot create research 'r': {root}/research is a file, not a folder\n"
    )
    assert (root / "research").read_text("utf-8") == "not a folder\n"


# --- import -------------------------------------------------------------------------------

SHEET = "name,channel,phase,description\n" + "".join(
    f"Point {n},web,during,{'x' * (3000 if n == 3 else 10)}\n" for n in range(1, 29)
)


def test_import_on_a_full_disk_writes_nothing(tmp_path: Path) -> None:
    """28 rows, the third too big for the disk: none of the 28 files is written."""
    root = _project(tmp_path)
    sheet = tmp_path / "points.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    before = snapshot(root)
    result = run(
        ["import", "touchpoints", str(sheet), str(root)], preexec_fn=_limit_file_size(1000)
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: nothing written: cannot write {root}/touchpoints/point-3.yaml: File too large\n"
    )
    assert result.stdout == ""
    assert snapshot(root) == before
    assert _temporaries(root / "touchpoints") == []
    # into a folder it had to make: the folder goes again
    (root / "touchpoints/web-shop.yaml").unlink()
    (root / "touchpoints").rmdir()
    result = run(
        ["import", "touchpoints", str(sheet), str(root)], preexec_fn=_limit_file_size(1000)
    )
    assert result.returncode == 1
    assert not (root / "touchpoints").exists()


def test_import_where_the_folder_is_a_file_is_one_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    sheet = tmp_path / "points.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    (root / "touchpoints/web-shop.yaml").unlink()
    (root / "touchpoints").rmdir()
    (root / "touchpoints").write_text("not a folder\n", encoding="utf-8")
    before = snapshot(root)
    result = invoke("import", "touchpoints", str(sheet), str(root))
    assert result.exit_code == 1
    assert result.stderr == f"Error: nothing written: {root}/touchpoints is a file, not a folder\n"
    assert snapshot(root) == before


def test_import_force_onto_a_folder_is_one_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    sheet = tmp_path / "points.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    (root / "touchpoints/point-2.yaml").mkdir()
    before = snapshot(root)
    result = invoke("import", "touchpoints", str(sheet), str(root), "--force")
    assert result.exit_code == 1
    assert result.stderr == f"Error: nothing written: {root}/touchpoints/point-2.yaml is a folder\n"
    assert snapshot(root) == before
    assert (root / "touchpoints/point-2.yaml").is_dir()
    assert _temporaries(root / "touchpoints") == []


def test_import_never_writes_through_a_link_leading_out(tmp_path: Path) -> None:
    """Links are followed now (the file they point at is replaced), so a committed link
    `touchpoints/web-shop.yaml -> ../../outside.yaml` must not make `--force` write there."""
    root = _project(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("mine\n", encoding="utf-8")
    (root / "touchpoints/web-shop.yaml").unlink()
    (root / "touchpoints/web-shop.yaml").symlink_to(outside)
    sheet = tmp_path / "points.csv"
    sheet.write_text("name,channel,phase\nWeb shop,web,during\n", encoding="utf-8")
    result = invoke("import", "touchpoints", str(sheet), str(root), "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: refusing to write touchpoints/web-shop.yaml: it is a link leading outside "
        "the project\n"
    )
    assert outside.read_text("utf-8") == "mine\n"
    assert (root / "touchpoints/web-shop.yaml").is_symlink()


# --- the current folder -------------------------------------------------------------------

GONE = (
    "Error: the current folder no longer exists (was it deleted?): cd into a folder that exists\n"
)


@pytest.mark.parametrize(
    "args", [("check",), ("init", "newp"), ("init", "newp", "--blank"), ("new", "persona", "x")]
)
def test_a_deleted_current_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = invoke(*args)
    assert (result.exit_code, result.stderr) == (1, GONE)
    assert list(tmp_path.iterdir()) == []
