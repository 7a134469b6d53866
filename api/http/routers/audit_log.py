"""The audit log: every recorded event, who made it, when, from which request."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import PagingDep, ReadModelsDep, ScopeDep
from api.http.errors import problem_responses
from api.http.filters import AuditFiltersDep
from api.http.offload import OffloadedRoute
from api.http.schemas.ledgers import AuditPage

router = APIRouter(
    route_class=OffloadedRoute,
    prefix="/api/audit",
    tags=["audit"],
    responses=problem_responses(401, 422, 429),
)


@router.get(
    "/events",
    summary="Every event you may read, newest first: filter by actor, unit, case and time",
)
def audit_events(
    scope: ScopeDep, models: ReadModelsDep, filters: AuditFiltersDep, paging: PagingDep
) -> AuditPage:
    page = models.audit_events(
        **filters.as_kwargs(), offices=scope, page=paging.page, page_size=paging.page_size
    )
    return AuditPage.model_validate(page)
