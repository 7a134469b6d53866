"""The latest signed digest of the audit trail, read from its ``DigestIssued`` events."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from application.paperwork import AuditDigest

DIGEST_ISSUED_TOPIC = "domain.digest:AuditDigest.DigestIssued"
_PAGE = 500


class LoggedDigests:
    """Reads the issued digests the audit trail records in the event log (issue 5)."""

    def __init__(self, app: Application[UUID], *, topic: str = DIGEST_ISSUED_TOPIC) -> None:
        self.app = app
        self.topic = topic

    def latest(self) -> AuditDigest | None:
        last: Any = None
        start: int | None = None
        while True:
            page = self.app.recorder.select_notifications(
                start, _PAGE, topics=[self.topic], inclusive_of_start=False
            )
            if page:
                last = page[-1]
                start = page[-1].id
            if len(page) < _PAGE:
                break
        if last is None:
            return None
        event: Any = self.app.mapper.to_domain_event(last)
        return AuditDigest(
            position=int(event.position),
            head_hash=str(event.head_hash),
            signed_at=datetime.fromisoformat(str(event.issued_at)),
            signature=str(event.signature),
            key_id=str(event.key_id),
        )
