"""The build server's wire, shared by `cxsite build` (client.py) and the server
(commands/server.py): where its socket is, who may use it, and how messages look.

A leaf module of the standard library's small modules: every command imports it first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import struct
import sys
from collections.abc import Iterator
from typing import Any

# Commands a server runs; any other goes straight to the local command line.
SERVED = frozenset({"build", "check"})
SOCKET_NAME = "server.sock"
# A frame from the server: its channel and length, then the bytes. Channels: b"s" the
# command starts (after any other client's; the bytes are the server's process id), b"1"
# stdout, b"2" stderr, b"x" the exit code.
FRAME = struct.Struct("!cI")
NOT_SERVED = -1000  # the exit frame's code when the server declines a command
OTHER_CODE = -1001  # ... when it runs other code than the client's (it stops then)


def server_dir() -> str:
    """The folder of this user's server socket: `$XDG_RUNTIME_DIR/cxsite` (a per-user
    folder the login sets up), else the user cache folder that holds the cache key."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if os.path.isabs(runtime):
        return os.path.join(runtime, "cxsite")
    cache = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(cache):  # unset, or relative: the XDG spec says to ignore it
        cache = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "cxsite")


def private_dir(path: str) -> bool:
    """`path` is a real folder of this user that no one else may enter."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (
        (info.st_mode & 0o170000) == 0o040000
        and info.st_uid == os.geteuid()
        and not info.st_mode & 0o077
    )


def code_stamp() -> str:
    """What the running code is: this Python, its paths, and every cxsite module's size and
    time. A server started by other code declines, and the command runs locally."""
    package = os.path.dirname(os.path.abspath(__file__))
    python = os.path.realpath(sys.executable)  # `cxsite` runs python3, `-m cxsite` python
    parts = [python, sys.prefix, sys.version, sys.getfilesystemencoding(), str(sys.flags.utf8_mode)]
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name} {info.st_size} {info.st_mtime_ns}")
    for entry in sys.path:  # an upgraded library changes its site-packages folder
        if entry.endswith("-packages"):  # not the script's folder, which differs by launch
            with contextlib.suppress(OSError):
                parts.append(f"{entry} {os.stat(entry).st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


@contextlib.contextmanager
def in_folder(path: str) -> Iterator[None]:
    """Work in `path` for a while: a socket's name is limited to about 100 bytes, so the
    socket is named relative to its folder."""
    here = os.open(".", os.O_RDONLY)
    try:
        os.chdir(path)
        yield
    finally:
        os.fchdir(here)
        os.close(here)


def same_user(conn: socket.socket) -> bool:
    """The process at the other end runs as this user (checked on Linux; elsewhere the
    private folder is the only guard)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, 12))
    return uid == os.geteuid()


def connect(folder: str) -> socket.socket | None:
    """A connection to this user's server, or None when none answers."""
    if not private_dir(folder):
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with in_folder(folder):
            conn.connect(SOCKET_NAME)
    except OSError:
        conn.close()
        return None
    if not same_user(conn):
        conn.close()
        return None
    return conn


def send_message(conn: socket.socket, body: dict) -> None:
    """One JSON message, its length first."""
    data = json.dumps(body).encode("utf-8", "surrogateescape")
    conn.sendall(struct.pack("!I", len(data)) + data)


def read_message(conn: socket.socket, limit: int = 64 << 20) -> Any:
    """One message as `send_message` sends it; ValueError when it is cut short, longer
    than `limit` bytes or not JSON."""
    head = read_exactly(conn, 4)
    if len(head) < 4:
        raise ValueError("no message")
    (size,) = struct.unpack("!I", head)
    if size > limit:
        raise ValueError("message too long")
    return json.loads(read_exactly(conn, size).decode("utf-8", "surrogateescape"))


def read_exactly(conn: socket.socket, size: int) -> bytes:
    """`size` bytes, or fewer when the other end closed the connection."""
    chunks = []
    while size:
        chunk = conn.recv(min(size, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
