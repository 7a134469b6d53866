"""Concurrency on PostgreSQL: conflicting commands at one expected version, all at once.

Eight threads, each with its own command for the same item and the same expected version,
start together: exactly one is recorded, the seven others are told the case changed, and
the item's stored versions run 1, 2, 3 … without a gap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from uuid import UUID

import pytest

from application.commanding import CommandResult
from application.errors import VersionConflict
from application.ports import FixedClock
from tests.builders import World, build_world, stored_events

pytestmark = pytest.mark.postgres

THREADS = 8


@pytest.fixture
def pg_world(pg_url: str, clock: FixedClock) -> Iterator[World]:
    built = build_world(pg_url, clock)
    yield built
    built.container.close()


def conflicting_commands(world: World, item_id: UUID, version: int) -> list[Callable[[], object]]:
    """Eight different commands a planned item accepts, all expecting the same version."""
    app, today = world.app, world.today()

    def reassign(n: int) -> Callable[[], CommandResult]:
        clerk = world["bj-clerk" if n % 2 else "bj-clerk2"]
        return lambda: app.reassign(
            clerk, item_id, responsible=f"负责人{n}", reason="调整", expected_version=version
        )

    return [
        lambda: app.request_approval(world["bj-clerk"], item_id, expected_version=version),
        lambda: app.request_extension(
            world["bj-clerk2"],
            item_id,
            new_deadline=today + timedelta(days=40),
            reason="等待登记",
            expected_version=version,
        ),
        lambda: app.extend_deadline(
            world["coord"],
            item_id,
            new_deadline=today + timedelta(days=30),
            reason="同意延期",
            expected_version=version,
        ),
        *(reassign(n) for n in range(THREADS - 3)),
    ]


def run_together(commands: list[Callable[[], object]]) -> list[object]:
    """Start every command at the same moment; answer each one's result or error."""
    start = threading.Barrier(len(commands))
    outcomes: list[object] = [None] * len(commands)

    def run(n: int) -> None:
        start.wait()
        try:
            outcomes[n] = commands[n]()
        except Exception as exc:  # collected and checked below
            outcomes[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(commands))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_one_of_eight_conflicting_commands_wins_and_the_rest_conflict(pg_world: World) -> None:
    _, item_id = pg_world.planned_item()
    version = pg_world.app.get_item(pg_world["bj-clerk"], item_id).version

    outcomes = run_together(conflicting_commands(pg_world, item_id, version))

    won = [o for o in outcomes if isinstance(o, CommandResult)]
    lost = [o for o in outcomes if not isinstance(o, CommandResult)]
    assert len(won) == 1
    assert len(lost) == THREADS - 1
    assert all(isinstance(o, VersionConflict) for o in lost), lost
    assert pg_world.app.get_item(pg_world["coord"], item_id).version == version + 1


def test_after_a_race_the_items_stored_versions_have_no_gaps(pg_world: World) -> None:
    _, item_id = pg_world.planned_item()
    version = pg_world.app.get_item(pg_world["bj-clerk"], item_id).version

    run_together(conflicting_commands(pg_world, item_id, version))

    versions = [e.originator_version for e in stored_events(pg_world) if e.originator_id == item_id]
    assert versions == list(range(1, version + 2))
