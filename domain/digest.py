"""AuditDigest: a signed checkpoint of the hash chain, kept on the record it vouches for.

Issuing a digest records ``DigestIssued`` with everything the exported file holds (position,
head hash, event count, time, key id, public key, signature), so the file can be handed out
again and an auditor can see when digests were taken and by whom.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.errors import InvalidInput
from domain.recording import RecordedAggregate

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_SIGNED_TEXT = ("issued_at", "key_id", "public_key", "signature")


class AuditDigest(RecordedAggregate):
    @staticmethod
    def create_id(position: int, head_hash: str) -> UUID:
        """One digest per chain head: two issued at the same head are the same digest."""
        return uuid5(NAMESPACE_URL, f"rectify:digest:{position}:{head_hash}")

    @classmethod
    def issue(cls, checkpoint: dict[str, Any]) -> AuditDigest:
        """Record a signed checkpoint (the digest file's fields; its hash under ``hash``)."""
        position, events = checkpoint.get("position"), checkpoint.get("events")
        if (
            not isinstance(position, int)
            or not isinstance(events, int)
            or min(position, events) < 1
        ):
            raise InvalidInput("a digest covers at least one event", field="position")
        if not _HEX64.match(str(checkpoint.get("hash", ""))):
            raise InvalidInput("a digest's hash must be a SHA-256 hex digest", field="hash")
        if not all(isinstance(checkpoint.get(k), str) and checkpoint[k] for k in _SIGNED_TEXT):
            raise InvalidInput("a digest must be signed, with its time and key", field="signature")
        return cls(
            position=position,
            head_hash=checkpoint["hash"],
            events=events,
            **{k: checkpoint[k] for k in _SIGNED_TEXT},
        )

    @event("DigestIssued")
    def __init__(
        self,
        *,
        position: int,
        head_hash: str,
        events: int,
        issued_at: str,
        key_id: str,
        public_key: str,
        signature: str,
    ) -> None:
        self.position = position
        self.head_hash = head_hash
        self.events = events
        self.issued_at = issued_at
        self.key_id = key_id
        self.public_key = public_key
        self.signature = signature
