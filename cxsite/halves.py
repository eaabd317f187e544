"""Work shared with one forked helper process, so that the second core works too.

When a build validates many files (a cold build, `cxsite check`) or renders many pages with
no charts drawn in the background (a theme, config or survey-data edit; a cold build with
every chart cached), one core would idle while the other works. `in_two` forks a helper
that takes every other item; this process does the rest, then reads the helper's results.
Forking is safe only while this process has a single thread (`can_fork`, the rule of every
worker cxsite starts: `cxsite serve` has several threads, and a build drawing charts in the
background has a waiting one): otherwise, and for a short list, everything runs here.

Whatever goes wrong in the helper (an exception, a crash, a signal) only costs time: this
process then does the helper's items itself, so an error is raised here, as without a
helper, and the result never depends on which process did what.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger(__name__)

# Fewer items than this are not worth a fork (forking a large build process and sending
# the results back costs tens of milliseconds; a page renders in 1-5 ms).
MIN_ITEMS = 120


def can_fork() -> bool:
    """Whether a child process may be forked now: only while this process has a single
    thread (with more, a child can deadlock on a lock another thread held when it forked)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def in_two(
    items: Sequence[T],
    work: Callable[[T], R],
    keep: Callable[[T, R], None],
    *,
    workers: int,
    done: Callable[[], Any] | None = None,
    minimum: int | None = None,
    helper_takes: Callable[[int, T], bool] | None = None,
) -> Any:
    """`keep(item, work(item))` for every item, with a forked helper doing the work of every
    other item when `workers` > 1, there are at least `minimum` items (default MIN_ITEMS)
    and forking is safe. `keep` always runs here: at once for the items done here, after
    the helper has finished for its items. `done`, if given, runs in the helper after its
    items; its (picklable) result is returned, so the caller can merge what the helper
    learnt (None without a helper). `helper_takes(index, item)` says which items the helper takes
    (default: every other one)."""
    least = MIN_ITEMS if minimum is None else minimum
    if workers < 2 or len(items) < least or not can_fork():
        for item in items:
            keep(item, work(item))
        return None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    takes = helper_takes or (lambda index, item: index % 2 == 1)
    split = [takes(index, item) for index, item in enumerate(items)]
    mine = [item for item, taken in zip(items, split, strict=True) if not taken]
    theirs = [item for item, taken in zip(items, split, strict=True) if taken]

    def helper() -> None:
        receiver.close()
        try:
            found = ([work(item) for item in theirs], done() if done is not None else None)
        except BaseException:  # told to the parent, which does the items again itself
            found = None
        # the parent may have stopped listening (it failed, or Ctrl+C): nothing to tell then
        with contextlib.suppress(BaseException):
            sender.send(found)
        sender.close()

    process = context.Process(target=helper, name="cxsite-pages", daemon=True)
    process.start()
    sender.close()
    try:
        for item in mine:
            keep(item, work(item))
        try:
            found = receiver.recv()
        except (EOFError, OSError):
            found = None
    finally:
        receiver.close()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
    if found is None:
        log.debug("the helper process failed: its %d items are done here", len(theirs))
        for item in theirs:
            keep(item, work(item))
        return None
    log.debug("%d items done here, %d by a helper process", len(items) - len(theirs), len(theirs))
    for item, result in zip(theirs, found[0], strict=True):
        keep(item, result)
    return found[1]
