"""A form's POST route: the CSRF token checked, the form read, the work run off the event
loop (the application's calls block), the caller's page answered."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api.http.deps import ServicesDep
from api.web.session import CsrfDep, UserDep, WebUser
from application.errors import NotFound
from infrastructure.container import Container

FormHandler = Callable[[Request, FormData, WebUser, Container], Response]


def form_route(router: APIRouter, path: str) -> Callable[[FormHandler], FormHandler]:
    """Register ``handler`` as the POST of ``path`` (path parameters: ``path_id``)."""

    def register(handler: FormHandler) -> FormHandler:
        async def endpoint(request: Request, user: UserDep, services: ServicesDep) -> Response:
            data = await request.form()
            return await run_in_threadpool(handler, request, data, user, services.container)

        endpoint.__name__ = handler.__name__.lstrip("_") or "form"
        router.add_api_route(path, endpoint, methods=["POST"], dependencies=[CsrfDep])
        return handler

    return register


def path_id(request: Request, name: str) -> UUID:
    """A case or document id from the path; a malformed one is simply not found."""
    try:
        return UUID(str(request.path_params[name]))
    except ValueError:
        raise NotFound(f"no {name} {request.path_params[name]!r}") from None
