"""`cxsite server`: builds run in a process that stays, with the same output, lines and exit
codes as a local build, the client's environment, and Ctrl+C still ending a build."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile.hostilekit import CXSITE, children, generated_project, gone, snapshot

from cxsite.serverlink import NOT_SERVED, OTHER_CODE, SOCKET_NAME, code_stamp, in_folder

EPOCH = "1767225600"  # 2026-01-01


def run(env: dict[str, str], *args: str, **kwargs: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CXSITE, *args], env=env, capture_output=True, text=True, timeout=120, **kwargs
    )


def commands_run(env: dict[str, str]) -> int:
    """How many commands the server has run (from `cxsite server status`)."""
    status = run(env, "server", "status")
    assert status.returncode == 0, status.stdout
    return int(status.stdout.split(" min, ")[1].split()[0])


@pytest.fixture
def server() -> Iterator[dict[str, str]]:
    """A build server of its own (its folder under an XDG_RUNTIME_DIR of its own, directly
    under the temporary folder, as /run/user/UID is under /run); the environment under which
    `cxsite build` uses it."""
    runtime = Path(tempfile.mkdtemp(prefix="cxsite-run-"))
    env = {k: v for k, v in os.environ.items() if k != "CXSITE_NO_SERVER"}
    env.update(XDG_RUNTIME_DIR=str(runtime), SOURCE_DATE_EPOCH=EPOCH)
    started = run(env, "server", "start", "--idle", "5")
    assert started.returncode == 0, started.stderr
    assert re.fullmatch(
        r"cxsite server started \(pid \d+\): 'cxsite build' and 'cxsite check' run in it; "
        r"'cxsite server stop' ends it\n",
        started.stderr,
    )
    yield env
    run(env, "server", "stop")
    shutil.rmtree(runtime, ignore_errors=True)


def local(env: dict[str, str]) -> dict[str, str]:
    return {**env, "CXSITE_NO_SERVER": "1"}


def without_time(text: str) -> str:
    """The output without the summary's wall time (` in 0.4 s`)."""
    return "\n".join(line.rsplit(" in ", 1)[0] for line in text.splitlines())


def test_a_build_in_the_server_is_the_build_a_local_command_makes(
    server: dict[str, str], make_project, tmp_path: Path
) -> None:
    root = make_project()
    twin = shutil.copytree(root, tmp_path / "twin")
    served = run(server, "build", str(root), "-o", "site", "--no-pdf", cwd=tmp_path)
    alone = run(local(server), "build", str(twin), "-o", "site2", "--no-pdf", cwd=tmp_path)
    assert (served.returncode, alone.returncode) == (0, 0), served.stderr + alone.stderr
    assert commands_run(server) == 1
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "site2")
    assert served.stdout == alone.stdout
    assert without_time(served.stderr) == without_time(alone.stderr).replace("site2", "site")
    assert served.stderr.splitlines()[-1].startswith("Built ")
    status = run(server, "server", "status")
    assert status.stdout.splitlines()[1] == f"  keeps {root.resolve()}"


def test_an_edit_is_rebuilt_and_bad_input_is_the_same_lines_and_exit_code(
    server: dict[str, str], make_project, tmp_path: Path
) -> None:
    root = make_project()
    out = tmp_path / "site"
    assert run(server, "build", str(root), "-o", str(out), "--no-pdf", "-q").returncode == 0
    touchpoint = root / "touchpoints" / "web-shop.yaml"
    text = touchpoint.read_text()
    touchpoint.write_text(text.replace("name: Web shop", "name: Web shop edited in the server"))
    assert run(server, "build", str(root), "-o", str(out), "--no-pdf", "-q").returncode == 0
    page = (out / "touchpoints" / f"{touchpoint.stem}.html").read_text()
    assert "Web shop edited in the server" in page
    before = snapshot(out)
    touchpoint.write_text(text + "\nchannel: [unclosed\n")
    served = run(server, "build", str(root), "-o", str(out), "--no-pdf", "-q")
    alone = run(local(server), "build", str(root), "-o", str(out), "--no-pdf", "-q")
    assert served.returncode == alone.returncode == 1
    assert served.stdout == alone.stdout
    assert served.stdout == (
        "touchpoints/web-shop.yaml:10:1: error E105: YAML syntax error: "
        "a '[' list is not closed with ']' (opened on line 9)\n"
    )
    assert served.stderr == alone.stderr
    assert snapshot(out) == before
    assert commands_run(server) == 3


