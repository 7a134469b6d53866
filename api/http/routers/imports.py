"""The self-inspection sheet: a blank template to download, a filled one to import."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, Response, UploadFile
from starlette.responses import JSONResponse

from api.http.answers import WriteDep
from api.http.deps import AppDep, ReaderDep
from api.http.errors import PROBLEM_JSON, Problem, problem_responses
from api.http.offload import OffloadedRoute
from api.http.routers.downloads import attachment
from api.http.sheet_rules import SHEET_RULES
from application.imports import SheetRejected
from infrastructure.spreadsheets.reader import read_sheet
from infrastructure.spreadsheets.workbook import MEDIA_TYPE, template_workbook

router = APIRouter(
    route_class=OffloadedRoute,
    tags=["imports"],
    responses=problem_responses(401, 403, 404, 422, 429),
)
MAX_SHEET_BYTES = 10 * 1024 * 1024


@router.get(
    "/api/imports/self-inspection/template.xlsx",
    summary="The blank self-inspection sheet for one office (drop-down lists, date checks)",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPE: {}}, "description": "The workbook"}},
)
def template(
    app: AppDep,
    caller: ReaderDep,
    office: Annotated[
        str, Query(description="The office code the sheet is for (one the caller may read)")
    ],
) -> Response:
    unit = app.template_office(caller, office)
    data = template_workbook(app.campaign, office=unit.code)
    name = f"{unit.name}自查问题清单及整改方案.xlsx"
    return attachment(data, media_type=MEDIA_TYPE, file_name=name)


def rejected(request: Request, exc: SheetRejected) -> JSONResponse:
    """422 with every error of the sheet: row, column (its header) and message."""
    body: dict[str, Any] = Problem(
        title="Invalid input",
        status=422,
        detail=exc.message,
        instance=request.url.path,
        code=exc.code,
        field="file",
        request_id=getattr(request.state, "request_id", None),
    ).model_dump(exclude_none=True)
    body["rows"] = [e.as_dict() for e in exc.errors]
    return JSONResponse(body, status_code=422, media_type=PROBLEM_JSON)


@router.post(
    "/api/imports/self-inspection",
    summary="Import an office's filled sheet: every row checked first, all or nothing, once",
    response_model=None,
    responses=problem_responses(413),
)
def import_sheet(
    request: Request,
    write: WriteDep,
    office: Annotated[str, Form(description="The office whose sheet this is")],
    file: Annotated[UploadFile, File(description="The filled .xlsx sheet")],
) -> dict[str, Any] | JSONResponse:
    data = file.file.read(MAX_SHEET_BYTES + 1)
    if len(data) > MAX_SHEET_BYTES:
        raise HTTPException(
            status_code=413, detail=f"file: larger than {MAX_SHEET_BYTES} bytes; split the sheet"
        )
    try:
        sheet = read_sheet(data, file_name=file.filename or "sheet.xlsx")
        result = write.app.import_self_inspection(
            write.caller, office=office, sheet=sheet, rules=SHEET_RULES
        )
    except SheetRejected as exc:
        return rejected(request, exc)
    write.settle.wait(result.position)  # the ledgers show the imported rows when it answers
    return {"already_imported": False, **result.extra, "position": result.position}
