"""The ledger at one position of the event log, folded from the events themselves.

Documents that are submitted or hashed (self-inspection snapshots, rectification reports,
the Excel ledgers) must say exactly what the log said at one moment — as of now, or as of
a past time — not what an asynchronous read model had caught up with. This fold reads the
log once, in order, and rebuilds issues and items from their own events (no other state).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Final
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from domain.issue import Issue
from domain.item import NOT_YET_RECTIFIED, RectificationItem
from domain.taxonomy import ITEM_STATUS_LABELS

_PAGE: Final = 500
_ISSUE_TOPIC: Final = f"{Issue.__module__}:{Issue.__qualname__}."
_ITEM_TOPIC: Final = f"{RectificationItem.__module__}:{RectificationItem.__qualname__}."


@dataclass(frozen=True)
class LedgerItem:
    id: UUID
    issue_id: UUID
    office: str
    measure: str
    measure_type: str
    responsible: str
    deadline: date
    original_deadline: date
    involves: str
    status: str
    rectification: str
    rectified_on: date | None
    extensions: int
    failed_verifications: int
    falsification_flags: int
    overdue: bool

    @property
    def is_open(self) -> bool:
        return self.status not in ("verified", "reported")

    @property
    def completed(self) -> bool:
        """Rectified and standing (rectified, verified or reported): a claim sent back by a
        failed check or a falsification flag no longer says the work was done."""
        return self.status in ("rectified", "verified", "reported")

    @property
    def status_text(self) -> str:
        """状态 in a ledger or report: the status, marked when a falsification was found
        (the most serious finding; a re-rectified item still carries it)."""
        flags = self.falsification_flags
        return ITEM_STATUS_LABELS[self.status] + (f"（认定弄虚作假{flags}次）" if flags else "")

    @property
    def progress(self) -> str:
        """整改进展: what a reader of the ledger wants to know about the item now."""
        if self.rectification and self.completed:
            return self.rectification
        text = ITEM_STATUS_LABELS[self.status]
        if self.falsification_flags:
            text += f"（认定弄虚作假{self.falsification_flags}次，须重新整改）"
        if self.failed_verifications:
            text += f"（核查未通过{self.failed_verifications}次）"
        if self.extensions:
            text += f"（延期{self.extensions}次）"
        return text


@dataclass(frozen=True)
class LedgerIssue:
    id: UUID
    office: str
    category: str
    subtype: str
    source: str
    title: str
    description: str
    assets: list[dict[str, str]]
    found_on: date
    status: str
    items: tuple[LedgerItem, ...]
    number: int  # 问题编号: the office's problems numbered 1, 2, … in the order recorded


@dataclass(frozen=True)
class Ledger:
    """Issues in the order they were recorded, each with its items in planning order."""

    issues: list[LedgerIssue]
    today: date
    as_of: datetime | None
    position: int
    offices: frozenset[str] | None = field(default=None)

    @property
    def items(self) -> list[LedgerItem]:
        return [item for issue in self.issues for item in issue.items]

    def in_category(self, category: str | None) -> Ledger:
        """The problems of one category (None: every problem)."""
        if category is None:
            return self
        return replace(self, issues=[i for i in self.issues if i.category == category])

    def issue(self, issue_id: UUID) -> LedgerIssue:
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)


def _item_row(item: RectificationItem, today: date) -> LedgerItem:
    return LedgerItem(
        id=item.id,
        issue_id=item.issue_id,
        office=item.office,
        measure=item.measure,
        measure_type=item.measure_type,
        responsible=item.responsible,
        deadline=item.deadline,
        original_deadline=item.original_deadline,
        involves=item.involves,
        status=item.status,
        rectification=str(getattr(item, "rectification", "")),
        rectified_on=item.rectified_on,
        extensions=item.extensions,
        failed_verifications=item.failed_verifications,
        falsification_flags=item.falsification_flags,
        overdue=item.status in NOT_YET_RECTIFIED and item.deadline < today,
    )


def _issue_row(issue: Issue, items: dict[UUID, LedgerItem], number: int) -> LedgerIssue:
    return LedgerIssue(
        id=issue.id,
        office=issue.office,
        category=issue.category,
        subtype=issue.subtype,
        source=issue.source,
        title=issue.title,
        description=issue.description,
        assets=list(issue.assets),
        found_on=issue.found_on,
        status=issue.status,
        items=tuple(items[i] for i in issue.items if i in items),
        number=number,
    )


def _notifications(app: Application[UUID]) -> Iterable[Any]:
    """Every notification of the log, in order, a page at a time."""
    start = 1
    while True:
        page = app.recorder.select_notifications(start, _PAGE)
        yield from page
        if len(page) < _PAGE:
            return
        start = page[-1].id + 1


def _events(app: Application[UUID], as_of: datetime | None) -> Iterable[tuple[int, Any]]:
    for notification in _notifications(app):
        if notification.topic.startswith((_ISSUE_TOPIC, _ITEM_TOPIC)):
            domain_event: Any = app.mapper.to_domain_event(notification)
            if as_of is None or domain_event.timestamp <= as_of:
                yield notification.id, domain_event


def created_ids(app: Application[UUID], cls: type[Aggregate]) -> list[UUID]:
    """Ids of every aggregate of this class, in the order they were created."""
    prefix = f"{cls.__module__}:{cls.__qualname__}."
    return [
        UUID(str(n.originator_id))
        for n in _notifications(app)
        if n.topic.startswith(prefix) and n.originator_version == 1
    ]


def scan_ledger(
    app: Application[UUID],
    *,
    today: date,
    offices: frozenset[str] | None = None,
    as_of: datetime | None = None,
) -> Ledger:
    """Fold every issue and item event (up to ``as_of``) into the ledger of these offices."""
    aggregates: dict[UUID, Aggregate] = {}
    order: list[UUID] = []
    position = 0
    for position, domain_event in _events(app, as_of):  # noqa: B007 - the last one is kept
        aggregate_id = domain_event.originator_id
        current = aggregates.get(aggregate_id)
        mutated = domain_event.mutate(current)
        if current is None:
            order.append(aggregate_id)
        aggregates[aggregate_id] = mutated
    items = {
        a.id: _item_row(a, today)
        for a in aggregates.values()
        if isinstance(a, RectificationItem) and (offices is None or a.office in offices)
    }
    counted: dict[str, int] = {}
    issues = []
    for aid in order:
        found = aggregates[aid]
        if isinstance(found, Issue) and (offices is None or found.office in offices):
            counted[found.office] = number = counted.get(found.office, 0) + 1
            issues.append(_issue_row(found, items, number))
    return Ledger(issues=issues, today=today, as_of=as_of, position=position, offices=offices)
