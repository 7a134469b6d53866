"""Every page of the console, and the console's own static files, as one list of routes."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response
from starlette.routing import BaseRoute, Match

from api.web import (
    pages_account,
    pages_actions,
    pages_audit,
    pages_auth,
    pages_case,
    pages_dashboard,
    pages_import,
    pages_ledgers,
    pages_notices,
    pages_office,
    pages_reports,
)
from api.web.rendering import STATIC
from api.web.routing import NO_SUCH_PAGE, WebRoute
from application.errors import NotFound

router = APIRouter(route_class=WebRoute, include_in_schema=False)

_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
STATIC_FILES = {p.name: p for p in STATIC.iterdir() if p.suffix in _STATIC_TYPES}


@router.get("/static/{name}")
def static(name: str) -> Response:
    path = STATIC_FILES.get(name)
    if path is None:
        raise NotFound(f"no static file {name}")
    return FileResponse(
        path,
        media_type=_STATIC_TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


last = APIRouter(route_class=WebRoute, include_in_schema=False)


@last.get(NO_SUCH_PAGE)
def no_such_page(request: Request, rest: str) -> Response:
    """A mistyped address is a page that says 未找到; the API's own paths keep its 404, or
    its 405 naming the methods allowed (GET /api/auth/token: this route matched it first)."""
    if rest == "api" or rest.startswith("api/"):
        no_such_api(request)
    raise NotFound(f"no page /{rest}")


@last.api_route("/api/{rest:path}", methods=["POST", "PUT", "PATCH", "DELETE"])
def no_such_api(request: Request) -> Response:
    """An /api path no route answers by this method: 405 naming the methods some route takes
    there, else 404 (a POST to an unknown path is not "GET only", as the page route implies)."""
    allowed = _methods(request.app.router.routes, request.url.path)
    if allowed:
        raise HTTPException(405, "Method Not Allowed", {"Allow": ", ".join(allowed)})
    raise HTTPException(status_code=404, detail="Not Found")


def _methods(routes: list[BaseRoute], path: str) -> list[str]:
    """The methods a route other than these catch-alls answers at ``path``."""
    found = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        scope = {"type": "http", "method": method, "path": path}
        for route in routes:
            match, child = route.matches(scope)
            if match == Match.FULL and child.get("endpoint") not in (no_such_page, no_such_api):
                found.append(method)
                break
    return found


MODULES = (
    pages_auth,
    pages_account,
    pages_dashboard,
    pages_ledgers,
    pages_case,
    pages_actions,
    pages_import,
    pages_office,
    pages_notices,
    pages_reports,
    pages_audit,
)
ROUTES = [
    *router.routes,
    *(route for module in MODULES for route in module.router.routes),
    *last.routes,
]
