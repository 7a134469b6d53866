"""The 问题清单 and 整改台账 as Excel workbooks: the rows the ledgers' lists select.

Each export takes the list's own filters, sort and ``as_of`` (the same dependencies), asks
the list's query for its rows, so a bad value answers the list's 422 naming it, and writes
those rows from the ledger folded from the event log at that moment.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.http.deps import AsOfDep, ReaderDep, ScopeDep, ServicesDep
from api.http.errors import problem_responses
from api.http.exports import selected_ledger, sheet_scope
from api.http.filters import IssueFiltersDep, ItemFiltersDep
from api.http.offload import OffloadedRoute
from api.http.routers.downloads import attachment
from infrastructure.spreadsheets.workbook import MEDIA_TYPE, issues_workbook, items_workbook

router = APIRouter(
    route_class=OffloadedRoute,
    tags=["ledgers"],
    responses=problem_responses(401, 404, 422, 429, 503),
)
XLSX: dict[int | str, dict[str, Any]] = {
    200: {"content": {MEDIA_TYPE: {}}, "description": "The workbook"}
}


@router.get(
    "/api/ledgers/issues.xlsx",
    summary="问题清单 as XLSX: the rows GET /api/issues selects, every page "
    "(frozen header, filters, dates as dates)",
    response_class=Response,
    responses=XLSX,
)
def issues_xlsx(
    services: ServicesDep,
    caller: ReaderDep,
    scope: ScopeDep,
    filters: IssueFiltersDep,
    as_of: AsOfDep,
) -> Response:
    container = services.container
    ledger = selected_ledger(
        container, caller, rows="issues", offices=scope, as_of=as_of, filters=filters.as_kwargs()
    )
    data = issues_workbook(
        container.campaign, ledger, scope=sheet_scope(container.campaign, filters.office, scope)
    )
    return attachment(data, media_type=MEDIA_TYPE, file_name="问题清单.xlsx")


@router.get(
    "/api/ledgers/items.xlsx",
    summary="整改台账 as XLSX: the measures GET /api/items selects, under their problems "
    "(importable again as a self-inspection sheet)",
    response_class=Response,
    responses=XLSX,
)
def items_xlsx(
    services: ServicesDep,
    caller: ReaderDep,
    scope: ScopeDep,
    filters: ItemFiltersDep,
    as_of: AsOfDep,
) -> Response:
    container = services.container
    ledger = selected_ledger(
        container, caller, rows="items", offices=scope, as_of=as_of, filters=filters.as_kwargs()
    )
    data = items_workbook(
        container.campaign, ledger, scope=sheet_scope(container.campaign, filters.office, scope)
    )
    return attachment(data, media_type=MEDIA_TYPE, file_name="整改台账.xlsx")
