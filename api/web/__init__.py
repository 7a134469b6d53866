"""The web console (整改台账工作台): server-rendered pages in Chinese under ``/``.

The pages call the same application methods, under the same policy, as the API. They sit
in the app's route table as one entry (``Console``), after the API's routes: the API's own
route table and OpenAPI document stay the API's, and a path no page has falls through to
the API's 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from api.web.pages import ROUTES


class Console(BaseRoute):
    """Every page as one route: it matches what one of its pages matches."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = list(routes)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        partial: Scope | None = None
        for route in self.routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                return match, {**child, "route": child.get("route", route)}
            if match is Match.PARTIAL and partial is None:
                partial = {**child, "route": child.get("route", route)}
        if partial is not None:
            return Match.PARTIAL, partial
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope["route"].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)


def install(app: FastAPI) -> None:
    """Serve the console from this app, after every API route."""
    app.router.routes.append(Console(ROUTES))


__all__ = ["ROUTES", "Console", "install"]
