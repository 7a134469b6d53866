"""The coordination office chooses on the notice page whom a draft is sent (主送) and copied
(抄送) to, as the API and the command line let it."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

import pytest

from application.errors import PermissionDenied
from tests.conftest import CAMPAIGN_NOW
from tests.web.conftest import Console


def _drafted(console: Console) -> str:
    world = console.world
    world.item(world.issue().id, measure="补登台账", deadline=world.today() + timedelta(days=1))
    world.clock.set(CAMPAIGN_NOW + timedelta(days=5))
    record = next(c["id"] for c in world.app.accountability_candidates(world["coord"]))
    return str(world.app.draft_notice(world["coord"], record_ids=[record]).id)


def _edit_fields(page: str) -> dict[str, str]:
    form = page.split('action="/notices/', 1)[1].split("</form>", 1)[0]
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version is not None
    return {"version": version.group(1), "title": "关于整改滞后的通报", "body": "正文"}


def test_the_edit_form_ticks_the_addressees_and_saves_the_ones_chosen(console: Console) -> None:
    notice_id = _drafted(console)
    console.settle()
    console.log_in("coord")
    page = console.client.get(f"/notices/{notice_id}").text
    assert 'name="recipients" value="bj" checked' in page
    assert 'name="copy_to" value="finance" checked' in page
    assert 'value="admin-bureau"' not in page  # the issuing office addresses no notice to itself

    answer = console.post(
        f"/notices/{notice_id}/edit",
        _edit_fields(page) | {"recipients": ["bj", "tj"], "copy_to": []},
    )

    assert answer.status_code == 200, answer.text
    notice = console.world.app.get_notice(console.world["coord"], UUID(notice_id))
    assert (notice.recipients, notice.copy_to) == (["bj", "tj"], [])


def test_a_notice_sent_to_no_one_is_refused_beside_the_boxes_keeping_the_choice(
    console: Console,
) -> None:
    notice_id = _drafted(console)
    console.settle()
    console.log_in("coord")
    page = console.client.get(f"/notices/{notice_id}").text
    before = console.world.last_position()

    answer = console.post(
        f"/notices/{notice_id}/edit", _edit_fields(page) | {"recipients": [], "copy_to": ["sh"]}
    )

    assert answer.status_code == 422
    assert "请至少选择一个主送单位。" in answer.text
    assert 'name="copy_to" value="sh" checked' in answer.text
    assert console.world.last_position() == before


def test_the_notice_page_shows_what_each_edit_changed_from_what(console: Console) -> None:
    """An auditor can show how the issued notice differs from the system's draft."""
    notice_id = UUID(_drafted(console))
    world = console.world
    drafted = world.app.get_notice(world["coord"], notice_id)
    world.app.edit_notice(
        world["coord"],
        notice_id,
        title="关于整改滞后的通报",
        body="限期10个工作日内整改到位。",
        recipients=["bj"],
        reason="限定主送单位",
    )
    world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕7号")
    console.settle()
    console.log_in("auditor")

    page = console.client.get(f"/notices/{notice_id}").text
    changes = page.split('id="changes-h"', 1)[1].split("</section>", 1)[0]

    assert "由系统按问责记录生成草稿" in changes
    assert "修改（限定主送单位）" in changes
    assert f"标题由“{drafted.title}”改为“关于整改滞后的通报”" in changes
    assert "”改为“北京办事处”" in changes
    assert "修改前的正文" in changes
    assert drafted.body.splitlines()[0] in changes
    assert "印发，文号机管国资〔2026〕7号" in changes
    assert "抄送由" not in changes  # unchanged: not listed


def test_an_office_reads_the_issued_notice_not_how_it_was_drafted(console: Console) -> None:
    notice_id = UUID(_drafted(console))
    world = console.world
    world.app.edit_notice(
        world["coord"], notice_id, recipients=["bj"], reason="领导意见：天津暂不通报"
    )
    world.app.issue_notice(world["coord"], notice_id, number="机管国资〔2026〕7号")
    console.settle()
    console.log_in("bj-clerk")

    page = console.client.get(f"/notices/{notice_id}").text

    assert "机管国资〔2026〕7号" in page
    assert "起草和修改记录" not in page
    assert "天津暂不通报" not in page
    with pytest.raises(PermissionDenied):
        world.app.notice_changes(world["bj-clerk"], notice_id)


def test_a_unit_without_a_box_the_notice_holds_is_kept_by_an_edit(console: Console) -> None:
    notice_id = UUID(_drafted(console))
    world = console.world
    world.app.edit_notice(
        world["coord"], notice_id, copy_to=["finance", "admin-bureau"], reason="抄送本局"
    )
    console.settle()
    console.log_in("coord")
    page = console.client.get(f"/notices/{notice_id}").text
    assert 'name="copy_to" value="admin-bureau" checked' in page

    console.post(
        f"/notices/{notice_id}/edit",
        _edit_fields(page) | {"recipients": ["bj"], "copy_to": ["finance", "admin-bureau"]},
    )

    assert world.app.get_notice(world["coord"], notice_id).copy_to == ["finance", "admin-bureau"]
