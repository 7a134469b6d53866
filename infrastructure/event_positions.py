"""Where some aggregates' events stand in the log: their notification ids, in one read.

A command records all its events at one moment, so a case's history ordered by time alone
cannot tell which came first (an item's verification, or the issue closing because of it);
the log's order can. Each backend answers from its own table.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from application.ports import Positions


class StorePositions:
    """The positions port (``application.ports.EventPositions``) over the application's
    recorder."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self._read = _reader(recorder)

    def of(self, aggregate_ids: Collection[UUID]) -> Positions:
        return self._read(list(aggregate_ids)) if aggregate_ids else {}


def _reader(recorder: ApplicationRecorder) -> Callable[[list[UUID]], Positions]:
    if isinstance(recorder, PostgresApplicationRecorder):
        return _postgres(recorder)
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite(recorder)
    if isinstance(recorder, POPOApplicationRecorder):
        return _memory(recorder)
    raise TypeError(f"no positions for a {type(recorder).__name__}")


def _postgres(recorder: PostgresApplicationRecorder) -> Callable[[list[UUID]], Positions]:
    statement = SQL(
        "SELECT originator_id, originator_version, notification_id FROM {} "
        "WHERE originator_id = ANY(%s)"
    ).format(Identifier(recorder.events_table_name))

    def positions(ids: list[UUID]) -> Positions:
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(statement, [ids])
            return {
                (row["originator_id"], row["originator_version"]): row["notification_id"]
                for row in curs.fetchall()
            }

    return positions


def _sqlite(recorder: SQLiteApplicationRecorder) -> Callable[[list[UUID]], Positions]:
    def positions(ids: list[UUID]) -> Positions:
        marks = ",".join("?" * len(ids))
        statement = (
            f"SELECT originator_id, originator_version, rowid FROM {recorder.events_table_name} "
            f"WHERE originator_id IN ({marks})"
        )
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(statement, [i.hex for i in ids])
            return {(UUID(row[0]), row[1]): row[2] for row in curs.fetchall()}

    return positions


def _memory(recorder: POPOApplicationRecorder) -> Callable[[list[UUID]], Positions]:
    """The in-memory log (tests, benchmarks) walked whole: it holds no index by aggregate
    that the library offers."""

    def positions(ids: list[UUID]) -> Positions:
        wanted = {str(i) for i in ids}
        head = recorder.max_notification_id() or 0
        return {
            (UUID(str(n.originator_id)), n.originator_version): n.id
            for n in recorder.select_notifications(start=1, limit=max(head, 1))
            if str(n.originator_id) in wanted
        }

    return positions
