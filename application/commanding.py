"""The one way a command runs: idempotency, authorization, recording, one save, conflicts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextvars import Token
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from application.errors import ConcurrentWrite, IdempotencyKeyReused, NotFound, VersionConflict
from application.policy import Policy
from application.ports import Clock, EventPositions
from application.principal import Caller
from application.repository import CachingRepository
from domain.campaign import Campaign
from domain.command_record import CommandRecord
from domain.recording import Recording, _recording

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class CommandResult:
    """What a command did. ``aggregate`` is the changed aggregate itself, as the command left
    it (None for an answer replayed from an ``Idempotency-Key`` record): it is never stored."""

    id: UUID
    version: int
    position: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    aggregate: Aggregate | None = field(default=None, compare=False, repr=False)

    def as_record(self) -> dict[str, Any]:
        return {"id": str(self.id), "version": self.version, "extra": self.extra}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> CommandResult:
        return cls(id=UUID(record["id"]), version=record["version"], extra=record.get("extra", {}))


def fingerprint(command: str, args: dict[str, Any]) -> str:
    def default(value: object) -> str:
        if isinstance(value, (UUID, date, datetime)):
            return str(value)
        raise TypeError(type(value).__name__)

    body = json.dumps({"command": command, "args": args}, sort_keys=True, default=default)
    return hashlib.sha256(body.encode()).hexdigest()


class Command:
    """One command in progress: whom it acts as, what it changed."""

    def __init__(self, app: CommandingApp, caller: Caller, name: str) -> None:
        self.app = app
        self.caller = caller
        self.name = name
        self.changed: list[Aggregate] = []
        self._token: Token[Recording | None] | None = None

    def act(
        self, office: str | None, *, command: str | None = None, on_office: bool = False
    ) -> None:
        """Authorize on this office and record every following event as that actor
        (``on_office``: the command is on the office itself, not on one of its cases)."""
        actor = self.app.policy.authorize(
            self.caller.principal, command or self.name, office, on_office=on_office
        )
        if self._token is not None:
            _recording.reset(self._token)
        self._token = _recording.set(
            Recording(actor=actor, request_id=self.caller.request_id, now=self.app.clock.now())
        )

    def release(self) -> None:
        if self._token is not None:
            _recording.reset(self._token)
            self._token = None

    @staticmethod
    def check_version(aggregate: Aggregate, expected: int | None) -> None:
        if expected is not None and aggregate.version != expected:
            raise VersionConflict(
                f"the case is at version {aggregate.version}, not {expected}",
                field="expected_version",
            )

    def done(self, *aggregates: Aggregate, result_of: Aggregate, **extra: Any) -> CommandResult:
        self.changed.extend(aggregates)
        return CommandResult(
            id=result_of.id, version=result_of.version, extra=extra, aggregate=result_of
        )


class CommandingApp(Application[UUID]):
    """Base of the service: runs commands and loads cases within the caller's scope."""

    campaign: Campaign
    clock: Clock
    policy: Policy
    event_positions: EventPositions  # set where the application is built, with its recorder

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository as its settings say; with a cache, a ``CachingRepository``."""
        stock = super().construct_repository()
        if stock.cache is None:
            return stock
        repository = CachingRepository(
            event_store=stock.event_store, snapshot_store=stock.snapshot_store
        )
        repository.cache = stock.cache
        repository.fastforward = stock.fastforward
        repository.fastforward_skipping = stock.fastforward_skipping
        repository.deepcopy_from_cache = stock.deepcopy_from_cache
        return repository

    def today(self) -> date:
        return self.local_date(self.clock.now())

    def local_date(self, moment: datetime) -> date:
        """The campaign's calendar day at ``moment``."""
        return moment.astimezone(ZoneInfo(self.campaign.timezone)).date()

    def execute(
        self,
        caller: Caller,
        name: str,
        args: dict[str, Any],
        change: Callable[[Command], CommandResult],
    ) -> CommandResult:
        key = caller.idempotency_key
        digest = fingerprint(name, args)
        if key is not None:
            earlier = self._earlier_result(caller, key, digest)
            if earlier is not None:
                return earlier
        command = Command(self, caller, name)
        try:
            result = change(command)
            to_save = list({id(a): a for a in command.changed}.values())
            if key is not None:
                to_save.append(
                    CommandRecord(
                        account_id=str(caller.principal.account_id),
                        key=key,
                        command=name,
                        fingerprint=digest,
                        result=result.as_record(),
                    )
                )
        finally:
            command.release()
        try:
            recordings = self.save(*to_save)
        except IntegrityError:
            if key is not None:
                earlier = self._earlier_result(caller, key, digest)
                if earlier is not None:
                    return earlier
            raise ConcurrentWrite(
                "the case was changed by another request at the same time"
            ) from None
        position = max((r.notification.id for r in recordings), default=None)
        return CommandResult(
            id=result.id,
            version=result.version,
            position=position,
            extra=result.extra,
            aggregate=result.aggregate,
        )

    def _earlier_result(self, caller: Caller, key: str, digest: str) -> CommandResult | None:
        record_id = CommandRecord.create_id(str(caller.principal.account_id), key)
        try:
            record: Aggregate = self.repository.get(record_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(record, CommandRecord)
        earlier = CommandResult.from_record(record.result)
        if record.fingerprint != digest:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different request",
                field="Idempotency-Key",
                earlier=earlier.id,
            )
        return earlier

    def load(self, cls: type[A], aggregate_id: UUID, *, version: int | None = None) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(f"no {cls.__name__} {aggregate_id}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {cls.__name__} {aggregate_id}")
        return aggregate

    def load_case(self, caller: Caller, cls: type[A], case_id: UUID) -> A:
        """Load an issue or item the caller may read; anything else is 'not found'."""
        case = self.load(cls, case_id)
        office = getattr(case, "office", None)
        if office is None or not self.policy.can_read(caller.principal, office):
            raise NotFound(f"no {cls.__name__} {case_id}")
        return case
