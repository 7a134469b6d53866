"""The console's route class: every refusal becomes a page in Chinese, never a traceback.

The API answers ``application/problem+json``; a person in a browser gets a page instead:
no session → the sign-in form; out of scope → 未找到 (404, as the API); a refusal → the
reason in Chinese with the API's status code. A bug is logged and shown as a plain 500 page.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Final
from urllib.parse import quote, urlsplit

import structlog
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match, Mount

from api.web.messages import Refusal, label, refusal
from api.web.rendering import render, services_of
from api.web.session import SESSION_COOKIE, CsrfRejected, LoginRequired, signed_in_user
from application.errors import NotFound

Handler = Callable[[Request], Coroutine[Any, Any, Response]]

log = structlog.get_logger("rectify.web")


def error_page(
    request: Request, failure: Refusal, *, onward: tuple[str, str] | None = None
) -> Response:
    """The refusal as a page, in the signed-in layout when the session is valid (a bug's
    500 page reads nothing more: the session store may be what failed); ``onward``: a link
    (address, text) to what the person can open instead."""
    titles = {401: "需要登录", 403: "无权操作", 404: "未找到", 429: "请稍后再试"}
    if failure.status != 500:
        signed_in_user(request, services_of(request))
    return render(
        request,
        "error.html",
        status=failure.status,
        title=titles.get(failure.status, "无法完成"),
        failure=failure,
        onward=onward,
    )


def _bad_query(exc: RequestValidationError) -> Refusal:
    """A malformed address of a record (/issues/xyz) is a record that does not exist: 未找到,
    as for an id that names none; a malformed query or form names its fields."""
    if any(tuple(error.get("loc", ()))[:1] == ("path",) for error in exc.errors()):
        refused = refusal(NotFound("no such record"))
        assert refused is not None
        return refused
    fields = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        fields.append(label(loc[0] if loc else None))
    named = "、".join(dict.fromkeys(fields)) or "请求"
    return Refusal(f"{named}的取值无效，请检查链接或筛选条件。", None, "validation_error", 422)


UNREADABLE_FORM: Final = Refusal(
    "提交的内容无法读取：某一项填写的内容过长（每项不能超过1 MB），或表单已损坏。"
    "未作任何记录，请返回上一页，缩短内容后重新提交。",
    None,
    "unreadable_form",
    422,
)
NO_SUCH_PAGE: Final = "/{rest:path}"  # the console's last route: 未找到 for any other path


def login_redirect(request: Request) -> Response:
    """To the sign-in page, and back afterwards: to the page asked for, or, for a form
    sent without a session, to the page the form was on (its Referer, on this site only).
    A browser that still sent a session cookie is told its session ended; for a form, that
    what it sent was not recorded."""
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        target = _same_site_page(request) or "/"
    query = f"next={quote(target, safe='')}"
    if request.cookies.get(SESSION_COOKIE):
        query += "&expired=" + ("form" if request.method != "GET" else "page")
    return RedirectResponse(f"/login?{query}", status_code=303)


def _same_site_page(request: Request) -> str | None:
    """The page the form was on: the Referer, if it is on this site and a page one can open
    (a refused form is shown again at its POST-only address, which would answer 404)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    if not _a_page(request.app.router.routes, referer.path):
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def _a_page(routes: Iterable[BaseRoute], path: str) -> bool:
    """Whether a GET of ``path`` opens a page: a route answers it in full, other than the
    catch-all that says there is no such page (the console's routes looked into)."""
    opened = {"type": "http", "method": "GET", "path": path}
    for route in routes:
        inner = getattr(route, "routes", None)
        if inner is not None and not isinstance(route, Mount):
            if _a_page(inner, path):
                return True
            continue
        if route.matches(opened)[0] != Match.FULL:
            continue
        return getattr(route, "path", None) != NO_SUCH_PAGE
    return False


class WebRoute(APIRoute):
    """An APIRoute whose errors answer as pages (the API's own routes keep problem+json)."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                return login_redirect(request)
            except CsrfRejected:
                message = "表单已过期或来源不明，请刷新页面后重新提交。"
                failure = Refusal(message, None, "csrf", 403)
            except RequestValidationError as exc:
                failure = _bad_query(exc)
            except HTTPException as exc:
                if exc.status_code != 400:
                    raise  # the app's own answer (the API's 404 under /api)
                failure = UNREADABLE_FORM  # the form parser's: a field past its size
            except Exception as exc:
                refused = refusal(exc)
                if refused is None:
                    log.exception("web_page_failed", path=request.url.path)
                    refused = Refusal(
                        "服务出现意外错误，已记录，请稍后再试。", None, "internal", 500
                    )
                failure = refused
            # off the event loop: the page reads the signed-in account from the database
            return await run_in_threadpool(error_page, request, failure)

        return page
