"""Accountability records: lagging, ineffective and falsified, each citing its events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from projections.queries import AccountabilityRecord, ReadModels
from tests.builders import WORK_GROUP, World
from tests.projections.support import fresh_views, later


def item_records(views: ReadModels, **kwargs: Any) -> list[AccountabilityRecord]:
    """The records about items (offices that missed milestones have their own)."""
    return [r for r in views.accountability(**kwargs) if r.item_id is not None]


def positions(views: ReadModels, item: UUID, event_type: str) -> list[int]:
    return [e.position for e in views.case_events(item) if e.event_type == event_type]


def test_an_item_past_its_deadline_unrectified_is_lagging_citing_its_deadline(
    world: World,
) -> None:
    issue = world.issue(office="tj", by="tj-clerk").id
    item = world.item(issue, by="tj-clerk", deadline=world.today() + timedelta(days=1)).id
    views = fresh_views(world)
    assert item_records(views, offices=None) == []

    later(world, days=3)

    [record] = item_records(views, offices=None)
    assert (record.kind, record.kind_label, record.office, record.item_id) == (
        "lagging",
        "工作明显滞后",
        "tj",
        item,
    )
    assert "已逾期2天" in record.reason
    [cite] = record.citations
    assert (cite.position, cite.event_type, cite.actor_name) == (
        positions(views, item, "Planned")[0],
        "Planned",
        "tj-clerk",
    )


def test_two_failed_verifications_make_an_item_ineffective(world: World) -> None:
    _, item = world.rectified_item()
    world.app.record_verification(world["coord"], item, passed=False, comment="佐证不足")
    views = fresh_views(world)
    assert item_records(views, offices=None, kind="ineffective") == []

    world.app.record_rectification(
        world["bj-clerk"], item, description="补充", evidence=world.evidence()
    )
    world.app.record_verification(world["coord2"], item, passed=False, comment="仍不到位")
    views = fresh_views(world)

    [record] = item_records(views, offices=None, kind="ineffective")
    assert [c.position for c in record.citations] == positions(views, item, "VerificationFailed")
    assert [(c.actor_name, c.comment) for c in record.citations] == [
        ("coord", "佐证不足"),
        ("coord2", "仍不到位"),
    ]


def test_a_falsification_flag_cites_the_claim_and_the_flag(world: World) -> None:
    _, item = world.rectified_item()
    world.app.record_verification(world["coord"], item, passed=True)
    world.app.flag_falsification(world["auditor"], item, reason="照片系整改前拍摄")
    views = fresh_views(world)

    [record] = item_records(views, offices=None)
    assert record.kind == "falsified"
    assert record.reason.endswith("照片系整改前拍摄")
    assert [(c.event_type, c.actor_name) for c in record.citations] == [
        ("Rectified", "bj-clerk"),
        ("FalsificationFlagged", "auditor"),
    ]
    assert record.citations[1].position == positions(views, item, "FalsificationFlagged")[0]
    assert item_records(views, offices=frozenset({"sh"})) == []
    assert item_records(views, offices=None, kind="lagging") == []


def test_an_office_that_missed_a_milestone_is_lagging_citing_the_late_act(world: World) -> None:
    world.app.name_work_group(world["bj-clerk"], office="bj", **WORK_GROUP)
    views = fresh_views(world)

    records = {r.id: r for r in views.accountability(offices=None, kind="lagging")}

    late = records["lagging:tj:work_group_named"]
    assert (late.office, late.item_id, late.since) == ("tj", None, date(2026, 8, 20))
    assert late.reason == "「成立工作专班」应于2026-08-20前完成，2026-10-10才完成，逾期51天"
    assert [(c.event_type, c.actor_name) for c in late.citations] == [
        ("WorkGroupNamed", "bj-clerk")
    ]
    missed = records["lagging:sh:work_group_named"]
    assert (missed.citations, missed.reason) == (
        [],
        "未按期完成「成立工作专班」（应于2026-08-20前完成），已逾期51天",
    )
    offices = {o.office: o for o in views.progress(offices=None).offices}
    assert offices["bj"].own.milestones_missed == ["self_inspection_submitted"]
    assert offices["sh"].own.milestones_missed == ["self_inspection_submitted", "work_group_named"]
    assert offices["sh"].own.light == "red"
