"""Reading the audit log by actor: an account id, a username or a display name.

A display name is resolved to the ids that acted under it first (the audit view keeps them),
so a read by actor is one indexed condition on the actor's id and time; a name still finds
only the rows recorded under that name.
"""

from __future__ import annotations

from pathlib import Path
from uuid import NAMESPACE_URL, uuid5

import pytest

from infrastructure.database import SideDatabase
from projections.audit_log import AUDIT_LOG, AUDIT_NAMES, AuditLog
from projections.reading import fetch
from projections.store import ViewStore
from projections.table import Table
from tests.builders import World
from tests.projections.support import STORED, fresh_views, live, side_database


def test_a_display_name_finds_what_its_account_did_like_its_id_and_username(
    world: World,
) -> None:
    views = fresh_views(world)
    admin = str(world.callers["admin"].principal.account_id)

    by_name = views.audit_events(actor="管理员", page_size=200)
    by_id = views.audit_events(actor=admin, page_size=200)
    by_username = views.audit_events(actor="admin", page_size=200)

    assert by_name.total > 0
    assert by_name.items == by_id.items == by_username.items
    assert {r.actor_id for r in by_name.items} == {admin}


def test_the_view_keeps_every_id_that_acted_under_each_name(world: World) -> None:
    fresh_views(world)
    admin = str(world.callers["admin"].principal.account_id)

    names = dict(fetch(world.container.db, f"SELECT name, actor_ids FROM {AUDIT_NAMES.name}"))

    assert names["管理员"] == f'["{admin}"]'


def renamed_actor(store: ViewStore) -> None:
    """Account ``acct-1`` acted as 甲, then (renamed) as 乙; ``acct-2`` also acted as 甲."""
    acts = [(1, "acct-1", "甲"), (2, "acct-1", "乙"), (3, "acct-2", "甲")]
    with store.batch() as batch:
        for position, actor_id, name in acts:
            batch.append(
                AUDIT_LOG.name,
                AUDIT_LOG.blank(
                    position=position,
                    aggregate_type="Account",
                    aggregate_id=str(uuid5(NAMESPACE_URL, f"agg-{position}")),
                    event_type="Changed",
                    version=position,
                    actor_id=actor_id,
                    actor_name=name,
                    recorded_at=f"2026-11-0{position} 09:00:00.000000",
                ),
            )
        batch.put(AUDIT_NAMES.name, {"name": "甲", "actor_ids": ["acct-1", "acct-2"]})
        batch.put(AUDIT_NAMES.name, {"name": "乙", "actor_ids": ["acct-1"]})
        batch.advance(3)


def test_a_name_finds_only_the_rows_recorded_under_it(world: World) -> None:
    renamed_actor(live(world.container, AuditLog))  # no event projected: the view is empty
    views = world.container.read_models

    def positions(actor: str) -> list[int]:
        return [r.position for r in views.audit_events(actor=actor).items]

    assert positions("甲") == [3, 1]
    assert positions("乙") == [2]
    assert positions("acct-1") == [2, 1]
    assert positions("acct-2") == [3]
    assert positions("丙") == []


SHAPE = (
    Table(name="view_shape_a", key="id", columns=("id", "n")),
    Table(name="view_shape_b", key="id", columns=("id", "n")),
)


@pytest.fixture(params=STORED)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> SideDatabase:
    return side_database(request.param, tmp_path, request)


def test_a_view_stored_without_a_table_it_now_has_starts_again_from_zero(
    db: SideDatabase,
) -> None:
    older = ViewStore(db, view="shape", tables=SHAPE[:1], application_name="Rectify")
    older.create_tables()
    with older.batch() as batch:
        batch.put("view_shape_a", {"id": "k1", "n": 1})
        batch.advance(9)

    upgraded = ViewStore(db, view="shape", tables=SHAPE, application_name="Rectify")
    upgraded.create_tables()

    assert upgraded.position() == 0
    assert fetch(db, "SELECT COUNT(*) FROM view_shape_a") == [(0,)]
    assert fetch(db, "SELECT COUNT(*) FROM view_shape_b") == [(0,)]
    upgraded.create_tables()
    with upgraded.batch() as batch:
        batch.put("view_shape_b", {"id": "k1", "n": 1})
        batch.advance(1)
    upgraded.create_tables()
    assert upgraded.position() == 1, "a view with all its tables is left as it is"
    db.close()
