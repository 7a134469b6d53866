"""A part answered for a range joins the walk only where it fits.

It must start at the hash stored before its range and, unless it names a break, end at the
one stored at the range's end; it may not end outside its range or count more events than
the range holds. A walk refuses a part that does not start where it stands. The parts here
are walked for real over ``test_verify_spread_pg``'s log; the lies are edits of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from infrastructure.chain_pool import RangePool
from infrastructure.chain_range import Range, cut, walk_range
from infrastructure.chain_result import ChainBreak
from infrastructure.chain_sources import PostgresChainSource
from infrastructure.chain_walk import Part, Walk
from infrastructure.database import DatabaseUrl
from tests.integration.test_tamper_kit import Log
from tests.integration.test_verify_spread_pg import SPREAD, TABLE, log, one_walk, template

__all__ = ["log", "template"]

pytestmark = pytest.mark.postgres

PIECES = 4


def ranges(log: Log) -> list[Range]:
    positions = log.positions()
    return cut(positions[0], positions[-1], PIECES, [])


@pytest.fixture
def pool(log: Log) -> Iterator[RangePool]:
    """A pool over the log cut in four ranges, its snapshot exported (edit the log before
    asking for it), no child started."""
    conninfo = DatabaseUrl.parse(log.url).conninfo()
    source = PostgresChainSource(conninfo, events_table=TABLE)
    try:
        yield RangePool(
            source,
            conninfo=conninfo,
            events_table=TABLE,
            ranges=ranges(log),
            last=log.positions()[-1],
            spread=SPREAD,
        )
    finally:
        source.close()


def walked(pool: RangePool, index: int) -> Part:
    return walk_range(pool.source, pool.ranges[index], lambda _: None)


def inside(piece: Range) -> int:
    assert piece.upto is not None
    return (piece.after + piece.upto) // 2


def test_every_part_walked_for_real_fits_and_they_join_as_one_walk(
    pool: RangePool, log: Log
) -> None:
    walk = Walk(pool.source)
    for index, piece in enumerate(pool.ranges):
        part = walked(pool, index)
        pool.fits(piece, part)
        walk.extend(part)
    walk.finish()

    whole = one_walk(log.url)
    assert (walk.head_position, walk.head_hash.hex(), walk.count, walk.broken) == (
        whole.head_position,
        whole.head_hash,
        whole.events,
        None,
    )


def test_a_part_that_names_a_break_fits_where_it_stops(
    log: Log, request: pytest.FixtureRequest
) -> None:
    target = inside(ranges(log)[1])
    log.flip_byte(target)
    pool: RangePool = request.getfixturevalue("pool")

    part = walked(pool, 1)

    assert part.broken == ChainBreak.changed(target)
    pool.fits(pool.ranges[1], part)


LIES: dict[str, Callable[[Part, Range], Part]] = {
    "starts after another event": lambda p, r: replace(p, start_position=r.after - 7),
    "starts from another hash": lambda p, r: replace(p, start_hash=bytes(32)),
    "ends before its range's end": lambda p, r: replace(p, head_position=inside(r)),
    "ends with another hash": lambda p, r: replace(p, head_hash=bytes(32)),
    "breaks past its range": lambda p, r: replace(
        p, head_position=(r.upto or 0) + 5, broken=ChainBreak.changed((r.upto or 0) + 6)
    ),
    "counts more than its range holds": lambda p, r: replace(p, count=p.count + r.size(0) + 1),
    "counts less than nothing": lambda p, r: replace(p, count=-1),
}


@pytest.mark.parametrize("lie", LIES)
def test_a_part_that_does_not_fit_its_range_is_refused(pool: RangePool, lie: str) -> None:
    piece = pool.ranges[1]
    told = LIES[lie](walked(pool, 1), piece)

    with pytest.raises(ValueError, match=f"range after {piece.after}"):
        pool.fits(piece, told)


def test_a_walk_refuses_a_part_that_does_not_start_where_it_stands(pool: RangePool) -> None:
    walk = Walk(pool.source)
    walk.extend(walked(pool, 0))

    with pytest.raises(ValueError, match="cannot continue"):
        walk.extend(walked(pool, 2))


def test_a_walk_that_has_broken_takes_no_more_parts(
    log: Log, request: pytest.FixtureRequest
) -> None:
    log.flip_byte(inside(ranges(log)[0]))
    pool: RangePool = request.getfixturevalue("pool")
    walk = Walk(pool.source)
    walk.extend(walked(pool, 0))

    with pytest.raises(ValueError, match="has broken"):
        walk.extend(walked(pool, 1))
