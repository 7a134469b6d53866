"""The bench's in-process parts run with the heap settled as rectify's own processes settle
theirs (``infrastructure.heap``), and give the collector back as it was afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from infrastructure import heap


@contextmanager
def like_a_worker() -> Iterator[None]:
    thresholds = gc.get_threshold()
    heap.settle()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
