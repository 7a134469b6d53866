"""The application's notification log as the views read it: decoded events with positions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification, Tracking

from infrastructure.database import SideDatabase
from projections.base import Pair
from projections.reading import fetch

_CHUNK = 500


class EventLog:
    """Reads the application's events in position order, decoded once for every view."""

    def __init__(self, app: Application[UUID], db: SideDatabase) -> None:
        self.app = app
        self.db = db
        self.name = app.name

    @property
    def channel(self) -> str | None:
        """PostgreSQL's NOTIFY channel for new events (None on other stores)."""
        return getattr(self.app.recorder, "channel_name", None)

    def head(self) -> int:
        return int(self.app.recorder.max_notification_id() or 0)

    def read(self, after: int, limit: int) -> list[Pair]:
        """Up to ``limit`` events past position ``after``."""
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        return self.decode(notifications)

    def decode(self, notifications: Iterable[Notification]) -> list[Pair]:
        mapper = self.app.mapper
        return [(mapper.to_domain_event(n), Tracking(self.name, n.id)) for n in notifications]

    def at_positions(self, positions: list[int]) -> list[Pair]:
        """The events at these positions, in position order."""
        if self.db.dialect == "memory":
            wanted = set(positions)
            found: list[Pair] = []
            after = 0
            while batch := self.read(after, 5000):
                found.extend(p for p in batch if p[1].notification_id in wanted)
                after = batch[-1][1].notification_id
            return found
        table = getattr(self.app.recorder, "events_table_name", f"{self.name.lower()}_events")
        id_column = "rowid" if self.db.dialect == "sqlite" else "notification_id"
        notifications: list[Notification] = []
        ordered = sorted(positions)
        select = f"SELECT {id_column}, originator_id, originator_version, topic, state FROM {table}"
        for n in range(0, len(ordered), _CHUNK):
            chunk = ordered[n : n + _CHUNK]
            params: tuple[Any, ...]
            if self.db.dialect == "postgres":  # one short statement psycopg converts once
                where, params = f"{id_column} = ANY(%s::bigint[])", (chunk,)
            else:
                where, params = f"{id_column} IN ({', '.join(['%s'] * len(chunk))})", tuple(chunk)
            rows = fetch(self.db, f"{select} WHERE {where} ORDER BY {id_column}", params)
            notifications.extend(_notification(row) for row in rows)
        return self.decode(notifications)


def _notification(row: Any) -> Notification:
    position, originator_id, version, topic, state = row
    return Notification(
        id=int(position),
        originator_id=originator_id if isinstance(originator_id, UUID) else UUID(originator_id),
        originator_version=int(version),
        topic=topic,
        state=bytes(state),
    )
