"""ReadModels: the one query interface over the projections (CLI readers and the HTTP API).

Scoping: ``offices=None`` means every office; a set means only those offices (callers pass
``policy.readable_offices(principal)``); an empty set means none. ``office`` narrows to one
office and its sub-offices. Unknown filter values raise ``InvalidInput`` naming the field.
Lights are computed at read time against the clock; times come back in the campaign's zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from application.ports import Clock
from domain.campaign import Campaign
from domain.errors import UnknownUnit
from infrastructure.database import SideDatabase
from infrastructure.settings import Settings
from projections.accountability import read_accountability
from projections.asof import ledgers_as_of
from projections.audit_reads import read_audit, read_case
from projections.item_ledger import ITEM_EVIDENCE
from projections.ledger_reads import (
    ISSUE_SORTS,
    ITEM_SORTS,
    LedgerQuery,
    items_claim_flags,
    ledger_ids,
    read_issues,
    read_items,
)
from projections.lights import LIGHTS, LightRule
from projections.progress import read_progress
from projections.reading import check_choice, check_page, fetch, office_scope
from projections.registry import VIEWS
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
from projections.source import EventLog
from projections.store import view_positions

__all__ = [
    "ACCOUNTABILITY_KINDS",
    "ISSUE_SORTS",
    "ITEM_SORTS",
    "LIGHTS",
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

ACCOUNTABILITY_KINDS = ("lagging", "ineffective", "falsified")
_LEDGER_FILTERS = ("offices", "office", "category", "status", "light", "q", "sort", "as_of")


def _ledger_filters(arguments: dict[str, Any]) -> dict[str, Any]:
    """The filters both ledgers share, from a read's own arguments."""
    return {name: arguments[name] for name in _LEDGER_FILTERS}


