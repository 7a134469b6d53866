"""Rectification items (整改台账): each step of an item's life is one POST."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from api.http.answers import CaseWriteDep
from api.http.deps import (
    AppDep,
    AsOfDep,
    EvidenceRefsDep,
    PagingDep,
    ReaderDep,
    ReadModelsDep,
    ScopeDep,
    etag,
)
from api.http.errors import problem_responses
from api.http.filters import ItemFiltersDep
from api.http.offload import OffloadedRoute
from api.http.schemas.issues import HistoryEntryRead
from api.http.schemas.items import (
    ApprovalCreate,
    ApprovalRequestCreate,
    DeadlineExtensionCreate,
    FalsificationFlagCreate,
    ItemRead,
    ReassignmentCreate,
    RectificationCreate,
    ReplanCreate,
    VerificationCreate,
)
from api.http.schemas.ledgers import ItemPage

router = APIRouter(
    route_class=OffloadedRoute,
    prefix="/api/items",
    tags=["items"],
    responses=problem_responses(401, 422, 429),
)

WRITE_ERRORS = problem_responses(403, 404, 409, 412)


@router.get("", summary="The 整改台账: items you may read, filtered (overdue=true), sorted, paged")
def list_items(
    scope: ScopeDep,
    models: ReadModelsDep,
    filters: ItemFiltersDep,
    paging: PagingDep,
    as_of: AsOfDep,
) -> ItemPage:
    page = models.items(
        offices=scope,
        **filters.as_kwargs(),
        page=paging.page,
        page_size=paging.page_size,
        as_of=as_of,
    )
    return ItemPage.model_validate(page)


@router.get("/{item_id}", summary="One item; ETag is its version", responses=problem_responses(404))
def read_item(
    item_id: UUID, caller: ReaderDep, app: AppDep, as_of: AsOfDep, response: Response
) -> ItemRead:
    item = ItemRead.of(app.get_item(caller, item_id, at=as_of).summary())
    response.headers["ETag"] = etag(item.version)
    return item


@router.get(
    "/{item_id}/history",
    summary="Every recorded event of the item: who, when, why",
    responses=problem_responses(404),
)
def item_history(item_id: UUID, caller: ReaderDep, app: AppDep) -> list[HistoryEntryRead]:
    app.get_item(caller, item_id)  # an item the caller may read, not an issue
    return [HistoryEntryRead.model_validate(e) for e in app.case_history(caller, item_id)]


@router.post(
    "/{item_id}/replan", summary="Re-plan a planned or rejected item", responses=WRITE_ERRORS
)
def replan(item_id: UUID, body: ReplanCreate, write: CaseWriteDep) -> ItemRead:
    return write.item(
        write.app.replan_item(
            write.caller, item_id, **body.model_dump(), expected_version=write.expected_version
        )
    )


@router.post(
    "/{item_id}/approval-request", summary="Ask for the plan's approval", responses=WRITE_ERRORS
)
def request_approval(
    item_id: UUID, write: CaseWriteDep, body: ApprovalRequestCreate | None = None
) -> ItemRead:
    return write.item(
        write.app.request_approval(write.caller, item_id, expected_version=write.expected_version)
    )


@router.post(
    "/{item_id}/approvals",
    summary="Approve or reject the plan (coordination office; Finance for disposal or lease)",
    responses=WRITE_ERRORS,
)
def decide_approval(item_id: UUID, body: ApprovalCreate, write: CaseWriteDep) -> ItemRead:
    approve = body.decision == "approve"
    return write.item(
        write.app.decide_approval(
            write.caller,
            item_id,
            approve=approve,
            comment=body.comment,
            expected_version=write.expected_version,
        )
    )


@router.post(
    "/{item_id}/rectification",
    summary="Record the rectification, citing uploaded evidence",
    responses=WRITE_ERRORS,
)
def record_rectification(
    item_id: UUID, body: RectificationCreate, write: CaseWriteDep, evidence: EvidenceRefsDep
) -> ItemRead:
    return write.item(
        write.app.record_rectification(
            write.caller,
            item_id,
            description=body.description,
            evidence=evidence(body.evidence, write.caller),
            rectified_on=body.rectified_on,
            expected_version=write.expected_version,
        )
    )


@router.post(
    "/{item_id}/verification",
    summary="Verify the rectification: pass or fail (coordination office, not the rectifier)",
    responses=WRITE_ERRORS,
)
def record_verification(item_id: UUID, body: VerificationCreate, write: CaseWriteDep) -> ItemRead:
    passed = body.result == "pass"
    return write.item(
        write.app.record_verification(
            write.caller,
            item_id,
            passed=passed,
            comment=body.comment,
            expected_version=write.expected_version,
        )
    )


@router.post(
    "/{item_id}/deadline-extensions",
    summary="Request (office), grant or refuse (coordination office) a later deadline",
    responses=WRITE_ERRORS,
)
def deadline_extension(
    item_id: UUID, body: DeadlineExtensionCreate, write: CaseWriteDep
) -> ItemRead:
    app, version = write.app, write.expected_version
    if body.decision == "refuse":
        result = app.refuse_extension(
            write.caller, item_id, reason=body.reason, expected_version=version
        )
    else:
        command = app.request_extension if body.decision == "request" else app.extend_deadline
        assert body.new_deadline is not None  # the schema requires it unless refusing
        result = command(
            write.caller,
            item_id,
            new_deadline=body.new_deadline,
            reason=body.reason,
            expected_version=version,
        )
    return write.item(result)


@router.post(
    "/{item_id}/reassignment",
    summary="Hand the item to another responsible person",
    responses=WRITE_ERRORS,
)
def reassign(item_id: UUID, body: ReassignmentCreate, write: CaseWriteDep) -> ItemRead:
    return write.item(
        write.app.reassign(
            write.caller, item_id, **body.model_dump(), expected_version=write.expected_version
        )
    )


@router.post(
    "/{item_id}/falsification-flags",
    summary="Flag the claimed rectification as falsified (coordination office or auditor)",
    responses=WRITE_ERRORS,
)
def flag_falsification(
    item_id: UUID, body: FalsificationFlagCreate, write: CaseWriteDep
) -> ItemRead:
    return write.item(
        write.app.flag_falsification(
            write.caller, item_id, reason=body.reason, expected_version=write.expected_version
        )
    )
