"""How fast `cxsite serve` reacts to a one-file edit, with or without the PDF briefs.

    python benchmarks/bench_serve.py [--n 200] [--pdf] [--edits 3] [--keep]

Generates a project (benchmarks/generate.py N) with five briefs (executive, two persona
briefs, two journey briefs), starts `cxsite serve` on it in a subprocess, waits until the
first build and (with --pdf) the first briefs are done, then edits one touchpoint's
description --edits times. For each edit it reports the seconds from the write to the new
build id on `/__cxsite/status`, asked as an open page asks it (`?since=<version>`, answered
when the build is in place: what makes open pages reload) and, with --pdf and a server
that reports it, to the new briefs being in place. Between edits it waits for the briefs
and one more second, so every edit starts from an idle server. Prints the medians.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cxsitecmd import cxsite_command, serve_status  # noqa: E402
from generate import generate  # noqa: E402

# the checkout whose cxsite runs: CXSITE_SOURCE, else this one
CXSITE = cxsite_command(Path(os.environ.get("CXSITE_SOURCE", str(HERE.parent))))
BRIEFS = (
    "briefs:\n"
    "  - {id: executive, kind: executive}\n"
    "  - {id: persona-a, kind: persona, persona: persona-0}\n"
    "  - {id: persona-b, kind: persona, persona: persona-1}\n"
    "  - {id: journey-a, kind: journey, journey: journey-0}\n"
    "  - {id: journey-b, kind: journey, journey: journey-1}\n"
)


def status(url: str) -> dict:
    """The server's live-reload status (waiting for the first build to finish)."""
    return serve_status(url, time.time() + 600)


def until_new_build(url: str, before: dict) -> float:
    """Seconds until the status shows a build after `before`, asked as an open page asks:
    `?since=<version>`, answered when the status changes (polling every 20 ms when the
    server does not know `since`, as before 28 November 2026)."""
    started = time.perf_counter()
    version = before.get("version")
    while True:
        if version is None:
            now = status(url)
        else:
            now = serve_status(f"{url}?since={version}", time.time() + 600, timeout=60)
        if now["build"] != before["build"]:
            return time.perf_counter() - started
        if time.perf_counter() - started > 600:
            raise SystemExit("timed out after 600 s")
        version = now.get("version")
        if version is None:
            time.sleep(0.02)


def wait_for(predicate, timeout: float) -> float:  # type: ignore[no-untyped-def]
    """Poll every 20 ms until `predicate()` holds; the seconds it took."""
    started = time.perf_counter()
    while not predicate():
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"timed out after {timeout} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def edit(path: Path, i: int) -> None:
    """A new description for one touchpoint."""
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^description: .*$", f"description: Served edit {i}.", text, count=1, flags=re.M),
        encoding="utf-8",
    )


def main() -> int:
    """Start the server, edit, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--pdf", action="store_true", help="serve with the PDF briefs")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="re-use an existing project")
    args = parser.parse_args()
    project = HERE / "out" / f"serve-n{args.n}"
    if not (args.keep and project.is_dir()):
        shutil.rmtree(project, ignore_errors=True)
        generate(args.n, project)
        config = project / "cxsite.yaml"
        config.write_text(config.read_text(encoding="utf-8") + BRIEFS, encoding="utf-8")
    command = [*CXSITE, "serve", str(project), "--port", "0"]
    if not args.pdf:
        command.append("--no-pdf")
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "Serving" not in line:
            line = proc.stderr.readline()  # type: ignore[union-attr]
            if not line and proc.poll() is not None:
                raise SystemExit("cxsite serve ended before serving")
        found = re.search(r"http://\S+/", line)
        assert found is not None
        url = found.group(0) + "__cxsite/status"
        reports_briefs = "briefs" in status(url)
        if args.pdf and reports_briefs:
            wait_for(lambda: status(url)["briefs"] >= 1, 600)
        reloads, briefs = [], []
        for i in range(args.edits):
            before = status(url)
            time.sleep(1.0)
            started = time.perf_counter()
            edit(project / "touchpoints/touchpoint-18.yaml", i)
            reloads.append(until_new_build(url, before))
            if args.pdf and reports_briefs:
                wait_for(lambda b=before: status(url)["briefs"] != b["briefs"], 600)
                briefs.append(time.perf_counter() - started)
            print(f"edit {i}: reload {reloads[-1]:.2f} s"
                  + (f", briefs {briefs[-1]:.2f} s" if briefs else ""), flush=True)  # fmt: skip
        print(
            f"N={args.n} pdf={args.pdf}: edit to reload, median {statistics.median(reloads):.2f} s"
        )
        if briefs:
            print(
                f"N={args.n}: edit to new PDFs in place, median {statistics.median(briefs):.2f} s"
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
