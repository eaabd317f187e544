"""Helpers of the hostile suite: running the CLI, the example project, snapshots, a recorder."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result
from projectfiles import write_files

from cxsite.cli import cli
from cxsite.resources import example_dir

CXSITE = str(Path(sys.executable).parent / "cxsite")
EPOCH = "1790000000"  # 2026-09-21: builds are reproducible with a fixed date
# A SPEC problem line: `path:line:col: error E201: message`.
PROBLEM_LINE = r"^[^:]+:\d+:\d+: (error|warning) [EW]\d{3}: .+$"
# The lint of a project of one persona `maya` and nothing else (SPEC 8.14: lint runs beside
# the errors, and such a project is incomplete).
LONE_PERSONA_LINT = [
    "personas/maya.yaml:1:1: warning W503: persona 'maya' is in no journey; add it to the "
    "'personas' of a journey that it takes, or remove the file",
    "personas/maya.yaml:1:1: warning W507: persona has no evidence; list the interviews, "
    "surveys or data it rests on under 'evidence'",
]


def invoke(*args: str) -> Result:
    """Run the CLI in-process; an unexpected exception propagates (it would be a traceback)."""
    return CliRunner().invoke(
        cli, list(args), catch_exceptions=False, env={"SOURCE_DATE_EPOCH": EPOCH}
    )


def run(args: Sequence[str], timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    """Run the installed `cxsite` script in a fresh process, as a user would."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "MPLBACKEND": "Agg"}
    return subprocess.run(
        [CXSITE, *args], capture_output=True, text=True, timeout=timeout, env=env, **kwargs
    )


def generated_project(dest: Path, personas: int = 30) -> Path:
    """A project from the benchmark's generator (30 personas: a build of a few seconds)."""
    generate = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    subprocess.run(
        [sys.executable, str(generate), str(personas), str(dest)], check=True, capture_output=True
    )
    return dest


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def gone(pids: list[int], seconds: float = 10) -> bool:
    """Whether every process of `pids` has ended (waiting up to `seconds`)."""
    deadline = time.monotonic() + seconds
    while any(Path(f"/proc/{p}").exists() for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def copy_example(dest: Path) -> Path:
    """A private copy of the example project (without caches or output)."""
    shutil.copytree(example_dir(), dest, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), symlinks included as files."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    """Temporary folders a build may have left beside its output."""
    return sorted(p.name for p in parent.iterdir() if ".cxsite-" in p.name)


@dataclass
class Recorder:
    """A local HTTP server; `requests` lists every path anyone asked it for."""

    base: str
    requests: list[str]


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def _answer(self) -> None:
        type(self).requests.append(f"{self.command} {self.path}")
        body = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args: object) -> None:
        pass


# A small valid project (one persona, journey, touchpoint and metric; the default executive
# brief), big enough to draw charts, render pages and a PDF.
SMALL_PROJECT: dict[str, str] = {
    "cxsite.yaml": "title: Fault CX\norganization: Acme\n",
    "personas/maya.yaml": (
        "name: Maya Chen\nrole: Busy urban runner\n"
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    ),
    "touchpoints/web-shop.yaml": (
        "name: Web shop\nchannel: web\nphase: during\npillar: digital\n"
        "ratings:\n  maya: {importance: 4, satisfaction: 3}\nmetrics: [nps]\n"
    ),
    "journeys/buy.yaml": (
        "title: Buy running shoes\npersonas: [maya]\nstages:\n"
        "  - name: Browse\n    emotion: -1\n    touchpoints: [web-shop]\n"
        "  - name: Purchase\n    emotion: 1\n    touchpoints: [web-shop]\n    metrics: [nps]\n"
    ),
    "metrics/nps.yaml": (
        "name: Net Promoter Score\nkind: nps\ntarget: 40\n"
        "values:\n  - {period: 2026-Q1, value: 31}\n  - {period: 2026-Q2, value: 35}\n"
    ),
}


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) into a new project folder `root`."""
    return write_files(root, files)
