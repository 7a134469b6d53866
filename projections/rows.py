"""What the read models answer: frozen rows of plain values (the API turns them into schemas).

Times are timezone-aware and shown in the campaign's time zone; dates are campaign dates.
Lights are ``green`` / ``yellow`` / ``red``, computed at read time against the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar
from uuid import UUID

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return (self.total + self.page_size - 1) // self.page_size if self.page_size else 0


@dataclass(frozen=True)
class IssueRow:
    """A row of the 问题清单."""

    id: UUID
    office: str
    office_name: str
    parent_office: str | None
    category: str
    category_label: str
    subtype: str
    subtype_label: str
    source: str
    source_label: str
    title: str
    description: str
    status: str
    status_label: str
    found_on: date
    found_at: datetime
    found_by_id: str
    found_by_name: str
    item_counts: dict[str, int]
    items_total: int
    items_verified: int
    closed_at: datetime | None
    reported_at: datetime | None
    reopen_count: int
    light: str
    claim_flags: list[str]
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class ItemRow:
    """A row of the 整改台账."""

    id: UUID
    issue_id: UUID
    issue_title: str
    office: str
    office_name: str
    parent_office: str | None
    category: str
    category_label: str
    measure: str
    measure_type: str
    measure_type_label: str
    responsible: str
    involves: str
    deadline: date
    original_deadline: date
    extensions: int
    pending_extension: date | None
    status: str
    status_label: str
    approvals: list[str]
    missing_approvals: list[str]
    planned_at: datetime
    rectified_on: date | None
    rectified_at: datetime | None
    rectified_by_name: str | None
    verified_at: datetime | None
    verified_by_id: str | None
    verified_by_name: str | None
    failed_verifications: int
    falsification_flags: int
    falsified: bool
    claim_flags: list[str]
    light: str
    overdue: bool
    days_left: int
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class ProgressCounts:
    total: int
    by_status: dict[str, int]
    verified: int
    percent_verified: float
    overdue: int
    due_soon: int
    light: str
    milestones_missed: list[str]
    issues: int
    issues_closed: int
    unplanned: int  # open problems with no item planned yet


@dataclass(frozen=True)
class OfficeProgress:
    office: str
    name: str
    parent: str | None
    sub_offices: list[str]
    own: ProgressCounts
    with_sub_offices: ProgressCounts


@dataclass(frozen=True)
class CategoryProgress:
    category: str
    label: str
    counts: ProgressCounts


@dataclass(frozen=True)
class MilestoneRow:
    code: str
    label: str
    due: date
    passed: bool
    days_left: int


@dataclass(frozen=True)
class ProgressView:
    today: date
    yellow_days: int
    total: ProgressCounts
    offices: list[OfficeProgress]
    categories: list[CategoryProgress]
    milestones: list[MilestoneRow]


@dataclass(frozen=True)
class Citation:
    """One event that justifies an accountability record."""

    position: int
    event_type: str
    aggregate_id: UUID
    actor_id: str
    actor_name: str
    actor_role: str
    actor_unit: str
    recorded_at: datetime
    comment: str


@dataclass(frozen=True)
class AccountabilityRecord:
    id: str
    kind: str
    kind_label: str
    office: str
    office_name: str
    issue_id: UUID | None
    item_id: UUID | None
    issue_title: str
    measure: str
    responsible: str
    reason: str
    since: date | None
    citations: list[Citation]


@dataclass(frozen=True)
class AuditRow:
    position: int
    aggregate_type: str
    aggregate_id: UUID
    case_id: UUID | None
    event_type: str
    version: int
    actor_id: str
    actor_name: str
    actor_role: str
    actor_unit: str
    request_id: str
    recorded_at: datetime
    office: str | None
    summary: str


@dataclass(frozen=True)
class ViewStatus:
    name: str
    label: str
    position: int
    head: int
    lag: int
