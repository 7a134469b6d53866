"""ReadModels: the one query interface over the projections (CLI readers and the HTTP API).

Scoping: ``offices=None`` means every office; a set means only those offices (callers pass
``policy.readable_offices(principal)``); an empty set means none. ``office`` narrows to one
office and its sub-offices. Unknown filter values raise ``InvalidInput`` naming the field.
Lights are computed at read time against the clock; times come back in the campaign's zone.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.ports import Clock
from domain.campaign import Campaign
from infrastructure.database import SideDatabase
from infrastructure.settings import Settings
from projections.rows import (
    AccountabilityRecord,
    AuditRow,
    CategoryProgress,
    Citation,
    IssueRow,
    ItemRow,
    MilestoneRow,
    OfficeProgress,
    Page,
    ProgressCounts,
    ProgressView,
    ViewStatus,
)

__all__ = [
    "AccountabilityRecord",
    "AuditRow",
    "CategoryProgress",
    "Citation",
    "IssueRow",
    "ItemRow",
    "MilestoneRow",
    "OfficeProgress",
    "Page",
    "ProgressCounts",
    "ProgressView",
    "ReadModels",
    "ViewStatus",
]

ISSUE_SORTS = ("found_on", "found_at", "updated_at", "office", "category", "status", "title")
ITEM_SORTS = ("deadline", "planned_at", "updated_at", "office", "status", "responsible")
ACCOUNTABILITY_KINDS = ("lagging", "ineffective", "falsified")
LIGHTS = ("green", "yellow", "red")


class ReadModels:
    """Ledgers, progress, accountability and the audit log, read from the projections."""

    def __init__(
        self, db: SideDatabase, *, settings: Settings, campaign: Campaign, clock: Clock
    ) -> None:
        self.db = db
        self.settings = settings
        self.campaign = campaign
        self.clock = clock

    def issues(
        self,
        *,
        offices: frozenset[str] | None,
        office: str | None = None,
        category: str | None = None,
        status: str | None = None,
        source: str | None = None,
        light: str | None = None,
        q: str | None = None,
        sort: str = "-found_on",
        page: int = 1,
        page_size: int = 50,
        as_of: datetime | None = None,
    ) -> Page[IssueRow]:
        """The 问题清单; ``sort`` is one of ISSUE_SORTS, ``-`` in front for descending."""
        raise NotImplementedError

    def items(
        self,
        *,
        offices: frozenset[str] | None,
        office: str | None = None,
        category: str | None = None,
        status: str | None = None,
        overdue: bool | None = None,
        light: str | None = None,
        q: str | None = None,
        sort: str = "deadline",
        page: int = 1,
        page_size: int = 50,
        as_of: datetime | None = None,
    ) -> Page[ItemRow]:
        """The 整改台账; ``sort`` is one of ITEM_SORTS, ``-`` in front for descending."""
        raise NotImplementedError

    def progress(self, *, offices: frozenset[str] | None) -> ProgressView:
        """Per office (sub-offices rolled into the parent and on their own) and per category."""
        raise NotImplementedError

    def accountability(
        self, *, offices: frozenset[str] | None, kind: str | None = None
    ) -> list[AccountabilityRecord]:
        """Lagging, ineffective and falsified records, each citing its events."""
        raise NotImplementedError

    def audit_events(
        self,
        *,
        actor: str | None = None,
        unit: str | None = None,
        case: UUID | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        page: int = 1,
        page_size: int = 100,
        offices: frozenset[str] | None = None,
    ) -> Page[AuditRow]:
        """The audit log, newest first. ``actor`` is an account id, username or display name;
        ``unit`` the actor's unit; ``case`` an issue (with its items) or an item."""
        raise NotImplementedError

    def case_events(self, case_id: UUID) -> list[AuditRow]:
        """Every event of an issue and its items (or of one item), in position order."""
        raise NotImplementedError

    def status(self) -> list[ViewStatus]:
        """Each view's tracked position, the log's head and the lag between them."""
        raise NotImplementedError
