"""What reading git history costs a build (SPEC 8.4), and a 10,000-commit history.

    python benchmarks/bench_history.py [--n 200] [--commits 10000] [--step-commits 300]
                                       [--runs 5] [--build]

1. The generated project at scale N (benchmarks/generate.py, N=200: 1,501 YAML files) is
   committed into a new repository with `git fast-import`: one commit adding every file,
   then `--commits` commits each changing one file (so every file has a different last
   commit). One uncommitted edit is left in the working tree.
2. The history step of a build, timed in this process (median of --runs): HEAD, one
   `git log --name-only` over the project, one `ls-tree`, the blob hash of every entity
   file, and the last change of every entity (`commands/living.py: living_data`).
3. With --build: a cold `cxsite build --no-pdf` of the same project inside the repository
   and of a copy outside any repository, in subprocesses (median of --runs each).
Budgets (issue 13): the history step of an N=200 build under 0.3 s (with a history of
--step-commits commits), the history read of a --commits (10,000) history under 1 s, both
in CPU seconds (git included), which a machine busy with other work does not inflate as
it does wall time. Exits 1 when over.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from cxsite.analysis.analyse import analyse  # noqa: E402
from cxsite.commands.living import living_data  # noqa: E402
from cxsite.load.history import head_commit, read_history  # noqa: E402
from cxsite.session import Session  # noqa: E402
from cxsite.validate.project import load_project  # noqa: E402

ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "SOURCE_DATE_EPOCH": "1790000000",
}


def _data(text: bytes) -> bytes:
    return b"data %d\n" % len(text) + text + b"\n"


def make_history(project: Path, commits: int) -> None:
    """Commit every file of `project` (the repository root), then `commits` one-file
    commits, through one `git fast-import` stream."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(project)], check=True, env=ENV)
    files = sorted(p for p in project.rglob("*") if p.is_file() and ".git" not in p.parts)
    yaml = [p for p in files if p.suffix == ".yaml" and p.name != "cxsite.yaml"]
    stream = bytearray()
    when = 1_700_000_000
    stream += b"commit refs/heads/main\nmark :1\n"
    stream += b"committer Bench <bench@example.com> %d +0000\n" % when
    stream += _data(b"everything")
    for path in files:
        rel = path.relative_to(project).as_posix().encode()
        stream += b"M 100644 inline " + rel + b"\n" + _data(path.read_bytes())
    for i in range(commits):
        path = yaml[i % len(yaml)]
        rel = path.relative_to(project).as_posix().encode()
        body = path.read_bytes() + b"# revision %d\n" % i
        if i >= commits - len(yaml):
            path.write_bytes(body)  # the working tree ends as the last commit left it
        stream += b"commit refs/heads/main\nmark :%d\n" % (i + 2)
        stream += b"committer Bench <bench@example.com> %d +0000\n" % (when + 60 * (i + 1))
        stream += _data(b"edit %d" % i) + b"from :%d\n" % (i + 1)
        stream += b"M 100644 inline " + rel + b"\n" + _data(body)
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=project, input=bytes(stream), check=True, env=ENV
    )
    subprocess.run(["git", "reset", "-q", "--mixed", "main"], cwd=project, check=True, env=ENV)
    edited = yaml[0]
    edited.write_bytes(edited.read_bytes() + b"# uncommitted\n")


def median_time(fn, runs: int) -> tuple[float, float, list[float]]:  # type: ignore[no-untyped-def]
    """Median wall seconds, median CPU seconds (this process and its finished children:
    git) and every wall time, of `runs` calls of `fn`."""
    walls, cpus = [], []
    for _ in range(runs):
        before = _cpu()
        started = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - before)
    return statistics.median(walls), statistics.median(cpus), walls


def _cpu() -> float:
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _rounded(times: list[float]) -> list[float]:
    return [round(t, 3) for t in times]


def cold_build(project: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(project / ".cxsite-cache", ignore_errors=True)
    command = [sys.executable, "-c", "from cxsite.cli import main; main()", "build"]
    started = time.perf_counter()
    subprocess.run([*command, str(project), "-o", str(out), "--no-pdf", "-q"], check=True, env=ENV)
    return time.perf_counter() - started


def main() -> int:
    """Generate, commit, time, report."""
    parser = argparse.ArgumentParser(description="Time the git history read of a build.")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--step-commits", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build", action="store_true", help="also time cold builds")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="cxsite-bench-history-") as tmp:
        big = Path(tmp) / "big"
        files = generate(args.n, big)
        started = time.perf_counter()
        make_history(big, args.commits)
        print(f"N={args.n}: {files} files, {args.commits + 1} commits "
              f"(made in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        head = head_commit(big)
        read, read_cpu, walls = median_time(lambda: read_history(big, head), args.runs)
        history = read_history(big, head)
        assert history is not None
        print(f"history read, whole log: median {read:.3f} s wall, {read_cpu:.3f} s CPU "
              f"{_rounded(walls)}; {len(history.last)} files with a commit")  # fmt: skip
        failed |= read_cpu > 1.0
        project = Path(tmp) / "project"
        generate(args.n, project)
        make_history(project, args.step_commits)
        session = Session()
        checked = load_project(project, session)
        assert checked.project is not None, checked.problems[:3]
        analysis = analyse(checked.project, checked.metric_data)
        as_of = dt.date(2026, 9, 21)

        def step() -> dict:
            found = head_commit(project)
            return living_data(checked.project, analysis, head=found, as_of=as_of, session=session)[
                0
            ].last

        total, total_cpu, walls = median_time(step, args.runs)
        last = step()
        uncommitted = sum(c.uncommitted for c in last.values())
        print(f"history step of a build ({args.step_commits + 1} commits): median {total:.3f} s "
              f"wall, {total_cpu:.3f} s CPU {_rounded(walls)}; {len(last)} entities, "
              f"{uncommitted} uncommitted")  # fmt: skip
        failed |= total_cpu > 0.3
        if args.build:
            plain = Path(tmp) / "plain"
            shutil.copytree(project, plain, ignore=shutil.ignore_patterns(".git"))
            for label, folder in (("outside git", plain), ("in the repository", project)):
                times = []
                for _ in range(args.runs):
                    times.append(cold_build(folder, Path(tmp) / f"out-{folder.name}"))
                    print(f"  cold build {label}: {times[-1]:.2f} s", flush=True)
                print(f"cold build {label}: median {statistics.median(times):.2f} s")
    print("over budget" if failed else "within budget (history step < 0.3 s, read < 1 s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
