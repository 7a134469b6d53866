"""What the application needs from outside: a clock, a credentials store, and where events
stand in the log."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stays where it is set (tests, the demo's replay of a campaign)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at


class Credentials(Protocol):
    """Password hashes live beside the event log, never in it; so do the wrong passwords
    tried since an account's last sign-in (how many, and when the last was)."""

    def set_password(self, account_id: UUID, password: str) -> None: ...

    def check_password(self, account_id: UUID, password: str) -> bool: ...

    def failed_sign_ins(self, account_id: UUID) -> tuple[int, datetime | None]: ...

    def count_sign_in_attempt(self, account_id: UUID, at: datetime, *, since: datetime) -> int:
        """Count an attempt as failed until it succeeds (one statement, so attempts made at
        once are each counted): the attempts since the account's last sign-in, a run with
        none since ``since`` starting again from this one."""
        ...

    def clear_failed_sign_ins(self, account_id: UUID) -> None: ...


Positions = dict[tuple[UUID, int], int]


class EventPositions(Protocol):
    def of(self, aggregate_ids: Collection[UUID]) -> Positions:
        """Where each event of these aggregates stands in the log: (aggregate id,
        version) → its position (notification id), read from the log itself."""
        ...
