"""Account administration over HTTP: every change an audited event, admins only."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.account import Account
from tests.api.conftest import Api

NEW = {
    "username": "xa-clerk",
    "display_name": "西安办经办人",
    "password": "first-password",
    "grants": [{"role": "office_staff", "unit": "xa"}],
}


def account_of(api: Api, username: str) -> UUID:
    return api.world[username].principal.account_id


def sign_in(api: Api, username: str, password: str) -> Any:
    return api.client.post("/api/auth/token", data={"username": username, "password": password})


def test_an_administrator_creates_an_account_that_can_sign_in(api: Api) -> None:
    answer = api.post("admin", "/api/accounts", NEW)

    assert answer.status_code == 201
    assert answer.json()["grants"] == [{"role": "office_staff", "unit": "xa"}]
    assert answer.json()["id"] == str(Account.create_id("xa-clerk"))
    assert sign_in(api, "xa-clerk", "first-password").status_code == 200


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"username": "bj-clerk"}, 422, "username"),
        ({"username": "Bad Name"}, 422, "username"),
        ({"password": "abc"}, 422, "password"),
        ({"grants": [{"role": "king", "unit": "xa"}]}, 422, "grants[0].role"),
        ({"grants": [{"role": "office_staff", "unit": "mars"}]}, 422, "grants[0].unit"),
        ({"grants": [{"role": "office_staff", "unit": "xa"}] * 2}, 422, "grants[1]"),
        ({"is_admin": True}, 422, "is_admin"),
    ],
)
def test_a_bad_account_names_the_field(
    api: Api, change: dict[str, Any], status: int, field: str
) -> None:
    answer = api.post("admin", "/api/accounts", NEW | change)

    assert answer.status_code == status
    assert answer.json()["field"] == field


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        ("finance", "bj"),
        ("coordinator", "sz"),
        ("coordinator", "finance"),
        ("office_staff", "finance"),
        ("office_lead", "admin-bureau"),
        ("auditor", "bj"),
        ("admin", "tj"),
    ],
)
def test_a_role_is_granted_only_at_its_kind_of_unit(api: Api, role: str, unit: str) -> None:
    """Else an office's account could approve its own disposal as 省财政厅."""
    tj = account_of(api, "tj-clerk")
    before = api.get("admin", f"/api/accounts/{tj}").json()["grants"]
    grants = [{"role": "office_staff", "unit": "xa"}, {"role": role, "unit": unit}]

    created = api.post("admin", "/api/accounts", NEW | {"grants": grants})
    granted = api.post("admin", f"/api/accounts/{tj}/role-grants", {"role": role, "unit": unit})

    assert created.status_code == 422
    assert created.json()["field"] == "grants[1].unit"
    assert api.get("admin", "/api/accounts/by-username/xa-clerk").status_code == 404
    assert granted.status_code == 422
    assert granted.json()["field"] == "unit"
    assert api.get("admin", f"/api/accounts/{tj}").json()["grants"] == before


@pytest.mark.parametrize(
    ("role", "unit"),
    [("finance", "finance"), ("auditor", "finance"), ("coordinator", "admin-bureau")],
)
def test_the_units_a_role_fits_are_granted(api: Api, role: str, unit: str) -> None:
    tj = account_of(api, "tj-clerk")

    granted = api.post("admin", f"/api/accounts/{tj}/role-grants", {"role": role, "unit": unit})

    assert granted.status_code == 200
    assert {"role": role, "unit": unit} in granted.json()["grants"]


def test_a_bad_grant_from_a_non_administrator_is_refused_as_not_allowed(api: Api) -> None:
    tj = account_of(api, "tj-clerk")
    grant = {"role": "finance", "unit": "bj"}

    assert api.post("coord", f"/api/accounts/{tj}/role-grants", grant).status_code == 403
    assert api.post("coord", "/api/accounts", NEW | {"password": "abc"}).status_code == 403


@pytest.mark.parametrize("who", ["coord", "auditor", "bj-clerk"])
def test_only_an_administrator_manages_accounts(api: Api, who: str) -> None:
    tj = account_of(api, "tj-clerk")

    assert api.post(who, "/api/accounts", NEW).status_code == 403
    assert api.post(who, f"/api/accounts/{tj}/disablement", {"reason": "x"}).status_code == 403


