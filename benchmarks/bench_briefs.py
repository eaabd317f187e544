"""Time the PDF briefs: each brief kind in a fresh process, and all briefs with -j 1 and -j N.

    python benchmarks/bench_briefs.py [--jobs N] [--repeat R]

Runs `cxsite pdf` as a subprocess (so WeasyPrint's start-up is included) on a copy of the
example content and on a generated project with 50 personas (`benchmarks/generate.py`), to
which an executive, a persona, a personas and a journey brief are added. The chart cache
is warmed first, so the times are the briefs' own; the first, cold-cache run is reported
too. Prints a Markdown table; the best of R runs counts (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CXSITE = [str(Path(sys.executable).parent / "cxsite")]  # the venv's console script


def run(project: Path, out: Path, *args: str) -> float:
    """Seconds for one `cxsite pdf` run in a fresh process, every brief rendered (the briefs
    kept by an earlier run are dropped first: this measures rendering them)."""
    shutil.rmtree(project / ".cxsite-cache" / "briefs", ignore_errors=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795132800"}
    start = time.perf_counter()
    subprocess.run(
        [*CXSITE, "pdf", str(project), "-o", str(out), "-q", *args],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def best(project: Path, out: Path, repeat: int, *args: str) -> float:
    """The best time of `repeat` runs."""
    return min(run(project, out, *args) for _ in range(repeat))


def pages(pdf: Path) -> int:
    """Page count of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def add_briefs(project: Path) -> None:
    """Give a generated project one brief of each kind."""
    persona = sorted((project / "personas").glob("*.yaml"))[0].stem
    journey = sorted((project / "journeys").glob("*.yaml"))[0].stem
    config = project / "cxsite.yaml"
    text = config.read_text(encoding="utf-8")
    if "briefs:" not in text:
        config.write_text(
            text + "briefs:\n  - {id: executive, kind: executive}\n"
            f"  - {{id: persona, kind: persona, persona: {persona}}}\n"
            "  - {id: personas, kind: personas}\n"
            f"  - {{id: journey, kind: journey, journey: {journey}}}\n",
            encoding="utf-8",
        )


def bench(name: str, project: Path, work: Path, jobs: int, repeat: int) -> list[str]:
    """Markdown table rows for one project."""
    import yaml

    out = work / ("out-" + name.split(",")[0])
    cold = run(project, out, "-j", "1")  # draws the charts into the cache
    rows = [f"| {name} | all briefs, first run (charts drawn), -j 1 | {cold:.2f} | |"]
    briefs = yaml.safe_load((project / "cxsite.yaml").read_text())["briefs"]
    for brief in briefs:
        seconds = best(project, out, repeat, "--brief", brief["id"], "-j", "1")
        count = pages(out / "briefs" / f"{brief['id']}.pdf")
        rows.append(f"| {name} | {brief['kind']} (`{brief['id']}`) | {seconds:.2f} | {count} |")
    for j in sorted({1, jobs}):
        seconds = best(project, out, repeat, "-j", str(j))
        rows.append(f"| {name} | all {len(briefs)} briefs, -j {j} | {seconds:.2f} | |")
    return rows


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--personas", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cxsite-bench-briefs-") as tmp:
        work = Path(tmp)
        example = work / "example"
        shutil.copytree(REPO / "content", example, ignore=shutil.ignore_patterns(".cxsite-cache"))
        generated = work / "generated"
        subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / "generate.py"), str(args.personas),
             str(generated)],
            check=True,
        )  # fmt: skip
        add_briefs(generated)
        rows = ["| project | brief | seconds | pages |", "|---|---|---:|---:|"]
        rows += bench("example", example, work, args.jobs, args.repeat)
        rows += bench(f"generated, {args.personas} personas", generated, work, args.jobs,
                      args.repeat)  # fmt: skip
    print(f"cxsite pdf, fresh process per run, best of {args.repeat}, {os.cpu_count()} cores")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