def test_the_build_has_the_clients_folder_environment_and_umask(
    server: dict[str, str], make_project
) -> None:
    root = make_project()
    bad = run({**server, "SOURCE_DATE_EPOCH": "garbage"}, "build", "--no-pdf", "-q", cwd=root)
    assert bad.returncode == 1
    assert "SOURCE_DATE_EPOCH" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stderr
    done = run(
        server,
        "build",
        "--no-pdf",
        "-q",
        cwd=root,  # PROJECT found from the client's folder, the output its `_site`
        preexec_fn=lambda: os.umask(0o027),
    )
    assert done.returncode == 0, done.stderr
    assert commands_run(server) == 2
    assert (root / "_site" / "index.html").stat().st_mode & 0o777 == 0o640


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project whose build takes a few seconds (30 personas)."""
    return generated_project(tmp_path_factory.mktemp("server") / "project")


def start_building(
    env: dict[str, str], big_project: Path, tmp_path: Path
) -> tuple[Path, Path, dict[str, bytes], subprocess.Popen]:
    """A copy of the big project building into an output that holds a previous site, once
    its charts are being drawn: the project, the output, its files, the running client."""
    root = shutil.copytree(big_project, tmp_path / "project")
    out = tmp_path / "site"
    out.mkdir()
    (out / ".cxsite-output").write_text("")
    (out / "index.html").write_text("previous site")
    before = snapshot(out)
    proc = subprocess.Popen(
        [CXSITE, "build", str(root), "-o", str(out), "--no-pdf"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (root / ".cxsite-cache" / "charts").is_dir() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    assert proc.poll() is None, "the build ended too soon"
    return root, out, before, proc


def builds_again(env: dict[str, str], root: Path, out: Path) -> None:
    again = run(env, "build", str(root), "-o", str(out), "--no-pdf", "-q")
    assert again.returncode == 0, again.stdout + again.stderr
    assert (out / "index.html").read_text() != "previous site"


@pytest.mark.slow
def test_ctrl_c_ends_the_servers_build_and_not_the_server(
    server: dict[str, str], big_project: Path, tmp_path: Path
) -> None:
    root, out, before, proc = start_building(server, big_project, tmp_path)
    proc.send_signal(signal.SIGINT)
    _stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert stderr.strip().splitlines()[-1] == "Aborted!"
    assert "Traceback" not in stderr
    assert snapshot(out) == before
    assert commands_run(server) == 1  # still there, and serves the next build
    builds_again(server, root, out)


@pytest.mark.slow
def test_a_server_killed_during_a_build_is_one_line_and_the_output_as_it_was(
    server: dict[str, str], big_project: Path, tmp_path: Path
) -> None:
    pid = int(run(server, "server", "status").stdout.split("(pid ")[1].split(")")[0])
    root, out, before, proc = start_building(server, big_project, tmp_path)
    workers = children(pid)
    assert workers, "the build forked no worker to draw its charts"
    os.kill(pid, signal.SIGKILL)  # the OOM killer
    _stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert stderr.splitlines()[-1] == "Error: the build server stopped during the command"
    assert snapshot(out) == before
    assert gone(workers), "workers outlived the server"
    builds_again(server, root, out)  # without a server now


@pytest.mark.slow
def test_ctrl_c_while_another_build_runs_ends_only_the_waiting_client(
    server: dict[str, str], big_project: Path, tmp_path: Path, make_project
) -> None:
    _root, out, _before, first = start_building(server, big_project, tmp_path)
    small = make_project()
    second = subprocess.Popen(
        [CXSITE, "build", str(small), "-o", str(tmp_path / "small"), "--no-pdf", "-q"],
        env=server,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)
    assert first.poll() is None and second.poll() is None, "the builds ended too soon"
    second.send_signal(signal.SIGINT)
    assert second.communicate(timeout=30) == ("", "Aborted!\n")
    assert second.returncode == 1
    _stdout, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert (out / "index.html").read_text() != "previous site"
    assert not (tmp_path / "small").exists()
    assert commands_run(server) == 1


def _ask(env: dict[str, str], message: dict) -> bytes:
    """Send `message` to the test's server as a client would; the raw answer."""
    folder = Path(env["XDG_RUNTIME_DIR"]) / "cxsite"
    with socket.socket(socket.AF_UNIX) as conn, in_folder(str(folder)):
        conn.connect(SOCKET_NAME)
        data = json.dumps(message).encode()
        conn.sendall(struct.pack("!I", len(data)) + data)
        conn.shutdown(socket.SHUT_WR)
        return b"".join(iter(lambda: conn.recv(65536), b""))


