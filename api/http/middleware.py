"""Per request: a request id, one summary log line, and no traceback ever sent out."""

from __future__ import annotations

import re
import time
from uuid import uuid4

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.errors import unexpected_error

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


def request_id_from(scope: Scope) -> str:
    """The client's ``X-Request-ID`` when it is a sensible token, else a fresh one."""
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = bytes(value).decode("latin-1")
            if _REQUEST_ID.match(text):
                return text
    return uuid4().hex


class RequestContext:
    """Pure ASGI middleware: request id in and out, a summary line, a bare 500 for bugs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id_from(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=rid)
        log = structlog.get_logger("rectify.http")
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled_error", method=scope["method"], path=scope["path"])
            if not response_started:
                await unexpected_error(None)(scope, receive, send_with_id)
        finally:
            route, path = scope.get("route"), scope["path"]
            log.info(
                "http_request",
                method=scope["method"],
                route=getattr(route, "path", None) or ("unmatched" if status == 404 else path),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
                account=state.get("account"),
                request_id=rid,
            )
            structlog.contextvars.clear_contextvars()
