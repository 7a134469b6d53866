"""整改报告: preview and submit an office's report or the consolidated report (recorded with
the files' SHA-256, marking closed problems reported), and download what was submitted."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from api.http.deps import ServicesDep
from api.web.downloads import download
from api.web.forms import Form, new_form_id
from api.web.messages import refusal
from api.web.pages_case import settle
from api.web.posting import form_route
from api.web.rendering import render
from api.web.routing import WebRoute
from api.web.session import UserDep, WebUser
from application.errors import ApplicationError, NotFound
from application.paperwork import FORMATS
from domain.errors import DomainError
from infrastructure.container import Container

router = APIRouter(route_class=WebRoute, include_in_schema=False)

CONSOLIDATED = "consolidated"


def _choices(container: Container, user: WebUser) -> dict[str, str]:
    """What this account may submit: its offices' reports, the consolidated report."""
    policy = container.app.policy
    found = {
        u.code: f"{u.name}整改情况报告"
        for u in container.campaign.offices()
        if u.parent is None
        and policy.grant_for(user.principal, "submit_report", u.code) is not None
    }
    if user.may("submit_consolidated_report"):
        found[CONSOLIDATED] = "专项整治工作总结报告（汇总各办事处）"
    return found


def _page(
    request: Request, container: Container, user: WebUser, form: Form, status: int = 200
) -> Response:
    reports = sorted(container.app.reports(user.caller()), key=lambda r: r.created_on, reverse=True)
    form.values.setdefault("form_id", new_form_id())
    return render(
        request,
        "reports.html",
        status=status,
        reports=reports,
        choices=_choices(container, user),
        form=form,
        done=request.query_params.get("done") == "1",
    )


@router.get("/reports")
def reports(request: Request, user: UserDep, services: ServicesDep) -> Response:
    return _page(request, services.container, user, Form("report"))


def _office(value: str) -> str | None:
    return None if value == CONSOLIDATED else value


@router.get("/reports/preview.{fmt}")
def preview(fmt: str, request: Request, user: UserDep, services: ServicesDep) -> Response:
    if fmt not in FORMATS:
        raise NotFound(f"no format {fmt}")
    app = services.container.app
    office = _office(request.query_params.get("office", CONSOLIDATED))
    document = app.preview_report(user.caller(), office=office)
    data = app.renderer.render(document, fmt)
    return download(data, media_type=FORMATS[fmt], file_name=f"（预览）{document.title}.{fmt}")


@router.get("/reports/{report_id}.{fmt}")
def report_file(report_id: UUID, fmt: str, user: UserDep, services: ServicesDep) -> Response:
    if fmt not in FORMATS:
        raise NotFound(f"no format {fmt}")
    data, ref = services.container.app.report_file(user.caller(), report_id, fmt)
    return download(data, media_type=ref["media_type"], file_name=ref["file_name"])


@form_route(router, "/reports")
def _submit(request: Request, data: FormData, user: WebUser, container: Container) -> Response:
    form = Form.of("report", data)
    which = form.choice("office", "报告", _choices(container, user))
    if form.ok:
        try:
            result = container.app.submit_report(
                user.caller(form.idempotency_key()), office=_office(which)
            )
        except (DomainError, ApplicationError) as exc:
            failure = refusal(exc)
            assert failure is not None
            form.refuse(failure)
        else:
            settle(container, result.position)
            return RedirectResponse("/reports?done=1", status_code=303)
    return _page(request, container, user, form, form.refusal.status if form.refusal else 422)
