"""The only code that writes into `.cxsite-cache/`: signed cache files, and the rule for
when the cache folder may be used at all.

Anyone can commit, copy or unpack a `.cxsite-cache/` folder, and a checksum anyone can
recompute. So every cache file ends with an HMAC-SHA256 of its name and body under a secret
key of this user, kept outside any project (`~/.cache/cxsite/key`, 32 random bytes, mode
0600; `CXSITE_CACHE_KEY_FILE` points elsewhere). A file whose MAC does not verify is never
used (a pickle never unpickled) and is rebuilt. Without a usable key nothing is cached.
Files are read without following symlinks, only when regular and within a size limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import pickle
import secrets
import stat
import time
import zlib
from pathlib import Path
from typing import Any

from cxsite.session import Memo

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


# The tables kept in several files (validation results, memos) use this many, each entry
# in the file of its key's `shard_of`, so a one-file edit rewrites one or two of them.
SHARDS = 16
# A long-running process (`serve`) rewrites such a table at most this often (seconds): the
# tables only save time, and rewriting them after every edit would cost more than it saves.
REWRITE_EVERY = 60.0


def shard_of(key: str) -> int:
    """The shard that holds the entry of `key` (the same in every process)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


def rewritten_lately(written: dict[Path, Any], marker: Path) -> bool:
    """Whether this process rewrote the table noted under `marker` in `written` (a session's)
    less than REWRITE_EVERY seconds ago; `note_rewritten` notes it."""
    return time.monotonic() - written.get(marker, -REWRITE_EVERY) < REWRITE_EVERY


def note_rewritten(written: dict[Path, Any], marker: Path) -> None:
    """Note in `written` that the table of `marker` was rewritten now."""
    written[marker] = time.monotonic()


def stamp_of(info: os.stat_result) -> str:
    """What a file looks like now (inode, nanosecond mtime, size): lets a long-running process
    tell that a cache file is still the one it wrote, without reading it back."""
    return f"{info.st_ino} {info.st_mtime_ns} {info.st_size}"


def file_stamp(path: Path) -> str | None:
    """The stamp a file has now, or None when it is missing or not a regular file."""
    try:
        info = path.lstat()
    except OSError:
        return None
    return stamp_of(info) if stat.S_ISREG(info.st_mode) else None


def file_entry(path: str | Path) -> list[int] | None:
    """Size, mtime and inode of a regular file (not through a symlink), else None."""
    try:
        info = os.lstat(path)
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


# A file changed this little before it was read may change again within the same mtime or
# ctime tick: its digest is not remembered (git's "racily clean" rule).
_RACY_NS = 2_000_000_000


# What a session's `digests` keeps by absolute file path (`cxsite build` in the project and
# `cxsite build ~/project` elsewhere read the same files): the file's stat figures, the
# SHA-256 of its bytes and, once asked for, the SHA-1 id git gives them as a blob (else None).
Digests = Memo[str, tuple[tuple[int, ...], bytes, str | None]]


def file_digest(path: Path, known: Digests | None, limit: int | None = LIMIT) -> tuple[int, bytes]:
    """Size and SHA-256 of a regular file's bytes, never through a symlink (OSError
    otherwise). `known` (a session's `digests`) keeps them by the file's inode, size, mtime
    and ctime, so a long-running process reads again only the files that changed."""
    size, sha, _blob = _remembered(path, known, limit, blob=False)
    return size, sha


def known_digest(path: Path, known: Digests) -> bytes | None:
    """The SHA-256 `known` keeps for a regular file that has not changed since (by its stat
    figures, as `file_digest`), else None: the file is not read."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    found = _unchanged(path, info, known)
    return found[1] if found is not None else None


def git_blobs(path: Path, known: Digests | None) -> tuple[str, ...]:
    """The SHA-1 ids of a regular file's bytes as `blob_ids` gives them (OSError as
    `file_digest`), kept in `known` beside the file's digest."""
    blob = _remembered(path, known, LIMIT, blob=True)[2]
    assert blob is not None
    return tuple(blob.split())


def git_blob_id(data: bytes, object_id_length: int = 40) -> str:
    """The id git gives a blob with these bytes (SHA-1, or SHA-256 in such repositories)."""
    algorithm = hashlib.sha256 if object_id_length == 64 else hashlib.sha1
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest()


def blob_ids(data: bytes, object_id_length: int = 40) -> tuple[str, ...]:
    """The id git gives a blob with these bytes and, for text with CRLF line endings (no
    NUL, no CR alone: what git's own line-ending conversion takes for text), the id of the
    same text with LF endings: the blob a checkout with `core.autocrlf` or `eol=crlf` came
    from. No filter program is involved."""
    ids = (git_blob_id(data, object_id_length),)
    crlf = data.count(b"\r\n")
    if crlf and data.count(b"\r") == crlf and b"\0" not in data:
        ids += (git_blob_id(data.replace(b"\r\n", b"\n"), object_id_length),)
    return ids


def _remembered(
    path: Path, known: Digests | None, limit: int | None, *, blob: bool
) -> tuple[int, bytes, str | None]:
    if known is not None:
        info = os.lstat(path)
        found = _unchanged(path, info, known)
        if (
            found is not None
            and (limit is None or info.st_size <= limit)
            and (found[2] is not None or not blob)
        ):
            return info.st_size, found[1], found[2]
    started = time.time_ns()
    data, info = read_with_stat(path, limit)
    ids = " ".join(blob_ids(data)) if blob else None
    entry = (stat_figures(info), hashlib.sha256(data).digest(), ids)
    if known is not None and max(info.st_mtime_ns, info.st_ctime_ns) < started - _RACY_NS:
        known.put(os.path.abspath(path), entry)
    return len(data), entry[1], entry[2]


