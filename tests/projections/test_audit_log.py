"""The audit log: a row per event with who, when, where and a readable summary."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from tests.builders import WORK_GROUP, World
from tests.projections.support import fresh_views, later, scripted_campaign
from tests.projections.support import stored_world as stored_world


def test_every_event_has_a_row_in_position_order_with_its_actor(world: World) -> None:
    issue, item = world.rectified_item()
    views = fresh_views(world)
    log = world.container.projections.log

    every = views.audit_events(page_size=200)

    assert every.total == log.head()
    assert [r.position for r in every.items] == list(range(log.head(), 0, -1))
    found = next(r for r in every.items if r.event_type == "Found")
    assert (found.aggregate_type, found.aggregate_id, found.case_id) == ("Issue", issue, issue)
    assert (found.actor_name, found.actor_role, found.actor_unit, found.office) == (
        "bj-clerk",
        "office_staff",
        "bj",
        "bj",
    )
    assert found.request_id == "req-bj-clerk"
    assert found.summary.startswith(
        "登记问题「资产台账不健全」（北京办事处，基础管理/资产台账不健全"
    )
    approved = next(r for r in every.items if r.event_type == "Approved")
    assert (approved.case_id, approved.aggregate_id) == (issue, item)
    assert approved.summary == "省机关事务管理局（国资处）同意整改事项「全面清查并补登台账」：同意"


def test_a_case_history_holds_the_issue_and_its_items_in_order(world: World) -> None:
    issue, item = world.rectified_item()
    world.issue(title="另一个问题")
    views = fresh_views(world)

    history = views.case_events(issue)
    item_only = views.case_events(item)

    assert [r.event_type for r in history] == [
        "Found",
        "ItemAdded",
        "Planned",
        "ApprovalRequested",
        "Approved",
        "Rectified",
    ]
    assert [r.position for r in history] == sorted(r.position for r in history)
    assert {r.aggregate_id for r in item_only} == {item}


def test_filters_by_actor_unit_case_and_time(world: World) -> None:
    start = world.clock.now()
    issue, _ = world.approved_item()
    later(world, days=2)
    world.issue(office="tj", by="tj-clerk", title="天津问题")
    views = fresh_views(world)

    by_username = views.audit_events(actor="tj-clerk")
    by_name = views.audit_events(actor="coord")
    by_unit = views.audit_events(unit="tj")
    recent = views.audit_events(since=start + timedelta(days=1))
    early = views.audit_events(since=start, until=start + timedelta(hours=1), case=issue)

    assert [r.event_type for r in by_username.items] == ["Found"]
    assert [r.event_type for r in by_name.items] == ["Approved"]
    assert by_unit.items == by_username.items
    assert recent.items == by_username.items
    assert early.total == 5
    assert views.audit_events(offices=frozenset({"tj"})).items == by_username.items


def test_account_events_are_logged_without_an_office(world: World) -> None:
    views = fresh_views(world)

    grants = [r for r in views.audit_events(page_size=200).items if r.event_type == "RoleGranted"]

    assert grants
    assert all(r.office is None and r.aggregate_type == "Account" for r in grants)
    assert any(r.summary == "授予账号tj-clerk的「办事处经办人」角色（天津办事处）" for r in grants)


def test_milestone_acts_are_logged_under_their_office(world: World) -> None:
    world.app.name_work_group(world["bj-clerk"], office="bj", **WORK_GROUP)

    rows = fresh_views(world).audit_events(unit="bj", page_size=10).items

    assert [(r.event_type, r.office, r.summary) for r in rows] == [
        ("WorkGroupNamed", "bj", "北京办事处报送工作专班名单：负责人张主任，联络员李处长"),
        ("Opened", "bj", "建立北京办事处的专项整治档案"),
    ]


def test_a_request_sent_with_an_idempotency_key_is_logged_under_its_chinese_name(
    world: World,
) -> None:
    world.issue(by=world.caller("bj-clerk", request_id="req-key", idempotency_key="key-1"))

    rows = fresh_views(world).audit_events(page_size=10).items

    recorded = next(r for r in rows if r.event_type == "Recorded")
    assert recorded.summary == "记录「登记问题」请求的结果，重试时原样返回"


def test_a_cases_history_from_the_store_is_in_the_logs_order(world: World) -> None:
    """Events recorded together share a moment: the history read from the store (API, CLI)
    puts them in the order the log holds them, the cause first (an item's verification,
    then its issue's ItemVerified and Closed), as the audit log does by position."""
    _history_follows_the_log(world)


def test_a_cases_history_is_in_the_logs_order_in_sqlite_and_postgresql(
    stored_world: World,
) -> None:
    _history_follows_the_log(stored_world)


def _history_follows_the_log(world: World) -> None:
    scripted_campaign(world)
    views = fresh_views(world)
    rows = views.audit_events(page_size=200).items
    cases = {UUID(str(row.case_id)) for row in rows if row.case_id}

    for case in cases:
        history = world.app.case_history(world["auditor"], case)
        logged = views.case_events(case)
        assert [(str(e.aggregate_id), e.version, e.position) for e in history] == [
            (str(r.aggregate_id), r.version, r.position) for r in logged
        ], case
