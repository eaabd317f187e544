"""What every process a cxsite command forks does first: end when the process that forked
it ends.

A build forks its chart workers, a page helper and a validation helper. When the build
itself is killed outright (SIGKILL: the OOM killer, a CI job's timeout), nothing in it
runs to end them, and they would wait for work forever. On Linux each forked process asks
the kernel for SIGKILL when its parent ends (PR_SET_PDEATHSIG). Forks happen only while
the forking process has a single thread (see halves.py), so the parent thread the kernel
watches is the main thread, which lives as long as the process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def end_children_with_this_process() -> None:
    """From now on, every process this one forks (and that returns to Python) ends when
    this one does. Linux only; elsewhere nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    parent: list = [0, None]  # this process's id and libc's prctl, set before each fork

    def before() -> None:
        parent[0] = os.getpid()
        if parent[1] is None:  # once, in the parent: a child may have no descriptor left
            with contextlib.suppress(ImportError, OSError):  # to open the module's files
                # lazy: only a command that forks needs it
                import ctypes

                parent[1] = ctypes.CDLL(None).prctl

    os.register_at_fork(before=before, after_in_child=lambda: _end_with(*parent))


def end_with_parent() -> None:
    """From now on this process ends when its parent does: for a pool's worker, however the
    pool started it (forked, or from a fork server, whose hook above never ran). Linux only."""
    if not sys.platform.startswith("linux"):
        return
    prctl = None
    with contextlib.suppress(ImportError, OSError):
        import ctypes  # lazy: only a worker needs it

        prctl = ctypes.CDLL(None).prctl
    _end_with(os.getppid(), prctl)


def _end_with(parent: int, prctl: Callable[..., int] | None) -> None:
    if prctl is None or prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        return  # no death signal: the child only lives on as it did before
    if os.getppid() != parent:  # the parent ended before that took effect
        os._exit(1)
