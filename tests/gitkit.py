"""Real git repositories for the tests: commits with fixed dates, tags, and a snapshot of
everything `cxsite diff` must leave alone."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from projectfiles import write_files

# Fixed identities and dates: the same history every run.
_ENV = {
    "GIT_AUTHOR_NAME": "Ana Ruiz",
    "GIT_AUTHOR_EMAIL": "ana@example.com",
    "GIT_COMMITTER_NAME": "Ana Ruiz",
    "GIT_COMMITTER_EMAIL": "ana@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str, date: str = "2026-05-04T10:00:00Z") -> str:
    """Run git in `repo` with fixed identities and dates; its stdout."""
    env = {**os.environ, **_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    result = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def init(repo: Path) -> Path:
    """A new repository at `repo` (branch main)."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def commit(
    repo: Path,
    message: str,
    files: Mapping[str, str | bytes | None] | None = None,
    *,
    remove: tuple[str, ...] = (),
    date: str = "2026-05-04T10:00:00Z",
    tag: str | None = None,
    author: str | None = None,
) -> str:
    """Write `files` (paths relative to the repository), delete `remove`, commit everything
    with `date`, tag it; the commit id."""
    write_files(repo, files or {})
    for rel in remove:
        (repo / rel).unlink()
    git(repo, "add", "-A")
    extra = ["-c", f"user.name={author}"] if author else []
    args = [*extra, "commit", "-q", "--allow-empty", "-m", message]
    if author:
        args += ["--author", f"{author} <{author.split()[0].lower()}@example.com>"]
    git(repo, *args, date=date)
    if tag:
        git(repo, "tag", tag)
    return git(repo, "rev-parse", "HEAD").strip()


def untouched_state(repo: Path) -> tuple:
    """What `cxsite diff` must never change: status, refs, HEAD, the index and every file
    of the working tree (bytes and modification times)."""
    files = {}
    for path in sorted(repo.rglob("*")):
        rel = path.relative_to(repo)
        if rel.parts[0] == ".git" or not path.is_file():
            continue
        files[rel.as_posix()] = (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
    index = repo / ".git" / "index"
    return (
        git(repo, "--no-optional-locks", "status", "--porcelain", "--untracked-files=all"),
        git(repo, "for-each-ref"),
        git(repo, "symbolic-ref", "-q", "HEAD"),
        index.read_bytes() if index.exists() else b"",
        index.stat().st_mtime_ns if index.exists() else 0,
        files,
    )
