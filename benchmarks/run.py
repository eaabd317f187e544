"""The benchmark of issue 6 in one command: cxsite at scale against Hugo and MkDocs.

    python benchmarks/run.py [--n 200] [--scales 50,100,200,400] [--runs 3] [--no-mkdocs]

In one run, on this machine: Hugo and MkDocs build the same 1,000 plain Markdown pages
(MkDocs is installed into a throwaway venv under benchmarks/out/), then cxsite builds a
generated project (benchmarks/generate.py) with `--no-pdf`: cold (no cache, no output), a
no-op rebuild, a rebuild after editing one touchpoint, after editing one metric's CSV, and
`cxsite check` alone; the no-op, the touchpoint edit and `check` with `cxsite server` running;
then the cold build at every scale, and how fast `cxsite serve` reacts to a one-file edit.
Every command is the real command line in a subprocess (start-up and imports included);
times are medians of --runs (Hugo's of --runs before and --runs after cxsite's builds at
--n), memory is the peak resident set size of the largest process. Results: a Markdown
table on stdout and in benchmarks/out/results.md (+ results.json), ratios against Hugo first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from cxsitecmd import cxsite_command, serve_status  # noqa: E402
from generate import generate  # noqa: E402

# the checkout whose cxsite runs: CXSITE_SOURCE, else this one
CXSITE = cxsite_command(Path(os.environ.get("CXSITE_SOURCE", str(HERE.parent))))
MKDOCS_VERSION = "1.6.1"
PAGES = 1000


# One measurement: wall seconds, peak RSS in MiB, CPU seconds in user mode and in the kernel
# (the kernel's share moves with the file system's state: creating a file costs 0.03 ms on
# a fresh one and up to 0.9 ms after thousands were deleted, as each cold build's set-up does).
Sample = tuple[float, int, float, float]


def run(command: list[str], cwd: Path | None = None) -> Sample:
    """Wall seconds, peak RSS (MiB), user and system CPU seconds of one command; exits when
    it fails.

    Memory and CPU come from GNU time (/usr/bin/time) when present: a child's ru_maxrss
    seen by this (large) Python process would include the memory it had when it forked.
    """
    gnu_time = Path("/usr/bin/time")
    report = OUT / "time.txt"
    prefix = [str(gnu_time), "-f", "%M %U %S", "-o", str(report)] if gnu_time.exists() else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*prefix, *command], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout}{done.stderr}")
    if prefix:
        kib, user, system = report.read_text().split()[-3:]
        return elapsed, int(kib) // 1024, float(user), float(system)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    return elapsed, after.ru_maxrss // 1024, user, system


def median(samples: list[Sample]) -> Sample:
    """Median time and CPU, largest memory."""
    return (
        statistics.median(s[0] for s in samples),
        max(s[1] for s in samples),
        statistics.median(s[2] for s in samples),
        statistics.median(s[3] for s in samples),
    )


def markdown_pages(docs: Path) -> None:
    """1,000 plain Markdown pages: headings, a list, a link, a paragraph."""
    docs.mkdir(parents=True, exist_ok=True)
    para = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20
    for i in range(PAGES):
        items = "\n".join(f"- item {k} of page {i}" for k in range(10))
        (docs / f"page-{i}.md").write_text(
            f"---\ntitle: Page {i}\n---\n\n# Page {i}\n\nSome *text* with a "
            f"[link](https://example.com) and `code`.\n\n{items}\n\n{para}\n",
            encoding="utf-8",
        )


def bench_hugo(runs: int) -> list[tuple[float, int]]:
    """Hugo's cold builds of the 1,000 pages (no samples without Hugo)."""
    hugo = shutil.which("hugo")
    if hugo is None:
        print("hugo not found (Debian package `hugo`): skipped")
        return []
    site = OUT / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    markdown_pages(site / "content" / "posts")
    (site / "hugo.toml").write_text(
        'baseURL = "http://example.org/"\ntitle = "Bench"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    )
    layout = (
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body><nav>"
        '{{ range .Site.RegularPages | first 5 }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>'
        "{{ end }}</nav><main>{{ .Content }}</main></body></html>\n"
    )
    for rel in ("layouts/_default/single.html", "layouts/_default/list.html", "layouts/index.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(layout)
    samples = []
    for _ in range(runs):
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        samples.append(run([hugo, "--quiet"], cwd=site))
    return samples


def bench_mkdocs(runs: int) -> tuple[float, int] | None:
    """MkDocs' build of the 1,000 pages, installed into a throwaway venv."""
    venv = OUT / "mkdocs-venv"
    mkdocs = venv / "bin" / "mkdocs"
    if not mkdocs.exists():
        print(f"installing MkDocs {MKDOCS_VERSION} into {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "--quiet", f"mkdocs=={MKDOCS_VERSION}"]
        if subprocess.run(pip).returncode != 0:
            print("MkDocs could not be installed: skipped")
            return None
    site = OUT / "mkdocs"
    shutil.rmtree(site, ignore_errors=True)
    markdown_pages(site / "docs")
    (site / "mkdocs.yml").write_text("site_name: Bench\n")
    samples = []
    for _ in range(runs):
        shutil.rmtree(site / "site", ignore_errors=True)
        samples.append(run([str(mkdocs), "build", "--quiet"], cwd=site))
    return median(samples)


def _mtimes(out: Path) -> dict[str, int]:
    return {
        p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
    }


def _edit(path: Path, pattern: str, make: object) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, make, text, count=1, flags=re.M), encoding="utf-8")


def bench_cxsite(n: int, runs: int, full: bool) -> dict[str, object]:
    """Cold, no-op, one touchpoint, one CSV and check at scale N."""
    os.environ["CXSITE_NO_SERVER"] = "1"  # a build server of this user runs none of these
    project, out = OUT / f"n{n}", OUT / f"n{n}-site"
    shutil.rmtree(project, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    generate(n, project)
    build = [*CXSITE, "build", str(project), "-o", str(out), "--no-pdf", "-q"]
    result: dict[str, object] = {"n": n}
    cold = []
    for _ in range(runs if full else 1):
        shutil.rmtree(project / ".cxsite-cache", ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        cold.append(run(build))
    result["cold"] = median(cold)
    result["pages"] = sum(1 for _ in out.rglob("*.html"))
    result["charts"] = sum(1 for _ in out.rglob("*.svg"))
    if not full:
        return result
    before = _mtimes(out)
    result["noop"] = median([run(build) for _ in range(runs)])
    result["noop_rewritten"] = sum(1 for k, v in _mtimes(out).items() if before.get(k) != v)
    for name, path, pattern in (
        ("touchpoint", project / "touchpoints/touchpoint-17.yaml", r"^description: .*$"),
        ("csv", project / "data/metric-1.csv", r"^2026-(\d\d)-(\d\d),(\d+),"),
    ):
        samples, rewritten = [], []
        for i in range(runs):
            before = _mtimes(out)
            if name == "touchpoint":
                _edit(path, pattern, f"description: Edited touchpoint, take {i}.")
            else:  # a different score in the first row
                _edit(path, pattern, lambda m: f"2026-{m[1]}-{m[2]},{(int(m[3]) + 5) % 11},")
            samples.append(run(build))
            rewritten.append(sum(1 for k, v in _mtimes(out).items() if before.get(k) != v))
        result[name] = median(samples)
        result[f"{name}_rewritten"] = max(rewritten)
    result["check"] = median([run([*CXSITE, "check", str(project)]) for _ in range(runs)])
    result.update(bench_server(build, project, runs))
    result["serve"] = bench_serve(project)
    return result


def bench_server(build: list[str], project: Path, runs: int) -> dict[str, object]:
    """The no-op, the one-touchpoint edit and `check` again, with `cxsite server` running (a
    private server folder of its own; its first build, which reads the caches, is not
    counted). Peak memory is the client's; the server's is said in docs/performance.md."""
    folder = OUT / "server-run"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    saved = {k: os.environ.get(k) for k in ("XDG_RUNTIME_DIR", "CXSITE_NO_SERVER")}
    os.environ["XDG_RUNTIME_DIR"] = str(folder)
    os.environ.pop("CXSITE_NO_SERVER", None)
    path = project / "touchpoints/touchpoint-17.yaml"
    try:
        run([*CXSITE, "server", "start"])
        run(build)
        result: dict[str, object] = {"noop_server": median([run(build) for _ in range(runs)])}
        samples = []
        for i in range(runs):
            _edit(path, r"^description: .*$", f"description: Edited touchpoint, server {i}.")
            samples.append(run(build))
        result["touchpoint_server"] = median(samples)
        result["check_server"] = median(
            [run([*CXSITE, "check", str(project)]) for _ in range(runs)]
        )
        served = subprocess.run([*CXSITE, "server", "status"], capture_output=True, text=True)
        if f"{3 * runs + 1} commands run" not in served.stdout:
            sys.exit(f"the builds did not all run in the server: {served.stdout}")
        pid = re.search(r"\(pid (\d+)\)", served.stdout)
        status = Path(f"/proc/{pid[1]}/status") if pid else None
        if status is not None and status.exists():  # Linux: the server's peak resident set
            kib = re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(), re.M)
            result["server_memory"] = int(kib[1]) // 1024 if kib else None
        return result
    finally:
        subprocess.run([*CXSITE, "server", "stop"], capture_output=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def bench_serve(project: Path) -> float | None:
    """Seconds from a one-file edit to `cxsite serve` having rebuilt (status poll)."""
    proc = subprocess.Popen(
        [*CXSITE, "serve", str(project), "--port", "0", "--no-pdf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        deadline = time.time() + 300
        while "Serving" not in line and time.time() < deadline:
            line = proc.stderr.readline()  # type: ignore[union-attr]
            if not line and proc.poll() is not None:
                return None
        url = re.search(r"http://\S+/", line)
        if url is None:
            return None
        status = url.group(0) + "__cxsite/status"

        def build_id() -> int:
            return int(serve_status(status, deadline)["build"])

        times = []
        for i in range(3):
            first = build_id()
            time.sleep(1.0)
            started = time.perf_counter()
            _edit(project / "touchpoints/touchpoint-18.yaml", r"^description: .*$",
                  f"description: Served edit {i}.")  # fmt: skip
            while build_id() == first and time.perf_counter() - started < 120:
                time.sleep(0.02)
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average before the run: {load}"
    )


def report(
    machine: str,
    hugo: tuple[float, int] | None,
    mkdocs: tuple[float, int] | None,
    main: dict,
    scales: list[dict],
) -> str:
    """The results table in Markdown."""
    lines = [f"Machine: {machine}", ""]
    lines += [
        "| Measurement | Wall time | CPU user + system | Peak memory | Per page | Ratio |",
        "|---|---|---|---|---|---|",
    ]
    hugo_page = hugo[0] / PAGES if hugo else None

    def row(label: str, value: Sample, pages: int | None, ratio: str, own: bool = True) -> None:
        """`own`: the command did its own work (a `cxsite server` client's CPU is not)."""
        per = f"{value[0] / pages * 1000:.1f} ms" if pages else ""
        cpu = f"{value[2]:.2f} + {value[3]:.2f} s" if own else "(in the server)"
        lines.append(f"| {label} | {value[0]:.2f} s | {cpu} | {value[1]} MiB | {per} | {ratio} |")

    if hugo:
        row(f"Hugo, {PAGES} Markdown pages", hugo, PAGES, "1x")
    if mkdocs:
        ratio = f"{mkdocs[0] / hugo[0]:.1f}x Hugo" if hugo else ""
        row(f"MkDocs, {PAGES} Markdown pages", mkdocs, PAGES, ratio)
    n, pages = main["n"], int(main["pages"])
    head = f"cxsite N={n} ({pages} pages, {main['charts']} charts)"
    cold = main["cold"]
    per_page = f"{cold[0] / pages / hugo_page:.1f}x Hugo per page" if hugo_page else ""
    row(f"{head}: cold build --no-pdf", cold, pages, per_page + " (goal ≤ 15x)")
    for key, label, goal in (
        ("noop", "no-op rebuild", 2),
        ("touchpoint", "one touchpoint edited", 3),
        ("csv", "one metric CSV edited", None),
    ):
        value = main[key]
        ratio = f"{value[0] / hugo[0]:.1f}x Hugo's whole build" if hugo else ""
        if goal and hugo:
            ratio += f" (goal ≤ {goal}x)"
        rewritten = main[f"{key}_rewritten"]
        row(f"{head}: {label} ({rewritten} files rewritten)", value, None, ratio)
    for key, label, goal in (
        ("noop_server", "no-op rebuild, `cxsite server` running", 2),
        ("touchpoint_server", "one touchpoint edited, `cxsite server` running", 3),
    ):
        ratio = f"{main[key][0] / hugo[0]:.1f}x Hugo's whole build (goal ≤ {goal}x)" if hugo else ""
        row(f"{head}: {label}", main[key], None, ratio, own=False)
    row(f"{head}: `cxsite check` alone", main["check"], None, "")
    label = f"{head}: `cxsite check` alone, `cxsite server` running"
    row(label, main["check_server"], None, "", own=False)
    if main.get("server_memory"):
        lines.append(
            f"| {head}: `cxsite server`'s own peak memory | | | {main['server_memory']} MiB | | |"
        )
    if main.get("serve") is not None:
        lines.append(
            f"| {head}: `serve` reload after a one-file edit | {main['serve']:.2f} s | | | | "
            "goal ≤ 1 s |"
        )
    if scales:
        lines += [
            "",
            "| N | Pages | Charts | Cold build | CPU user + system | Peak memory | Per page |",
            "|---|---|---|---|---|---|---|",
        ]
        for s in scales:
            t, mem, user, system = s["cold"]
            lines.append(
                f"| {s['n']} | {s['pages']} | {s['charts']} | {t:.2f} s | {user:.2f} + "
                f"{system:.2f} s | {mem} MiB | {t / s['pages'] * 1000:.1f} ms |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run everything, print and save the table."""
    parser = argparse.ArgumentParser(description="cxsite at scale against Hugo and MkDocs.")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--scales", default="50,100,200,400", help="cold builds ('' to skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-mkdocs", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    machine = _machine()
    print(machine, flush=True)
    # Hugo's 0.3-0.5 s moves with the machine's moment: measured before and after cxsite's
    # builds at N, the ratios take the median of both.
    hugo_samples = bench_hugo(args.runs)
    mkdocs = None if args.no_mkdocs else bench_mkdocs(args.runs)
    print(f"mkdocs: {mkdocs}", flush=True)
    main_result = bench_cxsite(args.n, args.runs, full=True)
    print(f"cxsite N={args.n}: {main_result}", flush=True)
    hugo_samples += bench_hugo(args.runs)
    hugo = median(hugo_samples) if hugo_samples else None
    times = sorted(f"{t:.2f}" for t, *_ in hugo_samples)
    print(f"hugo: {hugo} (median of {', '.join(times)} s)", flush=True)
    scales = []
    for n in [int(x) for x in args.scales.split(",") if x.strip()]:
        scales.append(main_result if n == args.n else bench_cxsite(n, args.runs, full=False))
        print(f"cxsite N={n}: cold {scales[-1]['cold']}", flush=True)
    table = report(machine, hugo, mkdocs, main_result, scales)
    print(table)
    (OUT / "results.md").write_text(table, encoding="utf-8")
    data = {
        "machine": machine,
        "hugo": hugo,
        "mkdocs": mkdocs,
        "main": main_result,
        "scales": scales,
    }
    (OUT / "results.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
