"""`cxsite server`: one process per user that keeps projects in memory and runs their builds.

`cxsite build` (client.py) hands itself over to the server when one runs: the server runs
the same command line in its own process, in the client's folder, with the client's
environment and umask, and sends the output back as the command prints it. What a new
process spends before any work (starting Python, importing, reading the caches) is spent
once, when the server starts; each build keeps its project's `Session` for the next one, as
`cxsite serve` does. The server serves one command at a time, only to its own user (a
private folder, and the peer's user checked on Linux), and stops after an idle time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from cxsite.commands.served import Served, run_command
from cxsite.problems import CxError
from cxsite.serverlink import (
    FRAME,
    NOT_SERVED,
    OTHER_CODE,
    SERVED,
    SOCKET_NAME,
    code_stamp,
    connect,
    in_folder,
    private_dir,
    read_message,
    same_user,
    send_message,
    server_dir,
)

LOCK_NAME = "server.lock"
LOG_NAME = "server.log"
# What a build imports: imported once when the server starts, not by its first build.
_WARM_MODULES = (
    "cxsite.commands.build",
    "cxsite.commands.check",
    "cxsite.commands.produce",
    "cxsite.analysis.analyse",
    "cxsite.charts.pool",
    "cxsite.charts.draw",
    "cxsite.site.render",
)


@dataclass(frozen=True)
class ServerStatus:
    """A running server, as it answers `cxsite server status`."""

    pid: int
    seconds: float
    builds: int
    projects: list[str]

    def lines(self) -> list[str]:
        """What `cxsite server status` prints."""
        lines = [
            f"cxsite server running (pid {self.pid}) for {self.seconds / 60:.0f} min, "
            f"{self.builds} commands run"
        ]
        lines += [f"  keeps {project}" for project in self.projects]
        return lines


def server_status() -> ServerStatus | None:
    """The running server of this user, or None."""
    answer = _ask({"op": "status"})
    if answer is None:
        return None
    return ServerStatus(answer["pid"], answer["seconds"], answer["builds"], answer["projects"])


def stop_server() -> int | None:
    """Stop this user's server (after the command it runs); its process id, or None."""
    answer = _ask({"op": "stop"})
    return None if answer is None else int(answer["pid"])


