"""Correcting what was recorded of a problem: a typo in its title, the wrong category, a
wrong date found. The record changes with a reason; the event keeps what it replaced, so the
trail shows from what to what, and every view that repeats the problem's facts follows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import NotFound, PermissionDenied
from domain.errors import InvalidInput, InvalidTransition
from tests.builders import World
from tests.projections.support import fresh_views


def test_a_correction_changes_the_record_and_keeps_what_it_replaced(world: World) -> None:
    issue_id = world.issue(title="资产台帐不全").id
    found_on = world.today() - timedelta(days=3)

    result = world.app.correct_issue(
        world["bj-clerk"],
        issue_id,
        title="资产台账不全",
        category="real_estate",
        subtype="no_certificate",
        found_on=found_on,
        reason="标题错别字，类别选错",
    )

    issue = world.app.get_issue(world["bj-clerk"], issue_id)
    assert (issue.title, issue.category, issue.subtype) == (
        "资产台账不全",
        "real_estate",
        "no_certificate",
    )
    assert issue.found_on == found_on
    assert result.version == 2
    corrected = world.app.case_history(world["coord"], issue_id)[-1]
    assert corrected.event_type == "Corrected"
    assert corrected.comment == "标题错别字，类别选错"
    assert corrected.actor["name"] == world["bj-clerk"].principal.display_name
    assert corrected.data["previous"] == {
        "category": "basic_management",
        "subtype": "ledger_incomplete",
        "title": "资产台帐不全",
        "found_on": world.today().isoformat(),
    }


def test_a_correction_that_changes_nothing_or_gives_no_reason_records_nothing(
    world: World,
) -> None:
    issue = world.issue(title="资产台账不全")
    before = world.last_position()

    with pytest.raises(InvalidInput, match="changes nothing"):
        world.app.correct_issue(world["bj-clerk"], issue.id, title=" 资产台账不全 ", reason="无")
    with pytest.raises(InvalidInput) as no_reason:
        world.app.correct_issue(world["bj-clerk"], issue.id, title="新标题", reason=" ")
    with pytest.raises(InvalidInput) as wrong_kind:
        world.app.correct_issue(world["bj-clerk"], issue.id, subtype="no_certificate", reason="x")

    assert no_reason.value.field == "reason"
    assert wrong_kind.value.field == "subtype"  # not a sub-type of the problem's category
    assert world.last_position() == before


def test_a_closed_problem_is_not_corrected_and_only_its_office_or_the_coordinator_may(
    world: World,
) -> None:
    issue_id, item_id = world.rectified_item()
    world.app.record_verification(world["coord2"], item_id, passed=True)
    open_issue = world.issue().id

    with pytest.raises(InvalidTransition):
        world.app.correct_issue(world["bj-clerk"], issue_id, title="新标题", reason="更正")
    for other in ("finance", "auditor"):
        with pytest.raises(PermissionDenied):
            world.app.correct_issue(world[other], open_issue, title="新标题", reason="更正")
    with pytest.raises(NotFound):
        world.app.correct_issue(world["sh-clerk"], open_issue, title="新标题", reason="更正")

    world.app.correct_issue(world["coord"], open_issue, title="协调办更正", reason="抽查核实")
    assert world.app.get_issue(world["coord"], open_issue).title == "协调办更正"


def test_every_view_that_repeats_the_problems_title_and_category_follows_it(
    world: World,
) -> None:
    issue_id = world.issue(title="旧标题").id
    item_id = world.item(issue_id, deadline=world.today() + timedelta(days=1)).id
    world.clock.set(world.clock.now() + timedelta(days=5))  # the item lags: a record cites it
    views = fresh_views(world)
    before = {c.category: c.counts.total for c in views.progress(offices=None).categories}

    world.app.correct_issue(
        world["bj-clerk"],
        issue_id,
        title="新标题",
        category="real_estate",
        subtype="no_certificate",
        reason="类别选错",
    )
    views = fresh_views(world)

    issue_row = views.issues(offices=None).items[0]
    item_row = views.items(offices=None).items[0]
    record = next(r for r in views.accountability(offices=None) if r.item_id == item_id)
    after = {c.category: c.counts.total for c in views.progress(offices=None).categories}
    assert (issue_row.title, issue_row.category) == ("新标题", "real_estate")
    assert item_row.issue_title == "新标题"
    assert views.items(offices=None, category="real_estate").total == 1
    assert views.items(offices=None, category="basic_management").total == 0
    assert record.issue_title == "新标题"
    assert after.get("real_estate", 0) == before.get("real_estate", 0) + 1
    assert after.get("basic_management", 0) == before.get("basic_management", 0) - 1
    audit = views.audit_events(case=issue_id).items[0]
    assert audit.summary == (
        "更正问题「新标题」的登记信息（标题原为「旧标题」，"
        "类别由基础管理/资产台账不健全改为房地产管理/未办理权证）：类别选错"
    )


def test_a_problem_is_not_corrected_to_a_day_after_one_of_its_measures_was_rectified(
    world: World,
) -> None:
    today = world.today()
    issue_id = world.issue(found_on=today - timedelta(days=10)).id
    item_id = world.item(issue_id).id
    world.app.request_approval(world["bj-clerk"], item_id)
    world.app.decide_approval(world["coord"], item_id, approve=True, comment="同意")
    world.app.record_rectification(
        world["bj-clerk"],
        item_id,
        description="已补登",
        evidence=world.evidence(),
        rectified_on=today - timedelta(days=5),
    )
    before = world.last_position()

    with pytest.raises(InvalidInput) as refused:
        world.app.correct_issue(
            world["bj-clerk"], issue_id, found_on=today - timedelta(days=1), reason="日期有误"
        )

    assert refused.value.field == "found_on"
    assert world.last_position() == before
    world.app.correct_issue(
        world["bj-clerk"], issue_id, found_on=today - timedelta(days=5), reason="日期有误"
    )


def test_the_trail_quotes_the_description_and_assets_a_correction_replaced(
    world: World,
) -> None:
    issue_id = world.issue(
        description="部分办公设备\n未入账", assets=[{"code": "ZC-1", "name": "电脑"}]
    ).id

    world.app.correct_issue(
        world["bj-clerk"],
        issue_id,
        description="12台电脑未入账",
        assets=[{"code": "ZC-1", "name": "电脑"}, {"code": "", "name": "打印机"}],
        reason="补充",
    )

    summary = fresh_views(world).audit_events(case=issue_id).items[0].summary
    assert "描述原为「部分办公设备 未入账」" in summary
    assert "涉及资产原为「ZC-1 电脑」" in summary
