"""An address no page has: 未找到 in the layout of whoever asks — the menu and the account
for a valid session, the sign-in link for nobody."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.web import routing
from api.web.session import SESSION_COOKIE
from tests.web.conftest import Console

UNKNOWN = ["/nonexistent", "/reports/xyz"]
MALFORMED = ["/notices/xyz", "/issues/xyz", "/items/xyz", "/notices/xyz.pdf"]  # ids of nothing
MENU = 'aria-label="主菜单"'
SIGN_IN_LINK = '<a href="/login">登录</a>'


@pytest.mark.parametrize("path", UNKNOWN + MALFORMED)
def test_an_unknown_address_keeps_the_signed_in_layout(console: Console, path: str) -> None:
    console.log_in("coord")

    page = console.client.get(path)

    assert page.status_code == 404
    assert "未找到" in page.text
    assert MENU in page.text
    assert '<span class="who">coord</span>' in page.text
    assert "退出登录" in page.text
    assert SIGN_IN_LINK not in page.text


@pytest.mark.parametrize("path", UNKNOWN)
def test_an_unknown_address_offers_the_sign_in_form_to_nobody(console: Console, path: str) -> None:
    console.client.cookies.clear()

    page = console.client.get(path)

    assert page.status_code == 404
    assert "未找到" in page.text
    assert MENU not in page.text
    assert SIGN_IN_LINK in page.text


def test_an_unknown_address_with_a_forged_session_is_shown_as_signed_out(
    console: Console,
) -> None:
    console.client.cookies.clear()
    console.client.cookies.set(SESSION_COOKIE, "not-a-token")

    page = console.client.get("/nonexistent")

    assert page.status_code == 404
    assert MENU not in page.text
    assert SIGN_IN_LINK in page.text


def test_an_error_page_reads_the_session_off_the_event_loop(
    console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its account lookup is a database query: on the loop it would stall every request."""
    console.log_in("coord")
    loops: list[bool] = []
    read = routing.signed_in_user

    def reading(*args: Any) -> Any:
        try:
            asyncio.get_running_loop()
            loops.append(True)
        except RuntimeError:
            loops.append(False)
        return read(*args)

    monkeypatch.setattr(routing, "signed_in_user", reading)

    page = console.client.get("/nonexistent")

    assert page.status_code == 404
    assert loops == [False]
