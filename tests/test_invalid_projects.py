"""One small project per failure mode (tests/projects/invalid/<case>/), checked through the CLI.

Each case folder holds a project and `expected.txt`, the exact problem lines `cxsite check`
must print. Cases that a git checkout cannot hold (case-colliding names, symlinks, huge
files) get those files written at test time by SETUP. Refresh expected files after an
intended change of wording with `CXSITE_UPDATE_EXPECTED=1 pytest tests/test_invalid_projects.py`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli

CASES_DIR = Path(__file__).parent / "projects" / "invalid"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


def _case_colliding_ids(root: Path) -> None:
    (root / "personas").mkdir()
    (root / "personas" / "maya.yaml").write_text("name: Maya\nrole: Runner\n")
    # On a case-insensitive filesystem the second file overwrites the first: the collision
    # then cannot exist, so the test is skipped there.
    (root / "personas" / "Maya.yaml").write_text("name: Maya 2\nrole: Runner\n")
    if len(list((root / "personas").iterdir())) < 2:
        pytest.skip("case-insensitive filesystem")
    (root / "touchpoints").mkdir()
    (root / "touchpoints" / "web.yaml").write_text("name: Web\nchannel: web\nphase: before\n")
    (root / "touchpoints" / "web.yml").write_text("name: Web 2\nchannel: web\nphase: before\n")


def _photo_symlink_escape(root: Path) -> None:
    outside = root.parent / "outside-secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "assets").mkdir()
    (root / "assets" / "maya.png").symlink_to(outside)
    (root / "assets" / "shared").symlink_to(root.parent, target_is_directory=True)
    persona = root / "personas" / "maya.yaml"
    persona.write_text(persona.read_text() + "photo: assets/maya.png\n")
    (root / "personas" / "priya.yaml").write_text(
        "name: Priya\nrole: Parent\nphoto: assets/shared/outside-secret.png\n"
    )
    (root / "personas" / "linked.yaml").symlink_to(outside)


def _oversized_file(root: Path) -> None:
    (root / "personas").mkdir()
    line = "  - " + "x" * 95 + "\n"
    body = "name: Maya\nrole: Runner\ngoals:\n" + line * (2 * 1024 * 1024 // len(line) + 10)
    (root / "personas" / "maya.yaml").write_text(body)


def _deep_nesting(root: Path) -> None:
    (root / "personas").mkdir()
    depth = 100_000
    (root / "personas" / "maya.yaml").write_text(
        "name: Maya\nrole: Runner\ngoals: " + "[" * depth + "]" * depth + "\n"
    )
    (root / "personas" / "walt.yaml").write_text(
        "name: Walt\nrole: Retiree\ngoals: " + "{a: " * 60 + "x" + "}" * 60 + "\n"
    )


SETUP: dict[str, Callable[[Path], None]] = {
    "case-colliding-ids": _case_colliding_ids,
    "photo-symlink-escape": _photo_symlink_escape,
    "oversized-file": _oversized_file,
    "deep-nesting": _deep_nesting,
}
# Cases run in a subprocess: a crash (RecursionError, segfault) must show up as a failure
# of the test rather than of the test runner.
SUBPROCESS = {"deep-nesting"}


def _copy_case(case: str, tmp_path: Path) -> Path:
    root = tmp_path / case
    shutil.copytree(CASES_DIR / case, root, ignore=shutil.ignore_patterns("expected.txt"))
    if case in SETUP:
        SETUP[case](root)
    return root


def _run(case: str, root: Path) -> tuple[int, str, str]:
    if case in SUBPROCESS:
        done = subprocess.run(
            [sys.executable, "-c", "from cxsite.cli import main; main()", "check", str(root)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).parent.parent,
        )
        return done.returncode, done.stdout, done.stderr
    result = CliRunner().invoke(cli, ["check", str(root)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", CASES)
def test_invalid_project(case: str, tmp_path: Path) -> None:
    """`cxsite check` exits 1 and prints exactly the expected lines, never a traceback."""
    root = _copy_case(case, tmp_path)
    code, out, err = _run(case, root)
    expected_file = CASES_DIR / case / "expected.txt"
    if os.environ.get("CXSITE_UPDATE_EXPECTED"):
        expected_file.write_text(out, encoding="utf-8")
    assert "Traceback" not in out + err
    assert out.splitlines() == expected_file.read_text(encoding="utf-8").splitlines()
    assert code == 1, err
    assert "error" in err.splitlines()[-1]
    if case == "python-tag":
        assert not (root / "pwned").exists()
        assert not Path("pwned").exists()
