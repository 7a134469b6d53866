"""The progress view's sums: every office rolled from its own rows and its sub-offices'."""

from __future__ import annotations

from tests.builders import World
from tests.projections.support import fresh_views, later, scripted_campaign


def test_a_reader_scoped_to_every_office_sees_what_an_unscoped_one_sees(world: World) -> None:
    scripted_campaign(world)
    views = fresh_views(world)
    every = frozenset(u.code for u in world.app.campaign.offices())

    assert views.progress(offices=every) == views.progress(offices=None)


def test_each_office_with_its_sub_offices_sums_their_own_counts(world: World) -> None:
    scripted_campaign(world)
    later(world, days=60)  # deadlines passed, milestones missed
    view = fresh_views(world).progress(offices=None)
    offices = {o.office: o for o in view.offices}
    campaign = world.app.campaign

    for office in view.offices:
        below = campaign.subtree(office.office) - {office.office}
        assert office.sub_offices == sorted(below & offices.keys())
        rolled = [office.own, *(offices[s].own for s in office.sub_offices)]
        assert office.with_sub_offices.total == sum(c.total for c in rolled)
        assert office.with_sub_offices.overdue == sum(c.overdue for c in rolled)
        assert set(office.with_sub_offices.milestones_missed) == {
            m for c in rolled for m in c.milestones_missed
        }
    assert view.total.overdue == sum(o.own.overdue for o in view.offices) > 0
    assert view.total.total == sum(c.counts.total for c in view.categories)
