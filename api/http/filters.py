"""Query filters of the ledgers and the audit log, documented once, and the rows they select.

The documented choices are for the reader; the read models check every value and a bad
one answers 422 naming the parameter. An export selects its rows with the list's own query
(``selected_ledger``), so it checks and applies every filter exactly as the list does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import structlog
from fastapi import Depends, Query

from api.http.deps import SettingsDep, moment
from api.http.schemas.common import Code, ShortText, one_of
from application.errors import NotFound, ReadModelsBehind
from application.ledger_scan import Ledger, LedgerIssue
from application.principal import Caller
from domain.campaign import Campaign
from domain.taxonomy import CATEGORIES, SOURCES
from infrastructure.container import Container
from projections.labels import ISSUE_STATUS, ITEM_STATUS
from projections.ledger_reads import ISSUE_SORTS, ITEM_SORTS
from projections.lights import LIGHTS
from projections.rows import Page

LEDGER_VIEWS = ("issue_ledger", "item_ledger")


def _sorts(columns: tuple[str, ...]) -> list[str]:
    return [*columns, *(f"-{c}" for c in columns)]


Office = Annotated[
    Code | None, Query(description="An office; its sub-offices are included", examples=["bj"])
]
Category = Annotated[Code | None, Query(json_schema_extra=one_of(CATEGORIES))]
Light = Annotated[Code | None, Query(json_schema_extra=one_of(LIGHTS))]
Text = Annotated[ShortText | None, Query(description="Words to look for", max_length=200)]


@dataclass(frozen=True, kw_only=True)
class Filters:
    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class LedgerFilters(Filters):
    office: str | None
    category: str | None
    status: str | None
    light: str | None
    q: str | None
    sort: str


@dataclass(frozen=True, kw_only=True)
class IssueFilters(LedgerFilters):
    source: str | None


async def issue_filters(
    office: Office = None,
    category: Category = None,
    status: Annotated[Code | None, Query(json_schema_extra=one_of(ISSUE_STATUS))] = None,
    source: Annotated[Code | None, Query(json_schema_extra=one_of(SOURCES))] = None,
    light: Light = None,
    q: Text = None,
    sort: Annotated[str, Query(max_length=30, json_schema_extra=one_of(_sorts(ISSUE_SORTS)))] = (
        "-found_on"
    ),
) -> IssueFilters:
    return IssueFilters(
        office=office, category=category, status=status, source=source, light=light, q=q, sort=sort
    )


@dataclass(frozen=True, kw_only=True)
class ItemFilters(LedgerFilters):
    overdue: bool | None

    @property
    def look_at_measures(self) -> bool:
        """Whether they select measures by more than their problem's office and category."""
        return self.overdue is not None or any((self.status, self.light, self.q))


async def item_filters(
    office: Office = None,
    category: Category = None,
    status: Annotated[Code | None, Query(json_schema_extra=one_of(ITEM_STATUS))] = None,
    overdue: Annotated[
        bool | None, Query(description="true: only items past their deadline, not rectified")
    ] = None,
    light: Light = None,
    q: Text = None,
    sort: Annotated[str, Query(max_length=30, json_schema_extra=one_of(_sorts(ITEM_SORTS)))] = (
        "deadline"
    ),
) -> ItemFilters:
    return ItemFilters(
        office=office,
        category=category,
        status=status,
        overdue=overdue,
        light=light,
        q=q,
        sort=sort,
    )


@dataclass(frozen=True, kw_only=True)
class AuditFilters(Filters):
    actor: str | None
    unit: str | None
    case: UUID | None
    since: datetime | None
    until: datetime | None


async def audit_filters(
    settings: SettingsDep,
    actor: Annotated[
        ShortText | None,
        Query(description="An account id, username or display name", examples=["coord"]),
    ] = None,
    unit: Annotated[Code | None, Query(description="The actor's unit")] = None,
    case: Annotated[UUID | None, Query(description="An issue (with its items) or an item")] = None,
    since: Annotated[
        datetime | None, Query(alias="from", description="Recorded at or after (ISO 8601)")
    ] = None,
    until: Annotated[
        datetime | None, Query(alias="to", description="Recorded before (ISO 8601)")
    ] = None,
) -> AuditFilters:
    return AuditFilters(
        actor=actor,
        unit=unit,
        case=case,
        since=moment(settings, since, field="from"),
        until=moment(settings, until, field="to"),
    )


