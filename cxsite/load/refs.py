"""What the repository's refs name, for the key of a build that compares with a revision.

A build with `changes_since` (or a brief's `since`) shows the changes since the commit that
revision names now: a tag moved, a branch fetched or a tag made since the last build
changes the page while HEAD and every file stay as they were, so such a build's key holds a
digest of every ref (one `git for-each-ref`; none for a project that compares with nothing).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cxsite.load.git import GitFailed, run_git
from cxsite.load.projectroot import CONFIG_FILE


def compares_with_a_revision(root: Path) -> bool:
    """Whether `cxsite.yaml` may name a revision (`changes_since`, a brief's `since`): its
    text holds the word, whatever the YAML around it (a false yes costs one git call)."""
    try:
        return b"since" in (root / CONFIG_FILE).read_bytes()
    except OSError:
        return False


def refs_digest(root: Path) -> str:
    """A short digest of every ref and the commit it names ("" when git cannot tell)."""
    try:
        found = run_git(root, ["for-each-ref", "--format=%(objectname) %(refname)"], check=False)
    except GitFailed:
        return ""
    if found.returncode != 0:
        return ""
    return hashlib.sha256(found.stdout).hexdigest()[:16]
