"""Progress (per office and category, with traffic lights) and accountability records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http.deps import ReadModelsDep, ScopeDep
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.schemas.common import Code, one_of
from projections.labels import ACCOUNTABILITY_KINDS
from projections.rows import AccountabilityRecord, ProgressView

router = APIRouter(
    route_class=OffloadedRoute, tags=["progress"], responses=problem_responses(401, 422, 429)
)


@router.get(
    "/api/progress",
    summary="Counts by status, percent verified, overdue, milestones and a light per office",
)
def progress(scope: ScopeDep, models: ReadModelsDep) -> ProgressView:
    return models.progress(offices=scope)


@router.get(
    "/api/accountability",
    summary="Lagging, ineffective and falsified work, each record citing its events",
)
def accountability(
    scope: ScopeDep,
    models: ReadModelsDep,
    kind: Annotated[Code | None, Query(json_schema_extra=one_of(ACCOUNTABILITY_KINDS))] = None,
) -> list[AccountabilityRecord]:
    return models.accountability(offices=scope, kind=kind)
