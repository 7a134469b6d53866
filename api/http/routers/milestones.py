"""Campaign milestones per office: work groups, self-inspection submissions, compliance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from api.http.deps import AppDep, ReaderDep, WriterDep
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.schemas.common import Body
from domain.milestones import STATUS_LABELS

router = APIRouter(
    route_class=OffloadedRoute,
    tags=["milestones"],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)


class Person(Body):
    name: str
    title: str = Field(description="职务")
    phone: str
    email: str = ""


class Liaison(Person):
    level: str = Field(description="division_chief (正处级) or deputy_division_chief (副处级)")


class WorkGroupIn(Body):
    leader: Person
    liaison: Liaison
    reason: str = Field("", description="Needed when the work group changes")


class SelfInspectionIn(Body):
    note: str = Field("", description="Needed when submitting again (更正)")


@router.get("/api/milestones", summary="Each office's milestones: met, late, pending or missed")
def milestones(app: AppDep, caller: ReaderDep) -> list[dict[str, Any]]:
    return [
        {
            "office": m.office,
            "code": m.code,
            "label": m.label,
            "due": m.due,
            "done_on": m.done_on,
            "status": m.status,
            "status_label": STATUS_LABELS[m.status],
            "missed": m.missed,
            "days_late": m.days_late,
        }
        for m in app.milestones(caller)
    ]


@router.get("/api/offices/{office}/work-group", summary="The office's work group (工作专班)")
def work_group(app: AppDep, caller: ReaderDep, office: str) -> dict[str, Any]:
    return app.work_group(caller, office)


@router.put("/api/offices/{office}/work-group", summary="Name or change the work group")
def name_work_group(
    app: AppDep, caller: WriterDep, office: str, body: WorkGroupIn
) -> dict[str, Any]:
    app.name_work_group(
        caller,
        office=office,
        leader=body.leader.model_dump(),
        liaison=body.liaison.model_dump(),
        reason=body.reason,
    )
    return app.work_group(caller, office)


@router.post(
    "/api/offices/{office}/self-inspection",
    status_code=201,
    summary="Submit the problem list and plans as they stand (snapshot with its SHA-256)",
)
def submit_self_inspection(
    app: AppDep, caller: WriterDep, office: str, body: SelfInspectionIn
) -> dict[str, Any]:
    result = app.submit_self_inspection(caller, office=office, note=body.note)
    return {"office": office, **result.extra}