def start_server(idle: float) -> int:
    """Start this user's server in the background and return its process id once it answers."""
    running = server_status()
    if running is not None:
        raise CxError(f"a cxsite server runs already (pid {running.pid}): 'cxsite server stop'")
    folder = _private_folder()
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    if not package_root.endswith("-packages"):  # a checkout: the server runs the same code
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    with open(folder / LOG_NAME, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cxsite", "server", "run", "--idle", str(idle)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            cwd="/",  # holds no project folder open
            start_new_session=True,  # a Ctrl+C or a closed terminal does not reach it
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = server_status()
        if status is not None:
            return status.pid
        if process.poll() is not None:
            said = (folder / LOG_NAME).read_text("utf-8", "replace").strip().splitlines()
            reason = said[-1].removeprefix("Error: ") if said else f"exit code {process.returncode}"
            raise CxError(f"the cxsite server did not start: {reason}")
        time.sleep(0.05)
    raise CxError(f"the cxsite server did not answer within 60 s (see {folder / LOG_NAME})")


def run_server(idle: float, command: click.Command) -> None:
    """Serve this user's commands, run by `command` (cxsite's command line), until `cxsite
    server stop`, Ctrl+C, SIGTERM or `idle` minutes without a command."""
    folder = _private_folder()
    with _only_server(folder), _listening(folder) as listener:
        for module in _WARM_MODULES:
            __import__(module)
        served = Served()
        stamp = code_stamp()
        held = [listener]  # and, during a command, its client's connection
        os.register_at_fork(after_in_child=lambda: _forked(held))
        started, builds = time.time(), 0
        # Ctrl+C forwarded by a client ends its build, also when this process was started
        # with SIGINT ignored (as a background job's children are)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        last = time.monotonic()  # of the last command run or declined (not of `status`)
        # Started by `start` (a session of its own), no terminal sends Ctrl+C: one that
        # comes while idle is a client's, forwarded as its command ended, and is ignored.
        detached = os.getsid(0) == os.getpid()
        with _sigterm_interrupts() as terminated:
            while not terminated:
                left = idle * 60 - (time.monotonic() - last)
                if left <= 0:
                    return
                listener.settimeout(left)
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    return
                except KeyboardInterrupt:
                    if detached:
                        continue
                    return
                held.append(conn)
                with conn:
                    try:
                        outcome = _serve_one(conn, command, served, stamp, (started, builds))
                    except KeyboardInterrupt:  # forwarded just after its command ended
                        continue
                    except Exception:  # a client gone or confused: said in the log
                        traceback.print_exc()
                        continue
                    finally:
                        held.remove(conn)
                if outcome == "stop":
                    return
                builds += outcome == "ran"
                if outcome != "status":
                    last = time.monotonic()


def _forked(sockets: list[socket.socket]) -> None:
    """In a process a build forks (chart workers, the page helper): close its copies of the
    server's sockets, detached first so that the child's objects never close a re-used
    number. Were the server killed (the OOM killer) while a worker held them, its client
    would wait forever for the end of the connection. (The workers end with the server:
    see forks.py.)"""
    for sock in sockets:
        with contextlib.suppress(OSError):
            os.close(sock.detach())


def _private_folder() -> Path:
    """This user's server folder, made when missing; an error when others may enter it."""
    folder = server_dir()
    with contextlib.suppress(OSError):
        os.makedirs(folder, mode=0o700, exist_ok=True)
    if not private_dir(folder):
        raise CxError(f"{folder}: not a folder only this user may enter; the server needs one")
    return Path(folder)


@contextlib.contextmanager
def _only_server(folder: Path) -> Iterator[None]:
    """Hold the lock that makes this the user's only server; its file says the process id."""
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise CxError(f"a cxsite server runs already (pid {other})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _listening(folder: Path) -> Iterator[socket.socket]:
    """The server's socket, private to this user, removed when the server ends."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with in_folder(str(folder)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(SOCKET_NAME)  # a server that ended without removing it (we hold the lock)
            listener.bind(SOCKET_NAME)
            os.chmod(SOCKET_NAME, 0o600)
            mine = os.stat(SOCKET_NAME).st_ino
        listener.listen(8)
        yield listener
    finally:
        listener.close()
        with contextlib.suppress(OSError), in_folder(str(folder)):
            if os.stat(SOCKET_NAME).st_ino == mine:
                os.unlink(SOCKET_NAME)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[list[int]]:
    """SIGTERM (`kill`, a system shutdown) ends a running build as Ctrl+C does, then the
    server: the list it yields is not empty once SIGTERM came."""
    terminated: list[int] = []

    def interrupt(signum: int, _frame: object) -> None:
        terminated.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield terminated
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve_one(
    conn: socket.socket,
    command: click.Command,
    served: Served,
    stamp: str,
    since: tuple[float, int],
) -> str:
    """Answer one client: "ran" a command, "declined" it, answered "status", or "stop"."""
    if not same_user(conn):
        raise PermissionError("a client of another user")  # said in the log
    conn.settimeout(10)  # a client that connects and says nothing does not hold the server
    message = read_message(conn)
    conn.settimeout(None)
    if not isinstance(message, dict):
        raise ValueError("not a message")
    op = message.get("op")
    if op in ("status", "stop"):
        started, builds = since
        send_message(
            conn,
            {
                "pid": os.getpid(),
                "seconds": time.time() - started,
                "builds": builds,
                "projects": [str(root) for root in served.sessions],
            },
        )
        return op
    theirs = message.get("stamp")
    if op == "run" and isinstance(theirs, str) and theirs != stamp:
        _send_exit(conn, OTHER_CODE)  # and stop, so that the next start runs the new code
        return "stop"
    argv = message.get("argv") or [""]
    if op != "run" or theirs != stamp or not isinstance(argv, list) or argv[0] not in SERVED:
        _send_exit(conn, NOT_SERVED)
        return "declined"
    if _gone(conn):  # Ctrl+C while another client's command ran: it waits no more
        return "declined"
    pid = str(os.getpid()).encode()
    conn.sendall(FRAME.pack(b"s", len(pid)) + pid)
    _send_exit(conn, run_command(conn, command, message, served))
    return "ran"


def _gone(conn: socket.socket) -> bool:
    """The client closed the connection (it sends nothing after its message)."""
    try:
        return conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False


def _ask(message: dict) -> dict | None:
    """Send `message` to this user's server and return its answer (None: no server)."""
    conn = connect(server_dir())
    if conn is None:
        return None
    with conn:
        try:
            send_message(conn, message)
            return read_message(conn)
        except (OSError, ValueError):
            return None


def _send_exit(conn: socket.socket, code: int) -> None:
    data = str(code).encode()
    conn.sendall(FRAME.pack(b"x", len(data)) + data)
