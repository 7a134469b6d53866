"""通报: the coordination office drafts a notice from accountability records, edits it, issues
it under a number; everyone it is addressed to reads it and downloads DOCX or PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from api.http.deps import ServicesDep
from api.web.downloads import download
from api.web.forms import Form, new_form_id
from api.web.messages import refusal
from api.web.posting import form_route, path_id
from api.web.rendering import render
from api.web.routing import WebRoute
from api.web.session import UserDep, WebUser
from application.commanding import CommandResult
from application.errors import ApplicationError, NotFound, PermissionDenied
from application.notice_text import units_text
from application.paperwork import FORMATS
from application.service import RectifyApp
from domain.errors import DomainError
from domain.taxonomy import COORDINATION_UNIT
from infrastructure.container import Container

router = APIRouter(route_class=WebRoute, include_in_schema=False)

DONE = {
    "draft": "通报草稿已生成，请核对正文。",
    "edit": "修改已保存。",
    "issue": "通报已印发。",
    "discard": "草稿已作废，留档备查。",
}
# A notice page's forms: the application command each one sends.
ACTIONS: Final[dict[str, Callable[..., CommandResult]]] = {
    "edit": RectifyApp.edit_notice,
    "issue": RectifyApp.issue_notice,
    "discard": RectifyApp.discard_notice,
}


def _manages(user: WebUser) -> bool:
    return user.may("manage_notices")


def _list(
    request: Request, container: Container, user: WebUser, form: Form, status: int = 200
) -> Response:
    app = container.app
    notices = sorted(app.notices(user.caller()), key=lambda n: n.created_on, reverse=True)
    candidates = app.accountability_candidates(user.caller()) if _manages(user) else []
    form.values.setdefault("form_id", new_form_id())
    return render(
        request,
        "notices.html",
        status=status,
        notices=notices,
        addressees={n.id: units_text(app.campaign, n.recipients) for n in notices},
        candidates=candidates,
        chosen=set(form.values.get("records_chosen", "").split()),
        form=form,
        manages=_manages(user),
        sees_all=app.policy.readable_offices(user.principal) is None,  # drafts too
    )


@router.get("/notices")
def notices(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _list(request, services.container, user, Form("draft"))


@form_route(router, "/notices")
def _draft(request: Request, data: FormData, user: WebUser, container: Container) -> Response:
    form = Form.of("draft", data)
    records = [str(r) for r in data.getlist("records") if isinstance(r, str)]
    form.values["records_chosen"] = " ".join(records)
    title = form.text("title", "标题", required=False, max_length=200)
    if not _manages(user):  # no draft form on this account's page: say why, not which field
        failure = refusal(PermissionDenied("drafting notices is the coordination office's"))
        assert failure is not None
        form.refuse(failure)
    elif not records:
        form.error("records", "请至少选择一项要通报的问责记录。")
    if form.ok:
        try:
            result = container.app.draft_notice(
                user.caller(form.idempotency_key()), record_ids=records, title=title or None
            )
        except (DomainError, ApplicationError) as exc:
            failure = refusal(exc, {"records": "通报事项"})
            assert failure is not None
            form.refuse(failure)
        else:
            return RedirectResponse(f"/notices/{result.id}?done=draft", status_code=303)
    return _list(
        request, container, user, form, status=form.refusal.status if form.refusal else 422
    )


def _show(
    request: Request,
    container: Container,
    user: WebUser,
    notice_id: UUID,
    form: Form | None = None,
) -> Response:
    notice = container.app.get_notice(user.caller(), notice_id)
    status = (form.refusal.status if form.refusal else 422) if form is not None else 200
    sees_all = container.app.policy.readable_offices(user.principal) is None
    return render(
        request,
        "notice.html",
        status=status,
        notice=notice,
        # the drafting record is the coordination office's and oversight's, not the offices'
        changes=container.app.notice_changes(user.caller(), notice_id) if sees_all else [],
        addressable=[  # and any unit it holds already (the API may name the issuing office)
            u
            for u in container.campaign.units
            if u.code != COORDINATION_UNIT or u.code in {*notice.recipients, *notice.copy_to}
        ],
        manages=_manages(user),
        form=form or Form(""),
        form_ids={action: new_form_id() for action in ACTIONS},
        done=DONE.get(request.query_params.get("done", ""), ""),
    )


@router.get("/notices/{notice_id}.{fmt}")
def notice_file(notice_id: UUID, fmt: str, user: UserDep, services: ServicesDep) -> Response:
    if fmt not in FORMATS:
        raise NotFound(f"no format {fmt}")
    app = services.container.app
    notice = app.get_notice(user.caller(), notice_id)
    data = app.render_notice(user.caller(), notice_id, fmt)
    name = f"{notice.number or '通报草稿'}{notice.title}.{fmt}"
    return download(data, media_type=FORMATS[fmt], file_name=name)


@router.get("/notices/{notice_id}")
def notice_page(
    notice_id: UUID, request: Request, user: UserDep, services: ServicesDep
) -> Response:
    return _show(request, services.container, user, notice_id)


@form_route(router, "/notices/{notice_id}/{action}")
def _act(request: Request, data: FormData, user: WebUser, container: Container) -> Response:
    notice_id, action = path_id(request, "notice_id"), request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound(f"no action {action}")
    form = Form.of(action, data)
    caller = user.caller(form.idempotency_key())
    app = container.app
    values: dict[str, Any] = {}
    if action == "edit":
        values["title"] = form.text("title", "标题", max_length=200)
        values["body"] = form.text("body", "正文", max_length=20000)
        values["reason"] = form.text("reason", "修改说明", required=False, max_length=500)
        for key in ("recipients", "copy_to"):  # the boxes ticked, kept if the form comes back
            values[key] = [str(c) for c in data.getlist(key) if isinstance(c, str)]
            form.values[f"{key}_chosen"] = " ".join(values[key])
    elif action == "issue":
        values["number"] = form.text("number", "文号", max_length=50)
    else:
        values["reason"] = form.text("reason", "作废理由", max_length=2000)
    version = form.version()
    if form.ok:
        try:
            ACTIONS[action](app, caller, notice_id, **values, expected_version=version)
        except (DomainError, ApplicationError) as exc:
            labels = {"number": "文号", "body": "正文", "title": "标题", "reason": "理由"}
            failure = refusal(exc, labels)
            assert failure is not None
            form.refuse(failure)
        else:
            return RedirectResponse(f"/notices/{notice_id}?done={action}", status_code=303)
    return _show(request, container, user, notice_id, form)
