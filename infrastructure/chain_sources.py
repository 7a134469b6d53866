"""Reading the event log with its links for the verifier: streamed, in position order.

Each source reads in one read-only snapshot (PostgreSQL: a REPEATABLE READ transaction,
the events streamed by a binary COPY; SQLite: one read transaction), so appends made while
it runs are not half-seen. Rows come out as ``(position, record, previous, hash)``: the
event's canonical record (``infrastructure.chain.record_bytes``; PostgreSQL builds it in the
query, which keeps the client's loop to one hash per row) joined with its link, ``previous``
and ``hash`` being None when the event has no link.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any, Protocol

import psycopg
from psycopg import IsolationLevel
from psycopg.sql import SQL, Identifier, Literal

from infrastructure.chain import PG_RECORD, chain_table_name, record_bytes

if TYPE_CHECKING:  # a range walker's process imports no settings
    from infrastructure.database import DatabaseUrl

Row = tuple[int, bytes, int | None, bytes | None]
LinkRow = tuple[int, int | None, bytes]
BATCH = 5_000
_LOWEST = -(2**63)
_HIGHEST = 2**63 - 1


class ChainSource(Protocol):
    def max_position(self) -> int | None: ...

    def batches(
        self, after: int | None = None, upto: int | None = None
    ) -> Generator[list[Row], None, None]:
        """The events after ``after`` up to ``upto`` (None: from the first, to the last)
        with their links, in position order, a batch at a time; closing the generator early
        ends the stream, after which the other questions may be asked."""
        ...

    def links(self, after: int | None = None) -> Iterator[LinkRow]: ...

    def first_position_after(self, position: int | None) -> int | None: ...

    def first_link_after(self, position: int | None) -> int | None: ...

    def close(self) -> None: ...


class PostgresChainSource:
    """``snapshot``: one exported by another source (``export_snapshot``), so that a walker
    in another process reads exactly the log that source reads. ``lock_timeout`` and
    ``connect_timeout`` (seconds) bound its waits; by default it waits as long as the
    server lets it. Its one reading transaction may idle (the source that exported its
    snapshot waits for the other walkers), so a server's or role's
    ``idle_in_transaction_session_timeout`` is off for its session."""

    def __init__(
        self,
        conninfo: str,
        *,
        events_table: str,
        schema: str = "public",
        snapshot: str | None = None,
        lock_timeout: int | None = None,
        connect_timeout: int | None = None,
    ) -> None:
        self.conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=connect_timeout)
        self.conn.execute("SET idle_in_transaction_session_timeout = 0")
        if lock_timeout is not None:  # for the session, before the transaction starts
            self.conn.execute(SQL("SET lock_timeout = {}").format(Literal(f"{lock_timeout}s")))
        self.conn.autocommit = False
        self.conn.isolation_level = IsolationLevel.REPEATABLE_READ
        self.conn.read_only = True
        if snapshot is not None:  # the transaction's first statement
            self.conn.execute(SQL("SET TRANSACTION SNAPSHOT {}").format(Literal(snapshot)))
        self.events_table = Identifier(schema, events_table)
        self.chain_table = Identifier(schema, chain_table_name(events_table))
        self._cursors = 0

    def export_snapshot(self) -> str:
        """This source's snapshot, for others to read in while this source stays open."""
        row = self.conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        return str(row[0])

    def _batches(self, query: Any, params: tuple[Any, ...] = ()) -> Iterator[list[Any]]:
        self._cursors += 1
        with self.conn.cursor(name=f"chain_{self._cursors}", binary=True) as cur:
            cur.execute(query, params)
            while rows := cur.fetchmany(BATCH):
                yield rows

    def _value(self, query: Any, params: tuple[Any, ...] = ()) -> int | None:
        row = self.conn.execute(query, params).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def min_position(self) -> int | None:
        return self._value(SQL("SELECT min(notification_id) FROM {}").format(self.events_table))

    def max_position(self) -> int | None:
        return self._value(SQL("SELECT max(notification_id) FROM {}").format(self.events_table))

    def batches(
        self, after: int | None = None, upto: int | None = None
    ) -> Generator[list[Row], None, None]:
        """A binary COPY: the server streams while this process hashes (a cursor's
        fetches would take turns with it, 2.3x slower at 1M events). The walk may close
        the stream early to ask more: the copy is cancelled inside a savepoint, so the
        snapshot stays usable."""
        low = Literal(_LOWEST if after is None else after)
        high = Literal(_HIGHEST if upto is None else upto)
        query = SQL(
            "COPY (SELECT e.notification_id, " + PG_RECORD + ", c.previous, c.hash "
            "FROM {events} e LEFT JOIN {chain} c ON c.position = e.notification_id "
            "AND c.position > {low} AND c.position <= {high} "  # the links' scan starts there
            "WHERE e.notification_id > {low} AND e.notification_id <= {high} "
            "ORDER BY e.notification_id) TO STDOUT (FORMAT BINARY)"
        ).format(events=self.events_table, chain=self.chain_table, low=low, high=high)
        with self.conn.transaction(), self.conn.cursor() as cur, cur.copy(query) as copy:
            copy.set_types(["int8", "bytea", "int8", "bytea"])
            batch: list[Row] = []
            for row in copy.rows():
                batch.append(row)
                if len(batch) == BATCH:
                    yield batch
                    batch = []
            if batch:
                yield batch

    def link_at_or_before(self, position: int) -> tuple[int, bytes | None] | None:
        """The last event at or before ``position`` and its link's hash (None: no link)."""
        query = SQL(
            "SELECT e.notification_id, c.hash FROM {} e "
            "LEFT JOIN {} c ON c.position = e.notification_id "
            "WHERE e.notification_id <= %s ORDER BY e.notification_id DESC LIMIT 1"
        ).format(self.events_table, self.chain_table)
        row = self.conn.execute(query, (position,)).fetchone()
        return None if row is None else (int(row[0]), None if row[1] is None else bytes(row[1]))

    def links(self, after: int | None = None) -> Iterator[LinkRow]:
        query = SQL(
            "SELECT position, previous, hash FROM {} WHERE position > %s ORDER BY position"
        ).format(self.chain_table)
        for rows in self._batches(query, (_LOWEST if after is None else after,)):
            yield from rows

    def first_position_after(self, position: int | None) -> int | None:
        query = SQL("SELECT min(notification_id) FROM {} WHERE notification_id > %s")
        return self._value(
            query.format(self.events_table), (_LOWEST if position is None else position,)
        )

    def first_link_after(self, position: int | None) -> int | None:
        query = SQL("SELECT min(position) FROM {} WHERE position > %s")
        return self._value(
            query.format(self.chain_table), (_LOWEST if position is None else position,)
        )

    def close(self) -> None:
        self.conn.rollback()
        self.conn.close()


