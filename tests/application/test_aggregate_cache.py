"""The aggregate cache: two application processes on one PostgreSQL database.

Each process keeps the aggregates it read in memory (``RECTIFY_AGGREGATE_CACHE_SIZE``).
Every read of the current state first applies the events stored since the cached version,
so what another process wrote is seen at once; a command changes a copy, so a refused one
leaves nothing behind; a read at a version never goes through the cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from application.commanding import Command, CommandResult
from application.errors import ConcurrentWrite
from application.ports import FixedClock
from application.service import RectifyApp
from domain.errors import DomainError
from domain.item import RectificationItem
from infrastructure.container import Container, build_container
from infrastructure.database import aggregate_cache_env
from infrastructure.settings import load_settings
from tests.builders import World, build_world

pytestmark = pytest.mark.postgres


@pytest.fixture
def first(pg_url: str, clock: FixedClock) -> Iterator[World]:
    built = build_world(pg_url, clock)
    yield built
    built.container.close()


def open_process(pg_url: str, clock: FixedClock, **settings: object) -> Iterator[Container]:
    container = build_container(load_settings(database_url=pg_url, **settings), clock=clock)
    yield container
    container.close()


@pytest.fixture
def second(first: World, pg_url: str, clock: FixedClock) -> Iterator[World]:
    """Another process serving the same database, with the same callers."""
    for container in open_process(pg_url, clock):
        yield World(container=container, clock=clock, callers=first.callers)


@pytest.fixture
def uncached(first: World, pg_url: str, clock: FixedClock) -> Iterator[RectifyApp]:
    """A process without the cache: what the stored events say."""
    for container in open_process(pg_url, clock, aggregate_cache_size=0):
        yield container.app


def stored(app: RectifyApp, item_id: UUID) -> dict[str, object]:
    return app.load(RectificationItem, item_id).summary()


def test_the_cache_is_on_by_default_with_fast_forward_and_copies(first: World) -> None:
    repository = first.app.repository

    assert repository.cache is not None
    assert repository.fastforward
    assert repository.deepcopy_from_cache
    assert not repository.fastforward_skipping


def test_a_size_of_zero_turns_the_cache_off(uncached: RectifyApp) -> None:
    assert aggregate_cache_env(0) == {}
    assert uncached.repository.cache is None


def test_a_command_sees_what_another_process_wrote_since_it_cached_the_case(
    first: World, second: World, uncached: RectifyApp
) -> None:
    _, item_id = first.planned_item()
    first.app.load(RectificationItem, item_id)  # cached at version 1

    second.app.request_approval(second["bj-clerk"], item_id)
    decided = first.app.decide_approval(first["coord"], item_id, approve=True, comment="同意")

    assert decided.version == 3
    assert stored(first.app, item_id) == stored(uncached, item_id)
    assert stored(first.app, item_id)["status"] == "approved"


def test_commands_alternating_between_processes_keep_every_rule_and_version(
    first: World, second: World, uncached: RectifyApp
) -> None:
    _, item_id = first.planned_item()
    second.app.load(RectificationItem, item_id)

    first.app.request_approval(first["bj-clerk"], item_id)
    second.app.decide_approval(second["coord"], item_id, approve=True, comment="同意")
    first.app.record_rectification(
        first["bj-clerk"], item_id, description="已整改", evidence=first.evidence()
    )
    with pytest.raises(DomainError):  # already rectified: a rule on the fresh state, no race
        second.app.record_rectification(
            second["bj-clerk2"],
            item_id,
            description="再次整改",
            evidence=second.evidence("bj-clerk2"),
        )
    second.app.record_verification(second["coord2"], item_id, passed=True, comment="到位")

    versions = [e.originator_version for e in uncached.repository.event_store.get(item_id)]
    assert versions == [1, 2, 3, 4, 5]
    assert stored(first.app, item_id) == stored(second.app, item_id) == stored(uncached, item_id)


def test_a_command_refused_by_a_rule_leaves_the_cached_case_as_stored(
    first: World, uncached: RectifyApp
) -> None:
    _, item_id = first.planned_item()
    first.app.load(RectificationItem, item_id)

    with pytest.raises(DomainError):  # not approved yet
        first.app.record_rectification(
            first["bj-clerk"], item_id, description="x", evidence=first.evidence()
        )

    assert stored(first.app, item_id) == stored(uncached, item_id)
    assert first.app.load(RectificationItem, item_id).version == 1


def test_a_command_that_loses_a_race_leaves_the_cached_case_as_stored(
    first: World, second: World, uncached: RectifyApp
) -> None:
    _, item_id = first.planned_item()
    app = first.app

    def change(cmd: Command) -> CommandResult:
        item = app.load(RectificationItem, item_id)
        cmd.act(item.office)
        item.reassign(responsible="王五", reason="调整")  # changed in memory, never stored
        second.app.request_approval(second["bj-clerk"], item_id)  # the other process wins
        return cmd.done(item, result_of=item)

    with pytest.raises(ConcurrentWrite):
        app.execute(first["bj-clerk"], "reassign", {}, change)

    assert stored(app, item_id) == stored(uncached, item_id)
    assert stored(app, item_id)["status"] == "approval_requested"
    assert stored(app, item_id)["responsible"] != "王五"


def test_a_change_to_a_loaded_copy_never_reaches_the_cache(first: World) -> None:
    _, item_id = first.planned_item()
    copy = first.app.load(RectificationItem, item_id)

    copy.responsible = "改了但没保存"

    assert first.app.load(RectificationItem, item_id).responsible != "改了但没保存"


def test_a_read_at_a_version_is_not_served_from_the_cache(first: World, second: World) -> None:
    _, item_id = first.planned_item()
    first.app.request_approval(first["bj-clerk"], item_id)
    first.app.load(RectificationItem, item_id)  # cached at version 2
    second.app.decide_approval(second["coord"], item_id, approve=True, comment="同意")

    then = first.app.load(RectificationItem, item_id, version=1)
    now = first.app.load(RectificationItem, item_id)

    assert (then.version, then.status) == (1, "planned")
    assert (now.version, now.status) == (3, "approved")
