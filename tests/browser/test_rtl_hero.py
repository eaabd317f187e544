"""A persona written in Arabic: its role and quote line up on the right of the profile, the
quote's accent bar at the start of its text (where a Latin quote has it on the left)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli

ROLE = "مخطط رحلات التخييم العائلية"
QUOTE = "لا أحتاج إلى أفضل خيمة، أحتاج إلى خيمة تبقي أطفالي جافين."


@pytest.fixture(scope="module")
def rtl_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from projectfiles import BASE_FILES, write_files

    files = {
        **BASE_FILES,
        "personas/dan.yaml": f"name: Dan\nrole: {ROLE}\nquote: {QUOTE}\n",
        "personas/maya.yaml": BASE_FILES["personas/maya.yaml"] + "quote: Fast, or I go.\n",
    }
    root = write_files(tmp_path_factory.mktemp("rtl") / "project", files)
    site = root.parent / "site"
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(site), "--no-pdf", "-q"])
    assert result.exit_code == 0, result.output
    return site


BOXES = """() => {
  const box = s => document.querySelector(s).getBoundingClientRect();
  const quote = document.querySelector('.profile-hero .quote');
  const bar = getComputedStyle(quote);
  return {role: box('.profile-hero .lede'), quote: box('.profile-hero .quote'),
          barLeft: bar.borderLeftWidth, barRight: bar.borderRightWidth};
}"""


@pytest.mark.parametrize(("persona", "side"), [("dan", "right"), ("maya", "left")])
def test_the_quote_lines_up_with_the_role_on_the_side_it_starts(
    new_page, rtl_site: Path, persona: str, side: str
) -> None:
    page, watch = new_page(rtl_site.as_uri() + "/", width=1280)
    page.goto(rtl_site.as_uri() + f"/personas/{persona}.html")
    found = page.evaluate(BOXES)
    role, quote = found["role"], found["quote"]
    assert abs(quote[side] - role[side]) < 1.5, (side, role, quote)
    assert found["barRight" if side == "right" else "barLeft"] == "4px"
    assert watch.errors == []
