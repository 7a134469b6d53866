"""Issue 5 §5: claimed dates entered after their deadline or backdated too far are flagged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import World
from tests.projections.support import fresh_views, later

BACKDATE_DAYS = 7  # the default setting


def rectify(world: World, *, claimed_days_ago: int) -> list[str]:
    found = world.issue(found_on=world.today() - timedelta(days=claimed_days_ago)).id
    item = world.item(found).id
    world.app.request_approval(world["bj-clerk"], item)
    world.app.decide_approval(world["coord"], item, approve=True)
    world.app.record_rectification(
        world["bj-clerk"],
        item,
        description="已整改",
        evidence=world.evidence(),
        rectified_on=world.today() - timedelta(days=claimed_days_ago),
    )
    row = next(i for i in fresh_views(world).items(offices=None).items if i.id == item)
    return row.claim_flags


@pytest.mark.parametrize(
    ("claimed_days_ago", "flags"),
    [(0, []), (BACKDATE_DAYS, []), (BACKDATE_DAYS + 1, ["backdated"])],
)
def test_a_rectification_dated_too_long_before_its_entry_is_flagged(
    world: World, claimed_days_ago: int, flags: list[str]
) -> None:
    assert rectify(world, claimed_days_ago=claimed_days_ago) == flags


def test_a_claim_entered_after_its_deadline_is_flagged_even_when_dated_before_it(
    world: World,
) -> None:
    issue = world.issue().id
    item = world.item(issue, deadline=world.today() + timedelta(days=1)).id
    world.app.request_approval(world["bj-clerk"], item)
    world.app.decide_approval(world["coord"], item, approve=True)
    later(world, days=3)

    world.app.record_rectification(
        world["bj-clerk"],
        item,
        description="已整改",
        evidence=world.evidence(),
        rectified_on=world.today() - timedelta(days=2),
    )

    row = fresh_views(world).items(offices=None).items[0]
    assert row.claim_flags == ["entered_after_deadline"]
    assert row.rectified_on == world.today() - timedelta(days=2)


@pytest.mark.parametrize(
    ("found_days_ago", "flags"), [(BACKDATE_DAYS, []), (BACKDATE_DAYS + 1, ["backdated"])]
)
def test_a_problem_found_long_before_it_was_recorded_is_flagged(
    world: World, found_days_ago: int, flags: list[str]
) -> None:
    world.issue(found_on=world.today() - timedelta(days=found_days_ago))

    assert fresh_views(world).issues(offices=None).items[0].claim_flags == flags
