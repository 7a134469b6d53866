"""Reads through the aggregate cache give independent, whole copies of one stored version."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from application.repository import CachingRepository, copy_aggregate
from domain.account import Account
from domain.item import RectificationItem
from tests.builders import World


def mutable_parts(value: Any) -> Iterator[Any]:
    """Every list, dict and set inside a value, the value itself included."""
    if isinstance(value, list | dict | set):
        yield value
    items = value.values() if isinstance(value, dict) else value
    if isinstance(value, list | dict | set | tuple):
        for item in items:
            yield from mutable_parts(item)


def busy_aggregates(world: World) -> list[Aggregate]:
    """An issue and items that went through most of what the domain records."""
    app, today = world.app, world.today()
    issue_id, verified = world.verified_item()
    _, extended = world.approved_item(involves="disposal")
    app.request_extension(
        world["bj-clerk"], extended, new_deadline=today + timedelta(days=40), reason="等待"
    )
    app.extend_deadline(
        world["coord"], extended, new_deadline=today + timedelta(days=40), reason="同意"
    )
    ids: list[UUID] = [issue_id, verified, extended, world["coord"].principal.account_id]
    return [app.repository.get(i) for i in ids]


def test_the_cached_repository_is_the_caching_one(world: World) -> None:
    assert isinstance(world.app.repository, CachingRepository)


def test_a_copy_has_the_same_class_and_state(world: World) -> None:
    for aggregate in busy_aggregates(world):
        twin = copy_aggregate(aggregate)

        assert type(twin) is type(aggregate)
        assert vars(twin) == vars(aggregate)


def test_a_copy_shares_nothing_mutable_with_its_original(world: World) -> None:
    for aggregate in busy_aggregates(world):
        twin = copy_aggregate(aggregate)

        theirs = {id(p) for p in mutable_parts(list(vars(aggregate).values()))}
        ours = {id(p) for p in mutable_parts(list(vars(twin).values()))}
        assert theirs.isdisjoint(ours)


def test_no_aggregate_holds_one_mutable_value_twice(world: World) -> None:
    """So a copy that rebuilds each container (unlike deepcopy's memo) means the same."""
    for aggregate in busy_aggregates(world):
        parts = list(mutable_parts(list(vars(aggregate).values())))[1:]

        assert len({id(p) for p in parts}) == len(parts)


def test_changing_a_read_copy_changes_neither_the_cache_nor_the_next_read(world: World) -> None:
    account_id = world["coord"].principal.account_id
    first = world.app.load(Account, account_id)

    first.grants.append({"role": "admin", "unit": "admin-bureau"})
    first.disabled = True

    again = world.app.load(Account, account_id)
    assert not again.disabled
    assert {"role": "admin", "unit": "admin-bureau"} not in again.grants


def test_reads_during_writes_each_see_one_whole_stored_version(world: World) -> None:
    _, item_id = world.planned_item()
    app = world.app
    seen: list[RectificationItem] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set() and len(seen) < 400:
            seen.append(app.load(RectificationItem, item_id))

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        for n in range(6):
            app.reassign(world["bj-clerk"], item_id, responsible=f"负责人{n}", reason="调整")
    finally:
        done.set()
        for reader in readers:
            reader.join()

    for copy in seen:
        stored = app.load(RectificationItem, item_id, version=copy.version)
        assert copy.summary() == stored.summary()
