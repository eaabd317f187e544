"""Golden output: the whole built site of a small valid project, compared file by file.

`tests/projects/valid/<case>/project` is built (site and PDF briefs) with a fixed
SOURCE_DATE_EPOCH; every output file must match `expected/`: text files as they are, a
PDF as the text pypdf extracts from it (`<name>.pdf.txt`), and the list of output files as
`FILES.txt`, where the theme's static files (copied as they are) carry their SHA-256
instead of a second copy of their text. A difference is shown as a unified diff. After an
intended change, refresh the expected files with
`CXSITE_UPDATE_EXPECTED=1 pytest tests/test_golden.py` and review the git diff.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cxsite.cli import cli

VALID = Path(__file__).parent / "projects" / "valid"
CASES = sorted(p.name for p in VALID.iterdir() if (p / "project").is_dir())
TEXT_SUFFIXES = {".html", ".svg", ".json", ".css", ".js", ".txt", ".xml"}
EPOCH = "1793750400"  # 2026-11-04, UTC


def _pdf_text(path: Path) -> str:
    pages = [page.extract_text() for page in PdfReader(path).pages]
    return "".join(f"--- page {i} ---\n{text.rstrip()}\n" for i, text in enumerate(pages, 1))


def _outputs(site: Path) -> dict[str, str]:
    """Every output file as the text the golden copy keeps, by path relative to the site."""
    files = sorted(p for p in site.rglob("*") if p.is_file())
    rels = [p.relative_to(site).as_posix() for p in files]
    listed = [
        f"{rel}  sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}"
        if rel.startswith("static/")
        else rel
        for path, rel in zip(files, rels, strict=True)
    ]
    out: dict[str, str] = {"FILES.txt": "".join(f"{line}\n" for line in listed)}
    for path, rel in zip(files, rels, strict=True):
        if rel.startswith("static/"):
            continue
        if path.suffix == ".pdf":
            out[f"{rel}.txt"] = _pdf_text(path)
        elif path.suffix in TEXT_SUFFIXES:
            out[rel] = path.read_text(encoding="utf-8")
    return out


def _expected(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _diff(rel: str, expected: str | None, actual: str | None) -> str:
    lines = difflib.unified_diff(
        (expected or "").splitlines(keepends=True),
        (actual or "").splitlines(keepends=True),
        f"expected/{rel}" if expected is not None else "/dev/null",
        f"built/{rel}" if actual is not None else "/dev/null",
        n=2,
    )
    return "".join(list(lines)[:60])


@pytest.mark.pdf
@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_built_output_matches_the_golden_copy(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path / case
    shutil.copytree(VALID / case / "project", root)
    site = tmp_path / "site"
    result = CliRunner().invoke(
        cli, ["build", str(root), "-o", str(site), "--quiet"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    actual = _outputs(site)
    folder = VALID / case / "expected"
    if os.environ.get("CXSITE_UPDATE_EXPECTED"):
        shutil.rmtree(folder, ignore_errors=True)
        for rel, text in actual.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
    expected = _expected(folder)
    diffs = [
        _diff(rel, expected.get(rel), actual.get(rel))
        for rel in sorted(expected.keys() | actual.keys())
        if expected.get(rel) != actual.get(rel)
    ]
    assert not diffs, f"{len(diffs)} files differ from the golden copy:\n" + "\n".join(diffs)
