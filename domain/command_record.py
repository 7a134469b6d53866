"""CommandRecord: the first result of a command sent with an idempotency key.

Saved in the same transaction as the command's own events, its deterministic id makes a
second recording of the same key collide, so a retry can never record twice.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.recording import RecordedAggregate


class CommandRecord(RecordedAggregate):
    @staticmethod
    def create_id(account_id: str, key: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"rectify:idempotency:{account_id}:{key}")

    @event("Recorded")
    def __init__(
        self, *, account_id: str, key: str, command: str, fingerprint: str, result: dict[str, Any]
    ) -> None:
        self.account_id = account_id
        self.key = key
        self.command = command
        self.fingerprint = fingerprint
        self.result = result
