"""Time `cxsite check --strict` on a generated ~1,500-file project.

    python benchmarks/bench_check.py [--n 200] [--runs 3] [--budget 3.0]

Generates the project with generate.py into a temporary folder, runs the real command
line in a subprocess (interpreter start-up and imports included), prints every run and
the best and median wall times, and exits 1 when the median is over the budget.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate


def time_check(project: Path) -> float:
    """Wall time of one `cxsite check --strict PROJECT`; fails if the check fails."""
    command = [sys.executable, "-c", "from cxsite.cli import main; main()", "check"]
    started = time.perf_counter()
    done = subprocess.run([*command, str(project), "--strict"], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"cxsite check failed on the generated project:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> int:
    """Generate, time, report."""
    parser = argparse.ArgumentParser(description="Time cxsite check on a large project.")
    parser.add_argument("--n", type=int, default=200, help="scale factor (200: 1,501 files)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--budget", type=float, default=3.0, help="seconds allowed (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        files = generate(args.n, project)
        csvs = len(list((project / "data").glob("*.csv")))
        print(f"project: N={args.n}, {files} YAML files, {csvs} responses CSVs of 2,000 rows")
        times = []
        for run in range(1, args.runs + 1):
            times.append(time_check(project))
            print(f"run {run}: {times[-1]:.2f} s")
    median = statistics.median(times)
    print(f"cxsite check --strict: best {min(times):.2f} s, median {median:.2f} s")
    if median > args.budget:
        print(f"over the {args.budget:.1f} s budget")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
