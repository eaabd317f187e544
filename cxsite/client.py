"""The `cxsite` entry point: hands `cxsite build` to a running build server, else runs locally.

A build server (`cxsite server start`, commands/server.py) keeps the projects' validated
models, analyses and page records in memory between builds, so a one-file edit is rebuilt
without starting Python, importing and reading the caches again. This module is what every
command runs first, so it imports only the standard library's small modules: when no server
answers, the command runs in this process as if the server did not exist.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator

from cxsite.serverlink import (
    FRAME,
    NOT_SERVED,
    OTHER_CODE,
    SERVED,
    code_stamp,
    connect,
    read_exactly,
    send_message,
    server_dir,
)


def main() -> None:
    """Entry point of the `cxsite` console script and of `python -m cxsite`."""
    started = time.time()
    code = run_in_server(sys.argv[1:], started)
    if code is not None:
        sys.exit(code)
    from cxsite.cli import ALONE  # lazy: only when no server ran the command
    from cxsite.cli import main as local_main  # lazy: as above

    ALONE.set(True)  # the command is this process's whole work: it may end when done
    local_main()


def request(argv: list[str], started: float) -> dict:
    """What the server needs to run `argv` as this process would: folder, environment,
    umask, how stdout and stderr look, and when the command started."""
    umask = os.umask(0)
    os.umask(umask)
    return {
        "op": "run",
        "argv": argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "stamp": code_stamp(),
        "started": started,
        "tty": [sys.stdout.isatty(), sys.stderr.isatty()],
        "encoding": [sys.stdout.encoding, sys.stderr.encoding],
    }


def run_in_server(argv: list[str], started: float) -> int | None:
    """Run `argv` in this user's build server and return its exit code; None when there is
    no server, it declines, or the command is not one a server runs."""
    if not argv or argv[0] not in SERVED or os.environ.get("CXSITE_NO_SERVER"):
        return None
    conn = connect(server_dir())
    if conn is None:
        return None
    running: list[int] = []  # the server's process id, once it runs this command
    with conn, _interrupts(running):
        try:
            send_message(conn, request(argv, started))
            return _relay(conn, running)
        except OSError:
            if not running:  # e.g. the current folder was deleted: the local command says so
                return None
            sys.stderr.write("Error: the build server stopped during the command\n")
            return 1
        except KeyboardInterrupt:  # while another command ran: this one never will
            sys.stderr.write("Aborted!\n")
            return 1


@contextlib.contextmanager
def _interrupts(running: list[int]) -> Iterator[None]:
    """Ctrl+C, SIGTERM and SIGHUP end the server's build as Ctrl+C ends a local one; while
    the server still runs another client's command, they end this client alone."""

    def interrupt(_signum: int, _frame: object) -> None:
        if not running:
            raise KeyboardInterrupt
        with contextlib.suppress(OSError):
            os.kill(running[0], signal.SIGINT)

    kinds = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    before = {kind: signal.signal(kind, interrupt) for kind in kinds}
    try:
        yield
    finally:
        for kind, handler in before.items():
            signal.signal(kind, handler)


def _relay(conn: socket.socket, running: list[int]) -> int | None:
    """Copy the server's output frames to stdout and stderr until its exit code."""
    streams = {b"1": sys.stdout.buffer, b"2": sys.stderr.buffer}
    broken = False
    while True:
        head = read_exactly(conn, FRAME.size)
        if len(head) < FRAME.size:  # closed before its exit code
            raise ConnectionResetError
        channel, size = FRAME.unpack(head)
        data = read_exactly(conn, size)
        if channel == b"s":  # the server begins this command
            running.append(int(data))
        elif channel == b"x":
            code = int(data)
            if code == OTHER_CODE:
                sys.stderr.write(
                    "cxsite server: it ran other code than this cxsite and has stopped; "
                    "'cxsite server start' starts it again\n"
                )
            if code in (NOT_SERVED, OTHER_CODE):
                return None
            return 1 if broken else code
        elif not (broken and channel == b"1"):
            try:
                streams[channel].write(data)
                streams[channel].flush()
            except BrokenPipeError:  # `cxsite build | head`: as click does, quietly exit 1
                broken = True
            except OSError as exc:  # a full disk: what the local command says
                broken = True
                with contextlib.suppress(OSError):
                    sys.stderr.write(f"Error: cannot write to standard output: {exc.strerror}\n")
