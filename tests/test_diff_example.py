"""The example project's own history as a real repository: a release v1, a quarter of work,
a release v2, and `cxsite diff v1 v2 --format markdown` as a pull request would show it
(rendered to HTML with Python-Markdown, as GitHub renders tables)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from gitkit import commit, git, init

from cxsite.cli import cli
from cxsite.resources import example_dir

EPOCH = "1790000000"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def example_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example at v1, then a quarter of CX work committed and tagged v2."""
    root = tmp_path_factory.mktemp("history") / "ridgeline"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    init(root)
    commit(root, "Q3 map", date="2026-07-01T09:00:00Z", tag="v1")
    trip, collect = "journeys/family-camping-trip.yaml", "journeys/click-and-collect.yaml"
    _edit(root, trip, "    emotion: 0.5\n", "    emotion: -1\n")
    _edit(root, trip, "        status: idea\n        owner: Digital Product",
          "        status: in-progress\n        owner: Digital Product")  # fmt: skip
    _edit(root, collect, "  - name: Notice a need", "  - name: Realise a need")
    _edit(root, collect, "confirmation email\n        evidence: [app-checkout-usability]\n"
          "        severity: low\n", "confirmation email\n        evidence: "
          "[app-checkout-usability]\n        severity: medium\n")  # fmt: skip
    _edit(root, collect, "    pain_points:\n      - text: Stock shown online",
          "    pain_points:\n      - text: Sizes run out before the weekend\n"
          "        severity: high\n      - text: Stock shown online")  # fmt: skip
    _edit(root, "touchpoints/app-product-page.yaml", "satisfaction: 3.4", "satisfaction: 4.8")
    _edit(root, "metrics/churn-rate.yaml", "  - {period: 2026-10, value: 2.2}\n",
          "  - {period: 2026-10, value: 2.2}\n  - {period: 2026-11, value: 2.0}\n")  # fmt: skip
    git(root, "mv", "touchpoints/repair-workshop.yaml", "touchpoints/gear-repair.yaml")
    for path in (root / "journeys").glob("*.yaml"):  # the references follow the new id
        path.write_text(path.read_text().replace("repair-workshop", "gear-repair"))
    commit(root, "Q4 work", date="2026-10-01T09:00:00Z", tag="v2")
    return root


def test_example_history_diff_as_markdown(example_repo: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["diff", str(example_repo), "v1", "v2", "--format", "markdown"],
        catch_exceptions=False,
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.splitlines()[0] == "## cxsite diff: v1 → v2"
    html = markdown.markdown(text, extensions=["tables"])
    # Every group is a heading and a table; nothing from the YAML became markup.
    assert html.count("<table>") == len(re.findall(r"^### ", text, re.M)) >= 4
    assert "<script" not in html
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", html)]
    rows = [tuple(cells[i : i + 4]) for i in range(0, len(cells), 4)]
    assert ("Emotion", "Research and shortlist", "+0.5", "-1 ▼") in rows
    assert ("Opportunity status",
            "Research and shortlist: Reserve an item in store for 24 hours from the product page",
            "idea", "in-progress") in rows  # fmt: skip
    assert ("Stage renamed", "Realise a need", "Notice a need", "Realise a need") in rows
    assert ("Pain point added", "Find and choose: Sizes run out before the weekend", "–",
            "high") in rows  # fmt: skip
    assert ("Pain point severity", "Pay and pick a store: The promised pickup time is not "
            "repeated in the confirmation email", "low", "medium ▲") in rows  # fmt: skip
    assert ("IPA quadrant", "", "Concentrate here", "Keep up the good work") in rows
    assert ("New period", "2026-11", "–", "2.0") in rows  # churn: one decimal, as on its page
    assert ("Latest value", "2026-10 → 2026-11", "2.2", "2.0 ▼") in rows
    assert ("Renamed (same content)", "", "id repair-workshop", "id gear-repair") in rows
