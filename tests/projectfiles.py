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


# A minimal project that passes `cxsite check --strict`: every entity is used, every
# persona has recent evidence, the metric has a target and data.
BASE_FILES: dict[str, str] = {
    "cxsite.yaml": "title: Test CX\n",
    "personas/maya.yaml": (
        "name: Maya Chen\n"
        "role: Busy urban runner\n"
        "evidence:\n"
        "  - source: Interviews\n"
        "    date: 2026-06-01\n"
    ),
    "touchpoints/web-shop.yaml": (
        "name: Web shop\n"
        "channel: web\n"
        "phase: during\n"
        "pillar: digital\n"
        "ratings:\n"
        "  maya: {importance: 4, satisfaction: 3}\n"
        "metrics: [nps]\n"
    ),
    "journeys/buy.yaml": (
        "title: Buy running shoes\n"
        "personas: [maya]\n"
        "stages:\n"
        "  - name: Purchase\n"
        "    emotion: 1\n"
        "    touchpoints: [web-shop]\n"
        "    metrics: [nps]\n"
    ),
    "metrics/nps.yaml": (
        "name: Net Promoter Score\n"
        "kind: nps\n"
        "target: 40\n"
        "values:\n"
        "  - {period: 2026-Q1, value: 31}\n"
        "  - {period: 2026-Q2, value: 35}\n"
    ),
}


# A clinic's words for its customers and phases (the tests of labels and languages).
CLINIC_LABELS = (
    "labels:\n"
    "  customers: patients\n"
    "  customer: patient\n"
    "  phase.before: Before the visit\n"
    "  phase.during: At the clinic\n"
    "  phase.after: After the visit\n"
)
