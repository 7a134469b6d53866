"""Health: the process is up (``/healthz``); it can serve (``/readyz``)."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.http.deps import ServicesDep
from api.http.offload import OffloadedRoute

router = APIRouter(route_class=OffloadedRoute, tags=["ops"])


class Health(BaseModel):
    status: str


class ViewLag(BaseModel):
    name: str
    position: int
    head: int
    lag: int


class Readiness(BaseModel):
    status: str
    database: str
    views: list[ViewLag]


@router.get("/healthz", summary="The process is up")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    summary="The database answers; how far each read model lags behind the event log",
    responses={503: {"model": Readiness, "description": "Not ready"}},
)
def readyz(services: ServicesDep) -> Any:
    container = services.container
    try:
        container.db.execute("SELECT 1")
        container.app.recorder.max_notification_id()
        statuses = container.read_models.status()
    except Exception as exc:  # any failure to reach the database means "not ready"
        structlog.get_logger("rectify.http").warning("database_unreachable", error=repr(exc))
        body = Readiness(status="unavailable", database="unreachable", views=[])
        return JSONResponse(body.model_dump(), status_code=503)
    views = [ViewLag(name=v.name, position=v.position, head=v.head, lag=v.lag) for v in statuses]
    return Readiness(status="ok", database="ok", views=views)
