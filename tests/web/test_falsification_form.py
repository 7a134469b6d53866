"""The case page offers 认定弄虚作假 on claimed work only: once flagged, an item is back in
重新整改 and shows no second flag form until the office records its work again."""

from __future__ import annotations

from tests.web.conftest import Console

FLAG_FORM = 'data-action="falsification"'


def test_a_flagged_item_offers_no_second_flag_until_its_work_is_recorded_again(
    console: Console,
) -> None:
    world = console.world
    issue_id, item_id = world.rectified_item()
    console.settle()
    console.log_in("auditor")
    offered = console.client.get(f"/issues/{issue_id}").text
    world.app.flag_falsification(world["auditor"], item_id, reason="照片系整改前拍摄")
    console.settle()
    version = world.app.get_item(world["auditor"], item_id).version
    before = world.last_position()

    flagged = console.client.get(f"/issues/{issue_id}").text
    again = console.post(
        f"/items/{item_id}/falsification", {"version": version, "reason": "再认定"}
    )

    assert FLAG_FORM in offered
    assert FLAG_FORM not in flagged
    assert again.status_code == 409
    assert "该事项已被认定弄虚作假，单位重新录入整改情况之前不能再次认定。" in again.text
    assert world.last_position() == before
    world.app.record_rectification(
        world["bj-clerk"], item_id, description="重新盘点", evidence=world.evidence()
    )
    console.settle()
    assert FLAG_FORM in console.client.get(f"/issues/{issue_id}").text
