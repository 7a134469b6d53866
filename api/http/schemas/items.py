"""Rectification items (整改事项): plans, decisions, rectification, verification."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from api.http.schemas.common import Body, Code, Name, Read, Text, one_of
from domain.taxonomy import INVOLVES, MEASURE_TYPES

MeasureType = Field(json_schema_extra=one_of(MEASURE_TYPES), examples=["conduct"])
Involves = Field(default="none", json_schema_extra=one_of(INVOLVES))
Sha256 = Field(pattern=r"^[0-9a-f]{64}$", examples=["9f86d081884c7d659a2feaa0c55ad015" * 2])


class ItemCreate(Body):
    """A plan: measure, responsible person, deadline, and whether it disposes or leases."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "measure": "全面清查并补登资产台账",
                    "measure_type": "basic_management",
                    "responsible": "张伟",
                    "deadline": "2026-11-20",
                    "involves": "none",
                }
            ]
        }
    )

    measure: Text
    measure_type: Code = MeasureType
    responsible: Name
    deadline: date
    involves: Code = Involves
    office: Code | None = Field(default=None, description="Must be the issue's office if given")


class ReplanCreate(Body):
    """A new plan for a planned or rejected item (it then needs approval again)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "measure": "细化措施：逐项核对账实并补登台账",
                    "measure_type": "basic_management",
                    "responsible": "李娜",
                    "deadline": "2026-11-25",
                    "involves": "none",
                }
            ]
        }
    )

    measure: Text
    measure_type: Code = MeasureType
    responsible: Name
    deadline: date
    involves: Code = Involves


class ApprovalRequestCreate(Body):
    """Ask the coordination office (and Finance, for disposal or lease) to approve."""


class ApprovalCreate(Body):
    """One approving unit's decision; a rejection needs a comment."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"decision": "approve", "comment": "同意整改方案"}]}
    )

    decision: Literal["approve", "reject"]
    comment: Text = ""


class EvidenceCite(Body):
    """An uploaded file (``POST /api/evidence``) cited by its SHA-256."""

    sha256: str = Sha256
    file_name: Name


class RectificationCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "description": "已完成资产清查，补登台账23条",
                    "evidence": [{"sha256": "9f86d081884c7d65" * 4, "file_name": "盘点表.pdf"}],
                }
            ]
        }
    )

    description: Text
    evidence: list[EvidenceCite] = Field(
        min_length=1, max_length=50, description="The uploaded files that prove it: at least one"
    )
    rectified_on: date | None = Field(default=None, description="Defaults to today")


class VerificationCreate(Body):
    """The verifier's finding; a failure needs a comment."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"result": "pass", "comment": "经核查，整改到位"}]}
    )

    result: Literal["pass", "fail"]
    comment: Text = ""


class DeadlineExtensionCreate(Body):
    """Office staff ``request`` an extension; the coordination office may ``grant`` (with or
    without a request) or ``refuse`` a pending one."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"new_deadline": "2026-11-28", "reason": "需等待不动产登记部门受理"},
                {"decision": "grant", "new_deadline": "2026-11-28", "reason": "理由充分"},
                {"decision": "refuse", "reason": "期限内可以完成"},
            ]
        }
    )

    decision: Literal["request", "grant", "refuse"] = "request"
    new_deadline: date | None = Field(default=None, validate_default=True)
    reason: Text

    @field_validator("new_deadline")
    @classmethod
    def _deadline_unless_refusal(cls, value: date | None, info: ValidationInfo) -> date | None:
        decision = info.data.get("decision", "request")
        if decision != "refuse" and value is None:
            raise ValueError(f"is required to {decision} an extension")
        return value


class ReassignmentCreate(Body):
    responsible: Name = Field(examples=["赵强"])
    reason: Text = Field(examples=["原责任人调岗"])


class FalsificationFlagCreate(Body):
    """Flag claimed work as falsified (coordination office or auditor): opens accountability."""

    reason: Text = Field(examples=["抽查发现佐证照片系整改前拍摄"])


class EvidenceRefRead(Read):
    file_name: str
    media_type: str
    size: int
    sha256: str


class PendingExtensionRead(Read):
    new_deadline: date
    reason: str


class ItemRead(Read):
    id: UUID
    version: int
    issue_id: UUID
    office: str
    measure: str
    measure_type: str
    responsible: str
    deadline: date
    original_deadline: date
    involves: str
    status: str
    approvals: list[str]
    missing_approvals: list[str]
    evidence: list[EvidenceRefRead]
    rectified_on: date | None
    extensions: int
    pending_extension: PendingExtensionRead | None
    failed_verifications: int
    falsification_flags: int
    created_on: datetime
    modified_on: datetime

    @classmethod
    def of(cls, summary: dict[str, Any]) -> ItemRead:
        return cls.model_validate(summary)
