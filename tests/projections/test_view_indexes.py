"""A view's secondary indexes: built once it has caught up, kept as the view declares them.

Tables are made with their primary keys only; the projection host builds every declared
index when a view reaches the head of the log (cheaper than keeping them up row by row
through a long catch-up), a rebuild before its swap, and an upgraded view trades the
indexes it no longer declares for the new ones.
"""

from __future__ import annotations

import threading

import pytest

from infrastructure.database import SideDatabase
from infrastructure.projection_rebuild import rebuild
from projections.audit_log import AUDIT_LOG
from projections.base import ViewContext
from projections.indexes import index_name, present_indexes
from projections.issue_ledger import ISSUES, IssueLedger
from projections.reading import fetch
from projections.registry import VIEWS
from projections.store import ViewStore
from projections.table import Table
from tests.builders import World
from tests.projections.support import live, pg_world, scripted_campaign, stored_world

__all__ = ["pg_world", "stored_world"]


def indexes_of(db: SideDatabase, physical: str) -> set[tuple[str, ...]]:
    with db.transaction() as cur:
        return set(present_indexes(cur, db.dialect, physical).values())


def declared_and_present(store: ViewStore) -> dict[str, tuple[set[tuple[str, ...]], ...]]:
    return {
        name: (set(table.indexes), indexes_of(store.db, store.physical(name)))
        for name, table in store.tables.items()
    }


def test_a_view_gets_its_indexes_when_it_reaches_the_head_not_before(
    stored_world: World,
) -> None:
    scripted_campaign(stored_world)
    host = stored_world.container.projections
    stores = [p.view for p in host.projections]
    assert all(present == set() for s in stores for _, present in declared_and_present(s).values())

    stop = threading.Event()
    host.batch_size = 1
    host.catch_up(on_batch=lambda position, head: stop.set(), stop=stop)  # one batch, then stop
    assert all(present == set() for s in stores for _, present in declared_and_present(s).values())

    host.catch_up()

    for store in stores:
        for name, (declared, present) in declared_and_present(store).items():
            assert present == declared, name
    assert any(declared for s in stores for declared, _ in declared_and_present(s).values())


@pytest.mark.postgres
def test_a_view_caught_up_from_scratch_is_analyzed_with_all_its_rows(pg_world: World) -> None:
    """Autovacuum may analyze a table part-way through a long catch-up; the host analyzes
    each table again when it builds its indexes, so the planner sees every row."""
    scripted_campaign(pg_world)
    host, db = pg_world.container.projections, pg_world.container.read_models.db
    stop = threading.Event()
    host.batch_size = 1
    host.catch_up(on_batch=lambda position, head: stop.set(), stop=stop)  # one batch, then stop
    db.execute(f"ANALYZE {AUDIT_LOG.name}")  # what autovacuum may do mid-load
    [(resumed,)] = fetch(db, "SELECT clock_timestamp()", ())

    host.catch_up()

    [(highest, analyzed_up_to)] = fetch(
        db,
        f"SELECT (SELECT max(position) FROM {AUDIT_LOG.name}), "
        "(SELECT max(p) FROM pg_stats, unnest(histogram_bounds::text::bigint[]) AS p "
        "WHERE tablename = %s AND attname = 'position')",
        (AUDIT_LOG.name,),
    )
    assert analyzed_up_to == highest  # every row sampled: the table is small
    indexed = [
        store.physical(name)
        for store in (p.view for p in host.projections)
        for name, table in store.tables.items()
        if table.indexes
    ]
    last_analyzed = dict(
        fetch(
            db,
            "SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            (indexed,),
        )
    )
    assert sorted(last_analyzed) == sorted(indexed)
    assert all(when is not None and when > resumed for when in last_analyzed.values())


def test_a_rebuilt_view_is_swapped_in_with_its_indexes_and_none_twice(
    stored_world: World,
) -> None:
    scripted_campaign(stored_world)
    built = stored_world.container
    built.projections.catch_up()
    ledger = live(built, IssueLedger)

    rebuild(built.projections.log, built.db, IssueLedger, context=ViewContext(built.campaign))
    ledger.ensure_indexes()  # as a host that reaches the head again does

    with built.db.transaction() as cur:
        present = present_indexes(cur, built.db.dialect, ISSUES.name)
    assert sorted(present.values()) == sorted(ISSUES.indexes)
    assert all("__rb" in name for name in present), "the rebuilt tables' own indexes"


SHAPE_V1 = Table(name="view_shape", key="id", columns=("id", "a", "b"), indexes=(("a",),))
SHAPE_V2 = Table(name="view_shape", key="id", columns=("id", "a", "b"), indexes=(("b", "a"),))


@pytest.fixture
def db(stored_world: World) -> SideDatabase:
    return stored_world.container.db


def test_an_upgraded_view_drops_the_indexes_it_no_longer_declares(db: SideDatabase) -> None:
    older = ViewStore(db, view="shape", tables=(SHAPE_V1,), application_name="Rectify")
    older.create_tables()
    with older.batch() as batch:
        batch.put("view_shape", {"id": "k1", "a": "x", "b": "y"})
        batch.advance(1)
    older.ensure_indexes()
    assert indexes_of(db, "view_shape") == {("a",)}

    upgraded = ViewStore(db, view="shape", tables=(SHAPE_V2,), application_name="Rectify")
    upgraded.create_tables()
    upgraded.ensure_indexes()

    assert indexes_of(db, "view_shape") == {("b", "a")}
    assert upgraded.position() == 1, "an index is not a reason to rebuild the rows"


def test_every_index_name_fits_postgres_even_on_a_rebuild() -> None:
    for view in VIEWS:
        store = view.store(None, application_name="Rectify", suffix="__rb0123abcd")
        for name, table in store.tables.items():
            for columns in table.indexes:
                assert len(index_name(store.physical(name), columns)) <= 63
