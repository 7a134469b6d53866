"""What every event records besides its own facts: who, when and from which request.

eventsourcing 9.5 has no event metadata, so the base event class carries keyword-only
fields filled from a context variable that the application sets around each command.
Event bodies never read it: on replay the stored values come back as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime

from eventsourcing.domain import Aggregate


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    role: str
    unit: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "role": self.role, "unit": self.unit}


SYSTEM = Actor(id="system", name="系统", role="system", unit="")


@dataclass(frozen=True)
class Recording:
    actor: Actor
    request_id: str
    now: datetime


_recording: ContextVar[Recording | None] = ContextVar("rectify_recording", default=None)


@contextmanager
def recording(actor: Actor, *, request_id: str, now: datetime) -> Iterator[Recording]:
    """Every event triggered inside this block records this actor, request and time."""
    if now.tzinfo is None:
        raise ValueError("recording time must be timezone-aware")
    rec = Recording(actor=actor, request_id=request_id, now=now.astimezone(UTC))
    token = _recording.set(rec)
    try:
        yield rec
    finally:
        _recording.reset(token)


def _current() -> Recording:
    rec = _recording.get()
    if rec is None:
        return Recording(actor=SYSTEM, request_id="", now=datetime.now(UTC))
    return rec


def _actor_dict() -> dict[str, str]:
    return _current().actor.as_dict()


def _request_id() -> str:
    return _current().request_id


class RecordedAggregate(Aggregate):
    """Base aggregate whose events carry actor, request id and the application's clock."""

    class Event(Aggregate.Event):
        actor: dict[str, str] = field(default_factory=_actor_dict, kw_only=True)
        request_id: str = field(default_factory=_request_id, kw_only=True)

        @staticmethod
        def create_timestamp() -> datetime:
            return _current().now

    class Created(Event, Aggregate.Created):
        pass
