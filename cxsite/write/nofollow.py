"""Folders opened one name at a time, never through a symlink: `serve`'s preview is
updated through such descriptors, so a folder swapped for a link while it builds (a branch
checked out) makes it refuse rather than write where the link leads."""

from __future__ import annotations

import errno
import os
from pathlib import Path

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class LinkInTheWay(OSError):
    """A name on the way is a symlink or not a folder (`place` names it)."""

    def __init__(self, place: Path, what: str) -> None:
        super().__init__(errno.ELOOP, f"{place} is {what}")
        self.place = place
        self.what = what


def open_folder(start: Path, names: tuple[str, ...] = ()) -> int:
    """A descriptor of `start` (absolute, resolved) joined with `names`, each name opened
    without following a link; missing folders among `names` are made. LinkInTheWay when
    one is a symlink or a file."""
    fd = os.open(start.anchor, _FOLDER)
    place = Path(start.anchor)
    for index, name in enumerate((*start.parts[1:], *names)):
        place = place / name
        fd = _step(fd, name, place, make=index >= len(start.parts) - 1)  # closes `fd`
    return fd


def subfolder(fd: int, name: str) -> int:
    """The folder `name` in folder `fd`, made if missing; a link or a file in its place is
    removed first (inside a folder cxsite owns: the preview)."""
    try:
        return os.open(name, _FOLDER, dir_fd=fd)
    except FileNotFoundError:
        pass
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
        os.unlink(name, dir_fd=fd)
    os.mkdir(name, 0o755, dir_fd=fd)
    return os.open(name, _FOLDER, dir_fd=fd)


def _step(fd: int, name: str, place: Path, *, make: bool) -> int:
    """Open `name` in `fd` and close `fd`; a missing folder is made when `make`."""
    try:
        try:
            return os.open(name, _FOLDER, dir_fd=fd)
        except FileNotFoundError:
            if not make:
                raise
            os.mkdir(name, 0o755, dir_fd=fd)
            return os.open(name, _FOLDER, dir_fd=fd)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
            link = os.path.islink(place)
            raise LinkInTheWay(place, "a symlink" if link else "not a folder") from None
    finally:
        os.close(fd)
