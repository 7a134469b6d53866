"""The base of every view: an eventsourcing ``Projection`` that applies events in batches.

Handlers are named by the event's qualified class name (``"Issue.Found"``) with
``@handles``; an event no handler names still moves the tracked position. The library's
entry point ``process_event(event, tracking)`` is a batch of one: rows and position in one
transaction. The projection host calls ``process_batch`` with many events at once.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, ClassVar, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from domain.campaign import Campaign
from infrastructure.database import Cursor
from projections.ids import id_text
from projections.store import Batch, ViewStore
from projections.table import Table

Pair = tuple[Any, Tracking]
F = TypeVar("F", bound=Callable[..., None])


def handles(*event_names: str) -> Callable[[F], F]:
    """Mark a method ``(self, batch, event, tracking)`` as the handler of these events."""

    def mark(method: F) -> F:
        method.__dict__["_handles"] = event_names
        return method

    return mark


def event_name(event: Any) -> str:
    return type(event).__qualname__


@lru_cache(maxsize=4096)
def stamp(moment: datetime) -> str:
    """A UTC time as fixed-width text: it sorts the same as the time (remembered: several
    views stamp the same event's time)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def unstamp(text: str, tz: ZoneInfo) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC).astimezone(tz)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def actor_of(event: Any) -> dict[str, str]:
    actor = getattr(event, "actor", None) or {}
    return {k: str(actor.get(k, "")) for k in ("id", "name", "role", "unit")}


def touched(row: dict[str, Any], event: Any, tracking: Tracking) -> None:
    """Note on a case's row the version, time and position of its latest event."""
    row.update(
        version=event.originator_version,
        updated_at=stamp(event.timestamp),
        position=tracking.notification_id,
    )


def restate(batch: Batch, table: str, keys: Iterable[object], **values: Any) -> None:
    """Set ``values`` on each of these rows that exists: facts another case's rows repeat
    (an issue's title and category on its items' rows) when that case corrects them."""
    for key in keys:
        row = batch.get(table, id_text(key) if isinstance(key, UUID) else str(key))
        if row is not None:
            row.update(values)
            batch.put(table, row)


def citation(event: Any, tracking: Tracking) -> dict[str, Any]:
    """The facts that make an event citable: position, type, actor, time, comment."""
    actor = actor_of(event)
    comment = getattr(event, "comment", None) or getattr(event, "reason", None) or ""
    return {
        "position": tracking.notification_id,
        "event_type": type(event).__name__,
        "aggregate_id": id_text(event.originator_id),
        "actor_id": actor["id"],
        "actor_name": actor["name"],
        "actor_role": actor["role"],
        "actor_unit": actor["unit"],
        "recorded_at": stamp(event.timestamp),
        "comment": str(comment),
    }


@dataclass(frozen=True)
class ViewContext:
    """What a view may consult while applying events (never the clock: lights are read-time)."""

    campaign: Campaign

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.campaign.timezone)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()


class ViewProjection(Projection[ViewStore]):
    """A read model: its tables, its Chinese label and its handlers."""

    label: ClassVar[str] = ""
    tables: ClassVar[tuple[Table, ...]] = ()
    aggregates: ClassVar[tuple[type[Any], ...]] = ()
    _handler_names: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                for name in getattr(value, "_handles", ()):
                    found[name] = attr
        cls._handler_names = found
        cls.topics = tuple(
            get_topic(value)
            for aggregate in cls.aggregates
            for value in vars(aggregate).values()
            if isinstance(value, type) and value.__qualname__ in found and "*" not in found
        )

    def __init__(self, view: ViewStore, *, context: ViewContext) -> None:
        super().__init__(view)
        self.context = context
        self._handlers: dict[str, Callable[[Batch, Any, Tracking], None]] = {
            name: getattr(self, attr) for name, attr in self._handler_names.items()
        }

    @classmethod
    def store(cls, db: Any, *, application_name: str, suffix: str = "") -> ViewStore:
        return ViewStore(
            db, view=cls.name, tables=cls.tables, application_name=application_name, suffix=suffix
        )

    def prefetch(self, event: Any) -> Iterable[tuple[str, str]]:
        """The (table, key) rows this event will read: loaded for the whole batch at once."""
        return ()

    def _handler(self, event: Any) -> Callable[[Batch, Any, Tracking], None] | None:
        """The handler named for this event, else a catch-all ``@handles("*")``, else none."""
        return self._handlers.get(event_name(event)) or self._handlers.get("*")

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.process_batch([(domain_event, tracking)])

    def process_batch(
        self, pairs: Sequence[Pair], *, within: Cursor | None = None, position: int | None = None
    ) -> int:
        """Apply the events past the tracked position, in a transaction of the view's own
        or as a part of the caller's (``within``, where the caller may have read and locked
        the ``position`` already); answers how many were new."""
        steps = self.apply_in_steps(pairs, within=within, position=position)
        next(steps)
        try:
            next(steps)
        except StopIteration as done:
            return int(done.value)
        raise RuntimeError("apply_in_steps pauses once")

    def apply_in_steps(
        self, pairs: Sequence[Pair], *, within: Cursor | None = None, position: int | None = None
    ) -> Generator[None, None, int]:
        """``process_batch`` in two steps, for a host that runs several views' batches in
        one pipeline: the first sends the queries for the rows the events need and
        pauses, so every view's go out together; the second reads them, applies the
        events and writes. Answers how many events were new."""
        if not pairs:
            yield
            return 0
        with self.view.batch(within, position=position) as batch:
            fresh = [(e, t) for e, t in pairs if t.notification_id > batch.position]
            handled = [(e, t, h) for e, t in fresh if (h := self._handler(e)) is not None]
            pending = batch.request(key for e, _, _ in handled for key in self.prefetch(e))
            yield
            batch.receive(pending)
            for event, tracking, handler in handled:
                handler(batch, event, tracking)
            batch.advance(max(t.notification_id for _, t in pairs))
            return len(fresh)
