"""Page by page, whether the previous build's output file can be kept as it is."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from cxsite.analysis.types import Analysis
from cxsite.incremental.buildcache import BuildCache, _hash_files, _tree_files, digest, tool_key
from cxsite.incremental.depgraph import Resolver, mapping_hash
from cxsite.incremental.pagerecords import PageRecords, make_records
from cxsite.model import Project
from cxsite.render.theme import static_dirs, theme_dir
from cxsite.session import Memo
from cxsite.site.context import ChartRef, Page, Site, existing_file


def _theme_key(dirs: list[Path]) -> str:
    """A hash of every file in the project's template and static folders."""
    h = hashlib.sha256()
    for base in dirs:
        if base.is_dir():
            files = _tree_files(base, set())
            if files is None:  # contents uncertain: a key no later build can match
                return "uncertain-" + os.urandom(16).hex()
            h.update(str(base).encode("utf-8", "surrogateescape") + b"\0")
            _hash_files(h, base, files)
    return h.hexdigest()


class PageCache:
    """Decides, page by page, whether the previous output file can be kept as it is."""

    def __init__(
        self,
        cache: BuildCache,
        out: Path,
        project: Project,
        analysis: Analysis,
        charts_meta: Mapping[str, ChartRef],
        site: Site,
        hashes: Memo[int, tuple[Any, str]] | None = None,
    ):
        self.cache = cache
        self.out = out
        # by page path: its static key and the dependencies it read (encoded), or None for a
        # page re-used as the previous records have it
        self.pages: dict[str, tuple[str, set[str]] | None] = {}
        self._changed: set[int] | None = None
        self.reused = 0
        self.hashes = hashes
        self.resolver = Resolver(
            {"project": project, "analysis": analysis, "charts": SimpleNamespace(map=charts_meta)},
            hashes,
        )
        root = project.root
        photos = [
            (p.photo, existing_file(root, p.photo) is not None)
            for p in project.personas.values()
            if p.photo
        ]
        theme_dirs = [theme_dir(project), root / "theme", *static_dirs(project)]
        self.base = digest(
            tool_key(),
            _theme_key(theme_dirs),
            repr(site),
            repr(project.config),
            repr(photos),
            str(root.resolve()),  # however the project's path was written on the command line
        )

    def _static(self, page: Page) -> str:
        return digest(
            self.base,
            page.path,
            page.template,
            page.title,
            page.section,
            repr(page.crumbs),
            mapping_hash(page.extra, self.hashes),
        )

    def reusable(self, page: Page) -> Path | None:
        """The previous output file of `page` when nothing it depends on changed, else None."""
        previous = self.cache.records
        entry = previous.pages.get(page.path)
        if entry is None or entry[0] != self._static(page):
            return None
        if not self.cache.file_intact(self.out, page.path):
            return None
        if self._changed is None:  # each distinct value read is hashed once per build
            self._changed = previous.changed(self.resolver.value_hash)
        if not self._changed.isdisjoint(entry[1]):
            return None
        self.pages[page.path] = None
        self.reused += 1
        return self.out / page.path

    def rendered(self, page: Page, deps: set[str]) -> None:
        """Remember what a freshly rendered page read (see depgraph.py), for the next build."""
        self.pages[page.path] = (self._static(page), deps)

    def records(self) -> PageRecords:
        """The records of this build's pages, for the next build."""
        return make_records(self.pages, self.resolver.value_hash, self.cache.records, self._changed)
