"""Write a project's files from a mapping, for the test suites."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def write_files(root: Path, files: Mapping[str, str | bytes | None]) -> Path:
    """Write `files` (relative path -> text or bytes; None skips) under `root`; return root."""
    for rel, content in files.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# Seconds after which a test of hostile input counts as hung. Not a measure of speed (that is
# measured in benchmarks/): the quadratic or exponential behaviour these tests stop would
# take hours, while the input is handled in well under a second.
HANG = 120
