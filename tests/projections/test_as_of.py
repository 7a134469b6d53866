"""As of a past moment: the ledgers as they stood then, through the same projection code.

The ledger read as of a moment equals what the live ledger showed at that moment, and
today's ledger differs from it by exactly the cases that have events after that moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from application.ports import FixedClock
from infrastructure.projection_setup import build_host
from projections import queries
from projections.rows import Page
from tests.builders import World, build_world
from tests.conftest import database_url
from tests.projections.support import BACKENDS, fresh_views, later


@pytest.fixture(params=BACKENDS)
def any_world(request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    built = build_world(database_url(request.param, tmp_path, request), clock)
    yield built
    built.container.close()


def early_events(world: World) -> None:
    _, approved = world.approved_item()
    world.app.record_rectification(
        world["bj-clerk"], approved, description="已整改", evidence=world.evidence()
    )
    tj = world.issue(office="tj", by="tj-clerk", title="天津问题").id
    world.item(tj, by="tj-clerk")
    world.issue(office="sh", by="sh-clerk", title="上海问题")


def later_events(world: World) -> set[Any]:
    """Events after the moment; answers the rows they touch (an item counts in its issue)."""
    views = world.container.read_models
    tj_item = next(i for i in views.items(offices=frozenset({"tj"})).items)
    world.app.request_approval(world["tj-clerk"], tj_item.id)
    sz = world.issue(office="sz", by="coord", title="深圳问题").id
    return {tj_item.id, tj_item.issue_id, sz}


def by_id(page: Page[Any]) -> dict[Any, Any]:
    return {row.id: row for row in page.items}


def test_the_ledger_as_of_a_moment_is_what_it_showed_then(any_world: World) -> None:
    early_events(any_world)
    views = fresh_views(any_world)
    moment = any_world.clock.now()
    then = (
        views.issues(offices=None),
        views.items(offices=None),
        views.items(offices=None, office="bj"),
    )
    later(any_world, hours=1)
    touched = later_events(any_world)
    views = fresh_views(any_world)

    as_of = (
        views.issues(offices=None, as_of=moment),
        views.items(offices=None, as_of=moment),
        views.items(offices=None, office="bj", as_of=moment),
    )

    assert as_of == then
    now_issues, now_items = by_id(views.issues(offices=None)), by_id(views.items(offices=None))
    old_issues, old_items = by_id(as_of[0]), by_id(as_of[1])
    changed = {
        k for k in now_issues.keys() | old_issues.keys() if now_issues.get(k) != old_issues.get(k)
    }
    changed |= {
        k for k in now_items.keys() | old_items.keys() if now_items.get(k) != old_items.get(k)
    }
    assert changed == touched
    assert [i.title for i in now_issues.values() if i.id not in old_issues] == ["深圳问题"]


def test_as_of_does_not_wait_for_the_audit_log(any_world: World) -> None:
    early_events(any_world)
    built = any_world.container
    ledgers = build_host(built.app, built.db, built.campaign, names=["issue_ledger", "item_ledger"])
    ledgers.catch_up()
    views = built.read_models
    moment = any_world.clock.now()
    then = views.items(offices=None, office="bj")
    later(any_world, hours=1)
    later_events(any_world)

    assert views.status()[-1].position == 0, "the audit log has not moved"
    assert views.items(offices=None, office="bj", as_of=moment) == then
    assert views.issues(offices=None, as_of=moment - timedelta(days=1)).total == 0


def test_a_sheets_ids_as_of_a_moment_come_from_one_replay_of_the_log(
    any_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    early_events(any_world)
    views = fresh_views(any_world)
    moment = any_world.clock.now()
    later(any_world, hours=1)
    later_events(any_world)
    views = fresh_views(any_world)
    replays = []
    replay = queries.ledgers_as_of

    def counted(*args: Any, **kwargs: Any) -> Any:
        replays.append(kwargs["at"])
        return replay(*args, **kwargs)

    monkeypatch.setattr(queries, "ledgers_as_of", counted)
    pages = [views.items(offices=None, as_of=moment, page=n, page_size=1) for n in (1, 2, 3)]
    replays.clear()

    ids = views.row_ids("items", offices=None, as_of=moment)

    assert replays == [moment]
    assert ids == [row.id for page in pages for row in page.items]
    assert len(ids) == pages[0].total == 2
