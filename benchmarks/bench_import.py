"""`cxsite import` of a 100,000-row sheet: the rows stream, and the whole run stays under 2 s.

Each case is a fresh `cxsite import` process (start-up included), median of 3 runs, as
wall-clock time and as the CPU time of the process (the machine may be shared):
- `values`: a `period,value` CSV of 10,000 rows into one metric (every row read, checked,
  written as one YAML file and read back; a series of 100,000 values is over what one
  YAML file of a project may hold, and is refused with a line saying to pre-aggregate);
- `touchpoints, bad last row`: 100,000 touchpoint rows whose last channel is unknown, so
  every row is read and checked and nothing is written (the all-or-nothing path);
- `touchpoints, 20+ bad rows`: 100,000 rows all with an unknown channel (20 problems shown,
  the rest counted in one E429 line).

    python benchmarks/bench_import.py [--rows N] [--source CHECKOUT]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from cxsitecmd import REPO, cxsite_command


def _project(root: Path) -> Path:
    (root / "metrics").mkdir(parents=True)
    (root / "cxsite.yaml").write_text("title: Bench\n", encoding="utf-8")
    (root / "metrics/daily.yaml").write_text(
        "name: Daily orders\nkind: custom\ncategory: operational\nhigher_is_better: true\n",
        encoding="utf-8",
    )
    return root


def _values_sheet(path: Path, rows: int) -> None:
    start = dt.date(1800, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("period,value\n")
        for i in range(rows):
            out.write(f"{start + dt.timedelta(days=i)},{i % 97 + 0.5}\n")


def _touchpoints_sheet(path: Path, rows: int, bad_every: int | None) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("id,name,channel,phase,owner,expectations\n")
        for i in range(rows):
            bad = bad_every is not None and (i % bad_every == 0 or i == rows - 1)
            channel = "webb" if (bad_every == 1 or (bad_every is None and i == rows - 1)) else "web"
            channel = "webb" if bad else channel
            out.write(f"tp-{i},Touchpoint {i},{channel},during,Team {i % 7},Fast;Clear\n")


def _time(args: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one run, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> None:
    """Print the median time of each case."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--value-rows", type=int, default=10_000)
    parser.add_argument("--source", type=Path, default=REPO)
    options = parser.parse_args()
    cxsite = cxsite_command(options.source)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        _values_sheet(base / "values.csv", options.value_rows)
        _touchpoints_sheet(base / "last-bad.csv", options.rows, None)
        _touchpoints_sheet(base / "all-bad.csv", options.rows, 1)
        cases = {
            "values": ["import", "values", "values.csv", "--metric", "daily", "--force"],
            "touchpoints, bad last row": ["import", "touchpoints", "last-bad.csv"],
            "touchpoints, 20+ bad rows": ["import", "touchpoints", "all-bad.csv"],
        }
        print(
            f"cxsite import: touchpoints {options.rows:,} rows, values {options.value_rows:,} "
            "rows (median of 3 runs, start-up included)"
        )
        for name, args in cases.items():
            walls, cpus, codes = [], [], set()
            for run in range(3):
                root = _project(base / f"p-{sorted(cases).index(name)}-{run}")
                wall, cpu, code = _time([*cxsite, *args, str(root)], base)
                walls.append(wall)
                cpus.append(cpu)
                codes.add(code)
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            print(f"  {name:28} wall {wall:6.2f} s   cpu {cpu:6.2f} s   exit {sorted(codes)}")


if __name__ == "__main__":
    main()
