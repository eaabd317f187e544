"""One client's command run by `cxsite server` as the client's process would run it: in its
folder, with its environment, umask, stdout and stderr (sent back as frames), and its exit
code. The `Served` object is what the command finds as click's context object.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click

from cxsite.serverlink import FRAME, NOT_SERVED
from cxsite.session import Session

PROJECTS = 2  # sessions kept, the most recently served projects (about 250 MB each at N=200)


@dataclass
class Served:
    """What a command run by the server finds in click's context object: the sessions of
    the projects built lately, and when the client's command started."""

    sessions: dict[Path, Session] = field(default_factory=dict)
    started: float = 0.0

    def session(self, project: Path) -> Session:
        """The session of `project`, kept for its next build (the oldest is let go)."""
        root = project.resolve()
        session = self.sessions.pop(root, None) or Session()
        self.sessions[root] = session
        while len(self.sessions) > PROJECTS:
            del self.sessions[next(iter(self.sessions))]
        return session

    def elapsed(self) -> float:
        """Seconds since the client's command started."""
        return time.time() - self.started


def run_command(conn: socket.socket, command: click.Command, message: dict, served: Served) -> int:
    """Run the client's command line here as the client's process would, and its exit code."""
    served.started = float(message["started"])
    try:
        with _as_client(conn, message):
            try:
                command.main(args=list(message["argv"]), prog_name="cxsite", obj=served)
            except SystemExit as done:
                return _exit_code(done.code)
            except Exception:  # a defect: the traceback the local command would print
                traceback.print_exc()
                served.sessions.clear()  # what the failed build left is not trusted
                return 1
    except OSError:  # the client's folder is gone: the local command says so
        return NOT_SERVED
    return 0


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


@contextlib.contextmanager
def _as_client(conn: socket.socket, message: dict) -> Iterator[None]:
    """The client's folder, environment, umask, stdout and stderr, for one command."""
    here = os.open(".", os.O_RDONLY)
    environment = dict(os.environ)
    umask = os.umask(int(message["umask"]))
    streams = sys.stdout, sys.stderr
    try:
        os.chdir(message["cwd"])
        os.environ.clear()
        os.environ.update(message["env"])
        os.environ.setdefault("MPLBACKEND", "Agg")  # as the local command line sets it
        time.tzset()
        ttys, encodings = message["tty"], message["encoding"]
        sys.stdout = _channel(conn, b"1", bool(ttys[0]), encodings[0])
        sys.stderr = _channel(conn, b"2", bool(ttys[1]), encodings[1])
        yield
    finally:
        # a Ctrl+C forwarded now waits: the server's own state comes back whole
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            sys.stdout, sys.stderr = streams
            os.umask(umask)
            os.environ.clear()
            os.environ.update(environment)
            time.tzset()
            os.fchdir(here)
            os.close(here)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


class _Frames(io.RawIOBase):
    """Bytes written here reach the client as frames of one channel (stdout or stderr)."""

    def __init__(self, conn: socket.socket, channel: bytes, tty: bool):
        super().__init__()
        self.conn, self.channel, self.tty = conn, channel, tty

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.tty

    def write(self, data: bytes) -> int:  # type: ignore[override]
        with contextlib.suppress(OSError):  # the client went away: the command goes on
            self.conn.sendall(FRAME.pack(self.channel, len(data)) + bytes(data))
        return len(data)


def _channel(
    conn: socket.socket, channel: bytes, tty: bool, encoding: str | None
) -> io.TextIOWrapper:
    return io.TextIOWrapper(
        io.BufferedWriter(_Frames(conn, channel, tty)),
        encoding=encoding or "utf-8",
        errors="backslashreplace",
        line_buffering=True,
    )
