"""导入自查表: an office's filled self-inspection sheet, checked whole; every row's error shown."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData, UploadFile

from api.http.deps import ServicesDep
from api.http.sheet_rules import SHEET_RULES
from api.web.downloads import download
from api.web.forms import Form, new_form_id
from api.web.messages import Refusal, refusal
from api.web.pages_case import settle
from api.web.posting import form_route
from api.web.rendering import render
from api.web.routing import WebRoute, error_page
from api.web.session import UserDep, WebUser
from application.errors import PermissionDenied
from application.imports import SheetRejected
from application.sheet_rows import SheetError
from domain.campaign import Unit
from domain.errors import DomainError
from infrastructure.container import Container
from infrastructure.spreadsheets.reader import read_sheet
from infrastructure.spreadsheets.workbook import MEDIA_TYPE, template_workbook

router = APIRouter(route_class=WebRoute, include_in_schema=False)

MAX_SHEET_BYTES: Final = 10 * 1024 * 1024


def _offices(container: Container, user: WebUser) -> list[Unit]:
    """The offices whose sheets this account may import (its own and their sub-offices)."""
    policy = container.app.policy
    found = [
        u
        for u in container.campaign.offices()
        if policy.grant_for(user.principal, "import_self_inspection", u.code) is not None
    ]
    if not found:  # the page exists; this account may not use it (as /office-work says)
        raise PermissionDenied("your roles do not allow import_self_inspection")
    return found


def _page(
    request: Request,
    container: Container,
    user: WebUser,
    form: Form,
    *,
    errors: list[SheetError] | None = None,
    result: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    offices = _offices(container, user)
    form.values.setdefault("form_id", new_form_id())
    return render(
        request,
        "import.html",
        status=status,
        form=form,
        offices={u.code: u.name for u in offices},
        sheet_errors=errors or [],
        result=result,
    )


@router.get("/import")
def import_form(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _page(request, services.container, user, Form("import"))


def _own(offices: dict[str, Unit], user: WebUser) -> Unit:
    """Without ``office``: the account's own office (its first grant's), else the first listed."""
    own = (offices[g.unit] for g in user.principal.grants if g.unit in offices)
    return next(own, next(iter(offices.values())))


@router.get("/import/template.xlsx")
def template(request: Request, user: UserDep, services: ServicesDep) -> Response:
    """An office's blank sheet: never another office's than the one asked for."""
    container = services.container
    offices = {u.code: u for u in _offices(container, user)}
    wanted = request.query_params.get("office")
    if wanted is None:
        office = _own(offices, user)
    elif not wanted.strip():
        failure = Refusal("请指定要下载空白表的单位（office）。", "office", "invalid_input", 422)
        return error_page(request, failure)
    elif wanted not in offices:
        text = f"未找到单位“{wanted}”：该单位不存在，或不在您可以导入的单位范围内。"
        return error_page(request, Refusal(text, "office", "not_found", 404))
    else:
        office = offices[wanted]
    data = template_workbook(container.campaign, office=office.code)
    return download(
        data, media_type=MEDIA_TYPE, file_name=f"{office.name}自查问题清单及整改方案.xlsx"
    )


@form_route(router, "/import")
def _import(request: Request, data: FormData, user: WebUser, container: Container) -> Response:
    form = Form.of("import", data)
    offices = {u.code: u for u in _offices(container, user)}
    office = form.choice("office", "单位", offices)
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        form.error("file", "请选择要导入的自查表（.xlsx）。")
    if not form.ok or not isinstance(upload, UploadFile):
        return _page(request, container, user, form, status=422)
    content = upload.file.read(MAX_SHEET_BYTES + 1)
    try:
        if len(content) > MAX_SHEET_BYTES:
            too_large = f"文件超过{MAX_SHEET_BYTES // (1024 * 1024)}MB，请分批导入"
            raise SheetRejected([SheetError(row=0, column="", message=too_large)])
        sheet = read_sheet(content, file_name=upload.filename or "sheet.xlsx")
        result = container.app.import_self_inspection(
            user.caller(form.idempotency_key()), office=office, sheet=sheet, rules=SHEET_RULES
        )
    except SheetRejected as exc:
        form.error("file", exc.message)
        return _page(request, container, user, form, errors=exc.errors, status=422)
    except DomainError as exc:
        failure = refusal(exc)
        assert failure is not None
        form.refuse(failure)
        return _page(request, container, user, form, status=failure.status)
    settle(container, result.position)
    return _page(request, container, user, Form("import"), result=result.extra)
