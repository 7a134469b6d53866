"""Each view, fed live while a campaign runs, equals the view rebuilt from position 0.

On SQLite and PostgreSQL: the live views follow the log in small steps (the host catches
up after every few commands, as the embedded host does), then every table of every view is
compared row for row with a rebuild into fresh tables; a rebuild swapped in keeps the rows.
"""

from __future__ import annotations

import pytest

from infrastructure.projection_rebuild import rebuild
from projections.base import ViewContext, ViewProjection
from projections.registry import VIEWS
from tests.builders import World
from tests.projections.support import dump, fresh_views, live, rebuilt, scripted_campaign
from tests.projections.support import stored_world as stored_world


def run_live(world: World) -> None:
    host = world.container.projections
    host.batch_size = 7  # many small batches: the live path differs from one big rebuild
    host.catch_up()
    scripted_campaign(world)
    host.catch_up()
    host.batch_size = 1000


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_the_live_view_equals_a_rebuild_row_for_row(
    stored_world: World, view: type[ViewProjection]
) -> None:
    run_live(stored_world)
    head = stored_world.container.projections.log.head()

    fresh = rebuilt(stored_world.container, view)

    current = live(stored_world.container, view)
    assert current.position() == head
    assert fresh.position() == head
    assert dump(current) == dump(fresh)
    assert all(dump(current).values()), "every table of the view has rows"


def test_a_rebuild_swapped_in_keeps_every_row_and_the_position(stored_world: World) -> None:
    run_live(stored_world)
    built = stored_world.container
    before = {view.name: dump(live(stored_world.container, view)) for view in VIEWS}

    for view in VIEWS:
        rebuild(built.projections.log, built.db, view, context=ViewContext(built.campaign))

    after = {view.name: dump(live(stored_world.container, view)) for view in VIEWS}
    assert after == before
    assert {s.name: s.lag for s in built.read_models.status()} == {v.name: 0 for v in VIEWS}
    issue = stored_world.issue(office="sz", by="coord")
    assert fresh_views(stored_world).issues(offices=frozenset({"sz"})).items[0].id == issue.id