IssueFiltersDep = Annotated[IssueFilters, Depends(issue_filters)]
ItemFiltersDep = Annotated[ItemFilters, Depends(item_filters)]
AuditFiltersDep = Annotated[AuditFilters, Depends(audit_filters)]


def selected_ledger(
    container: Container,
    caller: Caller,
    *,
    rows: str,
    offices: frozenset[str] | None,
    as_of: datetime | None,
    filters: Mapping[str, Any],
    bare: bool = False,
) -> Ledger:
    """The ledger folded from the log, cut to the rows the list's query selects (``rows``:
    "issues" or "items"), in the list's order; ``bare`` as for ``shown_ledger``.

    The list's query checks every filter: a bad one raises the ``InvalidInput`` naming it,
    as the list answers. Without ``as_of`` that query reads the views, so they are first
    let reach the log's head (bounded, as a write's answer waits) lest a sheet miss a row.
    """
    if as_of is None:
        head = container.app.recorder.max_notification_id()
        seconds = container.settings.read_your_writes_seconds
        if not container.projections.wait_for(head, seconds, views=LEDGER_VIEWS):
            structlog.get_logger("rectify.http").warning("export_views_behind", position=head)
            raise ReadModelsBehind(
                "the ledgers are still catching up with the latest records; "
                "export again in a few seconds"
            )
    reads = container.read_models
    ids = selected_ids(
        reads.issues if rows == "issues" else reads.items,
        page_size=container.settings.max_page_size,
        offices=offices,
        as_of=as_of,
        **filters,
    )
    ledger = container.app.ledger(caller, office=filters.get("office"), as_of=as_of)
    if bare:
        ledger = ledger.filtered(category=filters.get("category"))
    return shown_ledger(ledger, ids, rows=rows, bare=bare)


def selected_ids(read: Callable[..., Page[Any]], *, page_size: int, **query: Any) -> list[UUID]:
    """Every row a ledger query selects (all pages), in the list's order."""
    ids: list[UUID] = []
    page = 1
    while True:
        rows = read(page=page, page_size=page_size, **query)
        ids += [row.id for row in rows.items]
        if page >= rows.pages:
            return ids
        page += 1


def shown_ledger(ledger: Ledger, ids: Sequence[UUID], *, rows: str, bare: bool = False) -> Ledger:
    """The ledger cut to the selected rows, in their order: those problems (``rows="issues"``)
    or those measures under their problems, each problem where its first measure comes.

    ``bare``: keep the problems with no measure yet too (after the others), for a measure
    sheet whose filters look at no measure (the ledger already cut to their category).
    """
    rank = {row_id: n for n, row_id in enumerate(ids)}
    if rows == "issues":
        issues = sorted((i for i in ledger.issues if i.id in rank), key=lambda i: rank[i.id])
        return replace(ledger, issues=issues)
    kept: list[tuple[int, LedgerIssue]] = []
    for issue in ledger.issues:
        items = sorted((i for i in issue.items if i.id in rank), key=lambda i: rank[i.id])
        if items:
            kept.append((rank[items[0].id], replace(issue, items=tuple(items))))
        elif bare and not issue.items:
            kept.append((len(rank), issue))
    kept.sort(key=lambda pair: pair[0])
    return replace(ledger, issues=[issue for _, issue in kept])


def sheet_scope(
    campaign: Campaign, office: str | None, readable: frozenset[str] | None
) -> str | None:
    """What a sheet filtered to one office is titled by: that office (None: by the offices
    the sheet holds). An office the reader may not read answers 404, as its import template
    does: an empty sheet titled by it would read as that office's having no problems."""
    if office is None:
        return None
    if readable is not None and office not in readable:
        raise NotFound(f"office {office!r} is not in this account's scope", field="office")
    return campaign.unit(office).name
