"""Issues (问题清单): record, read, trace, reopen, and plan items against them."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from api.http.answers import CaseWriteDep, WriteDep, issue_detail
from api.http.deps import AppDep, AsOfDep, PagingDep, ReaderDep, ReadModelsDep, ScopeDep, etag
from api.http.errors import problem_responses
from api.http.filters import IssueFiltersDep
from api.http.offload import OffloadedRoute
from api.http.schemas.issues import (
    CorrectionCreate,
    HistoryEntryRead,
    IssueCreate,
    IssueDetailRead,
    IssueRead,
    ReopenCreate,
)
from api.http.schemas.items import ItemCreate, ItemRead
from api.http.schemas.ledgers import IssuePage

router = APIRouter(
    route_class=OffloadedRoute,
    prefix="/api/issues",
    tags=["issues"],
    responses=problem_responses(401, 422, 429),
)


@router.post(
    "",
    status_code=201,
    summary="Record a problem found at an office",
    responses=problem_responses(403),
)
def create_issue(body: IssueCreate, write: WriteDep) -> IssueRead:
    return write.issue(write.app.find_issue(write.caller, **body.model_dump()))


@router.get("", summary="The 问题清单: problems you may read, filtered, sorted and paged")
def list_issues(
    scope: ScopeDep,
    models: ReadModelsDep,
    filters: IssueFiltersDep,
    paging: PagingDep,
    as_of: AsOfDep,
) -> IssuePage:
    page = models.issues(
        offices=scope,
        **filters.as_kwargs(),
        page=paging.page,
        page_size=paging.page_size,
        as_of=as_of,
    )
    return IssuePage.model_validate(page)


@router.get(
    "/{issue_id}",
    summary="One issue with its items; ETag is its version",
    responses=problem_responses(404),
)
def read_issue(
    issue_id: UUID, caller: ReaderDep, app: AppDep, as_of: AsOfDep, response: Response
) -> IssueDetailRead:
    issue = issue_detail(app, caller, issue_id, as_of=as_of)
    response.headers["ETag"] = etag(issue.version)
    return issue


@router.get(
    "/{issue_id}/history",
    summary="Every recorded event of the issue and its items: who, when, why",
    responses=problem_responses(404),
)
def issue_history(issue_id: UUID, caller: ReaderDep, app: AppDep) -> list[HistoryEntryRead]:
    app.get_issue(caller, issue_id)  # an issue the caller may read, not an item
    return [HistoryEntryRead.model_validate(e) for e in app.case_history(caller, issue_id)]


@router.post(
    "/{issue_id}/correction",
    summary="Correct an open issue's record, with a reason (If-Match: the issue's ETag)",
    responses=problem_responses(403, 404, 409, 412),
)
def correct_issue(issue_id: UUID, body: CorrectionCreate, write: CaseWriteDep) -> IssueRead:
    return write.issue(
        write.app.correct_issue(
            write.caller, issue_id, **body.model_dump(), expected_version=write.expected_version
        )
    )


@router.post(
    "/{issue_id}/reopen",
    summary="Reopen a closed or reported issue found again (coordination office)",
    responses=problem_responses(403, 404, 409, 412),
)
def reopen_issue(issue_id: UUID, body: ReopenCreate, write: CaseWriteDep) -> IssueRead:
    return write.issue(
        write.app.reopen_issue(
            write.caller, issue_id, reason=body.reason, expected_version=write.expected_version
        )
    )


@router.post(
    "/{issue_id}/items",
    status_code=201,
    summary="Plan a rectification item against an open issue (If-Match: the issue's ETag)",
    responses=problem_responses(403, 404, 409, 412),
)
def plan_item(issue_id: UUID, body: ItemCreate, write: CaseWriteDep) -> ItemRead:
    return write.item(
        write.app.plan_item(
            write.caller, issue_id, **body.model_dump(), expected_version=write.expected_version
        )
    )
