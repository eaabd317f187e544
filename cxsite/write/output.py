"""The only code that writes into an output folder: staged build, checks, atomic swap.

A build is written into a temporary folder beside the output and swapped in only when it
is complete, so a failed build leaves the previous output exactly as it was. Files whose
bytes did not change are hard-linked from the previous output, so they keep their bytes
and their modification times (a no-op rebuild rewrites nothing).

`serve`'s preview is updated in place instead (inplace.py).

The files a user keeps (`export`, `import`, `new`) are written by userfiles.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import filecmp
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

from cxsite.problems import CxError, OutputRefused

MARKER = ".cxsite-output"
MARKER_TEXT = "This folder is written by cxsite and replaced by every build.\n"


def refusal(output: Path, why: str) -> OutputRefused:
    return OutputRefused(f"refusing to write the site to {output}: {why}")


def check_output(output: Path, project_root: Path) -> Path:
    """The resolved output folder, or OutputRefused when replacing it could destroy data."""
    out = output.expanduser().resolve()
    root = project_root.resolve()
    if out == Path(out.anchor):
        raise refusal(out, "it is the root of the file system")
    if out == Path.home().resolve():
        raise refusal(out, "it is your home folder")
    if out == root:
        raise refusal(out, "it is the project folder")
    if root.is_relative_to(out):
        raise refusal(out, "it contains the project folder")
    try:
        if out.exists() and not out.is_dir():
            raise refusal(out, "it is a file, not a folder")
        if out.is_dir():
            if (out / ".git").exists():
                raise refusal(out, "it holds a git repository (.git)")
            if not (out / MARKER).is_file() and any(out.iterdir()):
                raise refusal(out, f"it is not empty and was not made by cxsite (no {MARKER} file)")
    except OSError as exc:  # a name too long for the file system, a folder it may not read
        raise refusal(out, f"it cannot be used ({exc.strerror})") from None
    return out


class Staging:
    """A temporary folder beside the output where one build is assembled."""

    def __init__(self, path: Path, previous: Path | None):
        self.path = path
        self.previous = previous
        self._dirs: set[str] = set()
        # site paths staged as hard links to the previous output's file (nothing to compare)
        self.linked: set[str] = set()

    def target(self, rel: str) -> str:
        """The staging path for a site-relative file path, refusing any path that escapes
        (plain strings: a build stages thousands of files)."""
        *folders, name = site_parts(rel)
        folder = os.path.join(self.path, *folders)
        if folder not in self._dirs:
            os.makedirs(folder, exist_ok=True)
            self._dirs.add(folder)
        return os.path.join(folder, name)

    def write(self, rel: str, data: bytes | str) -> None:
        """Write one file of the site (a link to the previous output's file when the bytes
        are the same, so it keeps its modification time and nothing is written)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        target = self.target(rel)
        if self.previous is not None and same_bytes(self.previous / rel, data):
            try:
                os.link(self.previous / rel, target)
                self.linked.add(rel)
                return
            except OSError:
                pass  # no hard links here: write the bytes
        with open(target, "wb") as handle:
            handle.write(data)

    def copy(self, rel: str, source: Path) -> None:
        """Copy one file (an asset) into the site; the bytes only, not the source's metadata."""
        shutil.copyfile(source, self.target(rel))

    def keep(self, rel: str) -> None:
        """Keep the previous output's file `rel` as it is (a hard link, else a copy)."""
        if self.previous is None:
            raise ValueError(f"no previous output to keep {rel!r} from")
        previous, target = os.path.join(self.previous, rel), self.target(rel)
        try:
            os.link(previous, target)
        except OSError:
            shutil.copy2(previous, target)
        else:
            self.linked.add(rel)

    def files(self) -> list[str]:
        """Every file staged so far (also those written straight into `path`), as sorted
        site-relative paths."""
        return sorted(_walk_files(self.path))


def site_parts(rel: str) -> list[str]:
    """The names of a site-relative file path; ValueError for one that is absolute or
    escapes (empty and `.` names are dropped, as a path reads them)."""
    parts = [part for part in rel.split("/") if part not in ("", ".")]
    if rel.startswith("/") or ".." in parts or not parts:
        raise ValueError(f"not a relative site path: {rel!r}")
    return parts


def site_path(rel: str) -> str:
    """A site-relative file path written plainly (`a//./b` is `a/b`); ValueError as above."""
    return "/".join(site_parts(rel))


def _walk_files(base: Path, skip: Collection[str] = ()) -> Iterator[str]:
    """The site-relative paths of the files under `base` (one walk, no `Path` per file),
    less those in `skip` (not looked at)."""
    for dirpath, _dirnames, filenames in os.walk(base):
        here = Path(dirpath).relative_to(base).as_posix()
        prefix = "" if here == "." else here + "/"
        for name in filenames:
            rel = prefix + name
            if rel not in skip and os.path.isfile(os.path.join(dirpath, name)):
                yield rel


def same_bytes(path: Path, data: bytes) -> bool:
    """True when `path` is a regular file (not a link) holding exactly `data`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return handle.read(len(data) + 1) == data


def _keep_unchanged(staging: Path, previous: Path, linked: set[str]) -> None:
    """Replace each staged file identical to the previous output's by a link to that file
    (`linked`: site paths staged as such links already, not looked at again)."""
    for rel in _walk_files(staging, skip=linked):
        path = staging / rel
        if path.is_symlink():
            continue
        old = previous / rel
        if not old.is_file() or old.is_symlink():
            continue
        old_stat, new_stat = old.stat(), path.stat()
        if os.path.samestat(old_stat, new_stat):
            continue  # already the previous file (kept by Staging.keep)
        if old_stat.st_size != new_stat.st_size:
            continue
        if not filecmp.cmp(old, path, shallow=False):
            continue
        tmp = path.with_name(path.name + ".cxsite-link")
        try:
            os.link(old, tmp)
        except OSError:
            continue  # no hard links here (another file system): keep the new copy
        os.replace(tmp, path)


def _swap(staging: Path, out: Path) -> None:
    """Put the staged folder in place of the output, removing the previous one. A mount
    point (a container's volume) cannot be renamed: its entries are swapped instead, the
    staged folder being inside it (see `staged_output`)."""
    if staging.parent == out:
        _swap_entries(staging, out)
        return
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.cxsite-old-"))
    try:
        os.replace(out, old / "site")
        try:
            os.replace(staging, out)
        except OSError:
            os.replace(old / "site", out)  # put the previous output back
            raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _swap_entries(staging: Path, out: Path) -> None:
    """`_swap` for an output folder that cannot be renamed: each of its entries is moved
    aside, then each staged one moved in (one rename each; all back on a failure)."""
    old = Path(tempfile.mkdtemp(dir=out, prefix=".cxsite-old-"))
    mine = {staging.name, old.name}
    moved: list[str] = []
    placed: list[str] = []
    try:
        for name in sorted(os.listdir(out)):
            if name not in mine:
                os.replace(out / name, old / name)
                moved.append(name)
        for name in sorted(os.listdir(staging)):
            os.replace(staging / name, out / name)
            placed.append(name)
    except OSError:
        for name in placed:
            os.replace(out / name, staging / name)
        for name in moved:
            os.replace(old / name, out / name)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _swapping(out: Path) -> Iterator[None]:
    """Around the swap: one build at a time swaps into `out` (a lock on its parent folder,
    so two builds into one output both finish, the later one's output in place), and
    Ctrl+C or SIGTERM wait until the output is whole again."""
    signals = {signal.SIGINT, signal.SIGTERM}
    blocked = threading.current_thread() is threading.main_thread()
    fd = _lock(out.parent, wait=True)
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock
        if blocked:  # a signal that came meanwhile is raised now, the output whole
            signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a cancelled CI job, `docker stop`) ends the build as Ctrl+C does, so the
    staged folder is removed and the previous output stays (only from the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    owner = os.getpid()

    def interrupt(signum: int, _frame: object) -> None:
        if os.getpid() != owner:  # a worker forked meanwhile: it ends as it always did
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def staged_output(output: Path, project_root: Path) -> Iterator[Staging]:
    """Yield a Staging to fill; on success swap it in as the output, on failure discard it.
    The staged folder is beside the output, or inside an output that is a mount point."""
    out = check_output(output, project_root)
    out.parent.mkdir(parents=True, exist_ok=True)
    inside = os.path.ismount(out)
    beside = out if inside else out.parent
    prefix = ".cxsite-tmp-" if inside else f".{out.name}.cxsite-tmp-"
    _remove_abandoned(beside, prefix)
    with _terminate_as_interrupt():
        path = Path(tempfile.mkdtemp(dir=beside, prefix=prefix))
        held = _lock(path)  # while this build (or a worker it forked) lives
        try:
            previous = out if out.is_dir() else None
            staging = Staging(path, previous)
            yield staging
            staging.write(MARKER, MARKER_TEXT)
            path.chmod(0o755)  # mkdtemp makes it private; a site folder is normally readable
            if previous is not None:
                _keep_unchanged(path, previous, staging.linked)
            with _swapping(out):
                _swap(path, out)
        finally:
            if path.exists():
                shutil.rmtree(path, ignore_errors=True)
            if held is not None:
                os.close(held)


def _lock(folder: Path, *, wait: bool = False) -> int | None:
    """An exclusive lock on a folder, held by the descriptor returned (closing it, or the
    end of every process that shares it, releases it): the staged folder of a build in
    use, or the output's parent while a build swaps. None when it is held elsewhere and
    not `wait`, or where the file system has no locks."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


# A staged folder's lock is taken the moment after it is made: younger ones are left alone.
_ABANDONED_AFTER = 10.0


def _remove_abandoned(folder: Path, prefix: str) -> None:
    """Remove the staged folders a killed build left (SIGKILL, a crash, a power cut): those
    whose lock no process holds (`_lock`). A folder another build is filling stays."""
    try:
        names = [name for name in os.listdir(folder) if name.startswith(prefix)]
    except OSError:
        return
    for name in names:
        path = folder / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        # a folder made this instant may not be locked yet by the build that made it
        if not stat.S_ISDIR(info.st_mode) or time.time() - info.st_mtime < _ABANDONED_AFTER:
            continue
        held = _lock(path)
        if held is not None:
            shutil.rmtree(path, ignore_errors=True)
            os.close(held)


def write_briefs(out: Path, files: Mapping[str, bytes]) -> None:
    """Write `out/briefs/<name>` for every file, leaving the rest of the output as it is:
    all temporary files first, then the renames, so a full disk or Ctrl+C while writing
    leaves every previous brief as it was, and no temporary file (`out` has passed
    `check_output`)."""
    folder = out / "briefs"
    # A new output folder gets cxsite's marker, so a later `cxsite build` may replace it.
    if not out.exists() or not any(out.iterdir()):
        out.mkdir(parents=True, exist_ok=True)
        (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise CxError(f"refusing to write briefs into {folder}: not a plain folder")
    folder.mkdir(exist_ok=True)
    temps = {name: folder / f".{name}.cxsite-tmp" for name in files}
    try:
        for name, data in files.items():
            temps[name].write_bytes(data)
        for name, tmp in temps.items():
            os.replace(tmp, folder / name)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
