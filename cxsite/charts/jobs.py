"""Chart jobs as plain data: what to draw, the digest that keys the cache, the SVG ids.

A `ChartJob` holds only JSON-able data, so it pickles to worker processes and hashes into a
cache key. matplotlib is imported only by `cxsite.charts.draw`, in whichever process draws.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cxsite.resources import library_versions

log = logging.getLogger(__name__)

# Part of every cache key, with the matplotlib version and a hash of the drawing code.
STYLE_VERSION = "cxsite-charts-1"


@dataclass(frozen=True)
class ChartJob:
    """One chart to draw: its kind, accessible title and description (alt text), and data.

    `data` and `style` are plain JSON-able values (dicts, lists, str, finite numbers, None).
    `words` are the interface texts the drawing writes (message key -> text, and the
    language's number separators; see charts/words.py): the worker never reads a catalogue.
    """

    kind: str
    title: str
    desc: str
    data: Mapping[str, Any]
    style: Mapping[str, Any] = field(default_factory=dict)
    words: Mapping[str, str] = field(default_factory=dict)

    @property
    def alt(self) -> str:
        """The alt text for an `<img>` of this chart (the same as the SVG's `<desc>`)."""
        return self.desc


@dataclass(frozen=True)
class ChartResult:
    """The SVG bytes of every job by key, and how many were drawn vs taken from the cache."""

    svgs: dict[str, bytes]
    rendered: int
    cached: int


@cache
def _engine_version() -> str:
    """What else decides a chart's bytes: matplotlib's version and the drawing code itself.

    Hashing the source of `cxsite.charts.draw` means an upgrade or a local change to how charts
    look never serves a stale cached chart; it is read without importing matplotlib.
    """
    engine = library_versions(["matplotlib"])["matplotlib"]
    code = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "draw").glob("*.py")):
        code.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{engine}:{code.hexdigest()[:16]}"


def _canonical(job: ChartJob, version: list[str], words: bool = True) -> bytes:
    fields = {
        "kind": job.kind,
        "title": job.title,
        "desc": job.desc,
        "data": job.data,
        "style": job.style,
        "version": version,
    }
    if words:
        fields["words"] = job.words
    return json.dumps(
        fields,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    ).encode("utf-8")


def job_digest(job: ChartJob) -> str:
    """The cache key of a job: sha256 of its canonical JSON (its words included: another
    language or label draws it anew), the style version and engine."""
    return hashlib.sha256(_canonical(job, [STYLE_VERSION, _engine_version()])).hexdigest()


def svg_ids(job: ChartJob) -> tuple[str, str]:
    """The ids of the `<title>` and `<desc>` elements of a chart: from what it shows only,
    so that a change to the drawing code alone (or moving it) does not change them. Its words
    are left out: its title and description already differ by language, and a chart keeps
    the ids it had before charts had words."""
    ident = hashlib.sha256(_canonical(job, [STYLE_VERSION], words=False)).hexdigest()[:12]
    return f"cx-{ident}-title", f"cx-{ident}-desc"
