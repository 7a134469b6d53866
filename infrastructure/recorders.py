"""Recorders that write a hash-chain link in the same transaction as each event.

Chosen through the eventsourcing environment (``PERSISTENCE_MODULE`` names one of the
factories below, see ``infrastructure.database.eventsourcing_env``).

PostgreSQL: the library locks the events table ``IN EXCLUSIVE MODE`` before inserting, which
PostgreSQL allows only to roles with UPDATE, DELETE or TRUNCATE on the table. The service
role has only SELECT and INSERT, so writers serialise on a transaction-scoped advisory lock
instead: taken before the insert, held to commit, it gives the same guarantee (commit order
equals notification order) and makes the chain's previous hash safe to read. Tables that
already exist are not created again, so a service role without DDL rights can start.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
)
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed, Identifier

from infrastructure.chain import chain_table_name, extend, link_rows
from infrastructure.chain_append import append_statements
from infrastructure.group_commit import GroupCommit, Outcome


def postgres_append_only_statements(schema: str, table: str) -> list[Composed]:
    """A statement trigger refusing UPDATE, DELETE and TRUNCATE, firing ALWAYS (even when
    session_replication_role is 'replica')."""
    function = Identifier(schema, f"{table}_append_only")
    trigger = Identifier(f"{table}_append_only")
    target = Identifier(schema, table)
    return [
        SQL(
            "CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% on % refused: the audit trail is append-only', "
            "TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$"
        ).format(function=function),
        SQL(
            "CREATE OR REPLACE TRIGGER {trigger} BEFORE UPDATE OR DELETE OR TRUNCATE ON {target} "
            "FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        ).format(trigger=trigger, target=target, function=function),
        SQL("ALTER TABLE {target} ENABLE ALWAYS TRIGGER {trigger}").format(
            target=target, trigger=trigger
        ),
    ]


def _tables_exist(datastore: PostgresDatastore, *tables: str) -> bool:
    names = [f"{datastore.schema}.{table}" for table in tables]
    query = "SELECT " + " AND ".join(["to_regclass(%s) IS NOT NULL"] * len(names)) + " AS found"
    with datastore.transaction(commit=False) as curs:
        row = curs.execute(query, names).fetchone()
    return bool(row and row["found"])


class RenderedSelects(PostgresAggregateRecorder):
    """``select_events`` with its statement rendered once per shape: the library composes
    it from ``psycopg.sql`` parts on every call (every read of an aggregate)."""

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        statement = self._select_statement(gt is not None, lte is not None, desc, limit is not None)
        params = [originator_id, *(value for value in (gt, lte, limit) if value is not None)]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params, prepare=True)
            return [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def _select_statement(self, gt: bool, lte: bool, desc: bool, limit: bool) -> str:
        rendered: dict[tuple[bool, ...], str] = self.__dict__.setdefault("_rendered_selects", {})
        shape = (gt, lte, desc, limit)
        if shape not in rendered:
            rendered[shape] = self._render_select(*shape)
        return rendered[shape]

    def _render_select(self, gt: bool, lte: bool, desc: bool, limit: bool) -> str:
        statement = self.select_events_statement
        if gt:
            statement += SQL(" AND originator_version > %s")
        if lte:
            statement += SQL(" AND originator_version <= %s")
        statement += SQL(" ORDER BY originator_version") + SQL(" DESC" if desc else " ASC")
        if limit:
            statement += SQL(" LIMIT %s")
        return statement.as_string(None)


class ChainedPostgresApplicationRecorder(RenderedSelects, PostgresApplicationRecorder):
    """Appends in one round trip: BEGIN, the advisory lock (with NOTIFY), one statement that
    inserts the events and their links (hashed by PostgreSQL over the canonical records,
    after the chain's head read under the lock), COMMIT, all sent in one pipeline. The lock is
    held for the server's work only, never across a round trip to the client. Concurrent
    appends from one process share a transaction (``infrastructure.group_commit``)."""

    group_commit_max_events = 1000  # 0: every append in its own transaction

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        if self.datastore.originator_id_type != "uuid":
            raise ValueError("the hash chain's records are built for UUID originator ids")
        schema = self.datastore.schema
        self.chain_table_name = chain_table_name(events_table_name)
        self.check_identifier_length(self.chain_table_name)
        chain = Identifier(schema, self.chain_table_name)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {chain} ("
                "position bigint PRIMARY KEY, previous bigint, hash bytea NOT NULL)"
            ).format(chain=chain)
        )
        for table in (events_table_name, self.chain_table_name):
            self.sql_create_statements.extend(postgres_append_only_statements(schema, table))
        self.append_statements = append_statements(
            schema=schema,
            events_table=events_table_name,
            channel=self.channel_name,
            lock_timeout=self.datastore.lock_timeout,
        )
        self.group_commit: GroupCommit | None = None
        self.set_group_commit(self.group_commit_max_events)

    def set_group_commit(self, max_events: int) -> None:
        """Group concurrent appends up to ``max_events`` per transaction; 0 turns it off."""
        self.group_commit = (
            GroupCommit(self._write_groups, max_events=max_events) if max_events > 0 else None
        )

    def create_table(self) -> None:
        if _tables_exist(self.datastore, self.events_table_name, self.chain_table_name):
            self.datastore.register_type_adapters()
            return
        super().create_table()

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return None
        if self.group_commit is None:
            return self._append(stored_events)
        return self.group_commit.append(stored_events)

    def _write_groups(self, groups: list[Sequence[StoredEvent]]) -> list[Outcome]:
        """One transaction for the whole group; on a version clash, each append in its own
        transaction, so only the appends that really clash are refused."""
        try:
            ids = self._append([event for events in groups for event in events])
        except IntegrityError as clash:
            if len(groups) == 1:
                return [clash]
            return [self._append_or_error(events) for events in groups]
        outcomes: list[Outcome] = []
        start = 0
        for events in groups:
            outcomes.append(ids[start : start + len(events)])
            start += len(events)
        return outcomes

    def _append_or_error(self, stored_events: Sequence[StoredEvent]) -> Outcome:
        try:
            return self._append(stored_events)
        except Exception as error:  # this caller's own answer
            return error

    def _append(self, stored_events: Sequence[StoredEvent]) -> list[int]:
        """One transaction, one round trip. A long append is inserted in slices of
        ``INSERT_SLICE`` events, one statement each (each hashes on from the links the one
        before inserted): the database's chain loop slows down on long arrays."""
        statements = self.append_statements
        error: Exception | None = None
        with self.datastore.get_connection() as conn:
            with conn.pipeline() as pipeline:
                conn.execute(statements.begin)
                conn.execute(statements.lock_timeout, prepare=True)
                conn.execute(statements.lock, prepare=True)
                inserts = [
                    conn.execute(statements.insert, _columns(stored_events[i:j]), prepare=True)
                    for i, j in _slices(len(stored_events), INSERT_SLICE)
                ]
                conn.execute(statements.commit)
                try:
                    pipeline.sync()
                    ids = [row["notification_id"] for cur in inserts for row in cur.fetchall()]
                except Exception as e:  # raised after the pipeline is closed
                    error = e
            if error is not None:
                with suppress(psycopg.Error):  # a lost connection cannot roll back: the pool
                    conn.rollback()  # discards it; the caller gets the first error
                raise error
        return ids


INSERT_SLICE = 200


def _slices(length: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, length)) for start in range(0, length, size)]


