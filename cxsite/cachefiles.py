"""The only code that writes into `.cxsite-cache/`: stamped, checksummed cache files, and the
rule for when the cache folder may be used at all.

Anyone can commit a `.cxsite-cache/` folder, and a checksum anyone can recompute. So each
cache file has a stamp beside it (`<name>.stamp`): the inode, nanosecond mtime and size the
file had when this machine's cxsite wrote it, which a copied, unpacked or checked-out file
does not keep. A file whose stamp does not match is never used (a pickle never unpickled).
Files are read without following symlinks, only when regular and within a size limit.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

CACHE_DIR = ".cxsite-cache"
LIMIT = 1 << 30


def usable_cache_dir(root: Path) -> Path | None:
    """The project's cache folder, or None when it must not be used (see `usable_folder`)."""
    path = root / CACHE_DIR
    return path if usable_folder(path, root) else None


def usable_folder(path: Path, root: Path) -> bool:
    """Whether a cache folder may be read and written: not when it is a symlink or not a
    folder, or resolves outside `root` (it could lead anywhere)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        return False
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def stamp_of(info: os.stat_result) -> str:
    """What a file written here looked like: inode, nanosecond mtime and size."""
    return f"{info.st_ino} {info.st_mtime_ns} {info.st_size}"


def file_stamp(path: Path) -> str | None:
    """The stamp a file has now, or None when it is missing or not a regular file."""
    try:
        info = path.lstat()
    except OSError:
        return None
    return stamp_of(info) if stat.S_ISREG(info.st_mode) else None


def file_entry(path: Path) -> list[int] | None:
    """Size, mtime and inode of a regular file (not through a symlink), else None."""
    try:
        info = path.lstat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino] if stat.S_ISREG(info.st_mode) else None


def read_with_stat(path: Path, limit: int | None = LIMIT) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its stat, never through a symlink (OSError otherwise)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file: {path}")
        if limit is not None and info.st_size > limit:
            raise OSError(f"too large: {path}")
        return handle.read(), info


def read_regular(path: Path, limit: int | None = LIMIT) -> bytes:
    """The bytes of a regular file, never through a symlink (OSError otherwise)."""
    return read_with_stat(path, limit)[0]


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".stamp")


def read_stamped(path: Path, limit: int | None = LIMIT) -> tuple[bytes, str] | None:
    """The bytes of a cache file this machine's cxsite wrote, with its stamp; else None."""
    try:
        raw, info = read_with_stat(path, limit)
        if read_regular(_stamp_path(path), limit=4096).decode("ascii") != stamp_of(info):
            return None
    except (OSError, ValueError):
        return None
    return raw, stamp_of(info)


def write_stamped(path: Path, data: bytes) -> str | None:
    """Write a cache file and its stamp atomically (temp files, then renames); return the
    stamp, or None when it could not be written (a failure only costs speed)."""
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    stamp = _stamp_path(path)
    stamp_tmp = stamp.with_name(f".tmp-{os.getpid()}-{stamp.name}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (tmp, stamp_tmp):
            leftover.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        written = stamp_of(path.lstat())
        stamp_tmp.write_text(written, encoding="ascii")
        os.replace(stamp_tmp, stamp)
    except OSError:
        tmp.unlink(missing_ok=True)
        stamp_tmp.unlink(missing_ok=True)
        return None
    return written


def digest(*parts: bytes | str) -> str:
    """A hex SHA-256 of the parts, each length-prefixed so they cannot run together."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def read_json(path: Path) -> Any:
    """The JSON body of a stamped cache file with a checksum line, else None."""
    found = read_stamped(path)
    if found is None:
        return None
    try:
        check, _, text = found[0].decode("utf-8").partition("\n")
        return json.loads(text) if check == digest(text) else None
    except ValueError:
        return None


def write_json(path: Path, body: Any) -> str:
    """Write `body` as a stamped cache file with a checksum line; return the checksum."""
    text = json.dumps(body)
    check = digest(text)
    write_stamped(path, (check + "\n" + text).encode("utf-8"))
    return check
