"""Schemas of the hash-chain verifier and the signed digests."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChainHead(BaseModel):
    position: int | None
    hash: str | None
    events: int


class ChainBreak(BaseModel):
    position: int
    kind: str  # changed | removed | inserted | reordered
    detail: str


class EvidenceProblem(BaseModel):
    position: int
    sha256: str
    problem: str


class EvidenceCheck(BaseModel):
    checked: int
    problems: list[EvidenceProblem]


class DigestCheck(BaseModel):
    label: str
    position: int
    ok: bool
    kind: str | None
    detail: str


class RejectedDigest(BaseModel):
    label: str
    reason: str


class VerifyRead(BaseModel):
    """``ok`` with the head, or the first break and its kind; evidence files checked too."""

    ok: bool
    chain_kept: bool
    head: ChainHead
    break_: ChainBreak | None = Field(default=None, alias="break")
    evidence: EvidenceCheck
    digests: list[DigestCheck]
    rejected_digests: list[RejectedDigest]
    seconds: float

    model_config = ConfigDict(
        populate_by_name=True,
        json_schema_extra={
            "example": {
                "ok": True,
                "chain_kept": True,
                "head": {"position": 310, "hash": "e5d9b4…", "events": 310},
                "break": None,
                "evidence": {"checked": 20, "problems": []},
                "digests": [],
                "rejected_digests": [],
                "seconds": 0.03,
            }
        },
    )


class DigestRead(BaseModel):
    """A signed checkpoint of the log: keep the file outside the database."""

    format: str
    application: str
    position: int
    hash: str
    events: int
    issued_at: str
    key_id: str
    public_key: str
    signature: str


class IssuedDigestRead(BaseModel):
    digest: DigestRead
    digest_id: str
    issued_by: dict[str, str]
    recorded_at: str
    log_position: int
