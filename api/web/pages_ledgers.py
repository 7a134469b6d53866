"""问题清单 and 整改台账: the API's filters, sorting and paging, the lights, "as of" a day,
and the XLSX of exactly what is shown."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from api.http.deps import ServicesDep
from api.web.ledger_params import PAGE_SIZES, LedgerParams, parse
from api.web.messages import refusal
from api.web.rendering import render
from api.web.routing import WebRoute
from api.web.session import UserDep, WebUser
from application.errors import NotFound
from application.ledger_scan import Ledger
from domain.errors import DomainError
from domain.taxonomy import CATEGORIES, SOURCES
from infrastructure.container import Container
from infrastructure.spreadsheets.workbook import issues_workbook, items_workbook
from projections.rows import Page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _params(kind: str, request: Request, user: WebUser, container: Container) -> LedgerParams:
    return parse(
        kind,
        request.query_params,
        campaign=container.campaign,
        readable=user.readable,
        today=container.app.today(),
    )


def _read(
    kind: str, container: Container, user: WebUser, p: LedgerParams, *, page: int, size: int
) -> Page[Any]:
    reads = container.read_models
    read = reads.issues if kind == "issues" else reads.items
    return read(
        offices=user.readable,
        page=page,
        page_size=size,
        as_of=p.as_of(container.campaign.timezone),
        **p.filters(),
    )


def _ledger_page(kind: str, request: Request, user: WebUser, services: ServicesDep) -> Response:
    container = services.container
    p = _params(kind, request, user, container)
    rows: Page[Any] = Page(items=[], total=0, page=p.page, page_size=p.page_size)
    failure = None
    try:
        rows = _read(kind, container, user, p, page=p.page, size=p.page_size)
    except DomainError as exc:
        failure = refusal(exc)
    offices = [
        u for u in container.campaign.offices() if user.readable is None or u.code in user.readable
    ]
    return render(
        request,
        f"ledger_{kind}.html",
        kind=kind,
        p=p,
        rows=rows,
        failure=failure,
        offices=offices,
        categories={code: label for code, (label, _) in CATEGORIES.items()},
        sources=SOURCES,
        page_sizes=PAGE_SIZES,
        today=container.app.today(),
        status=422 if failure else 200,
    )


@router.get("/issues")
def issue_ledger(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _ledger_page("issues", request, user, services)


@router.get("/items")
def item_ledger(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _ledger_page("items", request, user, services)


def _shown_ids(kind: str, container: Container, user: WebUser, p: LedgerParams) -> list[Any]:
    """Every row the filters select (all pages), in the order shown."""
    size = container.settings.max_page_size
    ids, page = [], 1
    while True:
        rows = _read(kind, container, user, p, page=page, size=size)
        ids += [row.id for row in rows.items]
        if page >= rows.pages:
            return ids
        page += 1


def shown_ledger(ledger: Ledger, kind: str, ids: list[Any]) -> Ledger:
    """The ledger cut to the rows shown: those problems, or those measures (by their problem)."""
    rank = {row_id: n for n, row_id in enumerate(ids)}
    if kind == "issues":
        issues = sorted((i for i in ledger.issues if i.id in rank), key=lambda i: rank[i.id])
        return replace(ledger, issues=issues)
    kept = []
    for issue in ledger.issues:
        items = tuple(i for i in issue.items if i.id in rank)
        if items:
            kept.append(replace(issue, items=items))
    return replace(ledger, issues=kept)


@router.get("/ledgers/{kind}.xlsx")
def export(kind: str, request: Request, user: UserDep, services: ServicesDep) -> Response:
    if kind not in ("issues", "items"):
        raise NotFound(f"no ledger {kind}")
    container = services.container
    p = _params(kind, request, user, container)
    as_of = p.as_of(container.campaign.timezone)
    ledger = container.app.ledger(user.caller(), office=p.office, as_of=as_of)
    ledger = shown_ledger(ledger, kind, _shown_ids(kind, container, user, p))
    build = issues_workbook if kind == "issues" else items_workbook
    name = "问题清单" if kind == "issues" else "整改台账"
    day = (p.as_of_day or container.app.today()).isoformat()
    return Response(
        build(container.campaign, ledger),
        media_type=XLSX,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(f'{name}-{day}.xlsx')}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )
