"""The project's git history: the last commit that touched each file, read once per build.

Four git processes whatever the size of the project: HEAD, `rev-parse` (where the work
tree is), one `log --name-only` over the project folder (newest first, so the first commit
naming a file is its last change; it stops once every file has its commit) and one
`ls-tree` of HEAD. A file whose bytes differ from its blob
in HEAD (hashed here, as git hashes a blob) has changes not yet committed; git's index and
`status` are never used, so nothing is written into the repository and no filter,
fsmonitor or hook configured in it runs. Dates are commit dates in UTC: the same history
gives the same pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cxsite.cachefiles import Digests, git_blob, git_blob_id, read_regular
from cxsite.load.git import GitFailed, dot_git, find_repo, run_git, stream_git


@dataclass(frozen=True)
class Commit:
    """One commit as a page shows it: short id, commit time (epoch seconds; `date` in UTC)
    and author name."""

    short: str
    time: int
    author: str

    @property
    def date(self) -> dt.date:
        """The commit date in UTC."""
        return dt.datetime.fromtimestamp(self.time, tz=dt.UTC).date()


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


# A record of `log -z --format=%x00%h %ct %an --name-only`: NUL, "<hash> <time> <author>",
# NUL, then (when it has files) a newline and each file name followed by NUL. Git lets any
# byte but NUL into author and file names and neither is ever empty, so two NULs in a row
# are where a record starts, and the author, last, may hold anything (spaces included).
_LOG_FORMAT = "--format=%x00%h %ct %an"
_START = b"\0\0"


def _author(name: str) -> str:
    """`name` with control characters (which git allows in a name) shown as U+FFFD."""
    return "".join("\ufffd" if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in name)


def _commits(raw: bytes, last: dict[str, Commit], wanted: set[str] | None) -> None:
    """Note the commits of complete records of `_LOG_FORMAT` output (starting at a record's
    first NUL) in `last` (the first, newest, commit naming each path), removing the paths
    found from `wanted`."""
    for record in raw[1:].split(_START):
        header, *names = record.split(b"\0")
        parts = header.decode("utf-8", "replace").split(" ", 2)
        if len(parts) != 3 or not parts[1].isdigit():
            continue
        commit = Commit(parts[0], int(parts[1]), _author(parts[2]))
        if names and names[0].startswith(b"\n"):
            names[0] = names[0][1:]  # the newline between the header and the file names
        for name in names:
            if not name:
                continue
            path = name.decode("utf-8", "surrogateescape")
            if path not in last:
                last[path] = commit
                if wanted is not None:
                    wanted.discard(path)


def _read_log(root: Path, args: list[str], wanted: set[str] | None) -> dict[str, Commit]:
    """The last commit of each path, reading the log only until every wanted path has one."""
    last: dict[str, Commit] = {}
    pending = b""
    stream = stream_git(root, args)
    try:
        for data in stream:
            pending += data
            cut = pending.rfind(_START)
            if cut <= 0:
                continue
            _commits(pending[: cut + 1], last, wanted)
            pending = pending[cut + 1 :]
            if wanted is not None and not wanted:
                return last  # every file has its last commit: the rest is older
        _commits(pending, last, wanted)
    finally:
        stream.close()
    return last


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
    args = ["log", "-z", "--no-show-signature", "--no-ext-diff", "--no-textconv", "--no-renames"]
    args += [_LOG_FORMAT, "--name-only"]
    # From the top of the repository no pathspec is needed (and git is faster without).
    args += ["--relative", head[0], "--", "."] if repo.prefix else [head[0]]
    try:
        last = _read_log(root, args, set(wanted) if wanted is not None else None)
        tree = run_git(root, ["ls-tree", "-r", "-z", head[0], "--", "."])
    except GitFailed:
        return None
    return History(head[0], last, _parse_tree(tree.stdout))


def uncommitted(
    root: Path, history: History, paths: Iterable[str], known: Digests | None = None
) -> frozenset[str]:
    """Those of `paths` (project-relative) whose bytes are not their blob in HEAD: edited
    or new since the last commit. `known` (a session's `digests`) keeps each file's blob
    id, so only the files that changed are read again."""
    changed = set()
    for rel in paths:
        blob = history.blobs.get(rel)
        if blob is None:
            changed.add(rel)  # not in HEAD: new
            continue
        try:
            if len(blob) == 40:
                now = git_blob(root / rel, known)
            else:  # a SHA-256 repository
                now = git_blob_id(read_regular(root / rel), len(blob))
        except OSError:
            continue
        if now != blob:
            changed.add(rel)
    return frozenset(changed)
