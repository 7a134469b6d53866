"""Account: registered, roles granted and revoked per unit, disabled and enabled, password
changed — and nothing secret in any event."""

from __future__ import annotations

import pytest

from domain.account import Account
from domain.errors import InvalidInput, InvalidTransition

BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "actor", "request_id"}


def registered(**overrides: str) -> Account:
    values = {"username": "bj-clerk", "display_name": "刘经办"}
    values.update(overrides)
    return Account.register(**values)


def test_a_registered_account_has_no_roles_and_is_enabled() -> None:
    account = registered()

    assert (account.username, account.display_name) == ("bj-clerk", "刘经办")
    assert account.grants == []
    assert account.disabled is False


def test_an_accounts_id_follows_from_its_username() -> None:
    assert registered().id == Account.create_id("bj-clerk")


@pytest.mark.parametrize("username", ["", "x", "Has-Capitals", "spaces here", "-leading"])
def test_a_malformed_username_is_refused(username: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        registered(username=username)

    assert refused.value.field == "username"


def test_a_display_name_is_required() -> None:
    with pytest.raises(InvalidInput) as refused:
        registered(display_name="  ")

    assert refused.value.field == "display_name"


def test_a_role_is_granted_at_a_unit() -> None:
    account = registered()

    account.grant(role="office_staff", unit="bj")

    assert account.grants == [{"role": "office_staff", "unit": "bj"}]


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        registered().grant(role="superuser", unit="bj")

    assert refused.value.field == "role"


def test_the_same_grant_twice_is_refused() -> None:
    account = registered()
    account.grant(role="office_staff", unit="bj")

    with pytest.raises(InvalidTransition):
        account.grant(role="office_staff", unit="bj")


def test_a_revoked_role_is_gone_and_others_stay() -> None:
    account = registered()
    account.grant(role="office_staff", unit="bj")
    account.grant(role="office_lead", unit="bj")

    account.revoke(role="office_staff", unit="bj")

    assert account.grants == [{"role": "office_lead", "unit": "bj"}]


def test_a_role_not_held_cannot_be_revoked() -> None:
    with pytest.raises(InvalidTransition):
        registered().revoke(role="office_staff", unit="bj")


def test_a_disabled_account_is_enabled_again() -> None:
    account = registered()

    account.disable(reason="调离")
    assert account.disabled is True
    account.enable(reason="返岗")

    assert account.disabled is False


def test_disabling_twice_is_refused() -> None:
    account = registered()
    account.disable(reason="调离")

    with pytest.raises(InvalidTransition):
        account.disable(reason="调离")


def test_enabling_an_enabled_account_is_refused() -> None:
    with pytest.raises(InvalidTransition):
        registered().enable(reason="返岗")


@pytest.mark.parametrize("change", ["disable", "enable"])
def test_disabling_and_enabling_need_a_reason(change: str) -> None:
    account = registered()
    if change == "enable":
        account.disable(reason="调离")

    with pytest.raises(InvalidInput) as refused:
        getattr(account, change)(reason="")

    assert refused.value.field == "reason"


def test_a_password_change_is_counted() -> None:
    account = registered()

    account.note_password_changed(reset_by_admin=False)

    assert account.password_changes == 1


def test_no_account_event_has_a_field_for_a_password_or_a_hash() -> None:
    account = registered()
    account.grant(role="office_staff", unit="bj")
    account.note_password_changed(reset_by_admin=True)
    account.disable(reason="调离")
    account.enable(reason="返岗")
    account.revoke(role="office_staff", unit="bj")

    fields = {f for event in account.collect_events() for f in vars(event)} - BASE_FIELDS
    assert fields
    assert not {f for f in fields if "password" in f or "hash" in f or "secret" in f}


def test_a_password_change_event_records_only_who_reset_it() -> None:
    account = registered()
    account.collect_events()

    account.note_password_changed(reset_by_admin=True)

    (event,) = account.collect_events()
    assert set(vars(event)) - BASE_FIELDS == {"reset_by_admin"}
