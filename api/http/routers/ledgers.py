"""The 问题清单 and 整改台账 as Excel workbooks, with the ledgers' filters or ``as_of``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.http.deps import AppDep, AsOfDep, ReaderDep
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.routers.downloads import attachment
from infrastructure.spreadsheets.workbook import MEDIA_TYPE, issues_workbook, items_workbook

router = APIRouter(
    route_class=OffloadedRoute, tags=["ledgers"], responses=problem_responses(401, 404, 422, 429)
)
XLSX: dict[int | str, dict[str, Any]] = {
    200: {"content": {MEDIA_TYPE: {}}, "description": "The workbook"}
}

Office = Annotated[str | None, Query(description="An office code; its sub-offices come too")]
Category = Annotated[str | None, Query(description="A problem category code")]


@router.get(
    "/api/ledgers/issues.xlsx",
    summary="问题清单 as XLSX (frozen header, filters, dates as dates)",
    response_class=Response,
    responses=XLSX,
)
def issues_xlsx(
    app: AppDep,
    caller: ReaderDep,
    as_of: AsOfDep,
    office: Office = None,
    category: Category = None,
    status: Annotated[str | None, Query(description="open, closed or reported")] = None,
) -> Response:
    ledger = app.ledger(caller, office=office, as_of=as_of).filtered(
        category=category, issue_status=status
    )
    data = issues_workbook(app.campaign, ledger)
    return attachment(data, media_type=MEDIA_TYPE, file_name="问题清单.xlsx")


@router.get(
    "/api/ledgers/items.xlsx",
    summary="整改台账 as XLSX (one row per measure; importable again as a self-inspection sheet)",
    response_class=Response,
    responses=XLSX,
)
def items_xlsx(
    app: AppDep,
    caller: ReaderDep,
    as_of: AsOfDep,
    office: Office = None,
    category: Category = None,
    status: Annotated[str | None, Query(description="An item status code")] = None,
    overdue: Annotated[bool | None, Query(description="Only overdue (or not) items")] = None,
) -> Response:
    ledger = app.ledger(caller, office=office, as_of=as_of).filtered(
        category=category, item_status=status, overdue=overdue
    )
    data = items_workbook(app.campaign, ledger)
    return attachment(data, media_type=MEDIA_TYPE, file_name="整改台账.xlsx")
