"""/audit and GET /api/audit/events leave the routine records out on request."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.projections.test_audit_routine import ROUTINE, routine_work
from tests.web.conftest import Console


def test_the_api_and_the_console_leave_it_out_alike(api: Api, console: Console) -> None:
    routine_work(api.world)
    console.settle()
    console.log_in("coord")

    answered = api.get("coord", "/api/audit/events", params={"routine": "false"})
    bad = api.get("coord", "/api/audit/events", params={"routine": "maybe"})
    page = console.client.get("/audit", params={"routine": "0"}).text
    every = console.client.get("/audit").text

    assert answered.status_code == 200
    assert not {row["event_type"] for row in answered.json()["items"]} & ROUTINE
    assert (bad.status_code, bad.json()["field"]) == (422, "routine")
    assert 'name="routine" value="0" checked' in page
    assert "账号bj-clerk登录" not in page
    assert "账号bj-clerk登录" in every
