"""`serve`'s preview, updated in place: the build's changed files are held until it is
complete, then each is replaced on its own and the files it no longer makes are removed.

A failed build writes nothing; a browser that loads a page in the few milliseconds of the
update may see some files old and some new, which `serve` never reloads it to (it
announces the build when the update is done). The preview is reached from the project
folder one name at a time without following a link, when the build starts and again when
it is applied (nofollow.py): a folder swapped for a link meanwhile is refused, never
written through. A build for a folder the user keeps is staged and swapped (output.py).
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

from cxsite.write.nofollow import LinkInTheWay, open_folder, subfolder
from cxsite.write.output import (
    MARKER,
    MARKER_TEXT,
    check_output,
    refusal,
    same_bytes,
    site_parts,
    site_path,
)


class InPlace:
    """A build of `serve`'s preview, applied to the output folder only when it is complete
    (see the module's docstring); the same methods as `Staging`."""

    def __init__(self, out: Path):
        self.out = out
        self.made: set[str] = set()  # every file of this build, by site path
        self.changed: dict[str, bytes | Path] = {}  # new bytes, or a file to copy them from

    def write(self, rel: str, data: bytes | str) -> None:
        """Note one file of the site; its bytes are held when they differ from the output's."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.made.add(site_path(rel))
        if not same_bytes(self.out / rel, data):
            self.changed[rel] = data

    def copy(self, rel: str, source: Path) -> None:
        """Note one asset, copied when the output's file differs from it."""
        self.made.add(site_path(rel))
        target = self.out / rel
        if not (target.is_file() and filecmp.cmp(source, target, shallow=False)):
            self.changed[rel] = source

    def keep(self, rel: str) -> None:
        """Keep the output's file `rel` as it is."""
        self.made.add(site_path(rel))

    def files(self) -> list[str]:
        """Every file of this build, as sorted site-relative paths."""
        return sorted(self.made)

    def apply(self, folder: int) -> None:
        """Replace each changed file (atomically, one by one), then remove the files this
        build does not make and the folders left empty; all through `folder`, a descriptor
        of the output (see `_open_output`), never through a link."""
        for rel, data in self.changed.items():
            *names, name = site_parts(rel)
            fd = os.dup(folder)
            for sub in names:
                fd, parent = subfolder(fd, sub), fd
                os.close(parent)
            tmp = f".{name}.cxsite-tmp"
            try:
                flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
                with open(os.open(tmp, flags, 0o644, dir_fd=fd), "wb") as handle:
                    if isinstance(data, Path):
                        with data.open("rb") as source:
                            shutil.copyfileobj(source, handle)
                    else:
                        handle.write(data)
                os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
            finally:
                os.close(fd)
        for dirpath, dirnames, filenames, fd in os.fwalk(".", topdown=False, dir_fd=folder):
            prefix = os.path.relpath(dirpath, ".")
            prefix = "" if prefix == "." else prefix + "/"
            for name in filenames:
                if prefix + name not in self.made:
                    os.unlink(name, dir_fd=fd)
            for name in dirnames:
                if stat.S_ISLNK(os.lstat(name, dir_fd=fd).st_mode):
                    os.unlink(name, dir_fd=fd)  # a link where a folder was: never followed
                elif _empty(fd, name):
                    os.rmdir(name, dir_fd=fd)


def _empty(fd: int, name: str) -> bool:
    """True when the folder `name` in `fd` holds nothing."""
    sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
    try:
        return not os.listdir(sub)
    finally:
        os.close(sub)


def _open_output(output: Path, project_root: Path) -> int:
    """A descriptor of the in-place output folder (made if missing), reached from the
    project folder one name at a time: OutputRefused when one is a symlink or a file, so
    a folder swapped for a link during a build is never written through."""
    start, names = output.expanduser().absolute().parent.resolve(), (output.name,)
    with contextlib.suppress(ValueError):  # serve's preview is inside the project
        inside = output.absolute().relative_to(project_root.absolute()).parts
        if ".." not in inside:
            start, names = project_root.resolve(), inside
    try:
        return open_folder(start, names)
    except LinkInTheWay as exc:
        raise refusal(output, f"{exc.place} is {exc.what}") from None


@contextlib.contextmanager
def output_in_place(output: Path, project_root: Path) -> Iterator[InPlace]:
    """Yield an InPlace to fill; on success apply it to the output, on failure write nothing.
    The output is reached without following links when the build starts and again when it
    is applied."""
    os.close(_open_output(output, project_root))
    update = InPlace(check_output(output, project_root))
    yield update
    update.write(MARKER, MARKER_TEXT)
    folder = _open_output(output, project_root)
    try:
        update.apply(folder)
    finally:
        os.close(folder)
