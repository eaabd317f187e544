"""Work shared with one forked helper process: the second core renders pages too.

When a build renders many pages and draws no charts in the background (a theme, config or
survey-data edit; a cold build with every chart cached), one core would idle while the
other renders. `in_two` forks a helper that takes every other item; this process does the
rest, then reads the helper's results. Forking is safe only while this process has a
single thread (`cxsite serve` has several, and a build drawing charts in the background
has a waiting thread): otherwise, and for a short list, everything runs here.

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


def in_two(
    items: Sequence[T],
    work: Callable[[T], R],
    *,
    workers: int,
    done: Callable[[], Any] | None = None,
    minimum: int | None = None,
) -> tuple[list[R], Any]:
    """`[work(item) for item in items]`, with a forked helper doing every other item when
    `workers` > 1, there are at least `minimum` items (default MIN_ITEMS) and forking is
    safe. `done`, if given, runs in the helper after its items, and its (picklable) result
    is returned beside the list, so the caller can merge what the helper learnt (None
    without a helper)."""
    least = MIN_ITEMS if minimum is None else minimum
    if workers < 2 or len(items) < least or threading.active_count() != 1:
        return [work(item) for item in items], None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    theirs = items[1::2]

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
        mine = [work(item) for item in items[0::2]]
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
        found = ([work(item) for item in theirs], None)
    else:
        log.debug(
            "%d items done here, %d by a helper process", len(items) - len(theirs), len(theirs)
        )
    results: list[R] = []
    for index in range(len(items)):
        results.append(mine[index // 2] if index % 2 == 0 else found[0][index // 2])
    return results, found[1]
