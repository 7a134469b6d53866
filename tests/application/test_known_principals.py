"""Authentication reuses a caller only while its account is unchanged, in every process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from application.errors import AuthenticationFailed
from application.ports import FixedClock
from application.principal import Grant
from infrastructure.container import build_container
from infrastructure.settings import load_settings
from tests.builders import World, build_world


def test_an_unchanged_account_gives_the_same_caller_without_rebuilding_it(world: World) -> None:
    account_id = world["bj-clerk"].principal.account_id

    first = world.app.principal(account_id)
    again = world.app.principal(account_id)

    assert again is first


def test_a_disabled_account_cannot_act_from_its_next_request(world: World) -> None:
    account_id = world["tj-clerk"].principal.account_id
    world.app.principal(account_id)

    world.app.disable_account(world["admin"], account_id, reason="离职")

    with pytest.raises(AuthenticationFailed):
        world.app.principal(account_id)


def test_a_reenabled_account_acts_again(world: World) -> None:
    account_id = world["tj-clerk"].principal.account_id
    world.app.disable_account(world["admin"], account_id, reason="离职")
    with pytest.raises(AuthenticationFailed):
        world.app.principal(account_id)

    world.app.enable_account(world["admin"], account_id, reason="返岗")

    assert world.app.principal(account_id).username == "tj-clerk"


def test_a_granted_or_revoked_role_counts_from_the_next_request(world: World) -> None:
    account_id = world["bj-clerk2"].principal.account_id
    world.app.principal(account_id)

    world.app.grant_role(world["admin"], account_id, role="office_staff", unit="sh")
    granted = world.app.principal(account_id)
    world.app.revoke_role(world["admin"], account_id, role="office_staff", unit="bj")
    revoked = world.app.principal(account_id)

    assert Grant(role="office_staff", unit="sh") in granted.grants
    assert revoked.grants == (Grant(role="office_staff", unit="sh"),)


@pytest.fixture
def two_processes(pg_url: str, clock: FixedClock) -> Iterator[tuple[World, World]]:
    """Two applications on one PostgreSQL database, with the same callers."""
    here = build_world(pg_url, clock)
    container = build_container(load_settings(database_url=pg_url), clock=clock)
    yield here, World(container=container, clock=clock, callers=here.callers)
    container.close()
    here.container.close()


@pytest.mark.postgres
def test_an_account_disabled_in_another_process_cannot_act_here(
    two_processes: tuple[World, World],
) -> None:
    here, there = two_processes
    account_id = here["tj-clerk"].principal.account_id
    here.app.principal(account_id)

    there.app.disable_account(there["admin"], account_id, reason="离职")

    with pytest.raises(AuthenticationFailed):
        here.app.principal(account_id)


@pytest.mark.postgres
def test_a_role_revoked_in_another_process_counts_here(
    two_processes: tuple[World, World],
) -> None:
    here, there = two_processes
    account_id = here["bj-clerk2"].principal.account_id
    here.app.principal(account_id)

    there.app.revoke_role(there["admin"], account_id, role="office_staff", unit="bj")

    assert here.app.principal(account_id).grants == ()
