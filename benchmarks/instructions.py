"""Instructions a one-touchpoint edit and a no-op rebuild execute, per checkout: a measure
that does not move with the machine's moment, where wall time here moves by 20-40 %.

    python benchmarks/instructions.py [--n 200] [--source CHECKOUT ...]

For each checkout (default: this one), a generated project (generate.py N) is built once
with a cache, then rebuilt under Valgrind's callgrind (Debian package `valgrind`) after
one touchpoint's description is edited, and once more with nothing changed. Prints the
instructions each rebuild executed (in the build process; callgrind runs about 50 times
slower, so a one-file edit at N=200 takes a minute or two). Only single-process work is
measured well: a cold build, whose charts are drawn in worker processes, is not.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cxsitecmd import cxsite_command  # noqa: E402
from generate import generate  # noqa: E402

EPOCH = "1793750400"  # 2026-11-04, UTC: the same "as of" date for every build
ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def collected(command: list[str]) -> int:
    """The instructions `command` executed under callgrind (its own process only)."""
    found = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
        env=ENV,
        check=True,
    )
    match = re.search(r"Collected : (\d+)", found.stderr)
    if match is None:
        raise SystemExit(f"no instruction count from callgrind:\n{found.stderr[-2000:]}")
    return int(match.group(1))


def measure(source: Path, n: int, work: Path) -> dict[str, int]:
    """The edit's and the no-op's instructions for the checkout `source`."""
    project, out = work / "project", work / "site"
    generate(n, project)
    time.sleep(2.5)  # files older than two seconds, as a user's are: their digests are kept
    build = [*cxsite_command(source), "build", str(project), "-o", str(out), "--no-pdf", "-q"]
    subprocess.run(build, check=True, env=ENV)
    touchpoint = project / "touchpoints" / "touchpoint-17.yaml"
    text = touchpoint.read_text(encoding="utf-8")
    edited = re.sub(r"^description: .*$", "description: Edited.", text, count=1, flags=re.M)
    touchpoint.write_text(edited, encoding="utf-8")
    return {"edit": collected(build), "noop": collected(build)}


def main() -> int:
    """Measure every checkout, print one line each."""
    parser = argparse.ArgumentParser(description="Instructions of a rebuild, per checkout.")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--source", action="append", type=Path, help="a checkout (repeatable)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found (Debian package `valgrind`)")
    for source in args.source or [HERE.parent]:
        with tempfile.TemporaryDirectory() as work:
            counts = measure(source.resolve(), args.n, Path(work))
        print(
            f"{source}: one touchpoint edited {counts['edit'] / 1e9:.2f} G instructions, "
            f"no-op {counts['noop'] / 1e9:.2f} G",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
