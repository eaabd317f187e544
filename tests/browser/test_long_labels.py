"""A label of 10,000 characters (issue 16, bad input): kept whole, escaped, and the pages
keep their width at desktop and phone sizes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli

# One word with no place to break, and a text with markup and spaces.
LONG_WORD = "J" * 10_000
LONG_TEXT = ("<script>alert(1)</script> Kundschaft " * 300)[:10_000]
PAGES = ("index.html", "personas/maya.html", "journeys/buy.html", "touchpoints/index.html")


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from projectfiles import BASE_FILES, write_files

    root = write_files(tmp_path_factory.mktemp("long") / "project", BASE_FILES)
    labels = (
        f"labels:\n  term.journeys: {json.dumps(LONG_WORD)}\n  customers: {json.dumps(LONG_TEXT)}\n"
    )
    config = root / "cxsite.yaml"
    config.write_text(config.read_text(encoding="utf-8") + labels, encoding="utf-8")
    site = root.parent / "site"
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(site), "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output
    return site


def test_a_long_label_is_kept_whole_and_escaped(long_site: Path) -> None:
    home = (long_site / "index.html").read_text(encoding="utf-8")
    assert LONG_WORD in home
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Kundschaft" in home
    assert "<script>alert" not in home


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 375])
@pytest.mark.parametrize("path", PAGES)
def test_a_long_label_does_not_widen_the_page(
    new_page, long_site: Path, path: str, width: int
) -> None:
    page, watch = new_page(long_site.as_uri() + "/", width=width)
    page.goto(long_site.as_uri() + "/" + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert watch.errors == []
