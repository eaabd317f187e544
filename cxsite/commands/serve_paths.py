"""Which changes `cxsite serve` rebuilds for, and whether its preview folders may be used."""

from __future__ import annotations

import os
from pathlib import Path

from cxsite.cachefiles import CACHE_DIR
from cxsite.load.gitfiles import dot_git
from cxsite.load.history import head_commit, shallow_cut
from cxsite.load.refs import compares_with_a_revision, refs_digest

# How often (seconds) `serve` asks git, while no file changes, whether its state moved.
GIT_EVERY = 1.0


def preview_problem(root: Path) -> str | None:
    """Why `serve` may not use its preview folders now (one line), or None. Asked at the
    start, before every build and for every request: a branch checked out while `serve`
    runs may turn `.cxsite-cache/serve` into a link leading out of the project."""
    cache = root / CACHE_DIR
    places = (cache, cache / "serve", cache / "serve-briefs")
    for place in places:
        if place.exists() and not place.is_dir():
            return f"refusing to serve: {place} is not a folder (the preview goes there); remove it"
    home = root.resolve()
    for place in places:
        try:
            inside = place.resolve().is_relative_to(home)
        except (OSError, RuntimeError):  # a loop of links
            inside = False
        if not inside:
            return f"refusing to serve: {place} leads outside the project (a symlink); remove it"
    return None


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


def git_state(root: Path) -> tuple[object, ...] | None:
    """What a build reads of git beside the project's files (its cache key has it too):
    HEAD, a shallow clone's cut, and the tags a brief's `since` or `changes_since` names;
    None outside a repository. A commit, a checkout or a moved tag that changes no project
    file changes this, and `serve` rebuilds for it (the watcher ignores `.git/`, and a
    project in a sub-folder has it outside the folder watched)."""
    if dot_git(root.resolve()) is None:
        return None
    head = head_commit(root)
    if head is None:
        return ()
    refs = refs_digest(root) if compares_with_a_revision(root) else ""
    return head, shallow_cut(root), refs
