"""整改台账: a row per rectification item, with its approvals, verification and claims.

Every claimed date (rectified on) is kept with the day it was entered and the deadline at
that moment, so the ledger can flag a claim entered after its deadline or backdated by more
than ``backdate_days`` (issue 5 §5). The flags are decided at read time from these facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.persistence import Tracking

from domain.issue import Issue
from domain.item import RectificationItem
from projections.base import ViewProjection, actor_of, handles, iso, restate, stamp, touched
from projections.ids import id_text
from projections.item_state import ITEM_CORE_COLUMNS, apply_item
from projections.store import Batch
from projections.table import Table

ITEMS = Table(
    name="view_items",
    key="id",
    columns=(
        "id",
        "issue_id",
        "office",
        "category",
        "issue_title",
        "measure",
        "measure_type",
        "responsible",
        *ITEM_CORE_COLUMNS,
        "original_deadline",
        "extensions",
        "pending_extension",
        "planned_at",
        "rectified_on",
        "rectified_at",
        "rectified_by_name",
        "verified_at",
        "verified_by_id",
        "verified_by_name",
        "failed_verifications",
        "falsification_flags",
        "claims",
        "version",
        "updated_at",
        "position",
    ),
    integers=frozenset(
        {"extensions", "failed_verifications", "falsification_flags", "version", "position"}
    ),
    json=frozenset({"approvals", "claims"}),
    indexes=(
        ("office", "deadline"),
        ("office", "status", "deadline"),  # an office's page of one status (not all of it)
        ("status", "deadline"),
        ("deadline",),
        ("issue_id",),
        ("category",),
        ("updated_at",),
    ),
    defaults={"approvals": [], "claims": []},
)

ITEM_ISSUES = Table(
    name="view_item_issues",
    key="id",
    columns=("id", "office", "category", "title"),
)

# Each file a recorded rectification cites, with the item's office: who may download a file
# is whoever may read a case citing it, found here by the file's hash.
ITEM_EVIDENCE = Table(
    name="view_item_evidence",
    key="id",  # the file's sha256 and the item's id
    columns=("id", "sha256", "item_id", "office"),
    indexes=(("sha256",),),
)


class ItemLedger(ViewProjection):
    name = "item_ledger"
    label = "整改台账"
    tables = (ITEMS, ITEM_ISSUES, ITEM_EVIDENCE)
    aggregates = (Issue, RectificationItem)

    def prefetch(self, event: Any) -> Iterable[tuple[str, str]]:
        if type(event).__name__ == "Planned":
            return [(ITEM_ISSUES.name, id_text(event.issue_id))]
        if type(event).__qualname__ == "Issue.Corrected":
            mine = [(ITEMS.name, id_text(i)) for i in event.items]
            return [(ITEM_ISSUES.name, id_text(event.originator_id)), *mine]
        return [(ITEMS.name, id_text(event.originator_id))]

    @handles("Issue.Found")
    def issue_found(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        batch.put(
            ITEM_ISSUES.name,
            {
                "id": id_text(event.originator_id),
                "office": event.office,
                "category": event.category,
                "title": event.title,
            },
        )

    @handles("Issue.Corrected")
    def issue_corrected(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        issue = {"category": event.category, "title": event.title}
        restate(batch, ITEM_ISSUES.name, [event.originator_id], **issue)
        restate(batch, ITEMS.name, event.items, category=event.category, issue_title=event.title)

    @handles("RectificationItem.Planned")
    def planned(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        issue = batch.require(ITEM_ISSUES.name, event.issue_id, missing="unknown issue")
        row = ITEMS.blank(
            id=id_text(event.originator_id),
            issue_id=issue["id"],
            office=event.office,
            category=issue["category"],
            issue_title=issue["title"],
            planned_at=stamp(event.timestamp),
        )
        self._replan(row, event)
        self._touch(batch, row, event, tracking)

    @handles("RectificationItem.Replanned")
    def replanned(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._item(batch, event)
        self._replan(row, event)
        self._touch(batch, row, event, tracking)

    @staticmethod
    def _replan(row: dict[str, Any], event: Any) -> None:
        row.update(
            measure=event.measure,
            measure_type=event.measure_type,
            responsible=event.responsible,
            original_deadline=iso(event.deadline),
        )

    @handles(
        "RectificationItem.ApprovalRequested",
        "RectificationItem.Approved",
        "RectificationItem.Rejected",
        "RectificationItem.ExtensionRefused",
        "RectificationItem.Reported",
    )
    def moved(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._item(batch, event)
        if type(event).__name__ == "ExtensionRefused":
            row["pending_extension"] = None
        self._touch(batch, row, event, tracking)

    @handles("RectificationItem.Rectified")
    def rectified(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._item(batch, event)
        claim = {
            "claimed": iso(event.rectified_on),
            "entered": iso(self.context.local_date(event.timestamp)),
            "deadline": row["deadline"],
        }
        row.update(
            rectified_on=iso(event.rectified_on),
            rectified_at=stamp(event.timestamp),
            rectified_by_name=actor_of(event)["name"],
            claims=[*row["claims"], claim],
        )
        self._touch(batch, row, event, tracking)
        for ref in getattr(event, "evidence", None) or []:
            sha256 = str(ref.get("sha256", ""))
            batch.put(
                ITEM_EVIDENCE.name,
                {
                    "id": f"{sha256}:{row['id']}",
                    "sha256": sha256,
                    "item_id": row["id"],
                    "office": row["office"],
                },
            )

    @handles("RectificationItem.VerificationPassed")
    def verified(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._item(batch, event)
        actor = actor_of(event)
        row.update(
            verified_at=stamp(event.timestamp),
            verified_by_id=actor["id"],
            verified_by_name=actor["name"],
        )
        self._touch(batch, row, event, tracking)

    @handles("RectificationItem.VerificationFailed")
    def failed(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._item(batch, event)
        row["failed_verifications"] += 1
        self._touch(batch, row, event, tracking)

    @handles("RectificationItem.ExtensionRequested")
    def extension_requested(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._item(batch, event)
        row["pending_extension"] = iso(event.new_deadline)
        self._touch(batch, row, event, tracking)

    @handles("RectificationItem.DeadlineExtended")
    def extended(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._item(batch, event)
        row["extensions"] += 1
        row["pending_extension"] = None
        self._touch(batch, row, event, tracking)

    @handles("RectificationItem.Reassigned")
    def reassigned(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._item(batch, event)
        row["responsible"] = event.responsible
        self._touch(batch, row, event, tracking)

    @handles("RectificationItem.FalsificationFlagged")
    def flagged(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._item(batch, event)
        row["falsification_flags"] += 1
        row.update(verified_at=None, verified_by_id=None, verified_by_name=None)
        self._touch(batch, row, event, tracking)

    @staticmethod
    def _item(batch: Batch, event: Any) -> dict[str, Any]:
        return batch.require(ITEMS.name, event.originator_id, missing="no Planned event before it")

    @staticmethod
    def _touch(batch: Batch, row: dict[str, Any], event: Any, tracking: Tracking) -> None:
        apply_item(row, event)
        touched(row, event, tracking)
        batch.put(ITEMS.name, row)
