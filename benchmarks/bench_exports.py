"""Time and measure `cxsite check` on one survey export of 1.5 million answers.

    python benchmarks/bench_exports.py [--rows 1500000] [--runs 3] [--budget 3.0]
                                       [--memory 500] [--source CHECKOUT]

Writes a project whose one metric reads a Qualtrics-like CSV (one header row here) with
a date, a score, 3 segment columns (store, region, channel) and a comment on about 8 % of
the answers, with 3 themes; the file stays under the 50 MB limit (about 40 MB). Each run is
`cxsite check --strict` in a fresh process (interpreter start-up and imports included),
which reads, checks and aggregates every row; the peak memory is that process's maximum
resident set size. Prints every run, the best and median, and exits 1 when the median time
or the peak memory is over its budget.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cxsitecmd import REPO, cxsite_command

METRIC = """\
name: Store visit NPS
kind: nps
target: 50
responses:
  file: data/answers.csv
  columns: {date: RecordedDate, score: Q1, comment: Q2_TEXT}
  segments: [Store, Region, Channel]
themes:
  queues: [queue, wait, waited]
  stock: [out of stock, not in stock]
  staff: [staff, advice]
"""
COMMENTS = (
    "Waited 20 minutes at the till",
    "Great advice from the staff",
    "Jacket was out of stock",
    "Quick and easy",
    "Call me on 0161 496 0123",
    '"Long queue, only one till open"',
)


def write_project(root: Path, rows: int) -> int:
    """The project with its export; returns the export's size in bytes."""
    for folder in ("metrics", "data"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "cxsite.yaml").write_text("title: Export benchmark\n")
    (root / "metrics" / "store-nps.yaml").write_text(METRIC)
    rng = random.Random(1)
    days = [f"2026-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    stores = [f"S{i:02d}" for i in range(38)]
    regions = ["MW", "PNW", "SW"]
    channels = ["web", "app", "store"]
    path = root / "data" / "answers.csv"
    with path.open("w", newline="") as handle:
        handle.write("RecordedDate,Q1,Store,Region,Channel,Q2_TEXT\n")
        chunk = []
        for index in range(rows):
            comment = rng.choice(COMMENTS) if rng.random() < 0.08 else ""
            day = days[index * len(days) // rows]
            chunk.append(
                f"{day},{rng.randint(0, 10)},{rng.choice(stores)},{rng.choice(regions)},"
                f"{rng.choice(channels)},{comment}\n"
            )
            if len(chunk) == 10_000:
                handle.write("".join(chunk))
                chunk.clear()
        handle.write("".join(chunk))
    return path.stat().st_size


def run_check(project: Path, source: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB) of one `cxsite check --strict` in a fresh
    process. On a busy machine the CPU time (user + system) is the steadier figure."""
    command = [*cxsite_command(source), "check", str(project), "--strict"]
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: run through a shell-less
    # wrapper process per check so each measurement is its own.
    wrapper = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(use.ru_maxrss, use.ru_utime + use.ru_stime); "
        "sys.stderr.write(done.stdout + done.stderr); sys.exit(done.returncode)"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"cxsite check failed on the generated project:\n{done.stderr}")
    peak, cpu = done.stdout.split()
    return elapsed, float(cpu), int(peak) / 1024


def main() -> int:
    """Generate, time, report."""
    parser = argparse.ArgumentParser(description="Time cxsite check on a 1.5M-row export.")
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--budget", type=float, default=3.0, help="seconds allowed (median)")
    parser.add_argument("--memory", type=float, default=500.0, help="peak MB allowed")
    parser.add_argument("--source", type=Path, default=REPO, help="the checkout to run")
    args = parser.parse_args()
    assert resource.RUSAGE_CHILDREN  # Unix only
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        size = write_project(project, args.rows)
        print(f"export: {args.rows:,} rows, {size / 1024 / 1024:.1f} MB, 3 segments, comments")
        times, cpus, peaks = [], [], []
        for run in range(1, args.runs + 1):
            elapsed, cpu, peak = run_check(project, args.source)
            times.append(elapsed)
            cpus.append(cpu)
            peaks.append(peak)
            print(f"run {run}: {elapsed:.2f} s wall, {cpu:.2f} s CPU, peak {peak:.0f} MB")
    median = statistics.median(times)
    print(f"cxsite check --strict: wall best {min(times):.2f} s, median {median:.2f} s; "
          f"CPU best {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s; "
          f"peak {max(peaks):.0f} MB; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    over = median > args.budget or max(peaks) > args.memory
    if over:
        print(f"over the budget ({args.budget:.1f} s, {args.memory:.0f} MB)")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
