"""Benchmark chart rendering on a generated project: cold, warm cache, -j 1 vs -j 2.

    .venv/bin/python benchmarks/bench_charts.py [N] [--repeat R] [--profile]

Generates a project at scale N (default 200: 200 journeys, 100 metrics, 1,000 touchpoints;
see benchmarks/generate.py) into a temporary folder, plans its charts, and prints:
the median and 90th percentile cost of one chart drawn cold in one process (the goal is a
median <= 40 ms), charts/second cold with -j 1 and -j 2 (goal: -j 2 >= 1.7x faster), and a
warm-cache run (goal: nothing drawn). --profile prints where the time of a cold chart goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", nargs="?", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="profile drawing every chart")
    parser.add_argument(
        "--repeat", type=int, default=1, help="time -j 1 and -j 2 this many times, keep the best"
    )
    args = parser.parse_args(argv)

    import generate  # benchmarks/generate.py

    from cxsite.analysis.analyse import analyse
    from cxsite.charts.jobs import job_digest
    from cxsite.charts.keys import plan_charts, render_charts
    from cxsite.validate.project import load_project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        generate.generate(args.scale, root)
        checked = load_project(root)
        assert checked.project is not None, [str(p) for p in checked.problems[:5]]
        analysis = analyse(checked.project, checked.metric_data)
        jobs = plan_charts(checked.project, analysis)
        kinds: dict[str, int] = defaultdict(int)
        for job in jobs.values():
            kinds[job.kind] += 1
        print(f"scale {args.scale}: {len(jobs)} charts ({dict(sorted(kinds.items()))})")

        # one process, cold: cost of each chart (matplotlib imported and configured first)
        from cxsite.charts.draw import configure, draw

        configure()
        costs: dict[str, list[float]] = defaultdict(list)
        everything: list[float] = []
        profiler = cProfile.Profile() if args.profile else None
        for job in jobs.values():
            start = time.process_time()  # CPU time: fair while other processes share the cores
            if profiler:
                profiler.enable()
            draw(job)
            if profiler:
                profiler.disable()
            cost = time.process_time() - start
            costs[job.kind].append(cost)
            everything.append(cost)
        ms = sorted(c * 1000 for c in everything)
        print(f"one chart, cold, one process, CPU time: median {statistics.median(ms):.1f} ms, "
              f"p90 {ms[int(len(ms) * 0.9)]:.1f} ms, max {ms[-1]:.1f} ms")  # fmt: skip
        for kind, values in sorted(costs.items()):
            print(f"  {kind:14} median {statistics.median(values) * 1000:6.1f} ms  "
                  f"({len(values)} charts)")  # fmt: skip
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())

        timings: dict[int, float] = {}
        for attempt in range(args.repeat):  # alternate, keep the best: fair on a shared machine
            for workers in (1, 2):
                cache = Path(tmp) / f"cache-j{workers}-{attempt}"
                start = time.perf_counter()
                result = render_charts(jobs, cache, workers)
                elapsed = time.perf_counter() - start
                assert result.rendered == len({job_digest(j) for j in jobs.values()})
                timings[workers] = min(timings.get(workers, elapsed), elapsed)
        for workers, elapsed in timings.items():
            print(f"render_charts cold -j {workers}: {elapsed:.2f} s, "
                  f"{len(jobs) / elapsed:.0f} charts/s")  # fmt: skip
        print(f"-j 2 speed-up over -j 1: {timings[1] / timings[2]:.2f}x")
        start = time.perf_counter()
        warm = render_charts(jobs, Path(tmp) / "cache-j2-0", 2)
        elapsed = time.perf_counter() - start
        print(f"render_charts warm cache: {elapsed:.3f} s, {warm.rendered} drawn, "
              f"{warm.cached} from the cache")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
