"""The build machine: a build (PDFs included) makes no network request and reads no file
outside the project, whatever the content points at.

Network: a recording HTTP server on 127.0.0.1 is referenced from every place content can
carry a URL; it must receive nothing. Reads: a Python audit hook records every file the
build process opens; none may be outside the project (the secret files sit beside it, in a
sibling folder whose name starts with the project's name).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostilekit import SMALL_PROJECT, Recorder, invoke, run, snapshot, write_project

pypdf = pytest.importorskip("pypdf")

SECRET = "TOP-SECRET-OUTSIDE-THE-PROJECT"

# --- an audit hook recording every file opened while a test asks for it ----------------

_RECORDING: list[list[str]] = []
_LOCK = threading.Lock()


def _audit(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if event == "open" and _RECORDING and isinstance(args[0], str | bytes | os.PathLike):
        with _LOCK:
            for opened in _RECORDING:
                opened.append(os.fsdecode(args[0]))


_HOOKED = False


@pytest.fixture
def opened_files() -> Iterator[list[str]]:
    """Every path this process opens while the fixture is active (audit hook)."""
    global _HOOKED
    if not _HOOKED:
        sys.addaudithook(_audit)  # hooks cannot be removed: it stays idle between tests
        _HOOKED = True
    opened: list[str] = []
    _RECORDING.append(opened)
    yield opened
    _RECORDING.remove(opened)


def _outside(paths: list[str], root: Path, *forbidden: Path) -> list[str]:
    """The opened paths that are inside one of the forbidden places."""
    assert any(p.startswith(str(root)) for p in paths), "the audit hook saw no project file"
    bad = []
    for raw in paths:
        path = Path(raw) if os.path.isabs(raw) else Path.cwd() / raw
        real = Path(os.path.realpath(path))
        for place in forbidden:
            if real == place or real.is_relative_to(place) or path.is_relative_to(place):
                bad.append(raw)
    return bad


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    """(project root `content`, sibling `content-evil` holding the secrets)."""
    evil = tmp_path / "content-evil"
    evil.mkdir()
    (evil / "x.png").write_text(SECRET)
    (evil / "logo.svg").write_text(
        f"<svg xmlns='http://www.w3.org/2000/svg'><text>{SECRET}</text></svg>"
    )
    (evil / "data.csv").write_text(f"date,score\n2026-01-01,9\n# {SECRET}\n")
    (evil / "templates").mkdir()
    (evil / "templates" / "base.html").write_text(SECRET)
    return tmp_path / "content", evil


def _svg_pulling(base: str, evil: Path) -> str:
    """An SVG image that tries to pull in remote and outside resources."""
    return (
        "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
        "width='40' height='40'>"
        f"<image href='{base}/svg-image.png' width='10' height='10'/>"
        f"<image xlink:href='{base}/svg-xlink.png' width='10' height='10'/>"
        "<image href='file:///etc/passwd' width='10' height='10'/>"
        f"<image href='{(evil / 'x.png').as_uri()}' width='10' height='10'/>"
        "<image href='../../content-evil/x.png' width='10' height='10'/>"
        f"<style>@import url({base}/svg.css); rect {{ fill: url({base}/fill.svg#p) }}</style>"
        "<rect width='40' height='40'/></svg>"
    )


def _hostile_but_valid(root: Path, base: str, evil: Path) -> Path:
    """A valid project whose content points at the network and outside the project."""
    md = (
        f"![remote]({base}/md-image.png) ![passwd](file:///etc/passwd) "
        f"![sibling](../content-evil/x.png) <img src='{base}/html-img.png'> "
        f"[link]({base}/link) <link rel=stylesheet href='{base}/md.css'> "
        f"<video src='{base}/v.mp4' poster='{base}/poster.png'></video> "
        f"<iframe src='{base}/frame'></iframe> <object data='{base}/object'></object> "
        f'<div style="background:url({base}/style.png)">styled</div>'
    )
    files = dict(SMALL_PROJECT)
    files["cxsite.yaml"] = (
        f"title: Machine\norganization: Acme\nbase_url: {base}/site/\n"
        f"description: |\n  {md}\n"
        "brand:\n  logo: assets/logo.svg\n"
        "briefs:\n  - {id: executive, kind: executive}\n"
        "  - {id: maya, kind: persona, persona: maya}\n"
        "  - {id: map, kind: journey, journey: buy}\n  - {id: book, kind: personas}\n"
    )
    files["personas/maya.yaml"] = (
        "name: Maya Chen\nrole: Busy urban runner\n"
        f"photo: assets/maya.svg\nsummary: |\n  {md}\ngoals:\n  - |-\n    {md}\n"
        f"evidence:\n  - source: Remote\n    url: {base}/evidence\n    date: 2026-05-01\n"
    )
    files["journeys/buy.yaml"] += f"summary: |\n  {md}\n"
    # An SVG that pulls resources in is refused (E405, see below); a link is only followed
    # when clicked.
    picture = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40'>"
        f"<a href='{base}/svg-link'><rect width='40' height='40'/></a></svg>"
    )
    files["assets/maya.svg"] = picture
    files["assets/logo.svg"] = picture
    # The site's own stylesheet may name remote URLs: it is copied, never fetched by a build.
    files["theme/static/extra.css"] = (
        f"@import url({base}/theme.css); body {{ background: url({base}/bg.png) }}\n"
    )
    return write_project(root, files)


@pytest.mark.pdf
@pytest.mark.slow
def test_full_build_with_pdfs_makes_no_request_and_reads_nothing_outside(
    places: tuple[Path, Path], recorder: Recorder, opened_files: list[str]
) -> None:
    root, evil = places
    _hostile_but_valid(root, recorder.base, evil)
    out = root.parent / "site"
    result = invoke("build", str(root), "-o", str(out), "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    assert recorder.requests == []
    assert _outside(opened_files, root, evil, Path("/etc/passwd"), Path("/dev/zero")) == []
    pdfs = sorted((out / "briefs").glob("*.pdf"))
    assert [p.name for p in pdfs] == ["book.pdf", "executive.pdf", "map.pdf", "maya.pdf"]
    passwd = Path("/etc/passwd").read_bytes()[:64]
    for rel, data in snapshot(out).items():
        assert SECRET.encode() not in data, rel
        assert passwd not in data, rel
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert b"/EmbeddedFiles" not in data and b"/FileAttachment" not in data
        assert b"/URI (http://127.0.0.1" not in data or b"/evidence" in data  # links only
        assert pypdf.PdfReader(pdf).attachments == {}
    # Only what content references is copied: no outside file, no dot-file.
    assert sorted(p for p in snapshot(out) if p.startswith("assets/")) == [
        "assets/logo.svg",
        "assets/maya.svg",
    ]


def test_an_svg_photo_or_logo_pulling_resources_is_refused_and_fetches_nothing(
    places: tuple[Path, Path], recorder: Recorder
) -> None:
    """An SVG photo or logo naming remote or outside files (`<image>`, `@import`, `url()`) is
    E405: opened from the published site, it would make the viewer fetch them."""
    root, evil = places
    files = dict(SMALL_PROJECT)
    files["cxsite.yaml"] = "title: T\nbrand:\n  logo: assets/logo.svg\n"
    files["assets/logo.svg"] = _svg_pulling(recorder.base, evil)
    write_project(root, files)
    result = invoke("check", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "cxsite.yaml:3:3: error E405: 'assets/logo.svg' is an SVG with active content "
        "(an external reference in <image href>): remove it"
    )
    assert recorder.requests == []


# --- paths that lead outside: refused by validation, never opened ---------------------


def _path_cases(root: Path, evil: Path) -> dict[str, tuple[str, str]]:
    """photo value -> the exact problem line (personas/maya.yaml, photo on line 6)."""
    at = "personas/maya.yaml:6:1: error"
    return {
        "file:///etc/passwd": (
            "file:///etc/passwd",
            f"{at} E401: 'file:///etc/passwd' is a URL: give a path relative to the project root",
        ),
        "absolute": (
            "/etc/passwd",
            f"{at} E401: '/etc/passwd' is an absolute path: "
            "give a path relative to the project root",
        ),
        "dot-dot": (
            "../content-evil/x.png",
            f"{at} E402: '../content-evil/x.png' points outside the project (through '..')",
        ),
        "dot-dot-inside-then-out": (
            "assets/../../content-evil/x.png",
            f"{at} E402: 'assets/../../content-evil/x.png' points outside the project "
            "(through '..')",
        ),
        "symlink-to-sibling-prefix": (
            "assets/sibling.png",
            f"{at} E402: 'assets/sibling.png' leads outside the project through a symlink",
        ),
        "symlink-to-passwd": (
            "assets/passwd.png",
            f"{at} E402: 'assets/passwd.png' leads outside the project through a symlink",
        ),
        "symlink-to-dev-zero": (
            "assets/zero.png",
            f"{at} E402: 'assets/zero.png' leads outside the project through a symlink",
        ),
        "folder-symlink-to-sibling": (
            "assets/evil/x.png",
            f"{at} E402: 'assets/evil/x.png' leads outside the project through a symlink",
        ),
        "fifo": ("assets/pipe.png", f"{at} E404: 'assets/pipe.png' is not a regular file"),
    }


@pytest.fixture
def trap_project(places: tuple[Path, Path]) -> tuple[Path, Path]:
    root, evil = places
    write_project(root, SMALL_PROJECT)
    assets = root / "assets"
    assets.mkdir()
    (assets / "sibling.png").symlink_to(evil / "x.png")
    (assets / "passwd.png").symlink_to("/etc/passwd")
    (assets / "zero.png").symlink_to("/dev/zero")
    (assets / "evil").symlink_to(evil, target_is_directory=True)
    os.mkfifo(assets / "pipe.png")
    return root, evil


@pytest.mark.parametrize(
    "case",
    [
        "file:///etc/passwd",
        "absolute",
        "dot-dot",
        "dot-dot-inside-then-out",
        "symlink-to-sibling-prefix",
        "symlink-to-passwd",
        "symlink-to-dev-zero",
        "folder-symlink-to-sibling",
        "fifo",
    ],
)
def test_photo_leading_outside_is_refused_and_never_opened(
    trap_project: tuple[Path, Path], opened_files: list[str], case: str
) -> None:
    root, evil = trap_project
    value, line = _path_cases(root, evil)[case]
    persona = root / "personas" / "maya.yaml"
    persona.write_text(persona.read_text() + f"photo: '{value}'\n")
    result = invoke("build", str(root), "-o", str(root.parent / "site"), "-q")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [line]
    forbidden = (evil, Path("/etc/passwd"), Path("/dev/zero"), root / "assets" / "pipe.png")
    assert _outside(opened_files, root, *forbidden) == []


def test_logo_theme_and_csv_leading_outside_are_refused(
    trap_project: tuple[Path, Path], opened_files: list[str]
) -> None:
    root, evil = trap_project
    (root / "data").mkdir()
    (root / "data" / "out.csv").symlink_to(evil / "data.csv")
    os.mkfifo(root / "data" / "pipe.csv")
    (root / "data" / "zero.csv").symlink_to("/dev/zero")
    (root / "cxsite.yaml").write_text(
        "title: T\ntheme: ../content-evil\nbrand:\n  logo: ../content-evil/logo.svg\n"
    )
    for name, csv in (("a", "data/out.csv"), ("b", "data/pipe.csv"), ("c", "data/zero.csv")):
        (root / "metrics" / f"{name}.yaml").write_text(
            f"name: {name}\nkind: nps\ntarget: 1\nresponses: {csv}\n"
        )
    result = invoke("check", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "cxsite.yaml:2:1: error E402: '../content-evil' points outside the project (through '..')",
        "cxsite.yaml:4:3: error E402: '../content-evil/logo.svg' points outside the project "
        "(through '..')",
        "metrics/a.yaml:4:1: error E402: 'data/out.csv' leads outside the project through a "
        "symlink",
        "metrics/b.yaml:4:1: error E404: 'data/pipe.csv' is not a regular file",
        "metrics/c.yaml:4:1: error E402: 'data/zero.csv' leads outside the project through a "
        "symlink",
    ]
    forbidden = (evil, Path("/dev/zero"), root / "data" / "pipe.csv")
    assert _outside(opened_files, root, *forbidden) == []


def test_theme_files_linking_outside_are_refused(
    trap_project: tuple[Path, Path], opened_files: list[str]
) -> None:
    """A theme override that is a symlink to a file outside would publish that file."""
    root, evil = trap_project
    (root / "theme" / "templates").mkdir(parents=True)
    (root / "theme" / "static").mkdir(parents=True)
    (root / "theme" / "templates" / "base.html").symlink_to(evil / "templates" / "base.html")
    (root / "theme" / "static" / "leak.css").symlink_to("/etc/passwd")
    (root / "theme" / "static" / "zero.css").symlink_to("/dev/zero")
    os.mkfifo(root / "theme" / "static" / "pipe.css")
    out = root.parent / "site"
    result = invoke("build", str(root), "-o", str(out), "--no-pdf", "-q")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "theme/static/leak.css:1:1: error E402: 'theme/static/leak.css' leads outside the "
        "project through a symlink",
        "theme/static/pipe.css:1:1: error E404: 'theme/static/pipe.css' is not a regular file",
        "theme/static/zero.css:1:1: error E402: 'theme/static/zero.css' leads outside the "
        "project through a symlink",
        "theme/templates/base.html:1:1: error E402: 'theme/templates/base.html' leads outside "
        "the project through a symlink",
    ]
    assert not out.exists()
    forbidden = (
        evil,
        Path("/etc/passwd"),
        Path("/dev/zero"),
        root / "theme" / "static" / "pipe.css",
    )
    assert _outside(opened_files, root, *forbidden) == []


def test_hidden_and_unreferenced_files_are_never_published(
    places: tuple[Path, Path], tmp_path: Path
) -> None:
    root, _ = places
    write_project(root, SMALL_PROJECT)
    (root / "assets").mkdir()
    (root / "assets" / "unused.png").write_bytes(b"\x89PNG")
    (root / "assets" / ".env").write_text("TOKEN=secret")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[remote]\nurl = secret")
    (root / "theme" / "static").mkdir(parents=True)
    (root / "theme" / "static" / ".secret.css").write_text("secret")
    (root / "theme" / "static" / "notes.css~").write_text("secret")
    out = tmp_path / "site"
    assert invoke("build", str(root), "-o", str(out), "--no-pdf", "-q").exit_code == 0
    published = snapshot(out)
    assert not [p for p in published if "unused" in p or "/." in p or p.endswith("~")]
    assert all(b"secret" not in data for data in published.values())


def test_entity_folder_linking_outside_is_refused_and_never_read(
    places: tuple[Path, Path], opened_files: list[str]
) -> None:
    """A repository commits `personas` as a symlink to a folder elsewhere (~/.ssh, say)."""
    root, evil = places
    write_project(root, SMALL_PROJECT)
    (evil / "maya.yaml").write_text((root / "personas" / "maya.yaml").read_text())
    for entry in (root / "personas").iterdir():
        entry.unlink()
    (root / "personas").rmdir()
    (root / "personas").symlink_to(evil, target_is_directory=True)
    opened_files.clear()  # the setup above wrote there; the check must not read there
    result = invoke("check", str(root))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "personas:1:1: error E402: 'personas' is a symlink leading outside the project" in lines
    assert [line for line in lines if line.startswith("personas/")] == []
    assert _outside(opened_files, root, evil) == []
    # `cxsite new` does not write through the link either.
    before = sorted(p.name for p in evil.iterdir())
    made = invoke("new", "persona", "zed", str(root))
    assert made.exit_code == 1
    assert made.stderr.strip() == (
        f"Error: refusing to write {root / 'personas' / 'zed.yaml'}: "
        "'personas' leads outside the project"
    )
    assert sorted(p.name for p in evil.iterdir()) == before


@pytest.mark.parametrize(
    "expression",
    [
        "cycler.__init__.__globals__.os.system('touch {marker}')",
        "lipsum.__globals__['os'].popen('touch {marker}').read()",
        "self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch {marker}')",
        "().__class__.__base__.__subclasses__()",
    ],
)
def test_a_theme_template_cannot_run_code(tmp_path: Path, expression: str) -> None:
    """Theme overrides come through pull requests too: templates run sandboxed, so the
    classic Jinja escapes fail the build instead of running a command on the build machine."""
    marker = tmp_path / "pwned"
    files = dict(SMALL_PROJECT)
    files["theme/templates/base.html"] = (
        '{% extends "!default/base.html" %}{% block head %}{{ '
        + expression.format(marker=marker)
        + " }}{% endblock %}"
    )
    root = write_project(tmp_path / "project", files)
    out = tmp_path / "site"
    result = invoke("build", str(root), "-o", str(out), "--no-pdf", "-j", "1", "-q")
    assert not marker.exists()
    assert result.exit_code == 1, result.output
    assert "unsafe" in result.stderr, result.stderr
    assert not out.exists()


def test_unreferenced_symlinks_leading_outside_are_never_read(
    places: tuple[Path, Path], opened_files: list[str]
) -> None:
    """Files no field references (a stray link in assets/, in data/) are not inputs: a
    build, and a second (incremental) build, open nothing they point at."""
    root, evil = places
    write_project(root, SMALL_PROJECT)
    (root / "assets").mkdir()
    (root / "assets" / "stray.png").symlink_to(evil / "x.png")
    (root / "data").mkdir()
    (root / "data" / "passwd.csv").symlink_to("/etc/passwd")
    (root / "notes.md").symlink_to(evil / "x.png")
    out = root.parent / "site"
    for _ in range(2):
        result = invoke("build", str(root), "-o", str(out), "--no-pdf", "-j", "1", "-q")
        assert result.exit_code == 0, result.output
    assert _outside(opened_files, root, evil, Path("/etc/passwd")) == []
    assert all(SECRET.encode() not in data for data in snapshot(out).values())


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_cxsite_yaml_that_is_not_a_file_is_e404(tmp_path: Path, kind: str) -> None:
    """A `cxsite.yaml` that is a FIFO (never opened: reading it would wait forever) or a
    folder is said to be what it is, found from inside the project too; it was "has no
    cxsite.yaml" or "no cxsite.yaml in ... or any folder above it"."""
    root = write_project(tmp_path / "project", SMALL_PROJECT)
    (root / "cxsite.yaml").unlink()
    if kind == "fifo":
        os.mkfifo(root / "cxsite.yaml")
    else:
        (root / "cxsite.yaml").mkdir()
    line = "cxsite.yaml:1:1: error E404: 'cxsite.yaml' is not a regular file"
    for args, cwd in (
        (["check", str(root)], tmp_path),
        (["check"], root / "personas"),
        (["build", str(root), "-o", str(tmp_path / "site"), "--no-pdf", "-q"], tmp_path),
    ):
        done = run(args, timeout=60, cwd=cwd)
        assert done.returncode == 1, done.stderr
        assert done.stdout.splitlines() == [line]
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()
