"""An account changes its own password (API ``POST /api/me/password``, console 修改密码):
the current one is asked for, the change is audited, no password is ever shown back."""

from __future__ import annotations

from typing import Any

from domain.account import Account
from tests.api.conftest import Api
from tests.web.conftest import Console
from tests.web.conftest import console as console


def sign_in(api: Api, username: str, password: str) -> Any:
    return api.client.post("/api/auth/token", data={"username": username, "password": password})


def change(api: Api, current: str, new: str) -> Any:
    body = {"current_password": current, "new_password": new}
    return api.post("bj-clerk", "/api/me/password", body)


def test_an_account_changes_its_own_password_and_the_change_is_audited(api: Api) -> None:
    account_id = Account.create_id("bj-clerk")
    before = len(api.events(account_id))

    answer = change(api, "secret", "a-new-passphrase")

    assert answer.status_code == 204
    assert sign_in(api, "bj-clerk", "secret").status_code == 401
    assert sign_in(api, "bj-clerk", "a-new-passphrase").status_code == 200
    changed = api.events(account_id)[before]
    assert type(changed).__name__ == "PasswordChanged"
    assert changed.reset_by_admin is False
    assert changed.actor["name"] == "bj-clerk"


def test_a_wrong_current_password_is_refused_naming_it_and_counts_toward_the_pause(
    api: Api,
) -> None:
    account_id = Account.create_id("bj-clerk")
    before = len(api.events(account_id))

    refused = [change(api, "wrong", "a-new-passphrase") for _ in range(5)]
    paused = change(api, "secret", "a-new-passphrase")

    assert [r.status_code for r in refused] == [422] * 5
    assert refused[0].json()["field"] == "current_password"
    assert paused.status_code == 429
    assert paused.json()["code"] == "sign_in_locked"
    assert len(api.events(account_id)) == before
    assert sign_in(api, "bj-clerk", "secret").status_code == 429  # the same pause


def test_a_short_or_unchanged_new_password_is_refused_naming_the_new_one(api: Api) -> None:
    short = change(api, "secret", "abc")
    same = change(api, "secret", "secret")
    unsigned = api.client.post(
        "/api/me/password", json={"current_password": "secret", "new_password": "abcdef"}
    )

    assert (short.status_code, short.json()["field"]) == (422, "new_password")
    assert (same.status_code, same.json()["field"]) == (422, "new_password")
    assert unsigned.status_code == 401
    assert sign_in(api, "bj-clerk", "secret").status_code == 200


def test_the_console_changes_it_from_the_account_menu(console: Console) -> None:
    console.log_in("bj-clerk")
    menu = console.client.get("/").text
    fields = {"current_password": "secret", "new_password": "new-pass-1"}

    again = {"new_password_again": "new-pass-1"}
    mismatch = console.post("/account/password", fields | {"new_password_again": "new-pass-2"})
    wrong = console.post("/account/password", fields | again | {"current_password": "nope"})
    done = console.post("/account/password", fields | again)

    assert '<a href="/account/password">修改密码</a>' in menu
    assert mismatch.status_code == 422
    assert "两次输入的新密码不一致" in mismatch.text
    assert wrong.status_code == 422
    assert "当前密码不正确。" in wrong.text
    for page in (mismatch, wrong, done):
        assert "new-pass-1" not in page.text
        assert 'value="secret"' not in page.text
    assert done.status_code == 200
    assert "密码已修改，下次登录请使用新密码。" in done.text
    assert "已登录的会话在其登录到期（最长60分钟）前仍然有效" in done.text  # said, not hidden
    app = console.world.app
    assert app.authenticate("bj-clerk", "new-pass-1").username == "bj-clerk"


def test_a_password_with_spaces_at_its_ends_is_kept_whole_on_the_console(
    api: Api, console: Console
) -> None:
    """Set over the API as typed, it signs in on the console as typed (it was stripped)."""
    assert change(api, "secret", " two words ").status_code == 204
    fields = {"username": "bj-clerk", "password": " two words ", "csrf_token": console.csrf()}

    answer = console.client.post("/login", data=fields, follow_redirects=False)

    assert answer.status_code == 303