class SQLiteChainSource:
    def __init__(self, url: DatabaseUrl, *, events_table: str) -> None:
        self.conn = sqlite3.connect(f"file:{url.path}?mode=ro", uri=True, isolation_level=None)
        self.conn.execute("BEGIN")
        self.events_table = events_table
        self.chain_table = chain_table_name(events_table)

    def _value(self, query: str, params: tuple[Any, ...] = ()) -> int | None:
        row = self.conn.execute(query, params).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def max_position(self) -> int | None:
        return self._value(f"SELECT max(rowid) FROM {self.events_table}")

    def batches(
        self, after: int | None = None, upto: int | None = None
    ) -> Generator[list[Row], None, None]:
        cur = self.conn.execute(
            "SELECT e.rowid, e.originator_id, e.originator_version, CAST(e.topic AS BLOB), "
            f"CAST(e.state AS BLOB), c.previous, c.hash FROM {self.events_table} e "
            f"LEFT JOIN {self.chain_table} c ON c.position = e.rowid "
            "WHERE e.rowid > ? AND e.rowid <= ? ORDER BY e.rowid",
            (_LOWEST if after is None else after, _HIGHEST if upto is None else upto),
        )
        while rows := cur.fetchmany(BATCH):
            yield [
                (
                    position,
                    record_bytes(position, _id_bytes(oid), version, topic or b"", state or b""),
                    previous,
                    link_hash,
                )
                for position, oid, version, topic, state, previous, link_hash in rows
            ]

    def links(self, after: int | None = None) -> Iterator[LinkRow]:
        cur = self.conn.execute(
            f"SELECT position, previous, hash FROM {self.chain_table} "
            "WHERE position > ? ORDER BY position",
            (_LOWEST if after is None else after,),
        )
        while rows := cur.fetchmany(BATCH):
            yield from rows

    def first_position_after(self, position: int | None) -> int | None:
        return self._value(
            f"SELECT min(rowid) FROM {self.events_table} WHERE rowid > ?",
            (_LOWEST if position is None else position,),
        )

    def first_link_after(self, position: int | None) -> int | None:
        return self._value(
            f"SELECT min(position) FROM {self.chain_table} WHERE position > ?",
            (_LOWEST if position is None else position,),
        )

    def close(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def _id_bytes(stored: str | bytes) -> bytes:
    """SQLite keeps UUIDs as 32 hex digits; anything else is a text id."""
    text = stored.decode() if isinstance(stored, bytes) else stored
    if len(text) == 32:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    return text.encode()


def open_source(url: DatabaseUrl, *, events_table: str) -> ChainSource:
    if url.dialect == "postgres":
        return PostgresChainSource(url.conninfo(), events_table=events_table)
    if url.dialect == "sqlite":
        return SQLiteChainSource(url, events_table=events_table)
    raise ValueError(f"the {url.dialect} store keeps no hash chain")
