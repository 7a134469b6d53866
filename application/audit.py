"""The audit trail's use cases: who may verify the chain, recording and listing digests.

Computing and signing the chain head is infrastructure's work (``infrastructure.audit``);
the application decides who may do it and records the ``DigestIssued`` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic

from application.commanding import Command, CommandingApp, CommandResult
from application.errors import IdempotencyKeyReused
from application.principal import Caller
from domain.command_record import CommandRecord
from domain.digest import AuditDigest
from domain.recording import Actor

_ISSUED = get_topic(getattr(AuditDigest, "DigestIssued"))  # noqa: B009 - made by @event
_BATCH = 500


@dataclass(frozen=True)
class IssuedDigest:
    """A digest as recorded: the signed checkpoint's fields, and who issued it when."""

    digest_id: str
    checkpoint: dict[str, Any]
    recorded_at: datetime
    actor: dict[str, str]
    log_position: int


class AuditTrail(CommandingApp):
    def authorize_audit(self, caller: Caller, command: str) -> Actor:
        """``verify_chain`` or ``issue_digest``: coordinators and auditors, everywhere."""
        return self.policy.authorize(caller.principal, command, None)

    def record_digest(self, caller: Caller, checkpoint: dict[str, Any]) -> CommandResult:
        """Record ``DigestIssued`` for a checkpoint signed by infrastructure."""

        def change(command: Command) -> CommandResult:
            command.act(None)
            digest = AuditDigest.issue(checkpoint)
            return command.done(digest, result_of=digest)

        return self.execute(caller, "issue_digest", {"checkpoint": checkpoint}, change)

    def digest_recorded_for(self, caller: Caller) -> dict[str, Any] | None:
        """The checkpoint an earlier ``issue_digest`` sent with this idempotency key recorded.

        A retry must answer the digest first recorded, not sign the head again (which has
        moved on, if only by the first ``DigestIssued``)."""
        key = caller.idempotency_key
        if key is None:
            return None
        record_id = CommandRecord.create_id(str(caller.principal.account_id), key)
        try:
            record: Any = self.repository.get(record_id)
        except AggregateNotFoundError:
            return None
        if record.command != "issue_digest":
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different request",
                field="Idempotency-Key",
            )
        return _checkpoint(self.load(AuditDigest, UUID(record.result["id"])))

    def issued_digests(self, caller: Caller) -> list[IssuedDigest]:
        """Every digest recorded so far, oldest first (read from the log by topic)."""
        self.authorize_audit(caller, "verify_chain")
        found: list[IssuedDigest] = []
        start: int | None = None
        while True:
            batch = self.recorder.select_notifications(
                start, _BATCH, topics=[_ISSUED], inclusive_of_start=False
            )
            for notification in batch:
                event: Any = self.mapper.to_domain_event(notification)
                found.append(
                    IssuedDigest(
                        digest_id=str(event.originator_id),
                        checkpoint=_checkpoint(event),
                        recorded_at=event.timestamp,
                        actor=dict(event.actor),
                        log_position=notification.id,
                    )
                )
            if len(batch) < _BATCH:
                return found
            start = batch[-1].id


def _checkpoint(source: Any) -> dict[str, Any]:
    """The signed fields of a ``DigestIssued`` event or an ``AuditDigest`` (hash as ``hash``)."""
    return {
        "position": source.position,
        "hash": source.head_hash,
        "events": source.events,
        "issued_at": source.issued_at,
        "key_id": source.key_id,
        "public_key": source.public_key,
        "signature": source.signature,
    }
