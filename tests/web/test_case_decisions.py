"""Where the office acts next, the case page and the ledger say what was decided and why:
a plan sent back, a check failed — with the coordinator's words — and which plans truly wait
for an approver (not one never sent, nor one sent back)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.web.conftest import Console


def _item_card(page: str, item_id: object) -> str:
    return page.split(f'id="item-{item_id}"', 1)[1].split("</article>", 1)[0]


def test_a_plan_sent_back_shows_the_reason_and_no_longer_waits_for_approval(
    console: Console,
) -> None:
    world, app = console.world, console.world.app
    issue_id = world.issue().id
    planned = world.item(issue_id).id
    sent_back = world.item(issue_id).id
    app.request_approval(world["bj-clerk"], sent_back)
    app.decide_approval(
        world["coord"], sent_back, approve=False, comment="措施过于笼统，请写明盘点范围"
    )
    console.settle()
    console.log_in("bj-clerk")

    page = console.client.get(f"/issues/{issue_id}").text
    ledger = console.client.get("/items?status=rejected").text

    card = _item_card(page, sent_back)
    rejected = app.case_history(world["coord"], sent_back)[-1]
    local = rejected.recorded_at.astimezone(ZoneInfo(app.campaign.timezone))
    name = rejected.actor["name"]
    assert f"{local:%Y-%m-%d %H:%M} {name}：<strong>退回修改</strong>" in card  # as 办理记录
    assert "退回修改</strong>——措施过于笼统，请写明盘点范围" in card
    assert "已退回修改" in card
    assert "协调办待审批" not in card
    assert "尚未报审" in _item_card(page, planned)
    assert "协调办待审批" not in _item_card(page, planned)
    assert "已退回" in ledger
    assert "待协调办" not in ledger


def test_a_failed_check_shows_its_reason_beside_the_item(console: Console) -> None:
    world, app = console.world, console.world.app
    issue_id, item_id = world.rectified_item()
    app.record_verification(
        world["coord2"], item_id, passed=False, comment="佐证材料与台账数量不符"
    )
    console.settle()
    console.log_in("bj-clerk")

    card = _item_card(console.client.get(f"/issues/{issue_id}").text, item_id)

    assert "核查未通过</strong>——佐证材料与台账数量不符" in card
    assert "审批同意" in card  # the approval it rests on, as decided


def _form(page: str, item_id: object, code: str) -> str:
    return page.split(f'action="/items/{item_id}/{code}"', 1)[1].split("</form>", 1)[0]


def test_a_coordinator_decides_a_request_or_extends_a_deadline_directly_by_its_own_name(
    console: Console,
) -> None:
    world, app = console.world, console.world.app
    issue_id, item_id = world.approved_item()
    console.settle()
    console.log_in("coord")

    direct = console.client.get(f"/issues/{issue_id}").text
    form = _form(direct, item_id, "extension")
    assert "延长完成时限" in _item_card(direct, item_id)
    assert "审批延期申请" not in direct
    assert 'type="radio"' not in form
    assert "批准时填写" not in form

    later = world.today() + timedelta(days=25)
    app.request_extension(world["bj-clerk"], item_id, new_deadline=later, reason="等待产权登记")
    console.settle()
    asked = console.client.get(f"/issues/{issue_id}").text
    assert "审批延期申请" in _item_card(asked, item_id)
    assert 'value="grant"' in _form(asked, item_id, "extension")
    assert 'value="refuse"' in _form(asked, item_id, "extension")


def test_a_deadline_extended_past_the_rectification_phase_says_so_on_the_item(
    console: Console,
) -> None:
    world, app = console.world, console.world.app
    issue_id, item_id = world.approved_item()
    end = app.campaign.rectification_end
    console.settle()
    console.log_in("coord")
    assert f"分类整改阶段至{end.isoformat()}结束" in _form(
        console.client.get(f"/issues/{issue_id}").text, item_id, "extension"
    )
    app.extend_deadline(
        world["coord"], item_id, new_deadline=end + timedelta(days=30), reason="等待产权登记"
    )
    console.settle()

    card = _item_card(console.client.get(f"/issues/{issue_id}").text, item_id)

    assert "晚于分类整改阶段结束日" in card


def test_an_extension_asked_for_reads_granted_and_one_unasked_reads_extended(
    console: Console,
) -> None:
    world, app = console.world, console.world.app
    issue_id, asked = world.approved_item()
    unasked = world.item(issue_id, measure="建立盘点制度").id
    app.request_approval(world["bj-clerk"], unasked)
    app.decide_approval(world["coord"], unasked, approve=True, comment="同意")
    first, second = world.today() + timedelta(days=25), world.today() + timedelta(days=30)
    app.request_extension(world["bj-clerk"], asked, new_deadline=first, reason="等待登记")
    app.extend_deadline(world["coord"], asked, new_deadline=first, reason="理由充分")
    app.extend_deadline(world["coord"], unasked, new_deadline=second, reason="统筹安排")
    console.settle()
    console.log_in("bj-clerk")

    page = console.client.get(f"/issues/{issue_id}").text

    assert f"同意延期至{first.isoformat()}</strong>——理由充分" in _item_card(page, asked)
    assert f"延长完成时限至{second.isoformat()}</strong>——统筹安排" in _item_card(page, unasked)
