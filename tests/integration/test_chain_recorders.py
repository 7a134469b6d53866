"""The library's own recorder test cases, run against the chained recorders.

They show the chain changed none of the recorder's guarantees (ids, selection, concurrent
appends, non-interleaving); after each case the chain over what they wrote still verifies.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    NonInterleavingNotificationIDsBaseCase,
)

from infrastructure.chain_verify import verify_chain_at
from infrastructure.database import DatabaseUrl
from infrastructure.recorders import (
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
    ExistingTablesPostgresAggregateRecorder,
)

pytestmark = pytest.mark.postgres


class PostgresCase:
    url: str
    datastores: list[PostgresDatastore]

    @pytest.fixture(autouse=True)
    def _fresh_database(self, pg_url: str) -> None:
        self.url = pg_url
        self.datastores = []

    def datastore(self) -> PostgresDatastore:
        url = DatabaseUrl.parse(self.url)
        datastore = PostgresDatastore(
            dbname=url.dbname,
            host=url.host,
            port=url.port,
            user=url.user,
            password=url.password,
            pool_size=12,
            max_overflow=4,
            lock_timeout=30,
        )
        self.datastores.append(datastore)
        return datastore

    def chained(self) -> ChainedPostgresApplicationRecorder:
        recorder = ChainedPostgresApplicationRecorder(
            self.datastore(), events_table_name="stored_events"
        )
        recorder.create_table()
        return recorder

    def tearDown(self) -> None:
        for datastore in self.datastores:
            datastore.close()
        result = verify_chain_at(self.url, events_table="stored_events")
        assert result.ok, result.summary()


class SQLiteCase:
    path: Path

    @pytest.fixture(autouse=True)
    def _fresh_file(self, tmp_path: Path) -> None:
        self.path = tmp_path / "recorder.sqlite3"

    def chained(self) -> ChainedSQLiteApplicationRecorder:
        recorder = ChainedSQLiteApplicationRecorder(SQLiteDatastore(db_name=str(self.path)))
        recorder.create_table()
        return recorder

    def tearDown(self) -> None:
        if self.path.exists():
            result = verify_chain_at(f"sqlite:///{self.path}", events_table="stored_events")
            assert result.ok, result.summary()


class TestChainedPostgresApplicationRecorder(
    PostgresCase, ApplicationRecorderTestCase[ChainedPostgresApplicationRecorder]
):
    def create_recorder(self) -> ChainedPostgresApplicationRecorder:
        return self.chained()


class TestChainedPostgresNonInterleaving(PostgresCase, NonInterleavingNotificationIDsBaseCase):
    def create_recorder(self) -> ChainedPostgresApplicationRecorder:
        return self.chained()


class TestPostgresSnapshotRecorder(PostgresCase, AggregateRecorderTestCase):
    def create_recorder(self) -> ExistingTablesPostgresAggregateRecorder:
        recorder = ExistingTablesPostgresAggregateRecorder(
            self.datastore(), events_table_name="stored_snapshots"
        )
        recorder.create_table()
        return recorder

    def tearDown(self) -> None:
        for datastore in self.datastores:
            datastore.close()


class TestChainedSQLiteApplicationRecorder(
    SQLiteCase, ApplicationRecorderTestCase[ChainedSQLiteApplicationRecorder]
):
    def create_recorder(self) -> ChainedSQLiteApplicationRecorder:
        return self.chained()


class TestChainedSQLiteNonInterleaving(SQLiteCase, NonInterleavingNotificationIDsBaseCase):
    def create_recorder(self) -> ChainedSQLiteApplicationRecorder:
        return self.chained()
