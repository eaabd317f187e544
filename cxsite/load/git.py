"""Running git safely: fixed options first, revisions checked, paths after `--`.

A repository is untrusted input: its `.git/config` may name a pager, an external diff, a
textconv or fsmonitor command, a signature program. Every call here runs git with a
minimal environment (no `GIT_*` variable from the user's shell, no system config, no
prompts) and with command-line settings that switch those hooks off, so reading history or
objects runs no program other than git itself. A revision is resolved with
`rev-parse --verify --end-of-options REV^{commit}` before it is used, and one starting with
`-` is refused, so user input never becomes a git option.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cxsite.load.gitfiles import special_git_file
from cxsite.problems import CxError

# Settings given on the command line win over every config file, the repository's included.
_SAFE_CONFIG = (
    "core.pager=cat",
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.hooksPath=/dev/null",
    "core.askPass=",
    "core.sshCommand=false",
    "diff.external=",
    "diff.noprefix=false",
    "diff.renames=true",
    "log.showSignature=false",
    "log.decorate=false",
    "log.follow=false",
    "gpg.program=false",
    "protocol.allow=never",
    "color.ui=false",
    "i18n.logOutputEncoding=UTF-8",
)
_TIMEOUT = 60
# The one GIT_ variable kept: it only stops git looking further up for a repository.
_KEPT = ("GIT_CEILING_DIRECTORIES",)
# Said instead of "not in a git repository" when that is why no work tree was found.
NO_GIT = "git is not installed (no 'git' program on PATH)"


class GitFailed(CxError):
    """A git command failed or a revision is not usable; exits with 2 (a usage error)."""

    exit_code = 2


@dataclass(frozen=True)
class Repo:
    """A git work tree: its top folder, and the project's folder inside it (POSIX, '' or
    'sub/dir/')."""

    top: Path
    prefix: str


def git_env() -> dict[str, str]:
    """The environment git runs with: the user's, without `GIT_*` variables (GIT_DIR,
    GIT_WORK_TREE, GIT_CONFIG_*... would point git elsewhere), plus
    settings that keep system config, pagers, prompts and optional locks out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEPT}
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "LC_ALL": "C",
        }
    )
    env.pop("GIT_EXTERNAL_DIFF", None)
    return env


def _refuse_special_files(cwd: Path) -> None:
    """GitFailed (and git is not run) when `special_git_file` finds one."""
    found = special_git_file(cwd)
    if found is not None:
        raise GitFailed(f"{found} is not a regular file")


def run_git(
    cwd: Path, args: Sequence[str], *, stdin: bytes | None = None, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run `git <safe settings> args` in `cwd`; GitFailed when git is missing or fails
    (with `check`), with git's own message."""
    _refuse_special_files(cwd)
    try:
        result = subprocess.run(
            _command(args),
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=git_env(),
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitFailed(_cannot_run(cwd, exc)) from exc
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitFailed(message[0] if message else f"git {args[0]} failed")
    return result


def _cannot_run(cwd: Path, exc: OSError | subprocess.SubprocessError) -> str:
    """Why git could not run, in words (not the repr of a path or of git's command line)."""
    if isinstance(exc, OSError):
        where = f" in {cwd}" if exc.filename is not None and Path(exc.filename) == cwd else ""
        return f"cannot run git{where}: {exc.strerror or type(exc).__name__}"
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"git did not answer within {_TIMEOUT} s"
    return f"cannot run git: {type(exc).__name__}"


def _command(args: Sequence[str]) -> list[str]:
    command = ["git", "--no-pager", "--no-replace-objects"]
    for setting in _SAFE_CONFIG:
        command += ["-c", setting]
    return command + list(args)


def stream_git(cwd: Path, args: Sequence[str], chunk: int = 1 << 16) -> Iterator[bytes]:
    """The stdout of `git <safe settings> args` in chunks as git writes them; closing the
    generator early ends git (a reader that has what it needs stops reading history).
    GitFailed when git is missing or fails."""
    _refuse_special_files(cwd)
    try:
        process = subprocess.Popen(
            _command(args),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=git_env(),
        )
    except OSError as exc:
        raise GitFailed(_cannot_run(cwd, exc)) from exc
    assert process.stdout is not None and process.stderr is not None
    finished = False
    try:
        while data := process.stdout.read1(chunk):
            yield data
        finished = True
    finally:
        if not finished:
            process.kill()
        process.stdout.close()
        error = process.stderr.read() if finished else b""
        process.stderr.close()
        code = process.wait(timeout=_TIMEOUT)
    if finished and code != 0:
        message = error.decode("utf-8", "replace").strip().splitlines()
        raise GitFailed(message[0] if message else f"git {args[0]} failed")


def git_missing() -> bool:
    """Whether there is no `git` program on the PATH git runs with (`find_repo` then finds
    no work tree, wherever the folder is)."""
    return shutil.which("git", path=git_env().get("PATH")) is None


def find_repo(folder: Path) -> Repo | None:
    """The work tree holding `folder`, or None when it is not in one (or git is missing)."""
    if not folder.is_dir():
        return None
    # One query each: git ends each with a newline, and a folder name may hold one.
    said = []
    for query in ("--show-toplevel", "--show-prefix"):
        try:
            result = run_git(folder, ["rev-parse", query], check=False)
        except GitFailed:
            return None
        text = result.stdout.decode("utf-8", "surrogateescape")
        if result.returncode != 0 or not text.endswith("\n"):
            return None
        said.append(text[:-1])
    return Repo(Path(said[0]), said[1]) if said[0] else None


def resolve_commit(repo: Repo, revision: str) -> str:
    """The full commit id of `revision`; GitFailed (exit 2) with git's message when it is
    not a commit, and before git runs when it starts with '-' (it would be an option)."""
    if not revision or revision.startswith("-"):
        raise GitFailed(f"bad revision {revision!r}: a revision cannot start with '-' or be empty")
    if "\0" in revision or "\n" in revision:
        raise GitFailed(f"bad revision {revision!r}: control characters are not allowed")
    result = run_git(
        repo.top,
        ["rev-parse", "--verify", "--end-of-options", revision + "^{commit}"],
        check=False,
    )
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        said = lines[-1] if lines else "fatal: Needed a single revision"
        raise GitFailed(f"bad revision {revision!r}: {said}")
    return result.stdout.decode("ascii").strip()
