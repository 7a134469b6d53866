"""专班与自查: an office names its work group and submits its self-inspection from the
console (before, only the API could), each field checked in Chinese, nothing recorded on
a refusal."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Console

GROUP = {
    "office": "bj",
    "leader_name": "张建国",
    "leader_title": "副主任",
    "leader_phone": "010-65001234",
    "liaison_name": "李明",
    "liaison_title": "综合处处长",
    "liaison_phone": "13900001111",
    "liaison_level": "division_chief",
}


def group_of(console: Console, office: str = "bj") -> dict[str, Any]:
    return console.world.app.work_group(console.world["coord"], office)


def test_an_office_names_its_work_group_and_the_milestone_is_met(console: Console) -> None:
    console.log_in("bj-clerk")
    page = console.client.get("/office-work")
    assert page.status_code == 200
    assert "工作专班与自查材料 · 北京办事处" in page.text
    assert "尚未报送" in page.text

    answer = console.post("/office-work/work-group", GROUP)

    assert answer.status_code == 200, answer.text
    assert "工作专班已报送。" in answer.text
    assert group_of(console)["leader"]["name"] == "张建国"
    row = answer.text.split('data-milestone="work_group_named"', 1)[1].split("</tr>", 1)[0]
    assert console.world.today().isoformat() in row
    assert "逾期完成" in row  # due 08-20, named 10-10
    assert 'value="张建国"' in answer.text  # the form shows the work group as named


def test_every_missing_field_is_named_at_once_and_nothing_is_recorded(console: Console) -> None:
    console.log_in("bj-clerk")
    before = console.world.last_position()

    answer = console.post(
        "/office-work/work-group",
        {**GROUP, "leader_name": "", "liaison_phone": "", "liaison_level": "x"},
    )

    assert answer.status_code == 422
    for message in (
        "请填写分管领导姓名。",
        "请填写联络员联系电话。",
        "联络员级别的取值无效，请从列表中重新选择。",
    ):
        assert message in answer.text
    assert console.world.last_position() == before


def test_a_change_needs_a_reason_and_one_person_cannot_hold_both_posts(console: Console) -> None:
    console.log_in("bj-clerk")
    console.post("/office-work/work-group", GROUP)
    before = console.world.last_position()

    no_reason = console.post("/office-work/work-group", {**GROUP, "leader_name": "王强"})
    same = console.post(
        "/office-work/work-group", {**GROUP, "liaison_name": "张建国", "reason": "调岗"}
    )
    changed = console.post(
        "/office-work/work-group", {**GROUP, "leader_name": "王强", "reason": "张建国调任"}
    )

    assert no_reason.status_code == 422
    assert "请填写变更原因。" in no_reason.text
    assert same.status_code == 422
    assert "分管领导和联络员须为两个人。" in same.text
    assert changed.status_code == 200
    assert group_of(console)["leader"]["name"] == "王强"
    assert console.world.last_position() > before


def test_the_self_inspection_is_submitted_and_a_correction_needs_a_note(console: Console) -> None:
    console.world.issue(title="资产台账不健全")
    console.settle()  # set up around HTTP: the page counts what the views hold
    console.log_in("bj-clerk")
    page = console.client.get("/office-work")
    form = {"office": "bj", "note": ""}

    first = console.post("/office-work/self-inspection", form)
    again = console.post("/office-work/self-inspection", form)
    corrected = console.post("/office-work/self-inspection", {**form, "note": "补充一个问题"})

    assert "问题 1 个、整改事项 0 项" in page.text
    assert first.status_code == 200, first.text
    assert "自查材料已报送：问题1个、整改事项0项" in first.text
    assert again.status_code == 422
    assert "请填写更正说明。" in again.text
    assert corrected.status_code == 200
    assert "此前已报送 2 次" in corrected.text


def test_the_coordination_office_picks_an_office_and_submits_no_self_inspection(
    console: Console,
) -> None:
    console.log_in("coord")

    page = console.client.get("/office-work?office=sh")

    assert page.status_code == 200
    assert "工作专班与自查材料 · 上海办事处" in page.text
    assert 'action="/office-work/self-inspection"' not in page.text
    assert console.post("/office-work/work-group", {**GROUP, "office": "sh"}).status_code == 200
    assert group_of(console, "sh")["liaison"]["name"] == "李明"


def test_an_office_cannot_name_another_offices_work_group(console: Console) -> None:
    console.log_in("bj-clerk")
    before = console.world.last_position()

    answer = console.post("/office-work/work-group", {**GROUP, "office": "sh"})

    assert answer.status_code == 422
    assert "单位的取值无效，请从列表中重新选择。" in answer.text
    assert console.world.last_position() == before


def test_an_account_without_an_office_is_refused_and_has_no_menu_entry(console: Console) -> None:
    console.log_in("auditor")

    page = console.client.get("/office-work")
    home = console.client.get("/").text

    assert page.status_code == 403
    assert 'href="/office-work"' not in home


def test_the_console_keeps_the_e_mail_it_does_not_show_and_says_when_nothing_changed(
    console: Console,
) -> None:
    leader = {"name": "张建国", "title": "副主任", "phone": "010-65001234", "email": "z@bj.gov"}
    liaison = {
        "name": "李明",
        "title": "综合处处长",
        "phone": "13900001111",
        "level": "division_chief",
        "email": "l@bj.gov",
    }
    console.world.app.name_work_group(
        console.world["bj-clerk"], office="bj", leader=leader, liaison=liaison
    )
    console.log_in("bj-clerk")

    unchanged = console.post("/office-work/work-group", {**GROUP, "reason": "核对"})
    changed = console.post(
        "/office-work/work-group", {**GROUP, "leader_phone": "010-65009999", "reason": "换号"}
    )

    assert unchanged.status_code == 422
    assert "工作专班没有变化，无需重新报送。" in unchanged.text
    assert changed.status_code == 200, changed.text
    group = group_of(console)
    assert (group["leader"]["email"], group["liaison"]["email"]) == ("z@bj.gov", "l@bj.gov")
    assert group["leader"]["phone"] == "010-65009999"


def test_a_sub_office_covered_by_its_parents_work_group_is_told_so(console: Console) -> None:
    """天津 is under 北京办事处: the milestone counts bj's work group for it, so the page no
    longer says tj has named none."""
    console.log_in("bj-clerk")
    before = console.client.get("/office-work", params={"office": "tj"}).text
    console.post("/office-work/work-group", GROUP)

    after = console.client.get("/office-work", params={"office": "tj"}).text

    assert "尚未报送" in before
    day = console.world.today().isoformat()
    assert f"由北京办事处的工作专班统一负责（{day} 报送），本单位无需另行报送" in after
    assert "尚未报送。请填写" not in after


def test_a_phone_that_is_no_number_is_refused_beside_it(console: Console) -> None:
    console.log_in("bj-clerk")
    before = console.world.last_position()

    answer = console.post("/office-work/work-group", GROUP | {"leader_phone": "abc"})

    assert answer.status_code == 422
    assert (
        '<p class="field-error" id="leader_phone-error">分管领导的联系电话格式有误' in answer.text
    )
    assert console.world.last_position() == before
