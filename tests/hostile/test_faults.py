"""Faults during a build: the previous output is unchanged, no temporary folder remains, and the
command exits 1 with a one-line message, never a traceback.

Faults are injected in-process (monkeypatch) and the command runs through `cxsite.cli.main`,
the console script's own entry point, so what a user would see is what is asserted.
"""

from __future__ import annotations

import errno
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hostilekit import (
    CXSITE,
    EPOCH,
    SMALL_PROJECT,
    children,
    generated_project,
    gone,
    invoke,
    leftovers,
    snapshot,
    write_project,
)

import cxsite.write.output
from cxsite.cli import main


def cxsite_main(monkeypatch: pytest.MonkeyPatch, capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """Run `cxsite ARGS` through the console-script entry point: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["cxsite", *args])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project built once, PDFs included: <base>/project and <base>/site."""
    base = tmp_path_factory.mktemp("faults")
    root = write_project(base / "project", SMALL_PROJECT)
    result = invoke("build", str(root), "-o", str(base / "site"), "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    assert (base / "site" / "briefs" / "executive.pdf").is_file()
    return base


@pytest.fixture
def built(template: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A private copy of the built project, edited so that a new build would differ.

    Returns (project, output, snapshot of the output before the faulty build).
    """
    root = tmp_path / "project"
    out = tmp_path / "site"
    shutil.copytree(template / "project", root, symlinks=True)
    shutil.copytree(template / "site", out, symlinks=True)
    persona = root / "personas" / "maya.yaml"
    persona.write_text(persona.read_text().replace("Maya Chen", "Maya Edited"))
    return root, out, snapshot(out)


def _assert_untouched(out: Path, before: dict[str, bytes], err: str, code: int) -> None:
    assert code == 1, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("Error: "), err
    assert snapshot(out) == before
    assert leftovers(out.parent) == []


@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("cxsite.charts.pool._draw_one", "chart"),
        ("cxsite.site.render.render_pages", "page"),
        ("cxsite.briefs.pdf.render_pdf", "PDF"),
    ],
)
def test_fault_in_a_build_stage(built, monkeypatch, capsys, target: str, what: str) -> None:  # type: ignore[no-untyped-def]
    root, out, before = built
    shutil.rmtree(root / ".cxsite-cache", ignore_errors=True)  # every chart must be drawn

    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"injected {what} failure")

    monkeypatch.setattr(target, explode)
    code, _, err = cxsite_main(monkeypatch, capsys, "build", str(root), "-o", str(out), "-j", "1")
    _assert_untouched(out, before, err, code)
    assert f"injected {what} failure" in err


NO_FONTS = (
    "Error: the PDF briefs need fonts, and fontconfig finds none on this machine: install"
    " some (Debian: fonts-dejavu-core); 'cxsite build --no-pdf' builds the site without briefs"
)


@pytest.mark.parametrize(
    "command", [("build", "-j", "1"), ("build", "-j", "2"), ("pdf",)], ids=" ".join
)
def test_a_machine_without_fonts_is_one_line(built, tmp_path: Path, command) -> None:  # type: ignore[no-untyped-def]
    """A slim container with no font at all: WeasyPrint's Pango would kill the process (a
    segfault with -j 1, which left a staged folder behind). One line instead, nothing lost;
    the site alone still builds."""
    root, out, before = built
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n"
    )
    fontless = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "FONTCONFIG_FILE": str(config)}
    name, *options = command
    done = subprocess.run(
        [CXSITE, name, str(root), "-o", str(out), *options],
        capture_output=True,
        text=True,
        timeout=120,
        env=fontless,
    )
    _assert_untouched(out, before, done.stderr, done.returncode)
    assert done.stderr.strip().splitlines()[-1] == NO_FONTS
    assert "Pango" not in done.stderr and "Warning" not in done.stderr
    site = subprocess.run(
        [CXSITE, "build", str(root), "-o", str(out), "--no-pdf", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        env=fontless,
    )
    assert site.returncode == 0, site.stderr
    assert "Maya Edited" in (out / "personas" / "maya.html").read_text()


def test_fault_in_pdf_command_leaves_previous_briefs(built, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    root, out, before = built
    real_replace = os.replace

    def fail_on_briefs(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(dst).endswith(".pdf"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr("cxsite.briefs.render.os.replace", fail_on_briefs)
    code, _, err = cxsite_main(monkeypatch, capsys, "pdf", str(root), "-o", str(out), "-j", "1")
    assert code == 1 and "Traceback" not in err
    assert "No space left on device" in err
    assert snapshot(out) == before  # no half-written or temporary brief left behind


def test_fault_in_the_final_swap(built, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """The rename that puts the new site in place fails: the old one is put back."""
    root, out, before = built
    real_replace = os.replace

    def failing_swap(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if ".cxsite-tmp-" in str(src) and Path(dst) == out.resolve():
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr("cxsite.write.output.os.replace", failing_swap)
    code, _, err = cxsite_main(
        monkeypatch, capsys, "build", str(root), "-o", str(out), "--no-pdf", "-j", "1"
    )
    _assert_untouched(out, before, err, code)
    assert "Input/output error" in err


def test_full_disk(built, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    root, out, before = built
    real_write = cxsite.write.output.Staging.write
    calls = {"n": 0}

    def fill_up(self, rel, data):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, rel, data)

    monkeypatch.setattr(cxsite.write.output.Staging, "write", fill_up)
    code, _, err = cxsite_main(
        monkeypatch, capsys, "build", str(root), "-o", str(out), "--no-pdf", "-j", "1"
    )
    _assert_untouched(out, before, err, code)
    assert "No space left on device" in err


def test_read_only_output_folder(built, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """The folder beside the output cannot be written (EROFS, as on a read-only mount).

    Simulated: the tests may run as root, for whom a chmod'ed folder is still writable.
    """
    root, out, before = built

    def read_only(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(cxsite.write.output.tempfile, "mkdtemp", read_only)
    code, _, err = cxsite_main(
        monkeypatch, capsys, "build", str(root), "-o", str(out), "--no-pdf", "-j", "1"
    )
    _assert_untouched(out, before, err, code)
    assert "Read-only file system" in err


GARBAGE = {
    "random bytes": lambda data: os.urandom(len(data)),
    "truncated": lambda data: data[: len(data) // 2],
    "empty": lambda data: b"",
    "flipped in the middle": lambda data: (
        data[: len(data) // 2] + b"<script>stale</script>" + data[len(data) // 2 + 22 :]
    ),
}


@pytest.mark.parametrize("damage", list(GARBAGE))
def test_corrupted_chart_cache_is_noticed_and_redrawn(built, damage: str) -> None:
    root, out, _ = built
    persona = root / "personas" / "maya.yaml"
    persona.write_text(persona.read_text().replace("Maya Edited", "Maya Chen"))
    fresh = snapshot(out)  # the template's output: the same content with a good cache
    entries = sorted((root / ".cxsite-cache" / "charts").glob("*.svg"))
    assert entries
    for entry in entries:
        entry.write_bytes(GARBAGE[damage](entry.read_bytes()))
    result = invoke("build", str(root), "-o", str(out), "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    charts = {k: v for k, v in snapshot(out).items() if k.startswith("charts/")}
    assert charts == {k: v for k, v in fresh.items() if k.startswith("charts/")}
    assert snapshot(out) == fresh
    # The cache holds good entries again.
    assert all(b"<script>" not in p.read_bytes() for p in entries)


def _limited(limit: Callable[[], None], *args: str) -> subprocess.CompletedProcess:
    """`cxsite ARGS -q` in a process whose resources `limit` bounds (before it starts)."""
    return subprocess.run(
        [CXSITE, *args, "-q"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        preexec_fn=limit,
    )


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))


def test_cache_entry_that_is_a_symlink_out_of_the_project(built) -> None:
    """A committed `.cxsite-cache/` with links to /dev/zero or /etc/passwd: never read."""
    root, out, _ = built
    entries = sorted((root / ".cxsite-cache" / "charts").glob("*.svg"))
    for index, entry in enumerate(entries):
        entry.unlink()
        entry.symlink_to("/dev/zero" if index % 2 else "/etc/passwd")
    done = subprocess.run(
        [CXSITE, "build", str(root), "-o", str(out), "-j", "1", "-q", "--no-pdf"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        preexec_fn=_limit_memory,  # reading /dev/zero must not eat the machine's memory
    )
    assert done.returncode == 0, done.stderr
    assert all(b"root:" not in p.read_bytes() for p in (out / "charts").glob("*.svg"))


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project big enough for a build to take several seconds (30 personas)."""
    return generated_project(tmp_path_factory.mktemp("sigint") / "project")


def _interrupt(
    root: Path, out: Path, *, group: bool, when: str, sig: int = signal.SIGINT
) -> subprocess.CompletedProcess:
    """Start `cxsite build`, send `sig` at a moment of the build, return the finished run."""
    proc = subprocess.Popen(
        [CXSITE, "build", str(root), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        # Ctrl+C as a terminal delivers it, even when these tests run in a background job
        # (which starts with SIGINT ignored, and a child inherits that)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        staged = [p for p in out.parent.iterdir() if ".cxsite-tmp-" in p.name]
        drawing = (root / ".cxsite-cache" / "charts").is_dir()
        if (when == "staged" and staged) or (when == "charts" and drawing):
            break
        time.sleep(0.02)
    time.sleep(0.3)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    if group:
        os.killpg(proc.pid, sig)  # Ctrl+C in a terminal: every process of the job
    else:
        proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "group", "when"),
    [
        (signal.SIGINT, True, "charts"),
        (signal.SIGINT, False, "staged"),
        (signal.SIGTERM, False, "charts"),
        (signal.SIGTERM, False, "staged"),
        (signal.SIGTERM, True, "staged"),
    ],
)
def test_ctrl_c_or_sigterm_during_a_build(
    big_project: Path, tmp_path: Path, sig: int, group: bool, when: str
) -> None:
    """Ctrl+C, and SIGTERM (a cancelled CI job, `docker stop`) likewise: the previous output
    as it was, no staged folder left beside it (SIGTERM left one, 1.4 MB each), `Aborted!`;
    sent to the whole process group, the workers end quietly too."""
    root = tmp_path / "project"
    shutil.copytree(big_project, root)
    out = tmp_path / "site"
    out.mkdir()
    (out / cxsite.write.output.MARKER).write_text("")
    (out / "index.html").write_text("previous site")
    before = snapshot(out)
    done = _interrupt(root, out, group=group, when=when, sig=sig)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == "Aborted!"
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_a_build_killed_outright_leaves_no_worker_behind(big_project: Path, tmp_path: Path) -> None:
    """SIGKILL (the OOM killer, a CI job's timeout) ends the build at once: the workers it
    forked end with it (they used to wait for work forever), and the output is as it was."""
    root = shutil.copytree(big_project, tmp_path / "project")
    out = tmp_path / "site"
    out.mkdir()
    (out / cxsite.write.output.MARKER).write_text("")
    (out / "index.html").write_text("previous site")
    before = snapshot(out)
    proc = subprocess.Popen(
        [CXSITE, "build", str(root), "-o", str(out), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
    )
    deadline = time.monotonic() + 60
    while not (root / ".cxsite-cache" / "charts").is_dir() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    workers = children(proc.pid)
    assert proc.poll() is None and workers, "the build ended or forked no worker"
    proc.kill()
    proc.wait(timeout=10)
    assert gone(workers), "workers outlived the build"
    assert snapshot(out) == before


def test_cache_folder_that_is_a_symlink_out_of_the_project(built, tmp_path: Path) -> None:
    """A committed `.cxsite-cache` linking elsewhere: nothing is read from it or written there."""
    root, out, _ = built
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "charts").mkdir()
    shutil.rmtree(root / ".cxsite-cache")
    (root / ".cxsite-cache").symlink_to(outside, target_is_directory=True)
    result = invoke("build", str(root), "-o", str(out), "--no-pdf", "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    assert list((outside / "charts").iterdir()) == []
    assert (out / "charts").is_dir()


def _few_open_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))


@pytest.mark.parametrize("cached", [False, True])
def test_more_workers_than_the_machine_allows_is_one_line(
    example: Path, tmp_path: Path, cached: bool
) -> None:
    """`-j 200` where a process may open 64 files: workers cannot all start. One line and
    exit 1 at once (it was a traceback, then a hang: the workers started waited forever),
    whether the workers start early (no chart cached) or when the charts are drawn."""
    out = tmp_path / "site"
    assert invoke("build", str(example), "-o", str(out), "--no-pdf", "-q").exit_code == 0
    charts = sorted((example / ".cxsite-cache" / "charts").glob("*.svg"))
    for entry in charts[1:] if cached else charts:  # one left: no early workers
        entry.unlink()
    for entry in (out / "charts").glob("*.svg"):  # so that no chart is kept as it is
        entry.unlink()
    before = snapshot(out)
    config = example / "cxsite.yaml"
    config.write_text(config.read_text() + "\n# edited\n")
    done = _limited(_few_open_files, "build", str(example), "-o", str(out), "--no-pdf", "-j", "200")
    assert done.returncode == 1, done.stderr
    assert re.fullmatch(
        r"Error: could not start 199 worker processes \(Too many open files\): "
        r"try fewer with --jobs\n",
        done.stderr,
    ), done.stderr
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("blocked", [".cxsite-cache", ".cxsite-cache/charts"])
def test_a_cache_folder_that_is_a_file_only_costs_speed(built, blocked: str) -> None:
    """A file where the cache folder (or its chart folder) would be, committed by mistake:
    the build succeeds with what a build with a usable cache writes, and leaves the file."""
    root, out, _ = built
    assert invoke("build", str(root), "-o", str(out), "-j", "1", "-q").exit_code == 0
    expected = snapshot(out)
    persona = root / "personas" / "maya.yaml"
    persona.write_text(persona.read_text().replace("Maya Edited", "Maya Chen"))
    assert invoke("build", str(root), "-o", str(out), "-j", "1", "-q").exit_code == 0
    fresh = snapshot(out)
    persona.write_text(persona.read_text().replace("Maya Chen", "Maya Edited"))
    shutil.rmtree(root / ".cxsite-cache")
    if blocked != ".cxsite-cache":
        (root / ".cxsite-cache").mkdir()
    (root / blocked).write_bytes(b"not a folder\n")
    result = invoke("build", str(root), "-o", str(out), "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    assert snapshot(out) == expected
    assert (root / blocked).read_bytes() == b"not a folder\n"
    assert fresh != expected


def test_a_chart_cache_that_cannot_be_written_is_said_once(built, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """A read-only checkout or a full disk under `.cxsite-cache/`: the build succeeds and
    says so in one line, not one per chart (it said 36 lines for the example)."""
    root, out, _ = built
    shutil.rmtree(root / ".cxsite-cache" / "charts")
    monkeypatch.setattr("cxsite.charts.cache.write_signed", lambda path, data: None)
    code, _, err = cxsite_main(
        monkeypatch, capsys, "build", str(root), "-o", str(out), "-j", "1", "-q"
    )
    assert code == 0, err
    drawn = len(list((out / "charts").glob("*.svg")))
    folder = root / ".cxsite-cache" / "charts"
    assert err.splitlines() == [
        f"could not write {drawn} of {drawn} charts to the cache {folder}: "
        "they are drawn again next time"
    ]


@pytest.mark.parametrize(
    "damage",
    [
        "garbage",
        "symlink-to-dev-zero",
        "empty",
    ],
)
def test_every_cache_file_damaged_is_noticed(built, damage: str) -> None:
    """Garbage in any file of `.cxsite-cache/` (charts, incremental-build records): the build
    finishes, re-renders and writes exactly what a clean build writes."""
    root, out, _ = built
    persona = root / "personas" / "maya.yaml"
    persona.write_text(persona.read_text().replace("Maya Edited", "Maya Chen"))
    fresh = snapshot(out)
    assert invoke("build", str(root), "-o", str(out), "-j", "1", "-q").exit_code == 0
    entries = [p for p in sorted((root / ".cxsite-cache").rglob("*")) if p.is_file()]
    assert entries
    for entry in entries:
        entry.unlink()
        if damage == "symlink-to-dev-zero":
            entry.symlink_to("/dev/zero")
        else:
            entry.write_bytes(b"" if damage == "empty" else os.urandom(512))
    done = _limited(_limit_memory, "build", str(root), "-o", str(out), "-j", "1")
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == fresh


def test_a_forged_chart_cache_entry_is_not_published(built) -> None:
    """Anyone can commit `.cxsite-cache/`: an entry with a script and a made-up signature (a
    forger has no key of this user) is redrawn, because charts are published on the site's
    origin."""
    import hashlib

    from cxsite.cachefiles import MAC_LENGTH

    root, out, _ = built
    persona = root / "personas" / "maya.yaml"
    persona.write_text(persona.read_text().replace("Maya Edited", "Maya Chen"))
    fresh = snapshot(out)
    for entry in sorted((root / ".cxsite-cache" / "charts").glob("*.svg")):
        svg = entry.read_bytes()[:-MAC_LENGTH]
        svg = svg.replace(b"</svg>", b"<script>alert('forged')</script></svg>")
        entry.write_bytes(svg + hashlib.sha256(svg).hexdigest().encode())
    result = invoke("build", str(root), "-o", str(out), "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    assert snapshot(out) == fresh


def test_a_copied_chart_cache_is_not_trusted(built, tmp_path: Path, monkeypatch) -> None:
    """The project (with its `.cxsite-cache/`) reached another user, as a clone of a
    repository that committed its cache would: under that user's key every chart is drawn
    again once, then cached."""
    root, out, _ = built
    monkeypatch.setenv("CXSITE_CACHE_KEY_FILE", str(tmp_path / "other-user-key"))
    first = invoke("build", str(root), "-o", str(out), "--no-pdf", "-j", "1")
    assert first.exit_code == 0, first.output
    drawn = re.search(r"(\d+) charts \((\d+) drawn, (\d+) cached\)", first.stderr)
    assert drawn is not None and drawn.group(1) == drawn.group(2) and drawn.group(3) == "0"
    again = invoke("build", str(root), "-o", str(out), "--no-pdf", "-j", "1")
    cached = re.search(r"(\d+) charts \((\d+) drawn, (\d+) cached\)", again.stderr)
    assert cached is None or cached.group(2) == "0"  # (or the whole build was skipped)
