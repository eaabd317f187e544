"""The project's git history: the last commit that touched each file, read once per build.

A few git processes whatever the size of the project: HEAD, two `rev-parse` (where the
work tree is), one `ls-tree` of HEAD and one `log` over the project folder (lastcommits.py:
each file's last commit as `git log -1 -- FILE` names it, merges included, with a
`diff-tree` for a merge both sides of which changed the project; it stops once every file
has its commit). A file whose bytes differ from its blob in HEAD (hashed here, as git
hashes a blob; text with CRLF endings also as LF, as git's line-ending conversion stores
it) has changes not yet committed; git's index and `status` are never used, so nothing is
written into the repository and no filter, fsmonitor or hook configured in it runs. Dates
are commit dates in UTC: the same history gives the same pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cxsite.cachefiles import Digests, blob_ids, git_blobs, read_regular
from cxsite.load.git import GitFailed, find_repo, run_git
from cxsite.load.gitfiles import dot_git
from cxsite.load.lastcommits import Commit, last_commits


@dataclass(frozen=True)
class History:
    """What git knows of a project: the last commit per file (project-relative POSIX
    path), the blob id of each file in HEAD, and the HEAD commit."""

    head: str
    last: Mapping[str, Commit] = field(default_factory=dict)
    blobs: Mapping[str, str] = field(default_factory=dict)


def head_commit(root: Path) -> tuple[str, int] | None:
    """The id and commit time (epoch seconds) of HEAD of the repository holding `root`, or
    None when it is not in one, has no commit, or git is missing."""
    if not root.is_dir():
        return None
    try:
        result = run_git(root, ["log", "-1", "--no-show-signature", "--format=%H %ct"], check=False)
    except GitFailed:
        return None
    words = result.stdout.decode("ascii", "replace").split()
    if result.returncode != 0 or len(words) != 2 or not words[1].isdigit():
        return None
    return words[0], int(words[1])


def shallow_cut(root: Path) -> str:
    """Where the history of a shallow clone stops: a short hash of the commit ids git
    lists in the repository's `shallow` file, "" for a complete history (or outside git).
    A clone made deeper (`git fetch --deepen`, `--unshallow`) keeps its HEAD but shows
    other last changes, so a build's caches are keyed by this beside HEAD."""
    git_dir = dot_git(root.resolve())
    if git_dir is None:
        return ""
    if git_dir.is_dir():
        path = git_dir / "shallow"
    else:  # a worktree or a submodule: git knows where its shared folder is
        try:
            found = run_git(root, ["rev-parse", "--git-path", "shallow"])
        except GitFailed:
            return ""
        path = root / found.stdout.decode("utf-8", "surrogateescape").strip()
    if not path.exists():
        return ""  # no `shallow` file: the history is complete
    try:
        return hashlib.sha256(read_regular(path, limit=1 << 24)).hexdigest()[:16]
    except OSError:
        return ""  # not a regular file: git is not run in such a repository (load/git.py)


def _parse_tree(raw: bytes) -> dict[str, str]:
    """`ls-tree -r -z` output -> blob id by path (regular files only)."""
    blobs: dict[str, str] = {}
    for entry in raw.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        words = meta.split()
        if len(words) == 3 and words[1] == b"blob" and words[0] in (b"100644", b"100755"):
            blobs[name.decode("utf-8", "surrogateescape")] = words[2].decode("ascii")
    return blobs


def read_history(
    root: Path, head: tuple[str, int] | None, wanted: Iterable[str] | None = None
) -> History | None:
    """The history of the project at `root` up to `head` (`head_commit(root)`), or None
    when it is not in a git work tree with at least one commit (pages show no history).
    With `wanted` (project-relative paths), the log is read only until each has its last
    commit."""
    if head is None:
        return None
    repo = find_repo(root)
    if repo is None:
        return None
    try:
        tree = run_git(root, ["ls-tree", "-r", "-z", head[0], "--", "."])
        blobs = _parse_tree(tree.stdout)
        last = last_commits(root, repo.prefix, head[0], blobs if wanted is None else wanted)
    except GitFailed:
        return None
    return History(head[0], last, blobs)


def uncommitted(
    root: Path, history: History, paths: Iterable[str], known: Digests | None = None
) -> frozenset[str]:
    """Those of `paths` (project-relative) whose bytes are not their blob in HEAD: edited
    or new since the last commit; text that differs only in CRLF line endings for the
    blob's LF (a checkout with `core.autocrlf` or `eol=crlf`) is not edited. `known` (a
    session's `digests`) keeps each file's blob ids, so only the files that changed are
    read again."""
    changed = set()
    for rel in paths:
        blob = history.blobs.get(rel)
        if blob is None:
            changed.add(rel)  # not in HEAD: new
            continue
        try:
            if len(blob) == 40:
                now = git_blobs(root / rel, known)
            else:  # a SHA-256 repository
                now = blob_ids(read_regular(root / rel), len(blob))
        except OSError:
            continue
        if blob not in now:
            changed.add(rel)
    return frozenset(changed)
