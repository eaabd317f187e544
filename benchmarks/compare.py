"""Two checkouts of cxsite timed in alternation on one generated project, so that a noisy
machine slows both alike: cold build, no-op rebuild, one touchpoint edited, `check`.

    python benchmarks/compare.py BASE_CHECKOUT [--head CHECKOUT] [--n 200] [--rounds 3]

Each round runs every step with the base, then with the head (each on its own copy of the
project, `--no-pdf`); the table gives the median of each and head/base. Used to show that
a refactor is no slower (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cxsitecmd import cxsite_command  # noqa: E402
from generate import generate  # noqa: E402

STEPS = ("cold", "no-op", "one edit", "check")


def _run(source: Path, args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([*cxsite_command(source), *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stdout}{done.stderr}")
    return elapsed


def _round(source: Path, project: Path, edit: int) -> dict[str, float]:
    """One cold build, a no-op rebuild, a rebuild after one edit, and a check."""
    out = project.parent / f"{project.name}-site"
    shutil.rmtree(project / ".cxsite-cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    build = ["build", str(project), "-o", str(out), "--no-pdf", "--quiet"]
    times = {"cold": _run(source, build), "no-op": _run(source, build)}
    touchpoint = project / "touchpoints" / "touchpoint-0.yaml"
    text = touchpoint.read_text(encoding="utf-8")
    touchpoint.write_text(text.replace("name: ", f"name: Edit {edit} ", 1), encoding="utf-8")
    times["one edit"] = _run(source, build)
    times["check"] = _run(source, ["check", str(project)])
    return times


def main() -> int:
    """Alternate base and head, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("--head", type=Path, default=HERE.parent)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sources = {"base": args.base.resolve(), "head": args.head.resolve()}
    results: dict[str, dict[str, list[float]]] = {k: {s: [] for s in STEPS} for k in sources}
    with tempfile.TemporaryDirectory() as tmp:
        for name in sources:
            generate(args.n, Path(tmp) / name)
        for edit in range(args.rounds):
            for name, source in sources.items():
                for step, seconds in _round(source, Path(tmp) / name, edit).items():
                    results[name][step].append(seconds)
    print(f"N={args.n}, {args.rounds} rounds, medians (s)\n")
    print("| step | base | head | head/base |\n|---|---|---|---|")
    for step in STEPS:
        base = statistics.median(results["base"][step])
        head = statistics.median(results["head"][step])
        print(f"| {step} | {base:.2f} | {head:.2f} | {head / base:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
