"""PDF safety: the fetcher serves only project files and in-memory charts; hostile content
reaches no server, embeds no file and leaks no bytes from outside the project."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.briefs.pdf import Refused, make_fetcher, read_project_file, render_pdf
from cxsite.cli import cli

pypdf = pytest.importorskip("pypdf")

PASSWD_MARK = b"root:x:0:0"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    )
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n")
    (tmp_path / "secret.txt").write_text("secret")
    return root


def fetch(root: Path, url: str, memory: dict[str, bytes] | None = None) -> bytes:
    """Fetch through the brief fetcher, returning the body."""
    fetcher = make_fetcher(root, memory or {})
    return fetcher.fetch(url).read()


def test_fetcher_serves_a_project_file_and_memory(project: Path) -> None:
    url = (project / "assets" / "logo.svg").as_uri()
    assert fetch(project, url).startswith(b"<svg")
    assert fetch(project, "cxsite:charts/a.svg", {"charts/a.svg": b"<svg/>"}) == b"<svg/>"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/x.css", "'http' resources are never fetched"),
        ("https://example.com/x.png", "'https' resources are never fetched"),
        ("data:text/plain,hello", "'data' resources are never fetched"),
        ("ftp://example.com/x", "'ftp' resources are never fetched"),
        ("file:///etc/passwd", "file outside the project"),
        ("file:///dev/zero", "file outside the project"),
        ("cxsite:charts/missing.svg", "no such chart"),
    ],
)
def test_fetcher_refuses(project: Path, url: str, reason: str) -> None:
    fetcher = make_fetcher(project, {})
    with pytest.raises(Refused, match=reason):
        fetcher.fetch(url)
    assert fetcher.blocked == [(url, reason)]


def test_fetcher_refuses_a_symlink_out_of_the_project(project: Path) -> None:
    link = project / "assets" / "photo.png"
    link.symlink_to("/etc/passwd")
    with pytest.raises(Refused, match="file outside the project"):
        fetch(project, link.as_uri())
    # A relative `..` walk is resolved the same way.
    with pytest.raises(Refused, match="file outside the project"):
        fetch(project, (project / "assets" / ".." / ".." / "secret.txt").as_uri())


def test_fetcher_refuses_hidden_files_dirs_fifos_and_big_files(project: Path) -> None:
    with pytest.raises(Refused, match="hidden files"):
        fetch(project, (project / ".git" / "config").as_uri())
    with pytest.raises(Refused, match="not a regular file"):
        fetch(project, (project / "assets").as_uri())
    fifo = project / "assets" / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(Refused, match="not a regular file"):
        fetch(project, fifo.as_uri())
    big = project / "assets" / "big.png"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(Refused, match="larger than"):
        read_project_file(project, big.as_uri(), max_bytes=1024)
    with pytest.raises(Refused, match="file not found"):
        fetch(project, (project / "nothing.png").as_uri())


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared by the handler instances of one server

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server recording every request it gets."""
    handler = type("Recorder", (_Recorder,), {"requests": []})
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.requests
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.pdf
def test_render_pdf_keeps_hostile_html_out(project: Path, server: tuple[str, list[str]]) -> None:
    base, requests = server
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
<link rel="stylesheet" href="{base}/a.css"><link rel="attachment" href="assets/logo.svg">
<style>@import url({base}/b.css); body {{ background: url({base}/c.png) }}</style></head>
<body><p>Hello</p><img src="file:///etc/passwd" alt="x"><img src="{base}/d.png" alt="y">
<a rel="attachment" href="assets/logo.svg">attached</a>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="{base}/e.png"
 width="10" height="10"/></svg></body></html>"""
    result = render_pdf(html, project, {})
    assert requests == []
    refused = {url for url, _ in result.blocked}
    assert {f"{base}/a.css", f"{base}/b.css", "file:///etc/passwd", f"{base}/d.png"} <= refused
    assert PASSWD_MARK not in result.data
    assert b"/EmbeddedFiles" not in result.data and b"/FileAttachment" not in result.data


HOSTILE_MD = (
    'Hi <img src="file:///etc/passwd"> ![p](file:///etc/passwd) ![q]({base}/md.png)\n'
    '<link rel="attachment" href="cxsite.yaml"> <a rel="attachment" href="cxsite.yaml">a</a>\n'
    "<style>@import url({base}/md.css);</style>"
    '<div style="background: url({base}/style.png)">styled</div>\n'
)


def _project(root: Path, summary: str, extra: dict[str, str] | None = None) -> Path:
    files = {
        "cxsite.yaml": (
            "title: Hostile\nbriefs:\n  - {id: exec, kind: executive}\n"
            "  - {id: maya, kind: persona, persona: maya}\n"
            "  - {id: book, kind: personas}\n  - {id: map, kind: journey, journey: buy}\n"
        ),
        "personas/maya.yaml": (
            "name: Maya\nrole: Runner\nsummary: |\n"
            + "".join(f"  {line}\n" for line in summary.splitlines())
            + "goals:\n  - '![g](file:///etc/passwd) <img src=\"file:///etc/passwd\">'\n"
        ),
        "journeys/buy.yaml": (
            "title: Buy\npersonas: [maya]\nsummary: |\n"
            + "".join(f"  {line}\n" for line in summary.splitlines())
            + "stages:\n  - name: Buy\n    emotion: 1\n"
            "    actions: ['<img src=\"file:///etc/passwd\">']\n"
            '    pain_points: [\'<link rel="attachment" href="cxsite.yaml">pain\']\n'
        ),
        **(extra or {}),
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _assert_clean(pdf: Path) -> None:
    data = pdf.read_bytes()
    assert PASSWD_MARK not in data
    assert b"/EmbeddedFiles" not in data and b"/FileAttachment" not in data
    reader = pypdf.PdfReader(pdf)
    assert reader.attachments == {}
    text = "".join(page.extract_text() for page in reader.pages)
    assert "root:x:0:0" not in text


@pytest.mark.pdf
def test_hostile_markdown_reaches_nothing(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, requests = server
    root = _project(tmp_path / "p", HOSTILE_MD.format(base=base))
    result = CliRunner().invoke(cli, ["pdf", str(root), "-j", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert requests == []
    made = sorted((root / "_site" / "briefs").glob("*.pdf"))
    assert [p.name for p in made] == ["book.pdf", "exec.pdf", "map.pdf", "maya.pdf"]
    for pdf in made:
        _assert_clean(pdf)
    # The hostile fields were rendered (as sanitised text), not skipped.
    persona_text = "".join(p.extract_text() for p in pypdf.PdfReader(made[3]).pages)
    assert "styled" in persona_text


@pytest.mark.pdf
def test_hostile_theme_is_a_build_error(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, requests = server
    theme_css = (
        f"@import url({base}/theme.css);\n"
        '{% include "!default/briefs/briefs.css" %}\n'
        f"body {{ background: url({base}/bg.png); }}\n"
    )
    root = _project(
        tmp_path / "p",
        "Plain summary.",
        {"theme/templates/briefs/briefs.css": theme_css},
    )
    result = CliRunner().invoke(cli, ["pdf", str(root), "--brief", "exec"])
    assert result.exit_code == 1
    assert requests == []
    assert (
        f"brief 'exec' (template or Markdown): resource '{base}/theme.css' refused in PDF "
        "brief 'exec': 'http' resources are never fetched"
    ) in result.output
    assert not (root / "_site").exists()


@pytest.mark.pdf
def test_photo_swapped_for_a_symlink_names_the_persona_field(tmp_path: Path) -> None:
    # Validation refuses a symlinked photo; if it is swapped in after validation the fetcher
    # still refuses it, and the error names the file and field it comes from.
    from cxsite.analysis.analyse import analyse
    from cxsite.briefs.render import render_briefs
    from cxsite.problems import CxError
    from cxsite.validate.project import load_project

    root = _project(tmp_path / "p", "Plain.")
    (root / "assets").mkdir()
    (root / "assets" / "maya.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    persona = root / "personas" / "maya.yaml"
    persona.write_text(persona.read_text() + "photo: assets/maya.png\n")
    checked = load_project(root)
    assert checked.project is not None, checked.problems
    (root / "assets" / "maya.png").unlink()
    (root / "assets" / "maya.png").symlink_to("/etc/passwd")
    analysis = analyse(checked.project, checked.metric_data)
    with pytest.raises(CxError) as error:
        render_briefs(checked.project, analysis, {}, tmp_path / "stage", ["maya"], 1)
    assert error.value.message == (
        f"personas/maya.yaml: photo: resource '{(root / 'assets' / 'maya.png').as_uri()}' "
        "refused in PDF brief 'maya': file outside the project"
    )
    assert not (tmp_path / "stage" / "briefs" / "maya.pdf").exists()


def test_a_pdf_with_embedded_files_is_refused() -> None:
    # The last line of defence behind dropping rel=attachment: the finisher that runs
    # before WeasyPrint writes the file.
    from types import SimpleNamespace

    from cxsite.briefs.pdf import _finish
    from cxsite.problems import CxError

    _finish(SimpleNamespace(pages=[]), SimpleNamespace(catalog={"Names": {"Dests": []}}))
    with pytest.raises(CxError, match="attachments are never allowed"):
        _finish(SimpleNamespace(pages=[]), SimpleNamespace(catalog={"Names": {"EmbeddedFiles": 1}}))


@pytest.mark.parametrize(
    "name", [b"caf\xc3\xa9", b"caf\xe9", b"100%"], ids=["utf-8", "latin-1", "percent"]
)
def test_a_project_under_any_folder_name_serves_its_files(tmp_path: Path, name: bytes) -> None:
    """The base URL is the root's `Path.as_uri()`, which percent-encodes the name's bytes:
    the fetcher reads them back as bytes. A folder name that is not UTF-8 (an old Latin-1
    disk) was read back as another name, and every brief with a logo failed."""
    root = tmp_path / os.fsdecode(name)
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "logo.svg").write_bytes(b"<svg/>")
    url = (root / "assets" / "logo.svg").as_uri()
    assert read_project_file(root, url) == b"<svg/>"