def test_reading_an_account_is_for_administrators_and_auditors(api: Api) -> None:
    tj = account_of(api, "tj-clerk")

    assert api.get("admin", f"/api/accounts/{tj}").json()["username"] == "tj-clerk"
    assert api.get("auditor", "/api/accounts/by-username/tj-clerk").json()["id"] == str(tj)
    assert api.get("bj-clerk", f"/api/accounts/{tj}").status_code == 403
    assert api.get("admin", "/api/accounts/by-username/nobody").status_code == 404


def test_granting_and_revoking_a_role(api: Api) -> None:
    tj = account_of(api, "tj-clerk")
    grant = {"role": "office_lead", "unit": "tj"}

    granted = api.post("admin", f"/api/accounts/{tj}/role-grants", grant)
    twice = api.post("admin", f"/api/accounts/{tj}/role-grants", grant)
    revoked = api.post("admin", f"/api/accounts/{tj}/role-revocations", grant)
    not_held = api.post("admin", f"/api/accounts/{tj}/role-revocations", grant)

    assert granted.status_code == 200
    assert grant in granted.json()["grants"]
    assert twice.status_code == 409
    assert grant not in revoked.json()["grants"]
    assert not_held.status_code == 409


def test_a_revoked_role_takes_effect_on_the_next_request(api: Api) -> None:
    tj = account_of(api, "tj-clerk")
    token = api.token("tj-clerk")
    issue_id = api.issue_id(by="tj-clerk", office="tj")

    api.post(
        "admin", f"/api/accounts/{tj}/role-revocations", {"role": "office_staff", "unit": "tj"}
    )

    answer = api.client.get(f"/api/issues/{issue_id}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404


def test_disabling_and_enabling(api: Api) -> None:
    tj = account_of(api, "tj-clerk")

    disabled = api.post("admin", f"/api/accounts/{tj}/disablement", {"reason": "离职"})
    twice = api.post("admin", f"/api/accounts/{tj}/disablement", {"reason": "离职"})
    enabled = api.post("admin", f"/api/accounts/{tj}/enablement", {"reason": "返岗"})

    assert disabled.json()["disabled"] is True
    assert twice.status_code == 409
    assert enabled.json()["disabled"] is False
    assert sign_in(api, "tj-clerk", "secret").status_code == 200


def test_an_administrator_cannot_lock_themself_out(api: Api) -> None:
    """Disabling one's own account, or revoking one's own admin role, would leave nobody to
    undo it when one administrator is all there is: 409, and nothing recorded."""
    admin = account_of(api, "admin")
    before = api.world.last_position()

    disabled = api.post("admin", f"/api/accounts/{admin}/disablement", {"reason": "x"})
    revoked = api.post(
        "admin",
        f"/api/accounts/{admin}/role-revocations",
        {"role": "admin", "unit": "admin-bureau"},
    )

    assert disabled.status_code == 409
    assert "another administrator must" in disabled.json()["detail"]
    assert revoked.status_code == 409
    assert api.world.last_position() == before
    assert api.get("admin", f"/api/accounts/{admin}").json()["disabled"] is False


def test_a_password_reset_is_recorded_but_not_its_hash(api: Api) -> None:
    tj = account_of(api, "tj-clerk")

    answer = api.post("admin", f"/api/accounts/{tj}/password-reset", {"password": "new-one-123"})

    assert answer.status_code == 200
    assert sign_in(api, "tj-clerk", "secret").status_code == 401
    assert sign_in(api, "tj-clerk", "new-one-123").status_code == 200
    reset = [e for e in api.events(tj) if type(e).__name__ == "PasswordChanged"][-1]
    assert "new-one-123" not in repr(vars(reset))
    assert "argon2" not in repr(vars(reset))


def test_an_unknown_account_answers_404(api: Api) -> None:
    path = "/api/accounts/00000000-0000-4000-8000-000000000000"

    assert api.get("admin", path).status_code == 404
    assert api.post("admin", f"{path}/disablement", {"reason": "x"}).status_code == 404
