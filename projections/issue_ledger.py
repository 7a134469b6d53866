"""问题清单: a row per issue, with its items' statuses and deadlines for counts and lights."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.persistence import Tracking

from domain import issue as states
from domain.issue import Issue
from domain.item import RectificationItem
from projections.base import ViewProjection, actor_of, handles, iso, stamp, touched
from projections.ids import id_text
from projections.item_state import ITEM_CORE_COLUMNS, ITEM_EVENTS, apply_item
from projections.store import Batch
from projections.table import Table

ISSUES = Table(
    name="view_issues",
    key="id",
    columns=(
        "id",
        "office",
        "category",
        "subtype",
        "source",
        "title",
        "description",
        "status",
        "found_on",
        "found_entered_on",
        "found_at",
        "found_by_id",
        "found_by_name",
        "closed_at",
        "reported_at",
        "reopen_count",
        "version",
        "updated_at",
        "position",
    ),
    integers=frozenset({"reopen_count", "version", "position"}),
    indexes=(
        ("office", "found_on"),
        ("office", "status", "found_on"),  # an office's page of one status (not all of it)
        ("status",),
        ("category",),
        ("found_on",),
        ("updated_at",),
    ),
)

ISSUE_ITEMS = Table(
    name="view_issue_items",
    key="item_id",
    columns=("item_id", "issue_id", *ITEM_CORE_COLUMNS),
    json=frozenset({"approvals"}),
    indexes=(("issue_id",),),
    defaults={"approvals": []},
)


class IssueLedger(ViewProjection):
    name = "issue_ledger"
    label = "问题清单"
    tables = (ISSUES, ISSUE_ITEMS)
    aggregates = (Issue, RectificationItem)

    def prefetch(self, event: Any) -> Iterable[tuple[str, str]]:
        if type(event).__qualname__.startswith("Issue."):
            return [(ISSUES.name, id_text(event.originator_id))]
        return [(ISSUE_ITEMS.name, id_text(event.originator_id))]

    @handles("Issue.Found")
    def found(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        actor = actor_of(event)
        row = ISSUES.blank(
            id=id_text(event.originator_id),
            office=event.office,
            category=event.category,
            subtype=event.subtype,
            source=event.source,
            title=event.title,
            description=event.description,
            status=states.OPEN,
            found_on=iso(event.found_on),
            found_entered_on=iso(self.context.local_date(event.timestamp)),
            found_at=stamp(event.timestamp),
            found_by_id=actor["id"],
            found_by_name=actor["name"],
        )
        self._touch(batch, row, event, tracking)

    @handles("Issue.Corrected")
    def corrected(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._issue(batch, event)
        row.update(
            category=event.category,
            subtype=event.subtype,
            title=event.title,
            description=event.description,
            found_on=iso(event.found_on),
        )
        self._touch(batch, row, event, tracking)

    @handles("Issue.ItemAdded", "Issue.ItemVerified", "Issue.ItemSentBack")
    def item_noted(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        self._touch(batch, self._issue(batch, event), event, tracking)

    @handles("Issue.Closed")
    def closed(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._issue(batch, event)
        row.update(status=states.CLOSED, closed_at=stamp(event.timestamp))
        self._touch(batch, row, event, tracking)

    @handles("Issue.Reopened")
    def reopened(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._issue(batch, event)
        row.update(status=states.OPEN, closed_at=None, reported_at=None)
        row["reopen_count"] += 1
        self._touch(batch, row, event, tracking)

    @handles("Issue.Reported")
    def reported(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = self._issue(batch, event)
        row.update(status=states.REPORTED, reported_at=stamp(event.timestamp))
        self._touch(batch, row, event, tracking)

    @handles(*ITEM_EVENTS)
    def item_changed(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        key = id_text(event.originator_id)
        row = batch.get(ISSUE_ITEMS.name, key)
        if row is None:
            row = ISSUE_ITEMS.blank(item_id=key, issue_id=id_text(event.issue_id))
        apply_item(row, event)
        batch.put(ISSUE_ITEMS.name, row)

    @staticmethod
    def _issue(batch: Batch, event: Any) -> dict[str, Any]:
        return batch.require(ISSUES.name, event.originator_id, missing="no Found event before it")

    @staticmethod
    def _touch(batch: Batch, row: dict[str, Any], event: Any, tracking: Tracking) -> None:
        touched(row, event, tracking)
        batch.put(ISSUES.name, row)
