"""作废草稿 on the notice page and over the API: a reason asked for, the draft kept and
marked 已作废, its edit and issue forms gone."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.web.conftest import Console
from tests.web.test_notice_addressees import _drafted, _edit_fields


def test_the_coordination_office_discards_a_draft_giving_a_reason(console: Console) -> None:
    notice_id = _drafted(console)
    console.settle()
    console.log_in("coord")
    page = console.client.get(f"/notices/{notice_id}").text
    assert 'data-confirm="作废后该草稿不能再修改或印发。确定作废吗？"' in page
    before = console.world.last_position()
    version = {"version": _edit_fields(page)["version"]}

    no_reason = console.post(f"/notices/{notice_id}/discard", version)
    unchanged = console.world.last_position() == before
    done = console.post(f"/notices/{notice_id}/discard", version | {"reason": "重复起草"})

    assert no_reason.status_code == 422
    assert "请填写作废理由。" in no_reason.text
    assert unchanged
    assert done.status_code == 200  # followed to the notice
    assert "草稿已作废，留档备查。" in done.text
    assert "该草稿已作废（重复起草）" in done.text
    assert f'action="/notices/{notice_id}/issue"' not in done.text
    assert f'action="/notices/{notice_id}/edit"' not in done.text
    assert "作废草稿（重复起草）" in done.text  # in its drafting record
    assert "已作废" in console.client.get("/notices").text


def test_the_api_discards_and_then_refuses_an_edit(api: Api, console: Console) -> None:
    notice_id = _drafted(console)

    discarded = api.post("coord", f"/api/notices/{notice_id}/discard", {"reason": "情况已变"})
    edited = api.client.patch(
        f"/api/notices/{notice_id}", json={"title": "新标题"}, headers=api.headers("coord")
    )
    by_office = api.post("bj-clerk", f"/api/notices/{notice_id}/discard", {"reason": "x"})

    assert discarded.status_code == 200
    assert (discarded.json()["status"], discarded.json()["discard_reason"]) == (
        "discarded",
        "情况已变",
    )
    assert edited.status_code == 409
    assert by_office.status_code == 403  # the role is checked before the notice is looked up
