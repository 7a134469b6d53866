"""问题清单 and 整改台账: the API's filters, sorting and paging, the lights, "as of" a day,
and the XLSX of exactly what is shown — or, when a filter typed is not valid, no file but
the page saying what is wrong (an export never drops a filter silently)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from api.http.deps import ServicesDep
from api.http.exports import looks_at_measures, selected_ledger, sheet_scope
from api.web.ledger_params import PAGE_SIZES, LedgerParams, parse
from api.web.messages import Refusal, refusal
from api.web.messages import label as field_label
from api.web.rendering import render
from api.web.routing import WebRoute
from api.web.session import UserDep, WebUser
from application.errors import NotFound
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


def _ledger_page(
    kind: str,
    request: Request,
    user: WebUser,
    services: ServicesDep,
    *,
    refused: Refusal | None = None,
) -> Response:
    container = services.container
    p = _params(kind, request, user, container)
    rows: Page[Any] = Page(items=[], total=0, page=p.page, page_size=p.page_size)
    failure = refused
    try:
        rows = _read(kind, container, user, p, page=p.page, size=p.page_size)
    except DomainError as exc:
        failure = failure or refusal(exc)
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
        unplanned_rows=kind == "items" and not looks_at_measures(p.filters()),
        status=422 if failure else 200,
    )


@router.get("/issues")
def issue_ledger(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _ledger_page("issues", request, user, services)


@router.get("/items")
def item_ledger(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _ledger_page("items", request, user, services)


# Paging is not a filter of the export (it holds every page): only these refuse it.
NOT_EXPORT_FILTERS = ("page", "page_size")
EXPORT_LABELS = {"overdue": "只看逾期"}


def _not_exported(p: LedgerParams) -> Refusal | None:
    """The refusal of an export with a filter that is not valid, naming the filters."""
    wrong = [key for key in p.errors if key not in NOT_EXPORT_FILTERS]
    if not wrong:
        return None
    names = "、".join(field_label(key, EXPORT_LABELS) for key in wrong)
    return Refusal(
        f"筛选条件“{names}”无效，未导出 Excel。请按提示更正后重新导出。",
        wrong[0],
        "invalid_input",
        422,
    )


@router.get("/ledgers/{kind}.xlsx")
def export(kind: str, request: Request, user: UserDep, services: ServicesDep) -> Response:
    if kind not in ("issues", "items"):
        raise NotFound(f"no ledger {kind}")
    container = services.container
    p = _params(kind, request, user, container)
    refused = _not_exported(p)
    if refused is not None:
        return _ledger_page(kind, request, user, services, refused=refused)
    ledger = selected_ledger(
        container,
        user.caller(),
        rows=kind,
        offices=user.readable,
        as_of=p.as_of(container.campaign.timezone),
        filters=p.filters(),
    )
    build = issues_workbook if kind == "issues" else items_workbook
    name = "问题清单" if kind == "issues" else "整改台账"
    day = (p.as_of_day or container.app.today()).isoformat()
    return Response(
        build(
            container.campaign,
            ledger,
            scope=sheet_scope(container.campaign, p.office, user.readable),
        ),
        media_type=XLSX,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(f'{name}-{day}.xlsx')}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )
