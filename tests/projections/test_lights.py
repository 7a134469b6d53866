"""Traffic lights at their boundaries, decided at read time against a fixed clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from projections.lights import LightRule
from tests.builders import WORK_GROUP, World
from tests.projections.support import fresh_views, later

TODAY = date(2026, 10, 10)
N = 10


@pytest.mark.parametrize(
    ("days_away", "light"),
    [(-1, "red"), (0, "yellow"), (1, "yellow"), (N, "yellow"), (N + 1, "green")],
    ids=["yesterday", "today", "tomorrow", "N days", "N+1 days"],
)
@pytest.mark.parametrize("status", ["planned", "approved", "verification_failed", "rectifying"])
def test_an_unrectified_item_is_lit_by_its_deadline(
    days_away: int, light: str, status: str
) -> None:
    rule = LightRule(today=TODAY, yellow_days=N)

    assert rule.item(status, TODAY + timedelta(days=days_away)) == light
    assert rule.overdue(status, TODAY + timedelta(days=days_away)) is (days_away < 0)


@pytest.mark.parametrize("status", ["rectified", "verified", "reported"])
def test_a_rectified_item_is_green_even_past_its_deadline(status: str) -> None:
    assert LightRule(today=TODAY, yellow_days=N).item(status, TODAY - timedelta(days=30)) == "green"


def test_lights_follow_the_clock_through_the_read_models(world: World) -> None:
    issue = world.issue().id
    offsets = (1, 2, 3, 12, 13)
    planned = {
        world.item(issue, deadline=world.today() + timedelta(days=k), measure=f"措施{k}").id: k
        for k in offsets
    }
    views = fresh_views(world)
    assert {i.light for i in views.items(offices=None).items} == {"yellow", "green"}

    later(world, days=2)  # deadlines are now yesterday, today, tomorrow, N and N+1 days away

    lights = {
        planned[i.id]: (i.light, i.overdue, i.days_left) for i in views.items(offices=None).items
    }
    assert lights == {
        1: ("red", True, -1),
        2: ("yellow", False, 0),
        3: ("yellow", False, 1),
        12: ("yellow", False, N),
        13: ("green", False, N + 1),
    }
    assert views.issues(offices=None).items[0].light == "red"
    bj = next(o for o in views.progress(offices=None).offices if o.office == "bj")
    assert (bj.own.light, bj.own.overdue, bj.own.due_soon) == ("red", 1, 3)


def test_filters_by_light_split_the_ledger_by_today(world: World) -> None:
    red_issue = world.issue(title="逾期问题").id
    world.item(red_issue, deadline=world.today() + timedelta(days=1))
    yellow_issue = world.issue(title="临期问题").id
    world.item(yellow_issue, deadline=world.today() + timedelta(days=5))
    green_issue = world.issue(title="从容问题").id
    world.item(green_issue, deadline=world.today() + timedelta(days=30))
    later(world, days=2)
    views = fresh_views(world)

    def titles(light: str) -> list[str]:
        return [i.title for i in views.issues(offices=None, light=light).items]

    assert (titles("red"), titles("yellow"), titles("green")) == (
        ["逾期问题"],
        ["临期问题"],
        ["从容问题"],
    )
    assert views.items(offices=None, overdue=True).total == 1
    assert views.items(offices=None, overdue=False).total == 2
    assert views.items(offices=None, light="yellow").items[0].issue_title == "临期问题"


def test_an_open_problem_with_no_measure_yet_is_yellow_and_filtered_so(world: World) -> None:
    """Nothing is planned for it: green would read as on track."""
    world.issue(title="尚无措施")
    planned = world.issue(title="已有措施").id
    world.item(planned, deadline=world.today() + timedelta(days=30))
    views = fresh_views(world)

    lights = {i.title: i.light for i in views.issues(offices=None).items}

    def titles(light: str) -> list[str]:
        return [i.title for i in views.issues(offices=None, light=light).items]

    assert lights == {"尚无措施": "yellow", "已有措施": "green"}
    assert (titles("red"), titles("yellow"), titles("green")) == ([], ["尚无措施"], ["已有措施"])


def test_an_office_with_an_open_problem_and_no_plan_is_yellow_as_the_problem_is(
    world: World,
) -> None:
    """The dashboard's office light agrees with the problem list's: an office whose only
    problem has no measure yet is not on track, and planning one turns it green. (The
    office meets its milestones first, so that none turns it red.)"""
    world.app.name_work_group(world["sh-clerk"], office="sh", **WORK_GROUP)
    problem = world.issue(office="sh", by="sh-clerk", title="尚无措施").id
    world.app.submit_self_inspection(world["sh-clerk"], office="sh")

    def sh() -> tuple[str, int, int]:
        progress = fresh_views(world).progress(offices=None)
        own = next(o.own for o in progress.offices if o.office == "sh")
        return own.light, own.unplanned, progress.total.unplanned

    unplanned = sh()
    world.item(problem, by="sh-clerk", deadline=world.today() + timedelta(days=30))

    assert unplanned == ("yellow", 1, 1)
    assert sh() == ("green", 0, 0)