def _columns(
    stored_events: Sequence[StoredEvent],
) -> tuple[list[UUID | str], list[int], list[str], list[bytes]]:
    return (
        [e.originator_id for e in stored_events],
        [e.originator_version for e in stored_events],
        [e.topic for e in stored_events],
        [e.state for e in stored_events],
    )


class ExistingTablesPostgresAggregateRecorder(RenderedSelects):
    """The snapshot store: created once by the owner, then only used."""

    def create_table(self) -> None:
        if _tables_exist(self.datastore, self.events_table_name):
            self.datastore.register_type_adapters()
            return
        super().create_table()


class ChainedPostgresFactory(PostgresFactory):
    """``GROUP_COMMIT_MAX_EVENTS`` (the library's environment, optional): events per group
    commit, 0 for one transaction per append; unset, the recorder's default."""

    GROUP_COMMIT_MAX_EVENTS = "GROUP_COMMIT_MAX_EVENTS"
    application_recorder_class = ChainedPostgresApplicationRecorder
    aggregate_recorder_class = ExistingTablesPostgresAggregateRecorder

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        max_events = self.env.get(self.GROUP_COMMIT_MAX_EVENTS)
        if max_events is not None and isinstance(recorder, ChainedPostgresApplicationRecorder):
            recorder.set_group_commit(int(max_events))
        return recorder


_SQLITE_REFUSE = "SELECT RAISE(ABORT, 'the audit trail is append-only')"


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        self.chain_table_name = chain_table_name(events_table_name)
        super().__init__(datastore, events_table_name)
        self.select_chain_head_statement = (
            f"SELECT position, hash FROM {self.chain_table_name} ORDER BY position DESC LIMIT 1"
        )
        self.insert_link_statement = (
            f"INSERT INTO {self.chain_table_name} (position, previous, hash) VALUES (?, ?, ?)"
        )

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {self.chain_table_name} ("
            "position INTEGER PRIMARY KEY, previous INTEGER, hash BLOB NOT NULL)"
        )
        for table in (self.events_table_name, self.chain_table_name):
            for operation in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} "
                    f"BEFORE {operation} ON {table} BEGIN {_SQLITE_REFUSE}; END"
                )
        return statements

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if ids:
            c.execute(self.select_chain_head_statement)
            row = c.fetchone()
            head = (row[0], bytes(row[1])) if row else None
            links = extend(head, zip(ids, stored_events, strict=True))
            c.executemany(self.insert_link_statement, link_rows(links))
        return ids


class ChainedSQLiteFactory(SQLiteFactory):
    application_recorder_class = ChainedSQLiteApplicationRecorder