def test_a_client_with_other_code_is_declined_and_the_server_stops(
    server: dict[str, str],
) -> None:
    answer = _ask(server, {"op": "run", "argv": ["build"], "stamp": "other code"})
    assert answer == b"x" + struct.pack("!I", 5) + str(OTHER_CODE).encode()
    for _ in range(100):
        if run(server, "server", "status").returncode == 1:
            break
        time.sleep(0.05)
    status = run(server, "server", "status")
    assert (status.returncode, status.stdout) == (1, "no cxsite server runs\n")
    assert not (Path(server["XDG_RUNTIME_DIR"]) / "cxsite" / SOCKET_NAME).exists()


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"\x00\x00",
        struct.pack("!I", 2**31) + b"x",
        struct.pack("!I", 5) + b"nope!",
        struct.pack("!I", 2) + b"[]",
        struct.pack("!I", 40) + b'{"op": "run", "argv": 5, "stamp": null} ',
    ],
)
def test_garbage_from_a_client_does_not_stop_the_server(
    server: dict[str, str], garbage: bytes, make_project
) -> None:
    folder = Path(server["XDG_RUNTIME_DIR"]) / "cxsite"
    with socket.socket(socket.AF_UNIX) as conn, in_folder(str(folder)):
        conn.connect(SOCKET_NAME)
        conn.sendall(garbage)
        conn.shutdown(socket.SHUT_WR)
        with contextlib.suppress(ConnectionResetError):  # closed with bytes unread
            b"".join(iter(lambda: conn.recv(65536), b""))
    root = make_project()
    assert run(server, "build", str(root), "--no-pdf", "-q").returncode == 0
    assert commands_run(server) == 1


