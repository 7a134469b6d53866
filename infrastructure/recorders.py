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

import hashlib
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
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
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

from infrastructure.chain import chain_table_name, extend, link_rows


def advisory_key(schema: str, table: str) -> int:
    """A stable 64-bit advisory-lock key for appends to one events table."""
    digest = hashlib.sha256(f"rectify-append:{schema}.{table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


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


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
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
        self.lock_table_statements = [
            SQL("SET LOCAL lock_timeout = '{0}s'").format(self.datastore.lock_timeout),
            SQL("SELECT pg_advisory_xact_lock({0})").format(
                advisory_key(schema, events_table_name)
            ),
        ]
        self.select_chain_head_statement = SQL(
            "SELECT position, hash FROM {chain} ORDER BY position DESC LIMIT 1"
        ).format(chain=chain)
        self.insert_links_statement = SQL(
            "INSERT INTO {chain} (position, previous, hash) "
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bytea[])"
        ).format(chain=chain)

    def create_table(self) -> None:
        if _tables_exist(self.datastore, self.events_table_name, self.chain_table_name):
            self.datastore.register_type_adapters()
            return
        super().create_table()

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if not ids:
            return ids
        row = curs.execute(self.select_chain_head_statement, prepare=True).fetchone()
        head = (row["position"], bytes(row["hash"])) if row else None
        rows = link_rows(extend(head, zip(ids, stored_events, strict=True)))
        columns = [list(column) for column in zip(*rows, strict=True)]
        curs.execute(self.insert_links_statement, columns, prepare=True)
        return ids


class ExistingTablesPostgresAggregateRecorder(PostgresAggregateRecorder):
    """The snapshot store: created once by the owner, then only used."""

    def create_table(self) -> None:
        if _tables_exist(self.datastore, self.events_table_name):
            self.datastore.register_type_adapters()
            return
        super().create_table()


class ChainedPostgresFactory(PostgresFactory):
    application_recorder_class = ChainedPostgresApplicationRecorder
    aggregate_recorder_class = ExistingTablesPostgresAggregateRecorder


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
