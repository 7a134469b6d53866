"""Idempotency keys: a retried command returns its first result and records nothing new."""

from __future__ import annotations

import pytest

from application.errors import IdempotencyKeyReused
from domain.errors import InvalidInput
from tests.builders import World


def test_the_same_key_twice_records_once_and_returns_the_same_result(world: World) -> None:
    caller = world.caller("bj-clerk", request_id="r-1", idempotency_key="key-1")
    first = world.issue(caller, title="账外资产")
    position = world.last_position()

    again = world.issue(caller, title="账外资产")

    assert (again.id, again.version) == (first.id, first.version)
    assert world.last_position() == position


def test_a_retried_item_command_changes_the_item_once(world: World) -> None:
    _, item_id = world.planned_item()
    caller = world.caller("bj-clerk", idempotency_key="ask-approval")

    first = world.app.request_approval(caller, item_id)
    again = world.app.request_approval(caller, item_id)

    assert again.version == first.version
    assert world.app.get_item(world["coord"], item_id).version == first.version


def test_the_same_key_for_a_different_request_is_refused_and_records_nothing(
    world: World,
) -> None:
    caller = world.caller("bj-clerk", idempotency_key="key-1")
    world.issue(caller, title="账外资产")
    position = world.last_position()

    with pytest.raises(IdempotencyKeyReused) as refused:
        world.issue(caller, title="另一个问题")

    assert refused.value.field == "Idempotency-Key"
    assert world.last_position() == position


def test_a_refused_command_does_not_use_up_its_key(world: World) -> None:
    caller = world.caller("bj-clerk", idempotency_key="key-1")
    with pytest.raises(InvalidInput):
        world.issue(caller, title="")

    created = world.issue(caller, title="账外资产")

    assert world.app.get_issue(world["coord"], created.id).title == "账外资产"


def test_keys_belong_to_their_account(world: World) -> None:
    mine = world.issue(world.caller("bj-clerk", idempotency_key="k"), title="问题")

    theirs = world.issue(world.caller("bj-clerk2", idempotency_key="k"), title="问题")

    assert theirs.id != mine.id
