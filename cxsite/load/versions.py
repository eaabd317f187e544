"""A project as it was at a git revision, read from git objects into a folder of our own.

`ls-tree` lists the project folder at the commit and one `cat-file --batch` process hands
over every blob; nothing reads or writes the user's working tree, index, branches or
configuration. Only regular files are written (no symbolic link or submodule of the
revision is followed), under the destination folder only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cxsite.load.git import GitFailed, run_git

MAX_TOTAL = 512 * 1024 * 1024  # a project version larger than this is refused
_SKIPPED = (".git", ".cxsite-cache", "_site")


@dataclass(frozen=True)
class TreeFile:
    """One regular file of a revision: its path in the project and its blob id."""

    path: str
    blob: str
    size: int


def _safe(rel: str) -> bool:
    """A path that stays inside the destination and is none of the skipped folders."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or not rel or "\\" in rel or "\0" in rel:
        return False
    return not any(part in ("", ".", "..") for part in pure.parts) and (
        pure.parts[0] not in _SKIPPED
    )


def tree_files(root: Path, commit: str) -> list[TreeFile]:
    """The regular files of the project folder `root` at `commit` (a resolved commit id),
    paths relative to the project; empty when the folder did not exist then."""
    listing = run_git(root, ["ls-tree", "-r", "-z", "-l", "--no-abbrev", commit, "--", "."])
    files = []
    for entry in listing.stdout.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        words = meta.split()
        if len(words) != 4 or words[1] != b"blob" or words[0] not in (b"100644", b"100755"):
            continue  # symlinks (120000) and submodules (160000) are never written
        rel = name.decode("utf-8", "surrogateescape")
        if _safe(rel) and words[3].isdigit():
            files.append(TreeFile(rel, words[2].decode("ascii"), int(words[3])))
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
    if sum(f.size for f in files) > MAX_TOTAL:
        raise GitFailed(f"the project at {commit[:12]} is larger than 512 MB")
    base = dest.resolve()
    for f, data in zip(files, _blobs(root, files), strict=True):
        target = base.joinpath(*PurePosixPath(f.path).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(base):
            continue
        with open(target, "xb") as handle:  # never through an existing file or link
            handle.write(data)
    return len(files)
