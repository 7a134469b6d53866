"""Signing in, who am I, and the bearer token's checks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt
import pytest

from domain.account import Account
from tests.api.conftest import Api


def sign_in(api: Api, username: str, password: str) -> Any:
    return api.client.post("/api/auth/token", data={"username": username, "password": password})


def test_signing_in_returns_a_bearer_token_that_opens_the_api(api: Api) -> None:
    answer = sign_in(api, "bj-clerk", "secret")

    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    me = api.client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "bj-clerk"


def test_signing_in_is_an_audited_event_with_the_request_id(api: Api) -> None:
    answer = api.client.post(
        "/api/auth/token",
        data={"username": "bj-clerk", "password": "secret"},
        headers={"X-Request-ID": "login-42"},
    )

    assert answer.status_code == 200
    last = api.events(Account.create_id("bj-clerk"))[-1]
    assert type(last).__name__ == "LoggedIn"
    assert last.request_id == "login-42"
    assert last.actor["name"] == "bj-clerk"


@pytest.mark.parametrize(
    ("username", "password"), [("bj-clerk", "wrong"), ("nobody", "secret"), ("bj-clerk", "")]
)
def test_a_wrong_password_or_unknown_user_answers_401_alike(
    api: Api, username: str, password: str
) -> None:
    answer = sign_in(api, username, password)

    assert answer.status_code in (401, 422)
    assert answer.headers["content-type"] == "application/problem+json"
    if answer.status_code == 401:
        assert answer.json()["detail"] == "wrong username or password"
        assert answer.headers["www-authenticate"] == "Bearer"


def test_a_missing_form_field_names_it(api: Api) -> None:
    answer = api.client.post("/api/auth/token", data={"username": "bj-clerk"})

    assert answer.status_code == 422
    assert answer.json()["field"] == "password"


def test_me_lists_grants_readable_offices_and_commands(api: Api) -> None:
    me = api.get("bj-clerk", "/api/me").json()

    assert me["grants"] == [{"role": "office_staff", "unit": "bj"}]
    assert me["readable_offices"] == ["bj", "sd", "tj", "xa"]
    assert "record_rectification" in me["commands"]
    assert "record_verification" not in me["commands"]
    assert api.get("auditor", "/api/me").json()["readable_offices"] is None


def test_me_without_a_token_answers_401(api: Api) -> None:
    answer = api.client.get("/api/me")

    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthenticated"


def _claims(api: Api, **overrides: object) -> dict[str, object]:
    now = api.world.clock.now()
    claims: dict[str, object] = {
        "sub": str(api.world["bj-clerk"].principal.account_id),
        "iss": "rectify",
        "aud": "rectify-api",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _secret(api: Api) -> str:
    return api.services.container.settings.secret_key.get_secret_value()


def _forged(api: Api, case: str) -> str:
    secret = _secret(api)
    now = api.world.clock.now()
    if case == "expired":
        return jwt.encode(_claims(api, exp=int(now.timestamp()) - 1), secret, algorithm="HS256")
    if case == "wrong_audience":
        return jwt.encode(_claims(api, aud="someone-else"), secret, algorithm="HS256")
    if case == "wrong_issuer":
        return jwt.encode(_claims(api, iss="evil"), secret, algorithm="HS256")
    if case == "no_expiry":
        return jwt.encode(_claims(api, exp=None), secret, algorithm="HS256")
    if case == "alg_none":
        return jwt.encode(_claims(api), None, algorithm="none")
    if case == "other_secret":
        return jwt.encode(_claims(api), "x" * 40, algorithm="HS256")
    if case == "hs512":
        return jwt.encode(_claims(api), secret, algorithm="HS512")
    if case == "tampered":
        good = api.token("bj-clerk")
        header, _, signature = good.split(".")
        other = api.token("coord").split(".")[1]
        return f"{header}.{other}.{signature}"
    if case == "unknown_account":
        sub = "00000000-0000-4000-8000-000000000000"
        return jwt.encode(_claims(api, sub=sub), secret, algorithm="HS256")
    if case == "garbage":
        return "not-a-token"
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "expired",
        "wrong_audience",
        "wrong_issuer",
        "no_expiry",
        "alg_none",
        "other_secret",
        "hs512",
        "tampered",
        "unknown_account",
        "garbage",
    ],
)
def test_a_forged_or_stale_token_answers_401(api: Api, case: str) -> None:
    answer = api.client.get("/api/me", headers={"Authorization": f"Bearer {_forged(api, case)}"})

    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_token_expires_on_the_applications_clock(api: Api) -> None:
    token = api.token("bj-clerk")
    api.world.clock.set(api.world.clock.now() + timedelta(minutes=61))

    answer = api.client.get("/api/me", headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 401
    assert answer.json()["detail"] == "access token has expired"


def test_a_disabled_accounts_token_stops_working(api: Api) -> None:
    token = api.token("tj-clerk")
    tj = api.world["tj-clerk"].principal.account_id

    disabled = api.post("admin", f"/api/accounts/{tj}/disablement", {"reason": "离职"})

    assert disabled.status_code == 200
    answer = api.client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert sign_in(api, "tj-clerk", "secret").status_code == 401


def test_an_account_that_signed_in_many_times_still_reads_whole(api: Api) -> None:
    for _ in range(60):  # past the account's snapshot interval
        assert sign_in(api, "coord", "secret").status_code == 200

    me = api.get("coord", "/api/me").json()

    assert me["grants"] == [{"role": "coordinator", "unit": "admin-bureau"}]
    assert api.world.app.load(Account, Account.create_id("coord")).logins == 60


def test_a_token_used_before_its_account_is_disabled_stops_working_at_once(api: Api) -> None:
    headers = api.headers("tj-clerk")
    assert api.client.get("/api/me", headers=headers).status_code == 200
    tj = api.world["tj-clerk"].principal.account_id

    api.post("admin", f"/api/accounts/{tj}/disablement", {"reason": "离职"})

    assert api.client.get("/api/me", headers=headers).status_code == 401


def test_a_role_revoked_after_a_request_is_gone_from_the_next_one(api: Api) -> None:
    headers = api.headers("bj-clerk2")
    assert api.client.get("/api/me", headers=headers).json()["grants"] != []
    clerk = api.world["bj-clerk2"].principal.account_id

    api.post(
        "admin", f"/api/accounts/{clerk}/role-revocations", {"role": "office_staff", "unit": "bj"}
    )

    assert api.client.get("/api/me", headers=headers).json()["grants"] == []


def test_a_token_that_worked_before_expires_on_the_applications_clock(api: Api) -> None:
    headers = api.headers("bj-clerk")
    assert api.client.get("/api/me", headers=headers).status_code == 200

    api.world.clock.set(api.world.clock.now() + timedelta(minutes=61))

    answer = api.client.get("/api/me", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["detail"] == "access token has expired"


def test_a_tampered_copy_of_a_token_that_worked_is_refused(api: Api) -> None:
    token = api.token("bj-clerk")
    assert api.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).is_success
    head, claims, signature = token.split(".")
    tampered = f"{head}.{claims}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"

    answer = api.client.get("/api/me", headers={"Authorization": f"Bearer {tampered}"})

    assert answer.status_code == 401
