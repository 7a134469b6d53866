"""The collector settings a long-lived worker takes once it has started."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from infrastructure import heap


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settle_freezes_what_start_up_left_and_widens_the_young_generation(
    restored_collector: None,
) -> None:
    built_at_start_up = [{"row": n} for n in range(1000)]
    _, middle, old = gc.get_threshold()

    heap.settle()

    assert gc.get_freeze_count() >= len(built_at_start_up)
    assert gc.get_threshold() == (heap.YOUNG_THRESHOLD, middle, old)
    walked = {id(o) for o in gc.get_objects()}  # what later collections will look at
    assert not any(id(row) in walked for row in built_at_start_up)


def test_settle_collects_garbage_before_freezing_it(restored_collector: None) -> None:
    class Node:
        partner: object = None

    a, b = Node(), Node()
    a.partner, b.partner = b, a  # a cycle only the collector frees
    gone = weakref.ref(a)
    del a, b

    heap.settle()

    assert gone() is None  # frozen, the cycle would have lived for the worker's whole life
