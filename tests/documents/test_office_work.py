"""Work groups and self-inspections as events; missed milestones against the fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from application.errors import NotFound
from domain.errors import InvalidInput
from domain.office_record import OfficeRecord, content_hash
from tests.builders import World
from tests.documents.conftest import LEADER, LIAISON, at


def test_a_work_group_named_on_its_due_day_is_met_and_recorded_with_its_people(
    world: World,
) -> None:
    world.clock.set(at(date(2026, 8, 20)))

    world.app.name_work_group(world["bj-clerk"], office="bj", leader=LEADER, liaison=LIAISON)

    group = world.app.work_group(world["coord"], "bj")
    assert group["leader"]["name"] == "张建国"
    assert group["liaison"]["level"] == "division_chief"
    assert group["named_on"] == date(2026, 8, 20)
    statuses = {(m.office, m.code): m.status for m in world.app.milestones(world["coord"])}
    assert statuses[("bj", "work_group_named")] == "met"
    assert statuses[("tj", "work_group_named")] == "met"  # 北京办事处（含天津）
    assert statuses[("sh", "work_group_named")] == "pending"


def test_the_day_after_the_due_date_an_office_without_a_work_group_has_missed_it(
    world: World,
) -> None:
    world.clock.set(at(date(2026, 8, 21)))

    statuses = {(m.office, m.code): m.status for m in world.app.milestones(world["coord"])}

    assert statuses[("sh", "work_group_named")] == "missed"
    assert statuses[("sh", "self_inspection_submitted")] == "pending"


def test_changing_the_work_group_needs_a_reason_and_keeps_the_first_date(world: World) -> None:
    world.clock.set(at(date(2026, 8, 19)))
    world.app.name_work_group(world["bj-clerk"], office="bj", leader=LEADER, liaison=LIAISON)
    world.clock.set(at(date(2026, 9, 1)))
    new_liaison = {**LIAISON, "name": "王强"}

    with pytest.raises(InvalidInput) as refused:
        world.app.name_work_group(
            world["bj-clerk"], office="bj", leader=LEADER, liaison=new_liaison
        )
    assert refused.value.field == "reason"

    world.app.name_work_group(
        world["bj-clerk"], office="bj", leader=LEADER, liaison=new_liaison, reason="人员调整"
    )
    group = world.app.work_group(world["coord"], "bj")
    assert group["liaison"]["name"] == "王强"
    assert group["named_on"] == date(2026, 8, 19)
    events = [
        type(e).__name__ for e in world.app.repository.event_store.get(OfficeRecord.create_id("bj"))
    ]
    assert events == ["Opened", "WorkGroupNamed", "WorkGroupChanged"]


def test_a_liaison_must_be_division_level_and_a_different_person(world: World) -> None:
    with pytest.raises(InvalidInput) as bad_level:
        world.app.name_work_group(
            world["bj-clerk"], office="bj", leader=LEADER, liaison={**LIAISON, "level": "staff"}
        )
    with pytest.raises(InvalidInput) as same_person:
        world.app.name_work_group(
            world["bj-clerk"], office="bj", leader=LEADER, liaison={**LIAISON, "name": "张建国"}
        )

    assert bad_level.value.field == "liaison.level"
    assert same_person.value.field == "liaison"
    assert world.app.office_record("bj") is None


def test_an_office_cannot_name_another_offices_work_group(world: World) -> None:
    with pytest.raises(NotFound):
        world.app.name_work_group(world["sh-clerk"], office="bj", leader=LEADER, liaison=LIAISON)


def test_a_self_inspection_snapshot_holds_the_problem_list_and_plans_with_its_hash(
    world: World,
) -> None:
    issue = world.issue()
    world.item(issue.id)
    world.issue(by="tj-clerk", office="tj", title="天津办台账不全")

    result = world.app.submit_self_inspection(world["bj-clerk"], office="bj")

    record = world.app.office_record("bj")
    assert record is not None
    event = list(world.app.repository.event_store.get(record.id))[-1]
    snapshot = event.snapshot  # type: ignore[attr-defined]
    assert result.extra["sha256"] == content_hash(snapshot) == event.sha256  # type: ignore[attr-defined]
    titles = sorted(i["title"] for i in snapshot["issues"])
    assert titles == ["天津办台账不全", "资产台账不健全"]
    planned = next(i for i in snapshot["issues"] if i["office"] == "bj")
    assert planned["items"][0]["responsible"] == "张伟"
    assert event.actor["name"] == "bj-clerk"  # type: ignore[attr-defined]
    statuses = {(m.office, m.code): m.status for m in world.app.milestones(world["coord"])}
    assert statuses[("bj", "self_inspection_submitted")] == "late"  # 10-10 is past 09-15


def test_the_progress_view_learns_which_offices_missed_which_milestones(world: World) -> None:
    from projections.milestones import accountability_ids, milestone_statuses, missed_by_office

    world.clock.set(at(date(2026, 8, 20)))
    world.app.name_work_group(world["sh-clerk"], office="sh", leader=LEADER, liaison=LIAISON)
    world.clock.set(at(date(2026, 9, 16)))

    statuses = milestone_statuses(world.app, offices=frozenset({"sh", "cq", "sz"}))

    missed = missed_by_office(statuses)
    assert missed == {
        "sh": ["self_inspection_submitted"],
        "cq": ["self_inspection_submitted"],
        "sz": ["work_group_named", "self_inspection_submitted"],
    }
    assert "lagging:sz:work_group_named" in accountability_ids(statuses)


def test_an_office_outside_the_callers_scope_is_named_as_an_office_not_a_case(
    world: World,
) -> None:
    """A clerk asking for another office's report, work group or self-inspection is told
    that office is outside its scope (404): the office is the one it named, so nothing
    leaks; a case of that office still reads as absent."""
    clerk = world["bj-clerk"]
    attempts: list[Callable[[], object]] = [
        lambda: world.app.preview_report(clerk, office="sh"),
        lambda: world.app.submit_report(clerk, office="sh"),
        lambda: world.app.name_work_group(clerk, office="sh", leader=LEADER, liaison=LIAISON),
        lambda: world.app.submit_self_inspection(clerk, office="sh"),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound, match="office 'sh' is not in this account's scope"):
            attempt()
    _, item_id = world.planned_item(office="sh", by="sh-clerk")
    with pytest.raises(NotFound, match="no RectificationItem"):
        world.app.request_approval(clerk, item_id)
