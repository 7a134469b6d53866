"""The PostgreSQL append in one round trip: links hashed by the database, statements prepared.

The links the database computes in the insert's own statement are the ones
``infrastructure.chain.extend`` computes in Python (the verifier's formula), for one event,
for a batch, and after gaps left by refused appends; the statements are rendered once and
prepared on the pooled connection.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresDatastore

from infrastructure.chain import extend, link_rows
from infrastructure.chain_append import advisory_key
from infrastructure.chain_verify import verify_chain_at
from infrastructure.database import DatabaseUrl
from infrastructure.recorders import INSERT_SLICE, ChainedPostgresApplicationRecorder

pytestmark = pytest.mark.postgres

TABLE = "stored_events"


def datastore_at(url: str, *, pool_size: int, lock_timeout: int = 30) -> PostgresDatastore:
    parsed = DatabaseUrl.parse(url)
    return PostgresDatastore(
        dbname=parsed.dbname,
        host=parsed.host,
        port=parsed.port,
        user=parsed.user,
        password=parsed.password,
        pool_size=pool_size,
        lock_timeout=lock_timeout,
    )


@pytest.fixture
def recorder(pg_url: str) -> Iterator[ChainedPostgresApplicationRecorder]:
    datastore = datastore_at(pg_url, pool_size=1)
    built = ChainedPostgresApplicationRecorder(datastore, events_table_name=TABLE)
    built.create_table()
    yield built
    datastore.close()


def event(
    version: int = 1, *, state: bytes = b'{"note": "\xe6\x95\xb4\xe6\x94\xb9"}'
) -> StoredEvent:
    return StoredEvent(
        originator_id=uuid4(), originator_version=version, topic="tests:Noted", state=state
    )


def stored_rows(recorder: ChainedPostgresApplicationRecorder) -> list[tuple[int, StoredEvent]]:
    return [(n.id, n) for n in recorder.select_notifications(start=None, limit=10_000)]


def links(recorder: ChainedPostgresApplicationRecorder) -> list[tuple[int, int | None, bytes]]:
    with recorder.datastore.get_connection() as conn:
        rows = conn.execute(
            f"SELECT position, previous, hash FROM {TABLE}_chain ORDER BY position"
        ).fetchall()
    return [(row["position"], row["previous"], bytes(row["hash"])) for row in rows]


def test_links_hashed_by_the_database_match_the_python_formula(
    recorder: ChainedPostgresApplicationRecorder, pg_url: str
) -> None:
    recorder.insert_events([event()])
    recorder.insert_events([event(state=b"")])
    recorder.insert_events([event(version=n) for n in range(1, 301)])

    assert links(recorder) == link_rows(extend(None, stored_rows(recorder)))
    assert verify_chain_at(pg_url, events_table=TABLE).ok


def test_a_refused_append_leaves_a_gap_the_next_link_steps_over(
    recorder: ChainedPostgresApplicationRecorder, pg_url: str
) -> None:
    first = event()
    recorder.insert_events([first])
    with pytest.raises(IntegrityError):
        recorder.insert_events([event(), first])
    recorder.insert_events([event()])

    positions = [position for position, _ in stored_rows(recorder)]
    assert len(positions) == 2
    assert positions[1] > positions[0] + 1  # the refused append used sequence values
    assert links(recorder) == link_rows(extend(None, stored_rows(recorder)))
    assert verify_chain_at(pg_url, events_table=TABLE).ok


def test_a_clash_in_a_later_slice_refuses_the_whole_append(
    recorder: ChainedPostgresApplicationRecorder, pg_url: str
) -> None:
    taken = event()
    recorder.insert_events([taken])
    long_append = [event() for _ in range(INSERT_SLICE + 40)] + [taken]

    with pytest.raises(IntegrityError):
        recorder.insert_events(long_append)

    assert [stored.originator_id for _, stored in stored_rows(recorder)] == [taken.originator_id]
    recorder.insert_events([event()])
    assert len(stored_rows(recorder)) == 2
    assert verify_chain_at(pg_url, events_table=TABLE).ok


def test_the_ids_answered_are_those_stored_in_the_order_given(
    recorder: ChainedPostgresApplicationRecorder,
) -> None:
    events = [event(version=n) for n in range(1, 451)]  # three insert slices

    ids = recorder.insert_events(events)

    stored = {(n.originator_id, n.originator_version): n.id for _, n in stored_rows(recorder)}
    assert ids == [stored[(e.originator_id, e.originator_version)] for e in events]
    assert ids == sorted(ids)


def test_the_append_statements_are_prepared_on_the_pooled_connection(
    recorder: ChainedPostgresApplicationRecorder,
) -> None:
    recorder.insert_events([event()])
    recorder.insert_events([event()])

    with recorder.datastore.get_connection() as conn:  # the pool's only connection
        prepared = {
            row["statement"]
            for row in conn.execute("SELECT statement FROM pg_prepared_statements").fetchall()
        }
    statements = recorder.append_statements
    assert any("pg_advisory_xact_lock" in text for text in prepared)
    assert any(text.startswith("WITH RECURSIVE new AS") for text in prepared)
    assert statements.insert.startswith("WITH RECURSIVE new AS")


def test_an_append_waits_for_the_lock_no_longer_than_the_lock_timeout(pg_url: str) -> None:
    datastore = datastore_at(pg_url, pool_size=1, lock_timeout=1)
    recorder = ChainedPostgresApplicationRecorder(datastore, events_table_name=TABLE)
    recorder.create_table()
    try:
        with psycopg.connect(DatabaseUrl.parse(pg_url).conninfo()) as holder:
            holder.execute("SELECT pg_advisory_xact_lock(%s)", (advisory_key("public", TABLE),))
            with pytest.raises(OperationalError, match="lock timeout"):
                recorder._append([event()])  # the retrying insert_events would wait again
        with datastore.get_connection() as conn:  # SET LOCAL: gone with the transaction
            row = conn.execute("SELECT current_setting('lock_timeout') AS value").fetchone()
        assert row is not None
        assert row["value"] == "0"
        assert recorder.insert_events([event()])
    finally:
        datastore.close()


def test_an_append_on_a_connection_the_server_dropped_is_retried_on_a_new_one(
    recorder: ChainedPostgresApplicationRecorder, pg_url: str
) -> None:
    recorder.insert_events([event()])
    with recorder.datastore.get_connection() as conn:  # the pool's only connection
        pid = conn.execute("SELECT pg_backend_pid() AS pid").fetchone()
    assert pid is not None
    with psycopg.connect(DatabaseUrl.parse(pg_url).conninfo(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid["pid"],))

    ids = recorder.insert_events([event()])

    assert ids is not None
    assert [position for position, _ in stored_rows(recorder)][-1] == ids[0]
    assert verify_chain_at(pg_url, events_table=TABLE).ok


# Reads through statements rendered once answer what the library's composed ones answer.


def noted(originator_id: UUID, version: int) -> StoredEvent:
    return StoredEvent(
        originator_id=originator_id, originator_version=version, topic="tests:Noted", state=b"{}"
    )


SHAPES = list(itertools.product([None, 2], [None, 6], [False, True], [None, 3]))


@pytest.mark.parametrize(("gt", "lte", "desc", "limit"), SHAPES)
def test_every_query_shape_reads_what_the_library_reads(
    recorder: ChainedPostgresApplicationRecorder,
    gt: int | None,
    lte: int | None,
    desc: bool,
    limit: int | None,
) -> None:
    mine, other = uuid4(), uuid4()
    recorder.insert_events([noted(mine, version) for version in range(1, 9)])
    recorder.insert_events([noted(other, version) for version in range(1, 4)])

    def read(with_recorder: PostgresAggregateRecorder) -> list[StoredEvent]:
        return list(with_recorder.select_events(mine, gt=gt, lte=lte, desc=desc, limit=limit))

    library = PostgresAggregateRecorder(recorder.datastore, events_table_name=TABLE)
    answered = read(recorder)
    assert answered == read(library)
    versions = [e.originator_version for e in answered]
    expected = [v for v in range(1, 9) if (gt is None or v > gt) and (lte is None or v <= lte)]
    expected = sorted(expected, reverse=desc)[:limit]
    assert versions == expected