def test_a_build_by_other_code_says_so_and_runs_without_the_server(
    server: dict[str, str], make_project, tmp_path: Path
) -> None:
    """`cxsite build` of another checkout (or an upgraded cxsite): the server stops and says
    so in one line; the build runs in the client, as if there were no server."""
    shutil.copytree(
        Path(__file__).resolve().parents[1] / "cxsite",
        tmp_path / "cxsite",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (tmp_path / "themes").symlink_to(Path(__file__).resolve().parents[1] / "themes")
    root = make_project()
    other = subprocess.run(
        [sys.executable, "-c", "from cxsite.client import main; main()", "build", str(root)],
        cwd=tmp_path,  # `-c` imports the copy in the current folder first
        env=server,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 0, other.stderr
    assert other.stderr.splitlines()[0] == (
        "cxsite server: it ran other code than this cxsite and has stopped; "
        "'cxsite server start' starts it again"
    )
    assert other.stderr.splitlines()[-1].startswith("Built ")
    assert (root / "_site" / "index.html").is_file()
    status = run(server, "server", "status")
    assert (status.returncode, status.stdout) == (1, "no cxsite server runs\n")


def test_other_commands_run_locally(server: dict[str, str], make_project) -> None:
    answer = _ask(server, {"op": "run", "argv": ["init", "x"], "stamp": code_stamp()})
    assert answer == b"x" + struct.pack("!I", 5) + str(NOT_SERVED).encode()
    root = make_project()
    labels = run(server, "labels", str(root))
    assert labels.returncode == 0
    assert commands_run(server) == 0


def test_check_in_the_server_says_what_a_local_check_says(
    server: dict[str, str], make_project
) -> None:
    root = make_project()
    touchpoint = root / "touchpoints" / "web-shop.yaml"
    text = touchpoint.read_text()
    for broken in (text, text.replace("channel: web", "channel: carrier-pigeon")):
        touchpoint.write_text(broken)
        for fmt in ("text", "json"):
            served = run(server, "check", "--format", fmt, cwd=root)
            alone = run(local(server), "check", "--format", fmt, cwd=root)
            assert (served.returncode, served.stdout, served.stderr) == (
                alone.returncode,
                alone.stdout,
                alone.stderr,
            )
    assert served.returncode == 1
    assert '"path": "touchpoints/web-shop.yaml"' in alone.stdout
    assert commands_run(server) == 4


def test_the_code_stamp_changes_with_a_module(tmp_path: Path) -> None:
    """A server started by other code declines: the stamp follows every module's time."""
    copy = tmp_path / "cxsite"
    shutil.copytree(Path(__file__).resolve().parents[1] / "cxsite", copy)
    probe = [sys.executable, "-c", "from cxsite.serverlink import code_stamp; print(code_stamp())"]
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    def stamp() -> str:
        done = subprocess.run(probe, env=env, cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    first = stamp()
    assert stamp() == first
    module = copy / "analysis" / "scores.py"
    os.utime(module, ns=(module.stat().st_atime_ns, module.stat().st_mtime_ns + 10**9))
    assert stamp() != first


def test_start_stop_status_and_one_server_per_user(server: dict[str, str]) -> None:
    pid = int(run(server, "server", "status").stdout.split("(pid ")[1].split(")")[0])
    again = run(server, "server", "start")
    assert again.returncode == 1
    assert again.stderr == (
        f"Error: a cxsite server runs already (pid {pid}): 'cxsite server stop'\n"
    )
    stopped = run(server, "server", "stop")
    assert (stopped.returncode, stopped.stderr) == (0, f"stopped cxsite server (pid {pid})\n")
    status = run(server, "server", "status")
    assert (status.returncode, status.stdout) == (1, "no cxsite server runs\n")
    assert run(server, "server", "stop").stderr == "no cxsite server runs\n"


def test_a_folder_others_may_enter_is_never_used(server: dict[str, str], make_project) -> None:
    folder = Path(server["XDG_RUNTIME_DIR"]) / "cxsite"
    folder.chmod(0o755)
    root = make_project()
    assert run(server, "build", str(root), "--no-pdf", "-q").returncode == 0  # locally
    status = run(server, "server", "status")
    assert (status.returncode, status.stdout) == (1, "no cxsite server runs\n")
    stop = run(server, "server", "stop")
    assert stop.stderr == "no cxsite server runs\n"
    folder.chmod(0o700)
    assert commands_run(server) == 0
    run(server, "server", "stop")
    folder.chmod(0o755)
    refused = run(server, "server", "start")
    assert refused.returncode == 1
    assert refused.stderr == (
        f"Error: {folder}: not a folder only this user may enter; the server needs one\n"
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to connect as another user")
def test_a_client_of_another_user_gets_nothing(server: dict[str, str]) -> None:
    """Even through a folder and socket opened to others by mistake, the server answers no
    other user (the peer's user, from the kernel) and goes on serving its own."""
    folder = Path(server["XDG_RUNTIME_DIR"]) / "cxsite"
    for path, mode in ((folder.parent, 0o711), (folder, 0o711), (folder / SOCKET_NAME, 0o666)):
        path.chmod(mode)
    probe = f"""
import contextlib, json, os, socket, struct
os.setuid(65534)
os.chdir({str(folder)!r})
conn = socket.socket(socket.AF_UNIX)
conn.connect({SOCKET_NAME!r})
message = json.dumps({{"op": "status"}}).encode()
with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # closed at once
    conn.sendall(struct.pack("!I", len(message)) + message)
with contextlib.suppress(ConnectionResetError):
    print(repr(conn.recv(100)))
"""
    other = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert other.returncode == 0, other.stderr
    assert other.stdout in ("", "b''\n")  # connected, then closed without a byte
    folder.chmod(0o700)
    assert commands_run(server) == 0
    assert "PermissionError: a client of another user" in (folder / "server.log").read_text()


def test_a_late_ctrl_c_is_ignored_and_sigterm_stops_the_server(server: dict[str, str]) -> None:
    """A client's Ctrl+C forwarded just as its build ended reaches an idle server: it keeps
    serving. SIGTERM (`kill`, a shutdown) stops it and removes its socket."""
    status = run(server, "server", "status").stdout
    pid = int(status.split("(pid ")[1].split(")")[0])
    os.kill(pid, signal.SIGINT)
    time.sleep(0.3)
    assert commands_run(server) == 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while run(server, "server", "status").returncode == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert run(server, "server", "status").returncode == 1
    assert not (Path(server["XDG_RUNTIME_DIR"]) / "cxsite" / SOCKET_NAME).exists()


def test_an_idle_server_stops(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k != "CXSITE_NO_SERVER"}
    env["XDG_RUNTIME_DIR"] = str(runtime)
    assert run(env, "server", "start", "--idle", "0.02").returncode == 0  # 1.2 s
    deadline = time.monotonic() + 30
    while run(env, "server", "status").returncode == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert run(env, "server", "status").returncode == 1
    assert not (runtime / "cxsite" / SOCKET_NAME).exists()
