"""A case's history as people read it: each event with who, when, why, and where it stands
in the log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.ports import EventPositions

_BASE_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "actor", "request_id"}
)


@dataclass(frozen=True)
class HistoryEntry:
    position: int  # in the log: the order events recorded at one moment were recorded in
    aggregate_id: UUID
    aggregate_type: str
    version: int
    event_type: str
    recorded_at: datetime
    actor: dict[str, str]
    request_id: str
    data: dict[str, Any]

    @property
    def comment(self) -> str:
        for key in ("comment", "reason"):
            value = self.data.get(key)
            if value:
                return str(value)
        return ""


def _plain(value: Any) -> Any:
    if isinstance(value, (UUID, date, datetime)):
        return value.isoformat() if not isinstance(value, UUID) else str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def history_entry(event: Any, position: int) -> HistoryEntry:
    event_cls = type(event)
    aggregate_type = event_cls.__qualname__.split(".")[0]
    return HistoryEntry(
        position=position,
        aggregate_id=event.originator_id,
        aggregate_type=aggregate_type,
        version=event.originator_version,
        event_type=event_cls.__name__,
        recorded_at=event.timestamp,
        actor=dict(getattr(event, "actor", {}) or {}),
        request_id=getattr(event, "request_id", ""),
        data={k: _plain(v) for k, v in vars(event).items() if k not in _BASE_FIELDS},
    )


def history_of(event_store: Any, positions: EventPositions, ids: list[UUID]) -> list[HistoryEntry]:
    """The events of these aggregates in the log's order: a command's events share their
    moment, and only the log says which came first (an item's verification, then the issue
    closing because of it)."""
    events = [e for aggregate_id in ids for e in event_store.get(aggregate_id)]
    found = positions.of(ids)  # after the events: it covers each one read (and any since)
    entries = [history_entry(e, found[(e.originator_id, e.originator_version)]) for e in events]
    return sorted(entries, key=lambda e: e.position)
