"""Garbage collection around work that builds millions of long-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# A build allocates millions of objects and keeps most of them to its end (the project, its
# analysis, the page records), and its garbage is mostly freed by reference counting: the
# collector's default (a young collection every 700 new objects) spends a tenth of a cold
# build walking live objects. Every 10,000 is still often enough for the cyclic garbage.
BUILD_THRESHOLDS = (10_000, 10, 10)


@contextmanager
def collection_paused(young_after: bool = False) -> Iterator[None]:
    """No garbage collection inside (it would walk every new object again and again, and
    none of them is garbage yet); the collector runs again as before afterwards, first
    freeing in one young collection what the block left when `young_after` (a block whose
    objects are garbage once it ends). A caller that paused the collector keeps it
    paused, with nothing collected."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if young_after:
                gc.collect(0)
            gc.enable()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collections at BUILD_THRESHOLDS inside; the thresholds as they were afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def long_lived_objects() -> Iterator[None]:
    """Around reading the caches: millions of long-lived objects. No garbage collection
    runs while they are read, and later ones do not walk them again (`gc.freeze`; the next
    build in this process, under `serve`, unfreezes them first). They are frozen before the
    collector runs again: otherwise its first young collection walks all of them."""
    with collection_paused():
        yield
        gc.freeze()
