"""Group commit on PostgreSQL: many threads appending at once, to distinct and shared aggregates.

Every acknowledged append is stored exactly once, with the ids it was answered, visible to
another connection as soon as it is answered (nothing is acknowledged before its commit);
for each contested aggregate version one append wins and every other gets IntegrityError;
the chain over it all verifies. A group holding a clash falls back to one transaction per
append, so only the clashing append is refused.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, StoredEvent

from infrastructure.chain_verify import verify_chain_at
from infrastructure.container import build_container
from infrastructure.database import DatabaseUrl
from infrastructure.recorders import ChainedPostgresApplicationRecorder
from infrastructure.settings import SettingsError, load_settings
from tests.integration.test_chain_append_pg import TABLE, datastore_at

pytestmark = pytest.mark.postgres

THREADS = 16
APPENDS = 40
SHARED = [uuid4() for _ in range(3)]


@pytest.fixture
def recorder(pg_url: str) -> Iterator[ChainedPostgresApplicationRecorder]:
    datastore = datastore_at(pg_url, pool_size=THREADS)
    built = ChainedPostgresApplicationRecorder(datastore, events_table_name=TABLE)
    built.create_table()
    yield built
    datastore.close()


def noted(originator_id: UUID, version: int, n: int = 0) -> StoredEvent:
    return StoredEvent(
        originator_id=originator_id,
        originator_version=version,
        topic="tests:Noted",
        state=f'{{"n": {n}}}'.encode(),
    )


class Outcomes:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acknowledged: dict[tuple[UUID, int], int] = {}
        self.refused: list[tuple[UUID, int]] = []
        self.unexpected: list[BaseException] = []
        self.unseen: list[int] = []


def append_and_check(
    recorder: ChainedPostgresApplicationRecorder,
    reader: psycopg.Connection[tuple[object, ...]],
    events: list[StoredEvent],
    outcomes: Outcomes,
) -> None:
    try:
        ids = recorder.insert_events(events)
    except IntegrityError:
        with outcomes.lock:
            outcomes.refused.extend((e.originator_id, e.originator_version) for e in events)
        return
    assert ids is not None
    found = reader.execute(
        f"SELECT count(*) FROM {TABLE} WHERE notification_id = ANY(%s)", (list(ids),)
    ).fetchone()
    with outcomes.lock:
        if found is None or found[0] != len(ids):
            outcomes.unseen.extend(ids)
        for stored, notification_id in zip(events, ids, strict=True):
            key = (stored.originator_id, stored.originator_version)
            assert key not in outcomes.acknowledged
            outcomes.acknowledged[key] = notification_id


def hammer(recorder: ChainedPostgresApplicationRecorder, url: str) -> Outcomes:
    """Each thread appends to aggregates of its own (one or two events at a time) and, every
    fourth append, to the next version of a shared aggregate, contested by the others."""
    outcomes = Outcomes()
    start = threading.Barrier(THREADS)

    def run(thread: int) -> None:
        with psycopg.connect(DatabaseUrl.parse(url).conninfo(), autocommit=True) as reader:
            start.wait()
            for n in range(APPENDS):
                try:
                    if n % 4 == 3:
                        shared = SHARED[n % len(SHARED)]
                        events = [noted(shared, n // 4 + 1, thread)]
                    else:
                        own = uuid4()
                        events = [noted(own, v, thread) for v in range(1, 2 + n % 2)]
                    append_and_check(recorder, reader, events, outcomes)
                except BaseException as error:  # collected and checked by the test
                    outcomes.unexpected.append(error)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def stored(recorder: ChainedPostgresApplicationRecorder) -> dict[tuple[UUID, int], int]:
    with recorder.datastore.get_connection() as conn:
        rows = conn.execute(
            f"SELECT originator_id, originator_version, notification_id FROM {TABLE}"
        ).fetchall()
    return {(r["originator_id"], r["originator_version"]): r["notification_id"] for r in rows}


def test_concurrent_appends_are_each_stored_once_with_the_ids_answered(
    recorder: ChainedPostgresApplicationRecorder, pg_url: str
) -> None:
    outcomes = hammer(recorder, pg_url)

    assert outcomes.unexpected == []
    assert outcomes.unseen == []
    assert stored(recorder) == outcomes.acknowledged
    assert verify_chain_at(pg_url, events_table=TABLE).ok


def test_each_contested_version_has_one_winner_and_the_others_are_refused(
    recorder: ChainedPostgresApplicationRecorder, pg_url: str
) -> None:
    outcomes = hammer(recorder, pg_url)

    contested = APPENDS // 4
    shared_won = [key for key in outcomes.acknowledged if key[0] in SHARED]
    assert len(shared_won) == contested  # one winner per (shared aggregate, version)
    assert len(outcomes.refused) == contested * (THREADS - 1)
    assert set(outcomes.refused) == set(shared_won)


def test_a_group_with_a_clash_refuses_only_the_clashing_append(
    recorder: ChainedPostgresApplicationRecorder, pg_url: str
) -> None:
    taken = noted(uuid4(), 1)
    recorder.insert_events([taken])
    before, clash, after = [noted(uuid4(), 1)], [noted(uuid4(), 1), taken], [noted(uuid4(), 1)]

    outcomes = recorder._write_groups([before, clash, after])

    assert isinstance(outcomes[1], IntegrityError)
    first, last = outcomes[0], outcomes[2]
    assert not isinstance(first, BaseException)
    assert not isinstance(last, BaseException)
    assert first[0] < last[0]  # written one by one, in the order queued
    assert set(stored(recorder).values()) == {*first, *last, *recorder_ids(recorder, taken)}
    assert verify_chain_at(pg_url, events_table=TABLE).ok


def test_a_group_without_a_clash_is_written_in_one_transaction(
    recorder: ChainedPostgresApplicationRecorder,
) -> None:
    groups = [[noted(uuid4(), 1)], [noted(uuid4(), 1), noted(uuid4(), 1)], [noted(uuid4(), 1)]]

    outcomes = recorder._write_groups(groups)

    ids = [i for outcome in outcomes if not isinstance(outcome, BaseException) for i in outcome]
    assert [len(o) for o in outcomes if not isinstance(o, BaseException)] == [1, 2, 1]
    assert ids == sorted(ids)
    with recorder.datastore.get_connection() as conn:
        row = conn.execute(
            f"SELECT count(DISTINCT xmin::text) AS n FROM {TABLE} WHERE notification_id = ANY(%s)",
            (ids,),
        ).fetchone()
    assert row is not None
    assert row["n"] == 1


def recorder_ids(recorder: ChainedPostgresApplicationRecorder, event: StoredEvent) -> list[int]:
    return [stored(recorder)[(event.originator_id, event.originator_version)]]


@pytest.mark.parametrize(("setting", "expected"), [(None, 1000), ("0", None), ("50", 50)])
def test_the_factory_sets_group_commit_from_the_environment(
    pg_url: str, setting: str | None, expected: int | None
) -> None:
    url = DatabaseUrl.parse(pg_url)
    env = {
        "PERSISTENCE_MODULE": "infrastructure.recorders:ChainedPostgresFactory",
        "POSTGRES_DBNAME": url.dbname,
        "POSTGRES_HOST": url.host,
        "POSTGRES_PORT": str(url.port),
        "POSTGRES_USER": url.user,
        "POSTGRES_PASSWORD": url.password,
    }
    if setting is not None:
        env["GROUP_COMMIT_MAX_EVENTS"] = setting
    app = Application[UUID](env=env)
    try:
        recorder = app.recorder
        assert isinstance(recorder, ChainedPostgresApplicationRecorder)
        grouping = recorder.group_commit
        assert (grouping.max_events if grouping is not None else None) == expected
    finally:
        app.close()


@pytest.mark.parametrize(("setting", "expected"), [(1000, 1000), (0, None), (25, 25)])
def test_the_service_setting_reaches_the_recorder(
    pg_url: str, setting: int, expected: int | None
) -> None:
    settings = load_settings(database_url=pg_url, group_commit_max_events=setting)
    container = build_container(settings)
    try:
        recorder = container.app.recorder
        assert isinstance(recorder, ChainedPostgresApplicationRecorder)
        grouping = recorder.group_commit
        assert (grouping.max_events if grouping is not None else None) == expected
    finally:
        container.close()


def test_a_negative_setting_is_refused_naming_the_variable() -> None:
    with pytest.raises(SettingsError, match="RECTIFY_GROUP_COMMIT_MAX_EVENTS"):
        load_settings(group_commit_max_events=-1)
