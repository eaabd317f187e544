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

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def end_children_with_this_process() -> None:
    """From now on, every process this one forks (and that returns to Python) ends when
    this one does. Linux only; elsewhere nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    parent = [0]
    os.register_at_fork(
        before=lambda: parent.__setitem__(0, os.getpid()),
        after_in_child=lambda: _end_with(parent[0]),
    )


def _end_with(parent: int) -> None:
    # lazy: only a forked child needs it, once
    import ctypes

    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before that took effect
        os._exit(1)
