"""Notices (通报): draft from accountability records, edit, issue, download DOCX or PDF."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Response
from pydantic import Field

from api.http.deps import AppDep, ExpectedVersionDep, ReaderDep, WriterDep, etag
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.routers.downloads import attachment
from api.http.schemas.common import Body, Code, ShortText, Text
from application.paperwork import FORMATS

router = APIRouter(
    route_class=OffloadedRoute,
    tags=["notices"],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
Format = Annotated[Literal["docx", "pdf"], Path(description="docx or pdf")]
MAX_RECORDS = 1000  # records one notice cites
MAX_ADDRESSEES = 1000  # units in recipients, and in copy_to


RecordId = Annotated[str, Field(max_length=200)]
UnitCodes = Annotated[list[Code], Field(max_length=MAX_ADDRESSEES)]


class NoticeDraft(Body):
    records: list[RecordId] = Field(
        min_length=1,
        max_length=MAX_RECORDS,
        description="Accountability record ids: lagging:<item id>, ineffective:<item id>, "
        "falsified:<item id> or lagging:<office>:<milestone>",
    )
    title: ShortText | None = Field(None, description="Default: the campaign's progress notice")
    recipients: UnitCodes | None = Field(None, description="Unit codes (default: every office)")
    copy_to: UnitCodes | None = Field(
        None, description="Unit codes (default: finance, unless it is among the recipients)"
    )


class NoticeEdit(Body):
    title: ShortText | None = None
    body: Annotated[str, Field(max_length=50_000)] | None = None
    recipients: UnitCodes | None = None
    copy_to: UnitCodes | None = None
    reason: Text = ""


class NoticeIssue(Body):
    number: str = Field(
        max_length=60,
        description="文号, e.g. 机管国资〔2026〕3号",
        examples=["机管国资〔2026〕3号"],
    )


class NoticeDiscard(Body):
    reason: str = Field(
        max_length=2000,
        description="Why the draft is set aside",
        examples=["重复起草，以另一份为准"],
    )


@router.get("/api/accountability/candidates", summary="Records a notice may cite now")
def candidates(app: AppDep, caller: ReaderDep) -> list[dict[str, Any]]:
    return app.accountability_candidates(caller)


@router.get("/api/notices", summary="Notices (drafts for coordinators; issued ones to offices)")
def list_notices(app: AppDep, caller: ReaderDep) -> list[dict[str, Any]]:
    return [n.summary() for n in app.notices(caller)]


@router.post("/api/notices", status_code=201, summary="Draft a notice from chosen records")
def draft(app: AppDep, caller: WriterDep, body: NoticeDraft, response: Response) -> dict[str, Any]:
    result = app.draft_notice(
        caller,
        record_ids=body.records,
        title=body.title,
        recipients=body.recipients,
        copy_to=body.copy_to,
    )
    return tagged(response, app.get_notice(caller, result.id).summary())


@router.get(
    "/api/notices/{notice_id}.{fmt}",
    summary="The notice as a formal document (DOCX or PDF)",
    response_class=Response,
)
def download(app: AppDep, caller: ReaderDep, notice_id: UUID, fmt: Format) -> Response:
    notice = app.get_notice(caller, notice_id)
    data = app.render_notice(caller, notice_id, fmt)
    name = f"{notice.number or '通报草稿'}{notice.title}.{fmt}"
    return attachment(data, media_type=FORMATS[fmt], file_name=name)


@router.get("/api/notices/{notice_id}", summary="One notice")
def get_notice(
    app: AppDep, caller: ReaderDep, notice_id: UUID, response: Response
) -> dict[str, Any]:
    return tagged(response, app.get_notice(caller, notice_id).summary())


def tagged(response: Response, notice: dict[str, Any]) -> dict[str, Any]:
    """The notice, its version as the ETag (what ``If-Match`` on an edit or issue expects)."""
    response.headers["ETag"] = etag(int(notice["version"]))
    return notice


@router.patch("/api/notices/{notice_id}", summary="Edit a draft notice")
def edit(
    app: AppDep,
    caller: WriterDep,
    notice_id: UUID,
    body: NoticeEdit,
    expected_version: ExpectedVersionDep,
    response: Response,
) -> dict[str, Any]:
    app.edit_notice(caller, notice_id, **body.model_dump(), expected_version=expected_version)
    return tagged(response, app.get_notice(caller, notice_id).summary())


@router.post("/api/notices/{notice_id}/issue", summary="Issue the notice under its number")
def issue(
    app: AppDep,
    caller: WriterDep,
    notice_id: UUID,
    body: NoticeIssue,
    expected_version: ExpectedVersionDep,
    response: Response,
) -> dict[str, Any]:
    app.issue_notice(caller, notice_id, number=body.number, expected_version=expected_version)
    return tagged(response, app.get_notice(caller, notice_id).summary())


@router.post(
    "/api/notices/{notice_id}/discard",
    summary="Set a draft aside (作废), saying why: kept on record, never edited or issued",
)
def discard(
    app: AppDep,
    caller: WriterDep,
    notice_id: UUID,
    body: NoticeDiscard,
    expected_version: ExpectedVersionDep,
    response: Response,
) -> dict[str, Any]:
    app.discard_notice(caller, notice_id, reason=body.reason, expected_version=expected_version)
    return tagged(response, app.get_notice(caller, notice_id).summary())
