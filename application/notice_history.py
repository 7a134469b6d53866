"""Notices over time: what each edit of one changed, and which issued ones cited a record.

The Drafted event holds the system's draft and each Edited event the whole text after it, so
the changes are read by comparing each version with the one before it; an auditor can show
how the issued text differs from the system's draft.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from application.history import HistoryEntry
from domain.notice import ISSUED, Notice

_FIELDS = ("title", "recipients", "copy_to", "body")


@dataclass(frozen=True)
class NoticeChange:
    """One version of a notice: who made it, when, why, and what it changed."""

    version: int
    event_type: str  # Drafted, Edited, Issued
    recorded_at: datetime
    actor_name: str
    reason: str
    changed: dict[str, tuple[Any, Any]]  # field → (before, after); empty for a draft or issue
    number: str


def notice_changes(entries: list[HistoryEntry]) -> list[NoticeChange]:
    """The notice's events as versions, each edit with the fields it changed."""
    state: dict[str, Any] = {}
    found = []
    for entry in entries:
        data = entry.data
        changed = {
            key: (state.get(key), data[key])
            for key in _FIELDS
            if entry.event_type == "Edited" and key in data and data[key] != state.get(key)
        }
        state.update({key: data[key] for key in _FIELDS if key in data})
        found.append(
            NoticeChange(
                version=entry.version,
                event_type=entry.event_type,
                recorded_at=entry.recorded_at,
                actor_name=entry.actor.get("name", ""),
                reason=str(data.get("reason") or ""),
                changed=changed,
                number=str(data.get("number") or ""),
            )
        )
    return found


def notified_records(notices: Iterable[Notice]) -> dict[str, list[dict[str, str]]]:
    """Record id → the issued notices citing it, in the order they were issued."""
    issued = sorted(
        (n for n in notices if n.status == ISSUED),
        key=lambda n: (n.issued_on or date.min, n.number or ""),
    )
    notified: dict[str, list[dict[str, str]]] = {}
    for notice in issued:
        for record in notice.records:
            notified.setdefault(record["id"], []).append(
                {"notice_id": str(notice.id), "number": notice.number or ""}
            )
    return notified
