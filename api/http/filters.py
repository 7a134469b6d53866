"""Query filters of the ledgers and the audit log, documented once.

The documented choices are for the reader; the read models check every value and a bad
one answers 422 naming the parameter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query

from api.http.deps import MOMENT_TEXT, SettingsDep, moment
from api.http.schemas.common import Code, ShortText, one_of
from domain.taxonomy import CATEGORIES, SOURCES
from projections.labels import ISSUE_STATUS, ITEM_STATUS
from projections.ledger_reads import ISSUE_SORTS, ITEM_SORTS
from projections.lights import LIGHTS


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
    routine: bool


async def audit_filters(
    settings: SettingsDep,
    actor: Annotated[
        ShortText | None,
        Query(description="An account id, username or display name", examples=["coord"]),
    ] = None,
    unit: Annotated[Code | None, Query(description="The actor's unit")] = None,
    case: Annotated[UUID | None, Query(description="An issue (with its items) or an item")] = None,
    since: Annotated[
        str | None,
        Query(alias="from", max_length=40, description=f"Recorded at or after: {MOMENT_TEXT}"),
    ] = None,
    until: Annotated[
        str | None,
        Query(
            alias="to",
            max_length=40,
            description=f"Recorded at or before: {MOMENT_TEXT}; a date means the end of that day",
        ),
    ] = None,
    routine: Annotated[
        bool,
        Query(
            description="false: leave out sign-ins and the records' own bookkeeping (stored "
            "answers of retried requests, the index of imported rows)"
        ),
    ] = True,
) -> AuditFilters:
    return AuditFilters(
        actor=actor,
        unit=unit,
        case=case,
        since=moment(settings, since, field="from", end_of_day=False),
        until=moment(settings, until, field="to", end_of_day=True),
        routine=routine,
    )


IssueFiltersDep = Annotated[IssueFilters, Depends(issue_filters)]
ItemFiltersDep = Annotated[ItemFilters, Depends(item_filters)]
AuditFiltersDep = Annotated[AuditFilters, Depends(audit_filters)]
