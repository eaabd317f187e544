"""Which changes `cxsite serve` rebuilds for."""

from __future__ import annotations

import os
from pathlib import Path

from cxsite.cachefiles import CACHE_DIR


class ProjectFilter:
    """The watcher's filter: a change to a path inside the project rebuilds, except in the
    output and cache folders, hidden folders and what watchfiles ignores by default."""

    def __init__(self, base: Path, out: Path) -> None:
        """`base`: the project folder, resolved (the folder watched); `out`: the preview."""
        # lazy: watchfiles is only needed by `serve`, and imported on the watcher thread
        from watchfiles import DefaultFilter

        self.base = base
        self.ignored = (base / CACHE_DIR, base / "_site", out.resolve())
        self.default = DefaultFilter()

    def __call__(self, change: object, path: str) -> bool:
        """True when the change at `path` (as the watcher names it) calls for a rebuild."""
        # The path as given, links not followed: a file or folder replaced by a symlink
        # leading out is a change inside the project, which the build reports (E402).
        p = Path(os.path.abspath(path))
        if any(p == d or p.is_relative_to(d) for d in self.ignored):
            return False
        if not p.is_relative_to(self.base):
            return False
        if any(part.startswith(".") for part in p.relative_to(self.base).parts):
            return False
        return self.default(change, path)  # type: ignore[arg-type]
