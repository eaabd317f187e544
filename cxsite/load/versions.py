"""A project as it was at a git revision, read from git objects into a folder of our own.

`ls-tree` lists the project folder at the commit and one `cat-file --batch` process hands
over every blob; nothing reads or writes the user's working tree, index, branches or
configuration. Only regular files are written, under the destination folder only: a
symbolic link of the revision that names a file of the project is written as a copy of that
file (as the working tree's loader follows links inside the project); any other link, and
every submodule, is left out. A file larger than any reader of cxsite accepts is written as
a sparse file of its size, never read from git: the reader refuses it by its size, as in
the working tree, and a video kept beside the project costs nothing.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cxsite.load.git import GitFailed, run_git

MAX_TOTAL = 512 * 1024 * 1024  # the files of a project version, larger than this is refused
# No reader of cxsite accepts a larger file (survey exports: 50 MB, YAML: 2 MB).
MAX_READ = 50 * 1024 * 1024
_SKIPPED = (".git", ".cxsite-cache", "_site")
_LINK_HOPS = 8  # a link to a link...: followed this far, as a system follows a few dozen


@dataclass(frozen=True)
class TreeFile:
    """One regular file of a revision: its path in the project and its blob id."""

    path: str
    blob: str
    size: int


class DamagedTree(GitFailed):
    """The revision's tree cannot be a folder (a path twice, a file where a folder is)."""


def _safe(rel: str) -> bool:
    """A path that stays inside the destination and is none of the skipped folders."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or not rel or "\\" in rel or "\0" in rel:
        return False
    return not any(part in ("", ".", "..") for part in pure.parts) and (
        pure.parts[0] not in _SKIPPED
    )


def _listing(root: Path, commit: str) -> tuple[list[TreeFile], list[TreeFile]]:
    """The regular files and the symbolic links of the project folder at `commit`."""
    listing = run_git(root, ["ls-tree", "-r", "-z", "-l", "--no-abbrev", commit, "--", "."])
    files, links = [], []
    for entry in listing.stdout.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        words = meta.split()
        if len(words) != 4 or words[1] != b"blob" or not words[3].isdigit():
            continue  # submodules (160000) are never written
        rel = name.decode("utf-8", "surrogateescape")
        if not _safe(rel):
            continue
        found = TreeFile(rel, words[2].decode("ascii"), int(words[3]))
        if words[0] in (b"100644", b"100755"):
            files.append(found)
        elif words[0] == b"120000":
            links.append(found)
    return files, links


def _followed(files: list[TreeFile], links: list[TreeFile], targets: list[bytes]) -> list[TreeFile]:
    """Each link whose target, read as a path from the link's folder, is a regular file of
    the project (through at most `_LINK_HOPS` links), as a copy of that file."""
    by_path = {f.path: f for f in files}
    pointing = {
        link.path: posixpath.normpath(
            posixpath.join(posixpath.dirname(link.path), target.decode("utf-8", "surrogateescape"))
        )
        for link, target in zip(links, targets, strict=True)
        if not target.startswith(b"/")
    }
    copies = []
    for link in links:
        path = link.path
        for _ in range(_LINK_HOPS):
            path = pointing.get(path, "")
            if path in by_path or not _safe(path):
                break
        if path in by_path:
            copies.append(TreeFile(link.path, by_path[path].blob, by_path[path].size))
    return copies


def tree_files(root: Path, commit: str) -> list[TreeFile]:
    """The files of the project folder `root` at `commit` (a resolved commit id), links to
    files of the project included, paths relative to the project; empty when the folder did
    not exist then. DamagedTree when a path comes twice."""
    files, links = _listing(root, commit)
    if links:
        files += _followed(files, links, _blobs(root, links))
    seen: set[str] = set()
    for f in files:
        if f.path in seen:
            raise DamagedTree(f"its tree lists '{f.path}' twice (see 'git fsck')")
        seen.add(f.path)
    return files


def _blobs(root: Path, files: list[TreeFile]) -> list[bytes]:
    """The bytes of every file's blob, from one `cat-file --batch` process."""
    if not files:
        return []
    request = b"".join(f.blob.encode("ascii") + b"\n" for f in files)
    raw = run_git(root, ["cat-file", "--batch"], stdin=request).stdout
    out: list[bytes] = []
    at = 0
    for f in files:
        end = raw.index(b"\n", at)
        header = raw[at:end].split()
        if len(header) != 3 or header[1] != b"blob":
            raise GitFailed(f"cannot read {f.path} at this revision")
        size = int(header[2])
        out.append(raw[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return out


def write_version(root: Path, commit: str, dest: Path) -> int:
    """Write the project folder `root` as it was at `commit` into the empty folder `dest`;
    returns how many files were written (0: the folder did not exist at that commit)."""
    files = tree_files(root, commit)
    read = [f for f in files if f.size <= MAX_READ]
    if sum(f.size for f in read) > MAX_TOTAL:
        raise GitFailed("its files cxsite reads hold more than 512 MB")
    base = dest.resolve()
    contents = dict(zip((f.path for f in read), _blobs(root, read), strict=True))
    for f in files:
        target = base.joinpath(*PurePosixPath(f.path).parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.parent.resolve().is_relative_to(base):
                continue
            with open(target, "xb") as handle:  # never through an existing file or link
                if f.path in contents:
                    handle.write(contents[f.path])
                else:
                    handle.truncate(f.size)  # sparse: refused by its size, never read
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            raise DamagedTree(f"its tree has '{f.path}' both as a file and a folder") from None
    return len(files)
