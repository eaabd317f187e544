"""What the SPEC 8.14 tests share: a small clean project, and `cxsite check` run on it with
some of its files replaced (each test then asserts every line printed)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cxsite.cli import cli

BASE = {
    "cxsite.yaml": "title: T\n",
    "personas/maya.yaml": (
        "name: Maya\nrole: Runner\nevidence: [{source: Interviews, date: 2026-10-01}]\n"
    ),
    "touchpoints/web.yaml": "name: Web shop\nchannel: web\nphase: during\n",
    "journeys/buy.yaml": (
        "title: Buy\npersonas: [maya]\nstages:\n"
        "  - {name: Browse, emotion: 1, touchpoints: [web]}\n"
    ),
}


def check_lines(make_project, files: dict[str, str | bytes]) -> tuple[int, list[str]]:
    """The exit code and the lines `cxsite check` prints for BASE with `files` over it."""
    root: Path = make_project({**BASE, **files}, base=False)
    result = CliRunner().invoke(cli, ["check", str(root)], catch_exceptions=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout.splitlines()