class ReadModels:
    """Ledgers, progress, accountability and the audit log, read from the projections."""

    def __init__(
        self,
        db: SideDatabase,
        *,
        settings: Settings,
        campaign: Campaign,
        clock: Clock,
        events: EventLog,
    ) -> None:
        self.db = db
        self.settings = settings
        self.campaign = campaign
        self.clock = clock
        self.events = events
        self.tz = ZoneInfo(campaign.timezone)

    def rule(self, at: datetime | None = None) -> LightRule:
        """Today's light rule; ``at`` for the lights as they stood at a past moment."""
        moment = at if at is not None else self.clock.now()
        return LightRule(
            today=moment.astimezone(self.tz).date(), yellow_days=self.settings.yellow_days
        )

    @contextmanager
    def _source(
        self, as_of: datetime | None, scope: frozenset[str] | None
    ) -> Iterator[SideDatabase]:
        if as_of is None:
            yield self.db
            return
        with ledgers_as_of(
            self.events,
            self.db,
            at=as_of,
            offices=scope,
            campaign=self.campaign,
            settings=self.settings,
        ) as memory:
            yield memory

    @contextmanager
    def _ledger(
        self,
        *,
        offices: frozenset[str] | None,
        sort: str,
        as_of: datetime | None,
        office: str | None = None,
        category: str | None = None,
        status: str | None = None,
        light: str | None = None,
        q: str | None = None,
        page: int = 1,
        page_size: int | None = None,
    ) -> Iterator[tuple[SideDatabase, LightRule, LedgerQuery]]:
        """Where a ledger query runs (the views, or the ledgers replayed as of a moment),
        the light rule it is judged by and the query; ``page_size`` None: every row."""
        size = self.settings.max_page_size if page_size is None else page_size
        check_page(page, size, max_page_size=self.settings.max_page_size)
        query = LedgerQuery(
            scope=office_scope(self.campaign, offices, office),
            category=category,
            status=status,
            light=light,
            q=q,
            sort=sort,
            page=page,
            page_size=size,
        )
        with self._source(as_of, query.scope) as db:
            yield db, self.rule(as_of), query

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
        common = _ledger_filters(locals())
        with self._ledger(**common, page=page, page_size=page_size) as (db, rule, query):
            backdate_days = self.settings.backdate_days
            return read_issues(
                db, self.campaign, rule, query, source=source, backdate_days=backdate_days
            )

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
        common = _ledger_filters(locals())
        with self._ledger(**common, page=page, page_size=page_size) as (db, rule, query):
            backdate_days = self.settings.backdate_days
            return read_items(
                db, self.campaign, rule, query, overdue=overdue, backdate_days=backdate_days
            )

    def row_ids(
        self,
        ledger: str,
        *,
        offices: frozenset[str] | None,
        as_of: datetime | None = None,
        sort: str | None = None,
        source: str | None = None,
        overdue: bool | None = None,
        **filters: Any,
    ) -> list[UUID]:
        """Every row the list ``ledger`` ("issues" or "items") selects with these filters
        (its ``source`` or ``overdue`` among them): all its pages, in its order, read in one
        query and, as of a moment, from one replay of the log. What a sheet of it holds."""
        sort = sort or ("-found_on" if ledger == "issues" else "deadline")
        with self._ledger(offices=offices, as_of=as_of, sort=sort, **filters) as (db, rule, query):
            return ledger_ids(db, ledger, rule, query, source=source, overdue=overdue)

    def claim_flags(self, item_ids: list[UUID]) -> dict[UUID, list[str]]:
        """The claim flags the 整改台账 shows for each of these items (倒签, 逾期后补录)."""
        found = items_claim_flags(self.db, [str(i) for i in item_ids], self.settings.backdate_days)
        return {UUID(item_id): flags for item_id, flags in found.items()}

    def progress(self, *, offices: frozenset[str] | None) -> ProgressView:
        """Per office (sub-offices rolled into the parent and on their own) and per category."""
        return read_progress(self.db, self.campaign, self.rule(), offices)

    def accountability(
        self, *, offices: frozenset[str] | None, kind: str | None = None
    ) -> list[AccountabilityRecord]:
        """Lagging, ineffective and falsified records, each citing its events."""
        check_choice(kind, ACCOUNTABILITY_KINDS, field="kind")
        kinds = ACCOUNTABILITY_KINDS if kind is None else (kind,)
        return read_accountability(
            self.db, self.campaign, self.rule(), offices=offices, kinds=kinds
        )

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
        routine: bool = True,
    ) -> Page[AuditRow]:
        """The audit log, newest first. ``actor`` is an account id, username or display name;
        ``unit`` the actor's unit (one the campaign lists, as a ledger's ``office`` must be);
        ``case`` an issue (with its items) or an item; without ``routine``, no sign-ins and
        none of the records' own bookkeeping (stored answers, the import's row index)."""
        check_page(page, page_size, max_page_size=self.settings.max_page_size)
        if unit is not None:
            try:
                self.campaign.unit(unit)
            except UnknownUnit as exc:
                raise UnknownUnit(exc.message, field="unit") from None
        return read_audit(
            self.db,
            self.tz,
            actor=actor,
            unit=unit,
            case=case,
            since=since,
            until=until,
            offices=offices,
            page=page,
            page_size=page_size,
            routine=routine,
        )

    def offices_citing(self, sha256: str) -> set[str]:
        """The offices of the items whose recorded rectification cites this file."""
        rows = fetch(
            self.db,
            f"SELECT DISTINCT office FROM {ITEM_EVIDENCE.name} WHERE sha256 = %s",
            (sha256,),
        )
        return {str(office) for (office,) in rows}

    def case_events(self, case_id: UUID) -> list[AuditRow]:
        """Every event of an issue and its items (or of one item), in position order."""
        return read_case(self.db, self.tz, case_id)

    def status(self) -> list[ViewStatus]:
        """Each view's tracked position, the log's head and the lag between them."""
        head = self.events.head()
        positions = view_positions(self.db)
        return [
            ViewStatus(
                name=view.name,
                label=view.label,
                position=positions.get(view.name, 0),
                head=head,
                lag=max(head - positions.get(view.name, 0), 0),
            )
            for view in VIEWS
        ]
