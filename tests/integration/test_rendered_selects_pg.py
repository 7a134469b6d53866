"""Reading an aggregate's events through statements rendered once answers what the library's
own composed statements answer, for every shape of the query."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder

from infrastructure.recorders import ChainedPostgresApplicationRecorder
from tests.integration.test_chain_append_pg import TABLE, datastore_at

pytestmark = pytest.mark.postgres


@pytest.fixture
def recorder(pg_url: str) -> Iterator[ChainedPostgresApplicationRecorder]:
    datastore = datastore_at(pg_url, pool_size=2)
    built = ChainedPostgresApplicationRecorder(datastore, events_table_name=TABLE)
    built.create_table()
    yield built
    datastore.close()


def event(originator_id: UUID, version: int) -> StoredEvent:
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
    recorder.insert_events([event(mine, version) for version in range(1, 9)])
    recorder.insert_events([event(other, version) for version in range(1, 4)])

    def read(with_recorder: PostgresAggregateRecorder) -> list[StoredEvent]:
        return list(with_recorder.select_events(mine, gt=gt, lte=lte, desc=desc, limit=limit))

    library = PostgresAggregateRecorder(recorder.datastore, events_table_name=TABLE)
    answered = read(recorder)
    assert answered == read(library)
    versions = [e.originator_version for e in answered]
    expected = [v for v in range(1, 9) if (gt is None or v > gt) and (lte is None or v <= lte)]
    expected = sorted(expected, reverse=desc)[:limit]
    assert versions == expected
