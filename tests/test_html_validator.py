"""The Nu Html Checker (npm `vnu-jar`, under Java 17) over every page of the built example.

Every page goes to one java process (the checker accepts many files); zero errors, and a
warning only when it is in ALLOWED_WARNINGS with the reason it is accepted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cxsite.commands.build import build_site
from cxsite.resources import example_dir

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Warning message (start) -> why it is accepted. Keep this list short and explained.
ALLOWED_WARNINGS: dict[str, str] = {}
# CSS properties the checker's CSS grammar does not know yet -> why the stylesheet uses them.
NEWER_CSS: dict[str, str] = {
    "animation-timeline": "the chart scroll cue (cxsite.css); browsers without it show none",
}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("vnu") / "content"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    out = root.parent / "site"
    build_site(root, out, pdf=False, strict=False, jobs=1)
    return out


def nu_check(files: list[Path]) -> list[dict[str, object]]:
    """The checker's messages for `files`, from one java process."""
    assert VNU.is_file(), f"{VNU} is missing: run `make node-deps`"
    java = shutil.which("java")
    assert java, "java (17 or later) is missing: run `make system-deps`"
    done = subprocess.run(
        [java, "-Xss2m", "-jar", str(VNU), "--format", "json", "--exit-zero-always"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # The checker writes its JSON report to stderr.
    return json.loads(done.stderr)["messages"]


def describe(message: dict[str, object], root: Path) -> str:
    url = str(message.get("url", ""))
    where = url.split(root.as_uri() + "/")[-1] if url else "?"
    return f"{where}:{message.get('lastLine', '?')}: {message['type']}: {message['message']}"


def test_every_page_passes_the_nu_html_checker(example_site: Path) -> None:
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 30  # every page kind of the example, not a handful
    messages = nu_check(pages)
    errors = [
        describe(m, example_site)
        for m in messages
        if m["type"] != "info"
        and not any(
            str(m["message"]) == f"CSS: “{p}”: Property “{p}” doesn't exist." for p in NEWER_CSS
        )
    ]
    warnings = [
        describe(m, example_site)
        for m in messages
        if m["type"] == "info"
        and m.get("subType") == "warning"
        and not any(str(m["message"]).startswith(w) for w in ALLOWED_WARNINGS)
    ]
    assert errors == []
    assert warnings == []


def test_the_checker_finds_a_heading_jump(tmp_path: Path) -> None:
    """The check is live: a page jumping from h1 to h3 is an error."""
    page = tmp_path / "jump.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        "<body><h1>One</h1><h3>Three</h3></body></html>",
        encoding="utf-8",
    )
    messages = nu_check([page])
    assert [m["type"] for m in messages] == ["error"]
    assert "skipping 1 heading level" in str(messages[0]["message"])
