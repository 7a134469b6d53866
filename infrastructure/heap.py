"""Python's garbage collector, set for a long-lived worker once it has started.

A worker keeps what start-up built (modules, classes, the wiring, the caches) for its
whole life, yet every full collection walks all of it again. Under load a full collection
came every second or so, and each took about 100 ms in the projection worker, with the
GIL held (docs/performance.md, section 2). ``settle()`` collects once and freezes what
is left, so later collections see only what the work itself made, and lets more objects
be allocated before a young collection, so batch-sized work is not promoted to the old
generation before it is done with.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000  # allocations before a young collection (CPython's default: 700)


def settle() -> int:
    """Call once, after start-up: the objects alive now are never collected again (they
    are freed as usual when nothing refers to them). Answers how many were frozen."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    return gc.get_freeze_count()
