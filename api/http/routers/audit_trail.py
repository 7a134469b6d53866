"""The tamper-evident trail: verify the hash chain, issue and download signed digests."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import ReaderDep, ServicesDep, WriterDep
from api.http.errors import problem_responses
from api.http.offload import OffloadedRoute
from api.http.schemas.audit_trail import DigestRead, IssuedDigestRead, VerifyRead
from infrastructure.audit import AuditDesk

router = APIRouter(
    route_class=OffloadedRoute,
    prefix="/api/audit",
    tags=["audit"],
    responses=problem_responses(401, 403, 422, 429),
)


@router.get(
    "/verify",
    summary="Recompute the hash chain and check every cited evidence file (auditor, coordinator)",
)
def verify(caller: ReaderDep, services: ServicesDep) -> VerifyRead:
    result = AuditDesk.of(services.container).verify(caller)
    return VerifyRead.model_validate(result.as_dict())


@router.get("/digests", summary="Every signed digest issued, oldest first")
def list_digests(caller: ReaderDep, services: ServicesDep) -> list[IssuedDigestRead]:
    listed = AuditDesk.of(services.container).digests(caller)
    return [IssuedDigestRead.model_validate(d) for d in listed]


@router.post(
    "/digests",
    status_code=201,
    summary="Sign the chain's head now and record a DigestIssued event",
    responses=problem_responses(409),
)
def issue_digest(caller: WriterDep, services: ServicesDep) -> DigestRead:
    digest = AuditDesk.of(services.container).issue_digest(caller)
    return DigestRead.model_validate(digest.as_dict())
