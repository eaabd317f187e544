"""PDF briefs are kept between builds (briefs/cache.py): a brief whose HTML, charts and the
project files it shows did not change is not rendered again, and what a build writes is
always what a build without any kept brief writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cxsite.briefs import pdf
from cxsite.cachefiles import CACHE_DIR
from cxsite.commands.build import build_site
from cxsite.commands.report import Silent

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
    '<rect width="8" height="8" fill="{}"/></svg>\n'
)
FILES = {
    "cxsite.yaml": (
        "title: Test CX\nbrand:\n  logo: assets/logo.svg\nbriefs:\n"
        "  - {id: board, kind: executive}\n  - {id: maya, kind: persona, persona: maya}\n"
    ),
    "assets/logo.svg": LOGO.format("#123456"),
}


class Steps(Silent):
    """The progress steps a build tells."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def step(self, message: str) -> None:
        self.said.append(message)


def _briefs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "briefs").glob("*.pdf"))}


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The first line of the HTML of every brief rendered (in this process: -j 1)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    seen: list[str] = []
    original = pdf.render_pdf

    def noted(html, root, memory):  # type: ignore[no-untyped-def]
        seen.append(html)
        return original(html, root, memory)

    monkeypatch.setattr(pdf, "render_pdf", noted)
    return seen


def test_a_brief_is_rendered_again_only_when_what_it_shows_changed(
    make_project, tmp_path: Path, rendered: list[str]
) -> None:
    root = make_project(FILES)
    out = tmp_path / "site"
    build_site(root, out, jobs=1)
    assert len(rendered) == 2
    first = _briefs(out)
    assert sorted(first) == ["board.pdf", "maya.pdf"]

    persona = root / "personas/maya.yaml"  # a comment: a new build, the same briefs
    persona.write_text("# reviewed in November\n" + persona.read_text())
    rendered.clear()
    steps = Steps()
    build_site(root, out, jobs=1, report=steps)
    assert rendered == []
    assert _briefs(out) == first
    assert steps.said[-1] == "Keeping 2 PDF briefs, unchanged"

    (root / "assets/logo.svg").write_text(LOGO.format("#abcdef"))  # same HTML, new bytes
    steps = Steps()
    build_site(root, out, jobs=1, report=steps)
    assert len(rendered) == 1  # the executive brief's cover shows the logo
    assert steps.said[-1] == "Rendering 1 PDF brief (1 unchanged)"
    assert _briefs(out)["board.pdf"] != first["board.pdf"]

    for entry in (root / CACHE_DIR / "briefs").glob("*.pickle"):  # damaged: not trusted
        body = entry.read_bytes()
        entry.write_bytes(body[:-1] + (b"1" if body.endswith(b"0") else b"0"))
    persona.write_text("# and again\n" + persona.read_text())  # a build that goes ahead
    rendered.clear()
    build_site(root, out, jobs=1)
    assert len(rendered) == 2
    assert len(list((root / CACHE_DIR / "briefs").glob("*.pickle"))) == 2  # no stale entry

    fresh = shutil.copytree(root, tmp_path / "fresh", ignore=shutil.ignore_patterns(CACHE_DIR))
    build_site(fresh, tmp_path / "fresh-site", jobs=1)
    assert _briefs(tmp_path / "fresh-site") == _briefs(out)


def test_other_fonts_are_another_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A brief laid out with other font files has other bytes: the fonts' fingerprint
    (each file's path, size and time) is part of its key."""
    import matplotlib

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    font = fonts / "DejaVuSans.ttf"
    shutil.copyfile(Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf", font)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    first = pdf.require_fonts()
    assert pdf.require_fonts() == first
    font.write_bytes(font.read_bytes() + b"\0")  # an upgraded font file
    assert pdf.require_fonts() != first


def test_a_briefs_folder_leading_out_of_the_project_is_not_used(
    make_project, tmp_path: Path, rendered: list[str]
) -> None:
    """`.cxsite-cache/briefs` committed as a link to a folder elsewhere: nothing is read,
    written or removed there, and the briefs are rendered as without a cache."""
    root = make_project(FILES)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "someone-elses.pickle").write_bytes(b"keep me")
    (root / CACHE_DIR).mkdir()
    (root / CACHE_DIR / "briefs").symlink_to(elsewhere)
    for _ in range(2):
        build_site(root, tmp_path / "site", jobs=1)
        persona = root / "personas/maya.yaml"
        persona.write_text("# again\n" + persona.read_text())
    assert len(rendered) == 4  # both builds rendered both briefs
    assert [p.name for p in elsewhere.iterdir()] == ["someone-elses.pickle"]
    assert (elsewhere / "someone-elses.pickle").read_bytes() == b"keep me"
