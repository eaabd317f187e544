"""The last commit of many files at once, each the one `git log -1 -- FILE` names.

One `git log` over the project folder. Its pathspec makes git simplify history as it does
for one file (a merge whose project files are those of a parent is followed through that
parent only, so a side branch's discarded edits are never seen); `--parents` gives each
commit left its parents in that simplified history, and `--diff-merges=combined` the files
a merge changed against every parent (a conflict resolved there). Each file then goes down
the history as git takes it for `git log -1 -- FILE`: a commit that changed it against its
one parent (or that added it, at the root) is its last commit; a merge that changed it
against every parent is; else it follows the first parent it is unchanged from: which one
is asked of git (`diff-tree`, the merge against its first parent) for a merge some waiting
file goes through, a merge both sides of which changed the project. `--topo-order` lists a
commit after all its children, so a file only ever goes down, and the log is read only
until every file has its commit. (One case differs from git's answer for a single file: a
merge whose project files are all those of its second parent, for a file also unchanged
against its first, is followed through the second, as git simplifies for the project.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cxsite.load.git import run_git, stream_git


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


# A record: two NULs, "<id> <time> <short id> <parent ids>;<author>", NUL, then the file
# names, each followed by NUL, after a newline (a merge's: after another NUL). Git lets any
# byte but NUL into author and file names and neither is ever empty: two empty fields or
# more come before a record and one only after a merge's header. Ids, times and spaces hold
# no ';', so the first one ends the ids, and the author (which may hold anything) is the rest.
LOG_ARGS = (
    "--topo-order",
    "--parents",
    "--diff-merges=combined",
    "--root",
    "--format=%x00%x00%H %ct %h %P;%an",
    "--name-only",
)

Record = tuple[str, Commit, list[str], set[str]]


def _author(name: str) -> str:
    """`name` with control characters (which git allows in a name) shown as U+FFFD."""
    if name.isprintable():
        return name
    return "".join("\ufffd" if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in name)


def _record(header: bytes, names: list[bytes], prefix: bytes) -> Iterator[Record]:
    """(id, commit, parent ids, files changed: project-relative) of one record, if its
    header parses."""
    meta, found, author = header.decode("utf-8", "replace").partition(";")
    words = meta.split()
    if found and len(words) >= 3 and words[1].isdigit():
        cut = len(prefix)
        paths = {n[cut:].decode("utf-8", "surrogateescape") for n in names if n.startswith(prefix)}
        yield words[0], Commit(words[2], int(words[1]), _author(author)), words[3:], paths


def _records(chunks: Iterable[bytes], prefix: bytes) -> Iterator[Record]:
    """The records of the log's output, read as it comes (file names from the top of the
    work tree, `prefix` the project's folder there)."""
    pending = b""
    empty = 2  # empty fields in a row: the output starts as after a record
    header: bytes | None = None
    names: list[bytes] = []
    for data in chunks:
        fields = (pending + data).split(b"\0")
        pending = fields.pop()  # not yet ended by its NUL
        for field in fields:
            if not field:
                empty += 1
                continue
            if empty >= 2:
                if header is not None:
                    yield from _record(header, names, prefix)
                header, names = field, []
            elif not names and not empty and field.startswith(b"\n"):
                names.append(field[1:])  # the newline between a header and its names
            else:
                names.append(field)
            empty = 0
    if header is not None:
        yield from _record(header, names, prefix)


class _Walk:
    """Files going down the history: the commit each waits at, the commit each found.
    `differ(commit, parent)` is the set of files `commit` changed against `parent`."""

    def __init__(self, files: set[str], differ: Callable[[str, str], set[str]]) -> None:
        self.first: set[str] | None = files  # they wait at the first commit listed
        self.waiting: dict[str, set[str]] = {}
        self.last: dict[str, Commit] = {}
        self._differ = differ

    @property
    def done(self) -> bool:
        """Whether no file waits any more (the rest of the log is older)."""
        return not self.first and not self.waiting

    def add(self, full: str, commit: Commit, parents: list[str], changed: set[str]) -> None:
        """Move the files waiting at this commit on, or give them this commit."""
        here = self.waiting.pop(full, set())
        if self.first is not None:
            here |= self.first
            self.first = None
        found = here & changed  # against its parent, or every parent of a merge
        here -= found
        for path in found:
            self.last[path] = commit
        if len(parents) == 1:
            self._wait(parents[0], here)
        elif parents:  # a merge: the first parent each file is unchanged against
            for parent in parents[:-1]:
                if not here:
                    break
                differs = self._differ(full, parent)
                self._wait(parent, here - differs)
                here &= differs
            self._wait(parents[-1], here)  # unchanged against one, changed against the others
        # a root (or a shallow clone's last commit) added the files it names; the files it
        # does not name were never committed

    def _wait(self, commit: str, files: set[str]) -> None:
        """`files` wait at `commit` (beside any waiting there already)."""
        if not files:
            return
        there = self.waiting.setdefault(commit, files)
        if there is not files:
            there |= files


def _differ(root: Path, prefix: bytes) -> Callable[[str, str], set[str]]:
    """The files of the project at `root` a commit changed against one of its parents."""

    def differ(commit: str, parent: str) -> set[str]:
        args = ["diff-tree", "-r", "-z", "--name-only", "--no-renames", "--no-ext-diff"]
        found = run_git(root, [*args, "--no-textconv", parent, commit, "--", "."])
        names = found.stdout.split(b"\0")
        cut = len(prefix)
        return {n[cut:].decode("utf-8", "surrogateescape") for n in names if n.startswith(prefix)}

    return differ


def last_commits(root: Path, prefix: str, head: str, files: Iterable[str]) -> dict[str, Commit]:
    """The last commit of each of `files` (paths relative to the project at `root`, which
    is `prefix` in its work tree) in the history of `head`; a file git has no commit for is
    left out."""
    # File names from the top: `--relative` leaves a merge's combined names as they are.
    raw = prefix.encode("utf-8", "surrogateescape")
    walk = _Walk(set(files), _differ(root, raw))
    args = ["log", "-z", "--no-show-signature", "--no-ext-diff", "--no-textconv", "--no-renames"]
    args += [*LOG_ARGS, head, "--", "."]
    stream = stream_git(root, args)
    try:
        for record in _records(stream, raw):
            walk.add(*record)
            if walk.done:
                break  # every file has its last commit: the rest is older
    finally:
        stream.close()
    return walk.last
