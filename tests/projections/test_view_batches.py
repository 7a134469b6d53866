"""A view's batches: each reads its rows afresh in its own transaction.

On SQLite and PostgreSQL: a batch sees what another writer committed since this store's
last batch, a failed batch leaves nothing behind, in the database or in memory, and the
same host goes on correctly after a failure. (A cache of rows kept between batches saved
loads at 100k events but cost CPU per event at 1M, 163 against 121-132 us even with the
heap settled, so it was removed: docs/performance.md section 2.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from infrastructure.database import SideDatabase
from projections.reading import fetch
from projections.registry import VIEWS
from projections.store import COPY_FROM, TRACKING_TABLE, ViewStore, lock_positions
from projections.table import Table
from tests.builders import World
from tests.integration.test_projection_exactly_once import Crash, crash_before_commit
from tests.projections.support import (
    STORED,
    dump,
    fresh_views,
    live,
    rebuilt,
    scripted_campaign,
    side_database,
)
from tests.projections.support import stored_world as stored_world

NOTES = Table(
    name="view_batch_notes",
    key="id",
    columns=("id", "text", "tags"),
    json=frozenset({"tags"}),
    defaults={"tags": []},
)


@pytest.fixture(params=STORED)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SideDatabase]:
    side = side_database(request.param, tmp_path, request)
    yield side
    side.close()


def notes(db: SideDatabase) -> ViewStore:
    store = ViewStore(db, view="batch_notes", tables=(NOTES,), application_name="Rectify")
    store.create_tables()
    return store


def write(store: ViewStore, text: str, *, position: int) -> None:
    with store.batch() as batch:
        row = batch.get(NOTES.name, "k1") or NOTES.blank(id="k1")
        row.update(text=text, tags=[*row["tags"], text])
        batch.put(NOTES.name, row)
        batch.advance(position)


def text_of(store: ViewStore) -> tuple[str, list[str]]:
    with store.batch() as batch:
        row = batch.get(NOTES.name, "k1")
    assert row is not None
    return row["text"], row["tags"]


def test_a_store_reads_what_another_writer_committed_since_its_last_batch(
    db: SideDatabase,
) -> None:
    first, second = notes(db), notes(db)
    write(first, "初稿", position=1)

    write(second, "定稿", position=2)

    assert text_of(first) == ("定稿", ["初稿", "定稿"])
    write(first, "终稿", position=3)
    assert text_of(notes(db)) == ("终稿", ["初稿", "定稿", "终稿"])


def dies_after_changing_the_row(store: ViewStore) -> None:
    with store.batch() as batch:
        row = batch.get(NOTES.name, "k1")
        assert row is not None
        row.update(text="半途", tags=["半途"])
        batch.put(NOTES.name, row)
        batch.advance(2)
        raise RuntimeError("the process dies before the commit")


def test_a_batch_that_fails_leaves_no_changed_row_in_memory(db: SideDatabase) -> None:
    store = notes(db)
    write(store, "初稿", position=1)

    with pytest.raises(RuntimeError):
        dies_after_changing_the_row(store)

    assert text_of(store) == ("初稿", ["初稿"])
    assert store.position() == 1


@pytest.fixture
def pg_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SideDatabase]:
    side = side_database("postgres", tmp_path, request)
    yield side
    side.close()


@pytest.mark.postgres
def test_postgres_refuses_keys_holding_a_line_break(pg_db: SideDatabase) -> None:
    """PostgreSQL loads a chunk of keys as one text split at line breaks."""
    store = notes(pg_db)
    with pytest.raises(ValueError, match="line break"), store.batch() as batch:
        batch.prefetch([(NOTES.name, "k1\nk2"), (NOTES.name, "k3")])


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_the_same_host_goes_on_correctly_after_a_failed_batch(
    stored_world: World, monkeypatch: pytest.MonkeyPatch, view: type
) -> None:
    host = stored_world.container.projections
    fresh_views(stored_world)
    scripted_campaign(stored_world)

    with crash_before_commit(monkeypatch, view.name), pytest.raises(Crash):
        host.catch_up()
    host.catch_up()

    assert host.positions() == {v.name: host.log.head() for v in VIEWS}
    assert dump(live(stored_world.container, view)) == dump(rebuilt(stored_world.container, view))


@pytest.mark.parametrize("rows", [3, 500], ids=["small batch", "large batch"])
def test_rows_known_absent_are_inserted_beside_rows_updated(db: SideDatabase, rows: int) -> None:
    """Rows a batch found absent go in by plain INSERT or COPY; the others by upsert."""
    store = notes(db)
    with store.batch() as batch:
        batch.prefetch((NOTES.name, f"k{n:04d}") for n in range(rows))
        for n in range(rows):
            assert batch.get(NOTES.name, f"k{n:04d}") is None
            batch.put(NOTES.name, NOTES.blank(id=f"k{n:04d}", text="初稿", tags=["初稿"]))
        batch.advance(1)

    with store.batch() as batch:
        for n in range(rows * 2):
            row = batch.get(NOTES.name, f"k{n:04d}") or NOTES.blank(id=f"k{n:04d}")
            row.update(text="定稿", tags=[*row["tags"], "定稿"])
            batch.put(NOTES.name, row)
        batch.advance(2)

    found = fetch(db, f"SELECT id, text, tags FROM {NOTES.name} ORDER BY id")
    assert len(found) == rows * 2
    assert found[0] == ("k0000", "定稿", '["初稿", "定稿"]')
    assert found[-1] == (f"k{rows * 2 - 1:04d}", "定稿", '["定稿"]')


def test_the_positions_of_several_views_come_from_one_read_and_a_missing_view_is_named(
    db: SideDatabase,
) -> None:
    first = notes(db)
    second = ViewStore(
        db, view="batch_notes", tables=(NOTES,), application_name="Rectify", suffix="_next"
    )
    second.create_tables()
    write(first, "初稿", position=4)

    with db.transaction() as cur:
        found = lock_positions(cur, db, ["batch_notes_next", "batch_notes"])
    with (
        pytest.raises(LookupError, match="view batch_notes_gone has no tables"),
        db.transaction() as cur,
    ):
        lock_positions(cur, db, ["batch_notes", "batch_notes_gone"])

    assert found == {"batch_notes": 4, "batch_notes_next": 0}


@pytest.mark.postgres
def test_postgres_keeps_the_positions_read_for_a_batch_locked_until_it_ends(
    pg_db: SideDatabase,
) -> None:
    """Another host cannot apply the same events meanwhile: it waits for the commit."""
    store = notes(pg_db)
    with pg_db.transaction() as cur:
        locked = lock_positions(cur, pg_db, [store.view])
        with store.batch(cur, position=locked[store.view]) as batch:
            batch.put(NOTES.name, NOTES.blank(id="k1", text="初稿", tags=["初稿"]))
            batch.advance(1)
        with (
            psycopg.connect(pg_db.url.conninfo()) as other,
            pytest.raises(psycopg.errors.LockNotAvailable),
        ):
            other.execute(
                f"SELECT position FROM {TRACKING_TABLE} WHERE view = %s FOR UPDATE NOWAIT",
                (store.view,),
            )
    assert store.position() == 1


@pytest.mark.postgres
def test_postgres_plans_each_load_of_rows_afresh(pg_db: SideDatabase) -> None:
    """A load is never a prepared statement, whose plan PostgreSQL would keep from when the
    table was small; the batch's inserts are (psycopg prepares what it runs repeatedly)."""
    store = notes(pg_db)
    for n in range(30):  # five times and more on each of the pool's connections
        with store.batch() as batch:
            batch.prefetch([(NOTES.name, f"k{n}"), (NOTES.name, f"k{n + 1}")])
            batch.put(NOTES.name, NOTES.blank(id=f"k{n}", text="稿", tags=[]))
            batch.advance(n + 1)

    with store.batch() as batch:
        batch.cur.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [str(row[0]) for row in batch.cur.fetchall()]

    assert any(statement.startswith("INSERT") for statement in prepared)  # they are seen
    assert not any(NOTES.name in statement and "SELECT" in statement for statement in prepared)


@pytest.mark.parametrize("known_absent", [True, False], ids=["new rows", "upserted rows"])
@pytest.mark.postgres
def test_postgres_writes_many_rows_of_a_batch_run_in_a_pipeline(
    pg_db: SideDatabase, known_absent: bool
) -> None:
    """COPY cannot run in a pipeline: a batch there writes even many rows without it (one
    event may make several rows, as a rectification citing several files does)."""
    store = notes(pg_db)
    keys = [f"k{n:04d}" for n in range(COPY_FROM * 2)]
    with pg_db.transaction() as cur, pg_db.pipeline(cur), store.batch(cur) as batch:
        if known_absent:
            batch.prefetch((NOTES.name, key) for key in keys)
        for key in keys:
            batch.put(NOTES.name, NOTES.blank(id=key, text="稿", tags=["稿"]))
        batch.advance(1)

    assert fetch(pg_db, f"SELECT count(*) FROM {NOTES.name}") == [(len(keys),)]
    assert store.position() == 1
