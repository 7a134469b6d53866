"""Signing in and out of the console (the same credentials and tokens as the API)."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.http.deps import Services, ServicesDep, request_id
from api.web.forms import Form
from api.web.messages import refusal
from api.web.rendering import render
from api.web.routing import WebRoute
from api.web.session import CsrfDep, end_session, start_session
from application.errors import AuthenticationFailed, SignInLocked
from infrastructure.rate_limit import RateLimited

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a path on this site (never another host) is followed after signing in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


EXPIRED: Final = {
    "page": "登录已过期，请重新登录；登录后将回到刚才要打开的页面。",
    "form": "登录已过期，刚才提交的内容没有保存。请重新登录，回到原页面后再提交一次。",
}


@router.get("/login")
def login_form(request: Request, next: str = "/", expired: str = "") -> Response:
    return render(
        request,
        "login.html",
        form=Form("login"),
        next=safe_next(next),
        expired=EXPIRED.get(expired),
    )


@router.post("/login", dependencies=[CsrfDep])
async def log_in(request: Request, services: ServicesDep) -> Response:
    data = await request.form()
    return await run_in_threadpool(_log_in, request, data, services)


def _log_in(request: Request, data: FormData, services: Services) -> Response:
    form = Form.of("login", data)
    username = form.text("username", "用户名", max_length=100)
    password = form.secret("password", "密码")
    target = safe_next(form.values.get("next"))
    form.values.pop("password", None)
    if form.ok:
        try:
            services.limiter.hit(f"login:{username}")
            principal = services.container.app.log_in(
                username, password, request_id=request_id(request)
            )
        except (AuthenticationFailed, SignInLocked, RateLimited) as exc:
            failure = refusal(exc)
            assert failure is not None
            form.refuse(failure)
        else:
            request.state.account = principal.username
            response = RedirectResponse(target, status_code=303)
            start_session(request, response, services, services.signer.issue(principal.account_id))
            return response
    status = form.refusal.status if form.refusal else 422
    return render(request, "login.html", status=status, form=form, next=target, expired=None)


@router.post("/logout", dependencies=[CsrfDep])
def log_out() -> Response:
    response = RedirectResponse("/login", status_code=303)
    end_session(response)
    return response
