"""Read-your-writes in the embedded mode (SQLite): the host runs in a thread of the serving
process and wakes its waiters in process; no listening connection is involved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from application.ports import FixedClock
from tests.builders import World, build_world


@pytest.fixture
def world(tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    built = build_world(f"sqlite:///{tmp_path / 'rectify.sqlite3'}", clock)
    yield built
    built.container.close()


def test_a_started_embedded_host_lets_a_write_be_read_back(world: World) -> None:
    host = world.container.projections
    assert host.watcher is None
    host.start()
    try:
        for office in ("bj", "sh"):
            result = world.issue(by="coord", office=office)

            assert host.wait_for(result.position, timeout=60)
            assert min(host.positions().values()) >= (result.position or 0)
    finally:
        host.stop()


def test_without_a_host_running_an_embedded_wait_polls_and_times_out(world: World) -> None:
    host = world.container.projections
    result = world.issue()
    reads = host.position_reads

    assert not host.wait_for(result.position, timeout=0.1)
    assert host.position_reads > reads
    host.catch_up()
    assert host.wait_for(result.position, timeout=0)
