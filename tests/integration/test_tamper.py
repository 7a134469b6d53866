"""Each scripted tampering of the stored log is found at the right position, named rightly.

The edits are made as the tables' owner (PostgreSQL: the superuser, triggers disabled first;
SQLite: the file's owner, triggers dropped), exactly as someone with database access could.
"""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from infrastructure.chain_result import VerifyResult
from tests.builders import World
from tests.integration.test_tamper_kit import (  # noqa: F401 - fixtures found by import
    Log,
    desk,
    world_on_each_backend,
    world_on_postgres,
)


@pytest.fixture
def log(world: World) -> Log:
    stored = Log(world.container.settings.database_url)
    stored.unlock()
    return stored


def verify(world: World) -> VerifyResult:
    return desk(world).verify(world["auditor"])


def broken_at(world: World) -> tuple[int, str]:
    result = verify(world)
    assert not result.ok
    assert result.broken is not None, result.summary()
    return result.broken.position, result.broken.kind


def test_an_untouched_log_verifies_with_its_head(world: World, log: Log) -> None:
    result = verify(world)
    assert result.ok, result.summary()
    positions = log.positions()
    assert (result.head_position, result.events) == (positions[-1], len(positions))
    assert result.head_hash is not None
    assert len(bytes.fromhex(result.head_hash)) == 32


def test_one_byte_of_a_stored_state_changed_is_named_changed(world: World, log: Log) -> None:
    target = log.middle()
    log.flip_byte(target)
    assert broken_at(world) == (target, "changed")


def test_a_middle_row_deleted_is_named_removed(world: World, log: Log) -> None:
    target = log.middle()
    log.delete_event(target)
    assert broken_at(world) == (target, "removed")


def test_a_middle_row_deleted_with_its_link_is_named_removed(world: World, log: Log) -> None:
    target = log.middle()
    log.delete_event(target)
    log.delete_link(target)
    assert broken_at(world) == (target, "removed")


def test_the_last_row_deleted_without_its_link_is_named_removed(world: World, log: Log) -> None:
    last = log.positions()[-1]
    log.delete_event(last)
    assert broken_at(world) == (last, "removed")


def test_two_rows_positions_swapped_are_named_reordered(world: World, log: Log) -> None:
    first = log.middle()
    second = log.positions()[-2]
    log.swap(first, second)
    assert broken_at(world) == (first, "reordered")


def test_a_forged_row_without_a_link_is_named_inserted(world: World, log: Log) -> None:
    forged = log.forge()
    assert broken_at(world) == (forged, "inserted")


def test_a_forged_row_with_a_correct_link_slipped_into_a_gap_is_named_inserted(
    pg_world: World,
) -> None:
    log = Log(pg_world.container.settings.database_url)
    last = log.positions()[-1]
    first = pg_world.app.recorder.select_notifications(start=None, limit=1)[0]
    clash = StoredEvent(first.originator_id, first.originator_version, first.topic, first.state)
    with pytest.raises(IntegrityError):  # a failed append consumes a position: a gap
        pg_world.app.recorder.insert_events([clash])
    pg_world.issue()
    assert log.positions()[-2:] == [last, last + 2]
    assert verify(pg_world).ok  # links skip the gap
    log.unlock()
    forged = log.forge(position=last + 1, link=True)
    assert broken_at(pg_world) == (forged, "inserted")


def test_triggers_disabled_by_the_owner_before_editing_do_not_hide_the_edit(
    world: World,
) -> None:
    log = Log(world.container.settings.database_url)
    target = log.middle()
    edited = log.state(target).replace(b"request_id", b"request_iD", 1)
    with pytest.raises(Exception, match="append-only"):  # the triggers refuse even the owner
        log.set_state(target, edited)
    log.unlock()
    log.set_state(target, edited)
    assert broken_at(world) == (target, "changed")
