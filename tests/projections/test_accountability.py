"""Accountability records: lagging, ineffective and falsified, each citing its events."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from projections.queries import ReadModels
from tests.builders import World
from tests.projections.support import fresh_views, later


def positions(views: ReadModels, item: UUID, event_type: str) -> list[int]:
    return [e.position for e in views.case_events(item) if e.event_type == event_type]


def test_an_item_past_its_deadline_unrectified_is_lagging_citing_its_deadline(
    world: World,
) -> None:
    issue = world.issue(office="tj", by="tj-clerk").id
    item = world.item(issue, by="tj-clerk", deadline=world.today() + timedelta(days=1)).id
    views = fresh_views(world)
    assert views.accountability(offices=None) == []

    later(world, days=3)

    [record] = views.accountability(offices=None)
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
    assert views.accountability(offices=None, kind="ineffective") == []

    world.app.record_rectification(world["bj-clerk"], item, description="补充", evidence=[])
    world.app.record_verification(world["coord2"], item, passed=False, comment="仍不到位")
    views = fresh_views(world)

    [record] = views.accountability(offices=None, kind="ineffective")
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

    [record] = views.accountability(offices=None)
    assert record.kind == "falsified"
    assert record.reason.endswith("照片系整改前拍摄")
    assert [(c.event_type, c.actor_name) for c in record.citations] == [
        ("Rectified", "bj-clerk"),
        ("FalsificationFlagged", "auditor"),
    ]
    assert record.citations[1].position == positions(views, item, "FalsificationFlagged")[0]
    assert views.accountability(offices=frozenset({"sh"})) == []
    assert views.accountability(offices=None, kind="lagging") == []
