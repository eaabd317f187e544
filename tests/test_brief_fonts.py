"""W529: characters no font on this machine has are said before the PDF briefs print them as
empty boxes, at the text that holds them, only where briefs are made.

U+0378 is unassigned: no font has it, on any machine. Whether a font has the hiking boot
emoji depends on the machine, so the tests ask fontconfig's own `fc-list` what to expect.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite import cachefiles
from cxsite.briefs.glyphs import font_problems
from cxsite.cachefiles import file_digest
from cxsite.cli import cli
from cxsite.session import Session

NONE_HAS = "\u0378"
BOOT = "\U0001f97e"
ADVICE = (
    "so they print as empty boxes; install a font that has them (Debian: fonts-noto-cjk for "
    "Chinese, Japanese and Korean, fonts-noto-color-emoji for emoji)"
)


def _a_font_has(char: str) -> bool:
    listed = subprocess.run(
        ["fc-list", f":charset={ord(char):x}", "file"], capture_output=True, text=True, check=True
    )
    return bool(listed.stdout.strip())


def test_the_first_text_holding_such_characters_is_named_not_a_comment(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        f"# notes {NONE_HAS}\nname: Zoë Ñúñez\nrole: 'Planner {NONE_HAS}'\nquote: x{NONE_HAS}\n"
    )
    (tmp_path / "b.yaml").write_text(f"name: Ana\n# only in a comment: {NONE_HAS}\n")
    (tmp_path / "c.yaml").write_text("name: Plain\n")
    found = font_problems(tmp_path, ["a.yaml", "b.yaml", "c.yaml"], Session())
    assert [p.format() for p in found] == [
        f"a.yaml:3:7: warning W529: '{NONE_HAS}' cannot be printed in the PDF briefs: no font "
        "on this machine has it, so it prints as empty boxes; install a font that has it "
        "(Debian: fonts-noto-cjk for Chinese, Japanese and Korean, fonts-noto-color-emoji for "
        "emoji)"
    ]


def test_selectors_and_joiners_are_not_characters_to_print(tmp_path: Path) -> None:
    # "❤️" is a heart and the emoji selector; a zero-width joiner joins two emoji
    (tmp_path / "a.yaml").write_text(f"name: 'A\u2764\ufe0f B\u200dC {NONE_HAS}'\n")
    (found,) = font_problems(tmp_path, ["a.yaml"], Session())
    assert f"'{NONE_HAS}'" in found.message
    assert "\ufe0f" not in found.message and "\u200d" not in found.message


def _build(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", str(root), "-q", "-j", "1", *args])
    return result.exit_code, result.output


@pytest.mark.slow
def test_a_build_with_briefs_warns_and_strict_fails_keeping_the_last_output(make_project) -> None:
    root = make_project(
        {
            "cxsite.yaml": "title: Fonts\nbriefs:\n  - {id: exec, kind: executive}\n",
            "personas/maya.yaml": (
                f"name: Maya Chen\nrole: 'Trail runner {BOOT} {NONE_HAS}'\n"
                "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
            ),
        }
    )
    if _a_font_has(BOOT):
        said = f"'{NONE_HAS}' cannot be printed in the PDF briefs: no font on this machine has it, "
        said += ADVICE.replace("they print", "it prints").replace("has them", "has it")
    else:
        said = f"'{BOOT}', '{NONE_HAS}' cannot be printed in the PDF briefs: no font on this "
        said += f"machine has them, {ADVICE}"
    line = f"personas/maya.yaml:2:7: warning W529: {said}"
    code, output = _build(root)
    assert code == 0
    assert line in output.splitlines()
    assert (root / "_site/briefs/exec.pdf").is_file()

    code, output = _build(root)  # up to date: the same warning again
    assert (code, line in output.splitlines()) == (0, True)

    index = root / "_site/index.html"
    before = index.read_bytes()
    (root / "personas/maya.yaml").write_text(
        (root / "personas/maya.yaml").read_text().replace("Trail runner", "Hill runner")
    )
    code, output = _build(root, "--strict")
    assert code == 1
    assert line in output.splitlines()
    assert index.read_bytes() == before  # the last good output stays

    code, output = _build(root, "--no-pdf")
    assert code == 0
    assert "W529" not in output


def test_a_file_the_session_knows_unchanged_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cachefiles, "_RACY_NS", 0)  # files written seconds before count too
    session = Session()
    (tmp_path / "a.yaml").write_text(f"name: 'A {NONE_HAS}'\n")
    (tmp_path / "b.yaml").write_text("name: Zoë\n")
    for rel in ("a.yaml", "b.yaml"):  # as a build's inputs key leaves them
        file_digest(tmp_path / rel, session.digests)
    read: list[str] = []
    real = Path.read_bytes

    def reading(path: Path) -> bytes:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", reading)
    first = font_problems(tmp_path, ["a.yaml", "b.yaml"], session)
    assert ([p.path for p in first], read) == (["a.yaml"], ["a.yaml", "b.yaml", "a.yaml"])
    read.clear()
    # `serve`'s next build: only the file with such characters, for the warning's position
    assert font_problems(tmp_path, ["a.yaml", "b.yaml"], session) == first
    assert read == ["a.yaml"]
