"""How a long log is cut into ranges for several walkers, and how a range's part travels."""

from __future__ import annotations

import itertools
import json

import pytest

from infrastructure.chain_range import cut
from infrastructure.chain_result import ChainBreak, EvidenceRef
from infrastructure.chain_walk import Part


@pytest.mark.parametrize(("first", "last", "pieces"), [(1, 1_000_000, 16), (7, 20, 4), (5, 5, 3)])
def test_the_ranges_cover_every_position_once_in_order(first: int, last: int, pieces: int) -> None:
    ranges = cut(first, last, pieces, [])

    assert [r.index for r in ranges] == list(range(pieces))
    assert ranges[0].after == first - 1
    assert ranges[-1].upto is None
    for before, after in itertools.pairwise(ranges):
        assert before.upto == after.after
    covered = [
        p for r in ranges for p in range(r.after + 1, (last if r.upto is None else r.upto) + 1)
    ]
    assert covered == list(range(first, last + 1))


def test_the_ranges_are_about_equal() -> None:
    sizes = [r.size(1_000_000) for r in cut(1, 1_000_000, 16, [])]

    assert max(sizes) - min(sizes) <= 1
    assert sum(sizes) == 1_000_000


def test_each_checkpoint_goes_to_the_range_holding_it() -> None:
    ranges = cut(1, 100, 4, [1, 25, 26, 75, 100, 400])

    assert [r.wanted for r in ranges] == [(1, 25), (26,), (75,), (100, 400)]


def test_a_part_survives_its_trip_between_processes() -> None:
    part = Part(
        start_position=28,
        start_hash=bytes(range(1, 33)),
        head_position=41,
        head_hash=bytes(range(32)),
        count=12,
        broken=ChainBreak.reordered(40, 44),
        evidence=(EvidenceRef(33, "ab" * 32, "现场照片.jpg"), EvidenceRef(35, "cd" * 32, None)),
        seen={30: b"\x01" * 32},
    )

    assert Part.from_json(json.loads(json.dumps(part.as_json()))) == part
