"""Who may download an evidence file: whoever may read a case that cites it."""

from __future__ import annotations

from typing import Any

from eventsourcing.utils import get_topic

from application.commanding import CommandingApp
from application.principal import Caller
from domain.item import RectificationItem

_RECTIFIED = get_topic(getattr(RectificationItem, "Rectified"))  # noqa: B009 - made by @event
_BATCH = 500


class EvidenceReads(CommandingApp):
    def check_may_upload(self, caller: Caller) -> None:
        self.policy.authorize_anywhere(caller.principal, "upload_evidence")

    def offices_citing(self, sha256: str) -> set[str]:
        """The offices of every item whose recorded rectification cites this file."""
        items: set[Any] = set()
        start: int | None = None
        while True:
            batch = self.recorder.select_notifications(
                start, _BATCH, topics=[_RECTIFIED], inclusive_of_start=False
            )
            for notification in batch:
                event = self.mapper.to_domain_event(notification)
                if any(ref.get("sha256") == sha256 for ref in getattr(event, "evidence", [])):
                    items.add(event.originator_id)
            if len(batch) < _BATCH:
                break
            start = batch[-1].id
        return {self.load(RectificationItem, item_id).office for item_id in items}

    def may_read_evidence(self, caller: Caller, sha256: str) -> bool:
        return any(
            self.policy.can_read(caller.principal, office) for office in self.offices_citing(sha256)
        )
