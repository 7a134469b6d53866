"""The case page (an issue with its items, timelines and actions), recording a new problem,
and evidence downloads — each through the application's scoped reads and commands."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from api.http.deps import EvidenceAccess, ServicesDep, read_your_write
from api.http.routers.downloads import disposition, download_name
from api.web.case_view import DONE, case_view
from api.web.forms import Form, new_form_id, query_day
from api.web.messages import Refusal, megabytes, refusal
from api.web.posting import form_route
from api.web.problem_form import KIND_LABELS, read_assets, read_kind
from api.web.rendering import render
from api.web.routing import WebRoute, error_page
from api.web.session import UserDep, WebUser
from application.errors import IdempotencyKeyReused, NotFound, PermissionDenied
from domain.errors import DomainError
from domain.taxonomy import CATEGORIES, INVOLVES, MEASURE_TYPES, SOURCES
from infrastructure.container import Container

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def settle(container: Container, position: int | None) -> None:
    """Read-your-writes: the next page shows the write (waits for the views, bounded)."""
    read_your_write(container, position)


def _as_of(raw: str | None, timezone: str, today: date) -> tuple[datetime | None, str]:
    day, wrong = query_day(raw or "", "查询日期")
    if day is None or day >= today:
        return None, wrong or ("查询日期不能晚于今天。" if day and day > today else "")
    return datetime.combine(day, time.max, ZoneInfo(timezone)), ""


def show_case(
    request: Request,
    user: WebUser,
    container: Container,
    issue_id: UUID,
    *,
    form: Form | None = None,
) -> Response:
    as_of, as_of_error = _as_of(
        request.query_params.get("as_of"), container.campaign.timezone, container.app.today()
    )
    if as_of is not None:
        found_on = container.app.get_issue(user.caller(), issue_id).created_on  # in scope?
        if found_on > as_of:
            day = as_of.date().isoformat()
            found = found_on.astimezone(as_of.tzinfo).date().isoformat()
            message = f"该问题在 {day} 日终时尚未登记（登记于 {found}）。"
            not_yet = Refusal(message, None, "not_yet_recorded", 404)
            onward = (f"/issues/{issue_id}", "查看该问题的当前情况")
            return error_page(request, not_yet, onward=onward)
    view = case_view(container, user, issue_id, as_of=as_of, form=form)
    failure = view.unshown_refusal or (form.refusal if form is not None else None)
    status = failure.status if failure else 422 if form else 200
    return render(
        request,
        "case.html",
        status=status,
        view=view,
        done=DONE.get(request.query_params.get("done", ""), ""),
        as_of_error=as_of_error,
        today=container.app.today(),
        rectification_end=container.campaign.rectification_end,
        evidence_max=megabytes(container.settings.evidence_max_bytes),
        campaign_categories=CATEGORIES,
        sources=SOURCES,
        measure_types=MEASURE_TYPES,
        involves_choices=INVOLVES,
    )


SENT_BEFORE = (
    "这张表单已经提交过，问题已经登记（见下方链接），本次修改没有保存。"
    "如要修改已登记的问题，请在该问题页面“更正问题信息”；如确实要再登记一个问题，请核对后再次提交。"
)


@router.get("/issues/new")
def new_issue_form(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _issue_form(request, user, services.container, Form("found"))


def _issue_form(
    request: Request,
    user: WebUser,
    container: Container,
    form: Form,
    status: int = 200,
    *,
    earlier: UUID | None = None,
) -> Response:
    offices = [
        u
        for u in container.campaign.offices()
        if container.app.policy.grant_for(user.principal, "find_issue", u.code) is not None
    ]
    if not offices:  # the page exists: a refusal, not 未找到
        raise PermissionDenied("no office this account may record problems for")
    form.values.setdefault("found_on", container.app.today().isoformat())
    form.values.setdefault("form_id", new_form_id())
    return render(
        request,
        "issue_new.html",
        status=status,
        form=form,
        offices=offices,
        office_choices={u.code: u.name for u in offices},
        earlier=earlier,
        categories=CATEGORIES,
        sources=SOURCES,
        today=container.app.today(),
    )


@form_route(router, "/issues/new")
def _record_issue(
    request: Request, data: FormData, user: WebUser, container: Container
) -> Response:
    form = Form.of("found", data)
    earlier: UUID | None = None
    office = form.choice("office", "单位", {u.code: u for u in container.campaign.offices()})
    category, subtype = read_kind(form)
    source = form.choice("source", "问题来源", SOURCES)
    title = form.text("title", "问题标题", max_length=200)
    description = form.text("description", "问题描述", required=False)
    found_on = form.day("found_on", "发现日期")
    assets = read_assets(form)
    if form.ok:
        try:
            result = container.app.find_issue(
                user.caller(form.idempotency_key()),
                office=office,
                category=category,
                subtype=subtype,
                source=source,
                title=title,
                description=description,
                assets=assets,
                found_on=found_on,
            )
        except DomainError as exc:
            failure = refusal(exc, KIND_LABELS)
            assert failure is not None
            form.refuse(failure)
        except IdempotencyKeyReused as exc:  # sent again after going back and changing it
            form.refuse(Refusal(SENT_BEFORE, None, exc.code, 409))
            form.values["form_id"] = new_form_id()  # sent once more, it records a new one
            earlier = exc.earlier
        else:
            settle(container, result.position)
            return RedirectResponse(f"/issues/{result.id}?done=found", status_code=303)
    status = form.refusal.status if form.refusal else 422
    return _issue_form(request, user, container, form, status, earlier=earlier)


@router.get("/issues/{issue_id}")
def case_page(issue_id: UUID, request: Request, user: UserDep, services: ServicesDep) -> Response:
    return show_case(request, user, services.container, issue_id)


@router.get("/items/{item_id}")
def item_page(item_id: UUID, user: UserDep, services: ServicesDep) -> Response:
    item = services.container.app.get_item(user.caller(), item_id)
    return RedirectResponse(f"/issues/{item.issue_id}#item-{item.id}", status_code=303)


@router.get("/evidence/{sha256}")
def evidence(
    request: Request,
    user: UserDep,
    services: ServicesDep,
    sha256: str = Path(pattern=r"^[0-9a-f]{64}$"),
) -> Response:
    """A file the account uploaded, or that a case it may read cites (as the API decides)."""
    container = services.container
    caller = user.caller()
    blob = container.blobs.head(sha256)
    allowed = EvidenceAccess(container).may_read(caller, sha256)
    data = container.blobs.read(sha256) if blob is not None and allowed else None
    if blob is None or data is None:
        raise NotFound(f"no evidence {sha256}")
    asked = request.query_params.get("name")
    name = download_name(asked, sha256=sha256, media_type=blob.media_type)
    headers: dict[str, Any] = {
        "Content-Disposition": disposition(name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    return Response(content=data, media_type=blob.media_type, headers=headers)
