"""Files the user keeps, written by `export`, `import` and `new`: all of them or none, as an
editor would (the site's output folder is written by output.py)."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path


def _backup(real: Path) -> Path:
    """A hard link to `real` beside it (a copy where links are refused), to put it back."""
    backup = real.parent / f".cxsite-{os.urandom(6).hex()}.old"
    try:
        os.link(real, backup)
    except OSError:
        shutil.copy2(real, backup)
    return backup


def write_text_files(texts: Mapping[Path, str]) -> None:
    """Write each text (UTF-8) to its path, all of them or none, as an editor would.

    Every file goes to a temporary file in its folder first, then all are renamed into
    place, so a full disk or a refused folder changes no file and leaves no temporary one. A
    new file gets the mode the umask gives (`0o666 & ~umask`), a replaced one keeps its
    permission bits; a symlink is followed (the file it points at is replaced, the link
    stays); a path that is neither a file nor a folder (a FIFO, a device such as
    /dev/stdout) is written straight into. A rename that fails after others succeeded
    puts the files already replaced back as they were (each is kept as a hard link until
    all are in place). An OSError names the path it was given."""
    staged: list[tuple[Path, Path, Path, bool]] = []  # (path, temporary, file, it is new)
    direct: list[tuple[Path, bytes]] = []  # written straight into
    placed: list[tuple[Path, bool]] = []
    backups: dict[Path, Path] = {}  # a file replaced -> a link to (or copy of) what it was
    path = Path()
    try:
        for path, text in texts.items():
            data = text.encode("utf-8")
            try:  # through any link, /dev/stdout's /proc/self/fd/1 to a pipe included
                mode = os.stat(path).st_mode
            except FileNotFoundError:
                mode = None
            if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
                direct.append((path, data))
                continue
            real = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
            temp = real.parent / f".cxsite-{os.urandom(6).hex()}.tmp"
            # 0o666 through os.open: the kernel applies the umask (and a default ACL)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            staged.append((path, temp, real, mode is None))
            with open(fd, "wb") as handle:
                if mode is not None and stat.S_ISREG(mode):
                    os.fchmod(fd, stat.S_IMODE(mode))
                handle.write(data)
        for entry in direct:
            path, data = entry  # `path` names the file in an error
            with open(os.open(path, os.O_WRONLY | os.O_CLOEXEC), "wb") as handle:
                handle.write(data)
        for item in staged:  # each file replaced is kept until all are in place
            path, _temp, real, new = item  # `path` names the file in an error
            if not new:
                backups[real] = _backup(real)
        for item in staged:
            path, temp, real, new = item
            os.replace(temp, real)
            placed.append((real, new))
    except OSError as exc:
        if exc.errno is None:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    finally:
        if len(placed) < len(staged):  # a failure: each file as it was, no temporary left
            for real, new in placed:
                if new:
                    real.unlink(missing_ok=True)
                else:
                    os.replace(backups.pop(real), real)
            for _path, temp, _real, _new in staged:
                temp.unlink(missing_ok=True)
        for backup in backups.values():
            backup.unlink(missing_ok=True)
