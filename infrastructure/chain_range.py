"""A range of the log, walked on its own from the hash stored before it.

Every link is checked against the hash stored before it, so a range can be walked apart
from the rest (``walk_range``), and the parts, joined in order up to the first break, answer
exactly what one walk over the whole log answers (``chain_walk``). ``cut`` splits a log into
ranges of about equal length; ``chain_pool`` hands them to several processes and
``chain_child`` is the walker each child process runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from infrastructure.chain import GENESIS
from infrastructure.chain_sources import PostgresChainSource
from infrastructure.chain_walk import Part, Walk

RANGES_PER_PROCESS = 8


@dataclass(frozen=True)
class Range:
    index: int  # its place in the log
    after: int  # the range is (after, upto]
    upto: int | None  # None: to the last event
    wanted: tuple[int, ...]  # checkpoint positions in it

    def size(self, last: int) -> int:
        return (last if self.upto is None else self.upto) - self.after


def cut(first: int, last: int, pieces: int, wanted: list[int]) -> list[Range]:
    """Positions ``first`` to ``last`` in ``pieces`` ranges of about equal length."""
    span = last - first + 1
    bounds = [first - 1 + span * n // pieces for n in range(pieces)]
    ends: list[int | None] = [*bounds[1:], None]
    return [
        Range(
            index,
            after,
            upto,
            tuple(p for p in wanted if p > after and (upto is None or p <= upto)),
        )
        for index, (after, upto) in enumerate(zip(bounds, ends, strict=True))
    ]


def stored_before(source: PostgresChainSource, after: int) -> tuple[int | None, bytes]:
    """The last event at or before ``after`` and its stored hash: where a walk of the range
    after it starts (none before the first event). An unbroken walk up to ``after`` ends
    exactly there."""
    before = source.link_at_or_before(after)
    if before is None:
        return None, GENESIS
    # No link there: the range before breaks at that event, and a part from it goes unused.
    position, digest = before
    return position, digest or b""


def walk_range(source: PostgresChainSource, piece: Range, on_batch: Callable[[int], None]) -> Part:
    """The range walked from the hash stored before it."""
    walk = Walk(source, wanted=piece.wanted, on_batch=on_batch)
    position, digest = stored_before(source, piece.after)
    if position is not None:
        walk.resume_after(position, digest)
    walk.walk(upto=piece.upto)
    return walk.part()
