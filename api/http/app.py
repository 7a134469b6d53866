"""The FastAPI application factory: one place that mounts every router.

``create_app()`` (what ``rectify serve`` runs) builds the container from the settings;
tests pass their own container. In ``dev`` the read-model projections run in this process
(started and stopped with the app); in ``prod`` they run in their own process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi_offline import FastAPIOffline
from pydantic.json_schema import models_json_schema

from api import web
from api.http.deps import Services
from api.http.errors import Problem, install_error_handlers, problem_responses
from api.http.middleware import RequestContext
from api.http.routers import (
    accounts,
    audit_log,
    audit_trail,
    auth,
    campaign,
    evidence,
    imports,
    issues,
    items,
    ledgers,
    milestones,
    notices,
    ops,
    progress,
    reports,
)
from api.http.security import TokenSigner
from infrastructure import heap
from infrastructure.container import Container, build_container
from infrastructure.logging import configure_logging
from infrastructure.rate_limit import RateLimiter
from infrastructure.settings import Settings, load_settings

ROUTERS = (
    ops,
    auth,
    issues,
    items,
    evidence,
    progress,
    audit_log,
    audit_trail,
    campaign,
    accounts,
    ledgers,
    imports,
    notices,
    reports,
    milestones,
)

DESCRIPTION = """
整改台账 — the case ledger of the state-asset rectification campaign.

**Try it:** press *Authorize*, sign in as `bj-clerk` / `demo` (office staff of 北京办事处),
record a problem (`POST /api/issues`), plan an item (`POST /api/issues/{id}/items`) and ask
for approval; then sign in as `coord` (and `finance` for disposal or lease items) to
approve, back as `bj-clerk` to upload evidence and record the rectification, and as
`coord2` to verify. `auditor` reads everything; `admin` manages accounts.

Every error is `application/problem+json` naming the field at fault. Writes take an
`Idempotency-Key` (a retry answers the same and records nothing new) and `If-Match` (the
ETag you read; 412 when the case changed since).
"""


def create_app(settings: Settings | None = None, *, container: Container | None = None) -> FastAPI:
    owned = container is None
    serving = settings is None and container is None
    if serving:  # `rectify serve`: each worker wires itself
        settings = load_settings()
        configure_logging(log_format=settings.log_format, level=settings.log_level)
    if container is None:
        container = build_container(settings or load_settings())
    services = Services(
        container=container,
        signer=TokenSigner.from_settings(container.settings, container.clock),
        limiter=RateLimiter(
            per_minute=container.settings.rate_limit_per_minute, clock=container.clock
        ),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        in_process = container.settings.env == "dev"  # prod: `rectify projections run`
        if in_process:
            container.projections.start()
        if serving:
            heap.settle()  # this worker's start-up objects, out of every later collection
        try:
            yield
        finally:
            if in_process:
                container.projections.stop()
            if owned:
                container.close()

    app = FastAPIOffline(  # FastAPI with /docs' scripts served here, not from a CDN
        title="rectify 整改台账",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        swagger_ui_parameters={"persistAuthorization": True},
    )
    app.state.services = services
    for module in ROUTERS:
        app.include_router(module.router)
    web.install(app)  # the web console's pages, after every API route
    install_error_handlers(app)
    app.add_middleware(RequestContext)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema plus the problem+json schema every error response names."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    _, definitions = models_json_schema(
        [(Problem, "serialization")], ref_template="#/components/schemas/{model}"
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(definitions.get("$defs", {}))
    problem_422 = problem_responses(422)[422]
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if "HTTPValidationError" in str(responses.get("422", "")):
                responses["422"] = problem_422  # validation errors are problem+json too
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused not in str(schema["paths"]):
            components.pop(unused, None)
    app.openapi_schema = schema
    return schema
