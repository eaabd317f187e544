"""The default theme's templates stay readable: no line over 120 characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxsite.resources import themes_dir

MAX_LINE = 120
TEMPLATES = themes_dir() / "default" / "templates"


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.is_file())


def test_the_theme_has_templates() -> None:
    names = {p.relative_to(TEMPLATES).as_posix() for p in _templates()}
    assert {"macros.html", "journey.html", "briefs/_macros.html", "briefs/briefs.css"} <= names


@pytest.mark.parametrize("path", _templates(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_no_template_line_is_over_120_characters(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    long = [
        f"{path.name}:{n}: {len(line)} characters"
        for n, line in enumerate(lines, 1)
        if len(line) > MAX_LINE
    ]
    assert not long, "\n".join(long)
