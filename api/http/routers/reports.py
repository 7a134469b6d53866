"""Rectification reports: preview, submit (recorded with the files' SHA-256), download."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from api.http.deps import AppDep, ReaderDep, WriterDep
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.routers.downloads import attachment
from api.http.schemas.common import Body
from application.paperwork import FORMATS

router = APIRouter(
    route_class=OffloadedRoute,
    tags=["reports"],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
Format = Annotated[Literal["docx", "pdf"], Path(description="docx or pdf")]


class ReportSubmit(Body):
    office: str | None = Field(
        None, description="The office (with its sub-offices); null: the consolidated report"
    )


@router.get("/api/reports", summary="Submitted reports the caller may read")
def list_reports(app: AppDep, caller: ReaderDep) -> list[dict[str, Any]]:
    return [r.summary() for r in app.reports(caller)]


@router.post(
    "/api/reports",
    status_code=201,
    summary="Generate and submit a report; marks its closed issues and items reported",
)
def submit(app: AppDep, caller: WriterDep, body: ReportSubmit) -> dict[str, Any]:
    result = app.submit_report(caller, office=body.office)
    return app.get_report(caller, result.id).summary()


@router.get(
    "/api/reports/preview.{fmt}",
    summary="The report as it would be submitted now (records nothing)",
    response_class=Response,
)
def preview(
    app: AppDep,
    caller: ReaderDep,
    fmt: Format,
    office: Annotated[str | None, Query(description="Omit for the consolidated report")] = None,
) -> Response:
    document = app.preview_report(caller, office=office)
    data = app.renderer.render(document, fmt)
    return attachment(data, media_type=FORMATS[fmt], file_name=f"{document.title}.{fmt}")


@router.get(
    "/api/reports/{report_id}.{fmt}",
    summary="The submitted file, byte for byte as its SHA-256 was recorded",
    response_class=Response,
)
def download(app: AppDep, caller: ReaderDep, report_id: UUID, fmt: Format) -> Response:
    data, ref = app.report_file(caller, report_id, fmt)
    return attachment(data, media_type=ref["media_type"], file_name=ref["file_name"])


@router.get("/api/reports/{report_id}", summary="One submitted report")
def get_report(app: AppDep, caller: ReaderDep, report_id: UUID) -> dict[str, Any]:
    return app.get_report(caller, report_id).summary()
