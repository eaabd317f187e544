"""Every chart the example site draws is shown on a page, with alt text and a data table.

A chart's "section" is the innermost `<section>` or `.chart-block` element around it.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from cxsite.cli import cli
from cxsite.resources import example_dir


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project built once, without PDFs."""
    root = tmp_path_factory.mktemp("wiring") / "content"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    result = CliRunner().invoke(
        cli,
        ["build", str(root), "-o", str(root / "_site"), "--no-pdf", "-q"],
        catch_exceptions=False,
        env={"SOURCE_DATE_EPOCH": "1790000000"},
    )
    assert result.exit_code == 0, result.output
    return root / "_site"


class _Section:
    def __init__(self) -> None:
        self.has_table = False
        self.charts: list[tuple[str, str]] = []  # (site path, alt)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _ChartImages(HTMLParser):
    """Chart <img>s of a page, grouped by the innermost <section> or `.chart-block` holding them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.outside = _Section()
        self.stack: list[tuple[str, _Section | None]] = []  # open elements, blocks marked
        self.sections: list[_Section] = [self.outside]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            for _, section in self.stack:
                if section:
                    section.has_table = True
        elif tag == "img":
            src = unquote(urlsplit(a.get("src") or "").path)
            path = normpath(str(Path(self.page).parent / src))
            if path.startswith("charts/"):
                blocks = [s for _, s in self.stack if s]
                (blocks[-1] if blocks else self.outside).charts.append(
                    (path, (a.get("alt") or "").strip())
                )
        if tag in VOID:
            return
        block = None
        if tag == "section" or "chart-block" in (a.get("class") or "").split():
            block = _Section()
            self.sections.append(block)
        self.stack.append((tag, block))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


def _pages(site: Path) -> dict[str, _ChartImages]:
    parsed = {}
    for html in sorted(site.rglob("*.html")):
        page = html.relative_to(site).as_posix()
        parsed[page] = _ChartImages(page)
        parsed[page].feed(html.read_text(encoding="utf-8"))
    return parsed


def test_every_drawn_chart_is_shown_on_some_page(example_site: Path) -> None:
    shown = {
        path for p in _pages(example_site).values() for s in p.sections for path, _ in s.charts
    }
    drawn = {f.relative_to(example_site).as_posix() for f in (example_site / "charts").iterdir()}
    assert drawn, "the example draws charts"
    assert sorted(drawn - shown) == []
    assert sorted(shown - drawn) == []


def test_every_chart_image_has_alt_text_and_a_table_in_its_section(example_site: Path) -> None:
    bad = []
    for page, parsed in _pages(example_site).items():
        for section in parsed.sections:
            for path, alt in section.charts:
                if not alt:
                    bad.append((page, path, "no alt"))
                if section is parsed.outside or not section.has_table:
                    bad.append((page, path, "no table in its section"))
    assert bad == []
