"""Wrong passwords in a row pause an account's sign-in (the right password included) for a
while: guessing is slowed to a handful of tries a quarter of an hour, on the API and the
console alike, whatever process answers (the count lives beside the credentials)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from domain.account import Account
from tests.api.conftest import Api
from tests.web.conftest import Console
from tests.web.conftest import console as console

PAUSED = "密码连续输错次数过多，该账号暂停登录，请15分钟后再试。"


def sign_in(api: Api, username: str, password: str) -> Any:
    return api.client.post("/api/auth/token", data={"username": username, "password": password})


def test_five_wrong_passwords_pause_the_account_then_the_pause_ends(any_api: Api) -> None:
    api = any_api
    for _ in range(5):
        assert sign_in(api, "bj-clerk", "wrong").status_code == 401
    events = len(api.events(Account.create_id("bj-clerk")))

    paused = sign_in(api, "bj-clerk", "secret")

    assert paused.status_code == 429
    assert paused.json()["code"] == "sign_in_locked"
    assert paused.json()["field"] == "password"
    assert "paused for 15 more minute(s)" in paused.json()["detail"]
    assert paused.headers["retry-after"] == "900"
    assert len(api.events(Account.create_id("bj-clerk"))) == events  # no sign-in recorded
    api.world.clock.set(api.world.clock.now() + timedelta(minutes=14))
    assert sign_in(api, "bj-clerk", "secret").headers["retry-after"] == "60"
    api.world.clock.set(api.world.clock.now() + timedelta(minutes=1))
    assert sign_in(api, "bj-clerk", "secret").status_code == 200
    for _ in range(4):  # the sign-in cleared the count
        assert sign_in(api, "bj-clerk", "wrong").status_code == 401
    assert sign_in(api, "bj-clerk", "secret").status_code == 200


def test_after_the_pause_the_count_starts_again(api: Api) -> None:
    """A pause that has run out leaves no debt: one more wrong password is just one."""
    for _ in range(5):
        sign_in(api, "bj-clerk", "wrong")
    api.world.clock.set(api.world.clock.now() + timedelta(minutes=15))

    assert sign_in(api, "bj-clerk", "wrong").status_code == 401
    assert sign_in(api, "bj-clerk", "secret").status_code == 200


def test_guesses_sent_at_once_are_each_counted(any_api: Api) -> None:
    """Ten wrong passwords sent together: five are checked, the rest refused unchecked."""
    app = any_api.world.app

    def guess(n: int) -> str:
        try:
            app.log_in("bj-clerk", f"guess-{n}", request_id=f"guess-{n}")
        except Exception as exc:  # the answer is what is counted
            return type(exc).__name__
        return "signed in"

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(guess, range(10)))

    assert sorted(answers) == ["AuthenticationFailed"] * 5 + ["SignInLocked"] * 5


def test_runs_of_wrong_passwords_that_ended_are_not_kept(api: Api) -> None:
    """Made-up usernames pile up no rows: a run over is removed with the next attempt."""
    credentials = api.world.container.credentials
    sign_in(api, "nobody-1", "secret")
    assert credentials.failed_sign_ins(Account.create_id("nobody-1"))[0] == 1
    api.world.clock.set(api.world.clock.now() + timedelta(minutes=16))

    sign_in(api, "nobody-2", "secret")

    assert credentials.failed_sign_ins(Account.create_id("nobody-1")) == (0, None)


def test_a_username_that_names_no_account_is_paused_alike(api: Api) -> None:
    for _ in range(5):
        assert sign_in(api, "nobody", "secret").status_code == 401

    assert sign_in(api, "nobody", "secret").status_code == 429
    assert sign_in(api, "sh-clerk", "secret").status_code == 200  # others sign in as ever


def test_an_administrators_password_reset_opens_a_paused_sign_in(api: Api) -> None:
    for _ in range(5):
        sign_in(api, "bj-clerk", "wrong")
    account_id = Account.create_id("bj-clerk")

    reset = api.post("admin", f"/api/accounts/{account_id}/password-reset", {"password": "new1"})

    assert reset.status_code == 200
    assert sign_in(api, "bj-clerk", "new1").status_code == 200


def test_the_console_says_in_chinese_that_sign_in_is_paused(console: Console) -> None:
    def log_in(password: str) -> Any:
        fields = {"username": "bj-clerk", "password": password, "csrf_token": console.csrf()}
        return console.client.post("/login", data=fields)

    for _ in range(5):
        assert log_in("wrong").status_code == 401

    paused = log_in("secret")

    assert paused.status_code == 429
    assert PAUSED in paused.text
    assert "rectify_session" not in paused.headers.get("set-cookie", "")
