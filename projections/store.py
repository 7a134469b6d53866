"""A view's tables and tracking position, beside the events, written in one transaction.

``ViewStore`` is an eventsourcing ``TrackingRecorder`` over our ``SideDatabase``: the same
SQL runs on SQLite and PostgreSQL (``%s`` placeholders, ``INSERT … ON CONFLICT``). A
``Batch`` is one transaction: it locks the view's tracking row, hands the projection the
rows it needs (loaded once, kept in memory), and writes every changed row and the new
position together on commit. An event at or below the tracked position is never applied
again, so a batch that fails leaves nothing behind and a redelivered event counts once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import structlog
from eventsourcing.persistence import Tracking, TrackingRecorder

from infrastructure.database import Cursor, SideDatabase
from projections.ids import id_text
from projections.indexes import ensure_indexes
from projections.reading import fetch
from projections.table import Row, Table

logger = structlog.get_logger(__name__)

TRACKING_TABLE = "rectify_view_tracking"
_CHUNK = 500
COPY_FROM = 64  # rows from which PostgreSQL writes go through COPY
_KEY_SEPARATOR = "\n"  # loads pass their text keys as one parameter, split by the server


def table_exists(cur: Cursor, db: SideDatabase, name: str) -> bool:
    if db.dialect == "postgres":
        cur.execute("SELECT to_regclass(%s)", (name,))
        return cur.fetchone()[0] is not None
    cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return cur.fetchone() is not None


def create_tracking_table(db: SideDatabase) -> None:
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {TRACKING_TABLE} (view TEXT PRIMARY KEY, "
        "application_name TEXT NOT NULL, position BIGINT NOT NULL)"
    )


class ViewStore(TrackingRecorder):
    """The tables of one view (under an optional suffix, for rebuilds) and its position."""

    def __init__(
        self,
        db: SideDatabase,
        *,
        view: str,
        tables: tuple[Table, ...],
        application_name: str,
        suffix: str = "",
    ) -> None:
        self.db = db
        self.view = view + suffix
        self.tables = {t.name: t for t in tables}
        self.application_name = application_name
        self.suffix = suffix
        self.indexed = False  # whether ensure_indexes() ran since the tables were made
        self._one_batch_at_a_time = threading.Lock()

    def physical(self, table: str) -> str:
        return f"{table}{self.suffix}"

    def create_tables(self) -> None:
        """The view's tables and tracking row, where missing. A view stored with fewer
        tables than it now has (an upgrade added one) starts again from position 0 in
        tables of the new shape: views are rebuilt from the log, never migrated."""
        create_tracking_table(self.db)
        with self.db.transaction() as cur:
            if self.db.dialect == "postgres":  # one process at a time creates or resets
                cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.view,))
            present = {
                name: table_exists(cur, self.db, self.physical(name)) for name in self.tables
            }
            reshaped = any(present.values()) and not all(present.values())
            if reshaped:
                logger.warning(
                    "view_reset_for_new_tables",
                    view=self.view,
                    missing=sorted(name for name, there in present.items() if not there),
                )
                cur.execute(
                    self.db.sql(f"UPDATE {TRACKING_TABLE} SET position = 0 WHERE view = %s"),
                    (self.view,),
                )
            for table in self.tables.values():
                physical = self.physical(table.name)
                if reshaped and present[table.name]:
                    cur.execute(f"DROP TABLE {physical}")
                if reshaped or not present[table.name]:
                    cur.execute(table.ddl(physical))
                    self.indexed = False
            cur.execute(
                self.db.sql(
                    f"INSERT INTO {TRACKING_TABLE} (view, application_name, position) "
                    "VALUES (%s, %s, 0) ON CONFLICT (view) DO NOTHING"
                ),
                (self.view, self.application_name),
            )

    def ensure_indexes(self) -> None:
        """Every table's secondary indexes as declared (``projections.indexes``): the
        host calls this once the view has reached the head of the log.

        On PostgreSQL a table that gets its indexes now was just loaded by a catch-up, and
        is analyzed too, as after a restore: autovacuum may have analyzed it part-way, and
        the planner would take the rows loaded since for a handful (an auditor's query by
        actor then scanned a quarter of the audit log at 1M events: 65-85 ms, not 0.2;
        docs/performance.md, section 3) until autovacuum came round again."""
        loaded: list[str] = []
        with self._one_batch_at_a_time, self.db.transaction() as cur:
            if self.db.dialect == "postgres":
                cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.view,))
            for table in self.tables.values():
                physical = self.physical(table.name)
                created = ensure_indexes(cur, self.db.dialect, table, physical)
                if created and self.db.dialect != "memory":  # an as-of read's scratch view
                    logger.info("view_indexes_built", view=self.view, indexes=created)
                    loaded.append(physical)
        self.indexed = True
        if self.db.dialect == "postgres":  # after the indexes' commit: no lock held longer
            for physical in loaded:
                self.db.execute(f"ANALYZE {physical}")

    def drop_tables(self) -> None:
        self.indexed = False
        with self.db.transaction() as cur:
            for table in self.tables.values():
                cur.execute(f"DROP TABLE IF EXISTS {self.physical(table.name)}")
            cur.execute(self.db.sql(f"DELETE FROM {TRACKING_TABLE} WHERE view = %s"), (self.view,))

    # TrackingRecorder ------------------------------------------------------------------

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.batch() as batch:
            batch.advance(tracking.notification_id)

    def max_tracking_id(self, application_name: str) -> int | None:
        rows = self.db.execute(
            f"SELECT position FROM {TRACKING_TABLE} WHERE view = %s AND application_name = %s",
            (self.view, application_name),
        )
        return int(rows[0][0]) if rows and rows[0][0] else None

    def position(self) -> int:
        return self.max_tracking_id(self.application_name) or 0

    # Batches ---------------------------------------------------------------------------

    @contextmanager
    def batch(
        self, within: Cursor | None = None, *, position: int | None = None
    ) -> Iterator[Batch]:
        """One transaction, or a part of the caller's (``within``): rows and the tracking
        position commit together or not at all. ``position``: the view's tracked position
        as the caller has already read and locked it in ``within`` (``lock_positions``)."""
        transaction = nullcontext(within) if within is not None else self.db.transaction()
        with self._one_batch_at_a_time, transaction as cur:
            if position is None:
                position = lock_positions(cur, self.db, [self.view])[self.view]
            batch = Batch(self, cur, position)
            yield batch
            batch.flush()


def lock_positions(cur: Cursor, db: SideDatabase, views: list[str]) -> dict[str, int]:
    """The tracked positions of these views, read in one statement; on PostgreSQL their
    rows stay locked (in the views' name order) until the transaction ends."""
    marks = ", ".join(["%s"] * len(views))
    lock = " ORDER BY view FOR UPDATE" if db.dialect == "postgres" else ""
    cur.execute(
        db.sql(f"SELECT view, position FROM {TRACKING_TABLE} WHERE view IN ({marks}){lock}"),
        tuple(views),
    )
    found = {str(view): int(position) for view, position in cur.fetchall()}
    for view in views:
        if view not in found:
            raise LookupError(f"view {view} has no tables: run create_tables() first")
    return found


@dataclass(frozen=True)
class Pending:
    """A query for some rows of a table, sent and not yet read."""

    table: str
    keys: list[str]
    cur: Cursor


class Batch:
    """Rows read once and changed in memory; written with ``executemany`` on flush."""

    def __init__(self, store: ViewStore, cur: Cursor, position: int) -> None:
        self.store = store
        self.cur = cur
        self.position = position
        self.start_position = position
        self._rows: dict[str, dict[str, Row | None]] = {t: {} for t in store.tables}
        self._dirty: dict[str, dict[str, Row]] = {t: {} for t in store.tables}
        self._new: dict[str, set[str]] = {t: set() for t in store.tables}  # known absent
        self._appended: dict[str, list[Row]] = {t: [] for t in store.tables}

    def prefetch(self, wanted: Iterable[tuple[str, str]]) -> None:
        self.receive(self.request(wanted))

    def request(self, wanted: Iterable[tuple[str, str]]) -> list[Pending]:
        """Send the queries for the rows wanted that this batch has not read, each on a
        cursor of its own: in a pipeline they travel together with whatever else is sent
        before the first is read (``receive``)."""
        by_table: dict[str, set[str]] = {}
        for table, key in wanted:
            if key not in self._rows[table]:
                by_table.setdefault(table, set()).add(key)
        pending = []
        for table, keys in by_table.items():
            ordered = sorted(keys)
            for n in range(0, len(ordered), _CHUNK):
                chunk = ordered[n : n + _CHUNK]
                cur = self.cur.connection.cursor()
                self._select(cur, table, chunk)
                pending.append(Pending(table, chunk, cur))
        return pending

    def receive(self, pending: list[Pending]) -> None:
        """Keep the rows the requested queries found (and which keys they did not)."""
        for query in pending:
            try:
                self._keep(query.table, query.keys, query.cur.fetchall())
            finally:
                query.cur.close()

    def _load(self, table: str, keys: list[str]) -> None:
        self._select(self.cur, table, keys)
        self._keep(table, keys, self.cur.fetchall())

    def _select(self, cur: Cursor, table: str, keys: list[str]) -> None:
        spec = self.store.tables[table]
        select = f"SELECT {', '.join(spec.columns)} FROM {self.store.physical(table)} "
        select += f"WHERE {spec.key}"
        # Planned afresh each time (not prepared): a view's table starts empty and grows,
        # and a plan PostgreSQL kept from when it was small reads the whole table for a
        # handful of keys (0.4-1.4 ms a load at 15k rows, against 0.06).
        if self.store.db.dialect != "postgres":
            cur.execute(f"{select} IN ({', '.join(['?'] * len(keys))})", tuple(keys))
        elif spec.key in spec.integers:
            cur.execute(f"{select} = ANY(%s::bigint[])", (keys,), prepare=False)  # type: ignore[call-arg]
        else:
            # One text parameter the server splits: a short statement psycopg converts
            # once and caches, and one string to send rather than a list to adapt.
            if any(_KEY_SEPARATOR in key for key in keys):
                raise ValueError(f"a {spec.name} key holds a line break")
            cur.execute(  # type: ignore[call-arg]
                f"{select} = ANY(string_to_array(%s, E'\\n'))",
                (_KEY_SEPARATOR.join(keys),),
                prepare=False,
            )

    def _keep(self, table: str, keys: list[str], found: list[Any]) -> None:
        spec = self.store.tables[table]
        cached = self._rows[table]
        for key in keys:
            cached[key] = None
        for values in found:
            row = spec.decode(values)
            cached[str(row[spec.key])] = row

    def get(self, table: str, key: str) -> Row | None:
        cached = self._rows[table]
        if key not in cached:
            self._load(table, [key])
        return cached[key]

    def require(self, table: str, key: object, *, missing: str) -> Row:
        """The row, which an earlier event must have created (else the log is not ours)."""
        row = self.get(table, id_text(key) if isinstance(key, UUID) else str(key))
        if row is None:
            raise LookupError(f"{key}: {missing}")
        return row

    def put(self, table: str, row: Row) -> None:
        """Insert or replace the row (by its key) when the batch commits."""
        key = str(row[self.store.tables[table].key])
        rows = self._rows[table]
        if rows.get(key, row) is None:  # a key loaded and found absent: the row is new
            self._new[table].add(key)
        rows[key] = row
        self._dirty[table][key] = row

    def append(self, table: str, row: Row) -> None:
        """Insert a row that is never changed afterwards (the audit log)."""
        self._appended[table].append(row)

    def advance(self, position: int) -> None:
        self.position = max(self.position, position)

    def flush(self) -> None:
        for name, spec in self.store.tables.items():
            physical = self.store.physical(name)
            new = self._new[name]
            dirty = self._dirty[name].items()
            added = [*self._appended[name], *(row for key, row in dirty if key in new)]
            if added:
                self._insert(spec, physical, added, upsert=False)
            changed = [row for key, row in dirty if key not in new]
            if changed:
                self._insert(spec, physical, changed, upsert=True)
        if self.position != self.start_position:
            self.cur.execute(
                self.store.db.sql(f"UPDATE {TRACKING_TABLE} SET position = %s WHERE view = %s"),
                (self.position, self.store.view),
            )

    def _insert(self, spec: Table, physical: str, rows: list[Row], *, upsert: bool) -> None:
        """Write many rows at once: ``executemany``, or on PostgreSQL for a large batch
        COPY, straight into the table for new rows, else into a session-local staging
        table merged with one INSERT … ON CONFLICT. COPY cannot run in a pipeline: a
        batch in one (the host following the log) uses ``executemany`` whatever its size."""
        db = self.store.db
        cols = ", ".join(spec.columns)
        conflict = ""
        if upsert:
            updates = ", ".join(f"{c} = excluded.{c}" for c in spec.columns if c != spec.key)
            conflict = f" ON CONFLICT ({spec.key}) DO UPDATE SET {updates}"
        encoded = [spec.encode(row) for row in rows]
        copy = len(encoded) >= COPY_FROM and db.dialect == "postgres" and not self._pipelined()
        if copy and not upsert:
            self._copy(physical, cols, encoded)
            return
        if copy:
            staging = f"{physical}_load"
            self.cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {physical}) ON COMMIT DELETE ROWS"
            )
            self._copy(staging, cols, encoded)
            self.cur.execute(
                f"INSERT INTO {physical} ({cols}) SELECT {cols} FROM {staging}{conflict}"
            )
            return
        marks = ", ".join(["%s"] * len(spec.columns))
        self.cur.executemany(  # type: ignore[attr-defined]
            db.sql(f"INSERT INTO {physical} ({cols}) VALUES ({marks}){conflict}"), encoded
        )

    def _pipelined(self) -> bool:
        return bool(self.cur.connection.pgconn.pipeline_status)  # OFF is 0

    def _copy(self, target: str, cols: str, encoded: list[tuple[Any, ...]]) -> None:
        with self.cur.copy(f"COPY {target} ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for values in encoded:
                copy.write_row(values)


def view_positions(db: SideDatabase) -> dict[str, int]:
    """Every view's tracked position, by view name (rebuilds in progress included)."""
    rows = fetch(db, f"SELECT view, position FROM {TRACKING_TABLE}")
    return {str(view): int(position) for view, position in rows}
