"""Long-lived API tokens: issued and revoked by an administrator, shown once, audited."""

from __future__ import annotations

from uuid import UUID

from domain.account import Account
from tests.api.conftest import Api


def issue(api: Api, username: str = "tj-clerk", name: str = "nightly", key: str = "k1") -> dict:
    account_id = api.world[username].principal.account_id
    answer = api.post(
        "admin",
        f"/api/accounts/{account_id}/api-tokens",
        {"name": name},
        headers={"Idempotency-Key": key},
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_issued_token_acts_as_its_account(api: Api) -> None:
    token = issue(api)["token"]

    me = api.client.get("/api/me", headers=bearer(token))

    assert me.status_code == 200
    assert me.json()["username"] == "tj-clerk"


def test_the_log_records_the_issue_but_never_the_secret_or_its_hash(api: Api) -> None:
    issued = issue(api)
    secret = issued["token"].rsplit("_", 1)[1]

    last = api.events(Account.create_id("tj-clerk"))[-1]

    assert type(last).__name__ == "ApiTokenIssued"
    assert last.token_id == issued["id"]
    assert last.actor["id"] == str(api.world["admin"].principal.account_id)
    recorded = repr(vars(last))
    assert secret not in recorded
    stored = api.services.container.api_tokens.lookup(UUID(issued["id"]))
    assert stored is not None
    assert stored[1] not in recorded


def test_a_retry_with_the_same_key_shows_the_token_no_more(api: Api) -> None:
    first = issue(api, key="same")
    again = issue(api, key="same")

    assert again["id"] == first["id"]
    assert first["token"] is not None
    assert again["token"] is None


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(api: Api) -> None:
    issued = issue(api)
    tj = api.world["tj-clerk"].principal.account_id

    revoked = api.post(
        "admin", f"/api/accounts/{tj}/api-tokens/{issued['id']}/revocation", {"reason": "泄露"}
    )

    assert revoked.status_code == 200
    assert revoked.json()["api_tokens"] == []
    assert api.client.get("/api/me", headers=bearer(issued["token"])).status_code == 401
    assert type(api.events(tj)[-1]).__name__ == "ApiTokenRevoked"


def test_revoking_an_unknown_token_answers_404(api: Api) -> None:
    tj = api.world["tj-clerk"].principal.account_id
    answer = api.post(
        "admin",
        f"/api/accounts/{tj}/api-tokens/00000000-0000-4000-8000-000000000000/revocation",
        {"reason": "x"},
    )

    assert answer.status_code == 404


def test_a_disabled_accounts_api_token_stops_working(api: Api) -> None:
    token = issue(api)["token"]
    tj = api.world["tj-clerk"].principal.account_id

    api.post("admin", f"/api/accounts/{tj}/disablement", {"reason": "离职"})

    assert api.client.get("/api/me", headers=bearer(token)).status_code == 401


def test_a_token_with_a_wrong_secret_answers_401(api: Api) -> None:
    token = issue(api)["token"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    assert api.client.get("/api/me", headers=bearer(forged)).status_code == 401


def test_only_an_administrator_issues_tokens(api: Api) -> None:
    tj = api.world["tj-clerk"].principal.account_id

    answer = api.post("coord", f"/api/accounts/{tj}/api-tokens", {"name": "mine"})

    assert answer.status_code == 403


def test_a_second_token_with_the_same_name_is_a_conflict(api: Api) -> None:
    issue(api, key="a")
    tj = api.world["tj-clerk"].principal.account_id

    answer = api.post("admin", f"/api/accounts/{tj}/api-tokens", {"name": "nightly"})

    assert answer.status_code == 409