def _unchanged(
    path: Path, info: os.stat_result, known: Digests
) -> tuple[tuple[int, ...], bytes, str | None] | None:
    """What `known` keeps for a regular file whose stat figures (`info`) are as then."""
    found = known.get(os.path.abspath(path))
    if found is None or found[0] != stat_figures(info) or not stat.S_ISREG(info.st_mode):
        return None
    return found


def stat_figures(info: os.stat_result) -> tuple[int, ...]:
    """What changes when a file's content does: device, inode, size, mtime and ctime."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def read_regular(path: Path, limit: int | None = LIMIT) -> bytes:
    """The bytes of a regular file, never through a symlink (OSError otherwise)."""
    return read_with_stat(path, limit)[0]


KEY_BYTES = 32
MAC_LENGTH = 64  # hex digits: a cache file of text stays text


def key_path() -> Path:
    """Where this user's cache key lives: `CXSITE_CACHE_KEY_FILE`, else the user cache folder."""
    explicit = os.environ.get("CXSITE_CACHE_KEY_FILE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: the XDG spec says to ignore it
        base = str(Path.home() / ".cache")
    return Path(base) / "cxsite" / "key"


def _read_key(path: Path) -> bytes | None:
    """The key, when it is a regular file of this user that no one else may read or write."""
    try:
        raw, info = read_with_stat(path, limit=KEY_BYTES)
    except OSError:
        return None
    if len(raw) != KEY_BYTES or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        return None
    return raw


def cache_key() -> bytes | None:
    """This user's secret cache key, created on first use; None when it cannot be had (then
    nothing is cached: a build only loses speed)."""
    path = key_path()
    key = _read_key(path)
    if key is not None or path.exists() or path.is_symlink():
        return key
    tmp = path.with_name(f".key-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        os.link(tmp, path)  # fails when another process made the key first: then use that one
    except FileExistsError:
        pass
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):  # e.g. the cache folder is a file: nothing made
            tmp.unlink(missing_ok=True)
    return _read_key(path)


def _mac(key: bytes, path: Path, body: bytes | memoryview) -> bytes:
    name = path.name.encode("utf-8", "surrogatepass")
    mac = hmac.new(key, len(name).to_bytes(4, "little") + name, hashlib.sha256)
    mac.update(body)  # not joined to the name first: a copy of tens of megabytes
    return mac.hexdigest().encode("ascii")


def _verified(path: Path, limit: int | None) -> tuple[memoryview, str] | None:
    """`read_signed`'s body as a view of the bytes read (not copied), and the stamp."""
    key = cache_key()
    if key is None:
        return None
    try:
        raw, info = read_with_stat(path, limit)
    except OSError:
        return None
    if len(raw) < MAC_LENGTH:
        return None
    body = memoryview(raw)[:-MAC_LENGTH]
    if not hmac.compare_digest(raw[-MAC_LENGTH:], _mac(key, path, body)):
        return None
    return body, stamp_of(info)


def read_signed(path: Path, limit: int | None = LIMIT) -> tuple[bytes, str] | None:
    """The body of a cache file this user's cxsite wrote (its MAC verifies) and its stamp;
    else None, and the body is not looked at."""
    found = _verified(path, limit)
    return (found[0].tobytes(), found[1]) if found is not None else None


def write_signed(path: Path, data: bytes) -> str | None:
    """Write a cache file with its MAC atomically (a temp file, then a rename); return its
    stamp, or None when it could not be written (a failure only costs speed)."""
    key = cache_key()
    if key is None:
        return None
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.write(_mac(key, path, data))
        os.replace(tmp, path)
        return file_stamp(path)
    except OSError:
        with contextlib.suppress(OSError):  # e.g. the folder is a file: nothing to remove
            tmp.unlink(missing_ok=True)
        return None


def digest(*parts: bytes | str) -> str:
    """A hex SHA-256 of the parts, each length-prefixed so they cannot run together."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def read_json(path: Path) -> Any:
    """The JSON body of a signed cache file with a checksum line, else None."""
    found = read_signed(path)
    if found is None:
        return None
    try:
        check, _, text = found[0].decode("utf-8").partition("\n")
        return json.loads(text) if check == digest(text) else None
    except ValueError:
        return None


def write_json(path: Path, body: Any) -> str:
    """Write `body` as a signed cache file with a checksum line; return the checksum (which
    names this very body for another cache file that refers to it)."""
    text = json.dumps(body)
    check = digest(text)
    write_signed(path, (check + "\n" + text).encode("utf-8"))
    return check


def read_pickle(path: Path, head: bytes, limit: int | None = LIMIT) -> tuple[Any, str] | None:
    """The unpickled body of a signed cache file that starts with `head` (what wrote it: its
    kind and version) and its stamp; else None. Only a file whose MAC verifies is
    unpickled: unpickling runs code chosen by whoever wrote the file."""
    found = _verified(path, limit)
    if found is None or found[0][: len(head)] != head:
        return None
    try:
        return pickle.loads(found[0][len(head) :]), found[1]
    except Exception:  # a damaged file only costs speed
        return None


def write_pickle(path: Path, head: bytes, body: Any) -> str | None:
    """Write `body` pickled after `head` as a signed cache file; return its stamp, or None
    when it could not be written (only speed is lost). Raises what pickling raises."""
    return write_signed(path, head + pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL))
