"""Every CLI command has help text and a README section; every problem code is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
CXSITE = Path(__file__).resolve().parent.parent / "cxsite"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_and_readme_section(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert len(cli.commands[name].get_short_help_str()) > 10
    assert re.search(rf"^#+ `cxsite {name}\b", README, re.MULTILINE), (
        f"no README section for {name}"
    )


def test_every_problem_code_in_the_code_is_documented() -> None:
    codes: set[str] = set()
    for path in CXSITE.rglob("*.py"):
        codes.update(re.findall(r"\"([EW][1-5]\d\d)\"", path.read_text(encoding="utf-8")))
    assert codes, "no problem codes found in the package"
    missing = sorted(
        code for code in codes if f"`{code}`" not in README and f"| {code} " not in README
    )
    assert not missing, f"codes not documented in README.md: {missing}"
