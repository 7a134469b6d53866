"""Progress: sub-offices roll into their parent and stand on their own; per category too."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import World
from tests.projections.support import fresh_views


def test_sub_offices_roll_into_their_parent_and_appear_on_their_own(world: World) -> None:
    _, verified = world.rectified_item()
    world.app.record_verification(world["coord"], verified, passed=True)
    world.item(world.issue(office="tj", by="tj-clerk").id, by="tj-clerk")
    world.item(world.issue(office="sh", by="sh-clerk").id, by="sh-clerk")

    view = fresh_views(world).progress(offices=None)

    offices = {o.office: o for o in view.offices}
    bj, tj = offices["bj"], offices["tj"]
    assert bj.sub_offices == ["sd", "tj", "xa"]
    assert (bj.own.total, bj.own.verified, bj.own.percent_verified) == (1, 1, 100.0)
    assert (bj.own.issues, bj.own.issues_closed) == (1, 1)
    assert bj.with_sub_offices.by_status == {"planned": 1, "verified": 1}
    assert (bj.with_sub_offices.total, bj.with_sub_offices.percent_verified) == (2, 50.0)
    assert (tj.parent, tj.own.total, tj.with_sub_offices.total) == ("bj", 1, 1)
    assert (view.total.total, view.total.issues, view.total.verified) == (3, 3, 1)
    assert {c.category: c.counts.total for c in view.categories} == {"basic_management": 3}
    assert view.categories[0].label == "基础管理"


def test_a_scoped_reader_sees_only_its_offices(world: World) -> None:
    world.item(world.issue(office="tj", by="tj-clerk").id, by="tj-clerk")
    world.item(world.issue(office="sh", by="sh-clerk").id, by="sh-clerk")

    view = fresh_views(world).progress(offices=world.app.campaign.subtree("bj"))

    assert [o.office for o in view.offices] == ["bj", "tj", "xa", "sd"]
    assert view.total.total == 1


def test_the_calendar_counts_days_to_each_milestone(world: World) -> None:
    view = fresh_views(world).progress(offices=None)

    end = next(m for m in view.milestones if m.code == "rectification_end")
    named = next(m for m in view.milestones if m.code == "work_group_named")
    assert (end.due - view.today, end.passed) == (timedelta(days=end.days_left), False)
    assert named.passed
