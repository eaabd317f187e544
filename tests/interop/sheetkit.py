"""What the import tests share: the command line, sheets written in the working folder, and
a project's files to compare before and after."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from cxsite.cli import cli


def invoke(*args: str) -> Result:
    """`cxsite ARGS`, its stdout and stderr apart, exceptions raised."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_sheet(here: Path, name: str, text: str) -> str:
    """A CSV `name` in the working folder `here`, written as given (line ends kept)."""
    (here / name).write_text(text, encoding="utf-8", newline="")
    return name


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by path, with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }
