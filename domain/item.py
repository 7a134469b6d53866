"""Rectification item (整改事项): one measure against one issue, from plan to report."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.errors import (
    AlreadyDecided,
    DeadlineOutOfRange,
    FourEyesViolation,
    InvalidInput,
    InvalidTransition,
    IssueNotOpen,
    OfficeMismatch,
)
from domain.issue import Issue
from domain.item_rules import (
    check_deadline,
    check_evidence,
    check_new_measure,
    required_approvals,
)
from domain.recording import RecordedAggregate
from domain.taxonomy import INVOLVES, MEASURE_TYPES, check_choice, check_optional_text, check_text

PLANNED = "planned"
APPROVAL_REQUESTED = "approval_requested"
REJECTED = "rejected"
APPROVED = "approved"
RECTIFIED = "rectified"
VERIFICATION_FAILED = "verification_failed"
RECTIFYING = "rectifying"
VERIFIED = "verified"
REPORTED = "reported"

STATUSES = (
    PLANNED,
    APPROVAL_REQUESTED,
    REJECTED,
    APPROVED,
    RECTIFYING,
    RECTIFIED,
    VERIFICATION_FAILED,
    VERIFIED,
    REPORTED,
)
EDITABLE = frozenset({PLANNED, REJECTED})
IN_RECTIFICATION = frozenset({APPROVED, VERIFICATION_FAILED, RECTIFYING})
NOT_YET_RECTIFIED = EDITABLE | {APPROVAL_REQUESTED} | IN_RECTIFICATION
# Work claimed and not flagged since: a flagged item is 重新整改 (rectifying) until the office
# records its work again, and there is nothing new to flag until then.
FLAGGABLE = frozenset({RECTIFIED, VERIFICATION_FAILED, VERIFIED, REPORTED})
DONE = frozenset({VERIFIED, REPORTED})


class RectificationItem(RecordedAggregate):
    """planned → approval_requested → approved | rejected → rectified → verified → reported."""

    @event("Planned")
    def __init__(
        self,
        *,
        issue_id: UUID,
        office: str,
        measure: str,
        measure_type: str,
        responsible: str,
        deadline: date,
        involves: str,
    ) -> None:
        self.issue_id = issue_id
        self.office = office
        self.measure = measure
        self.measure_type = measure_type
        self.responsible = responsible
        self.deadline = deadline
        self.original_deadline = deadline
        self.involves = involves
        self.status = PLANNED
        self.approvals: list[str] = []
        self.approval_requested_by: str | None = None
        self.rectified_by: str | None = None
        self.rectified_on: date | None = None
        self.evidence: list[dict[str, Any]] = []
        self.extensions = 0
        self.pending_extension: dict[str, str] | None = None
        self.failed_verifications = 0
        self.falsification_flags = 0

    @classmethod
    def plan(
        cls,
        *,
        issue: Issue,
        office: str | None,
        measure: str,
        measure_type: str,
        responsible: str,
        deadline: date,
        involves: str,
        today: date,
        campaign_end: date,
        siblings: Iterable[RectificationItem],
    ) -> RectificationItem:
        """A new item of ``issue``, whose items so far are ``siblings``."""
        if not issue.is_open:
            raise IssueNotOpen(f"issue is {issue.status}; items are planned only on open issues")
        if office is not None and office != issue.office:
            raise OfficeMismatch(
                f"item office {office!r} is not the issue's office {issue.office!r}", field="office"
            )
        measure = check_text(measure, field="measure")
        check_new_measure(siblings, measure, done=DONE)
        return cls(
            issue_id=issue.id,
            office=issue.office,
            measure=measure,
            measure_type=check_choice(measure_type, MEASURE_TYPES, field="measure_type"),
            responsible=check_text(
                responsible, field="responsible", max_length=100, single_line=True
            ),
            deadline=check_deadline(deadline, today=today, campaign_end=campaign_end),
            involves=check_choice(involves, INVOLVES, field="involves"),
        )

    @property
    def required_approvals(self) -> tuple[str, ...]:
        return required_approvals(self.involves)

    @property
    def missing_approvals(self) -> list[str]:
        return [u for u in self.required_approvals if u not in self.approvals]

    def _require(self, allowed: frozenset[str] | set[str], action: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(f"cannot {action}: item is {self.status}")

    # Planning --------------------------------------------------------------------------

    def replan(
        self,
        *,
        measure: str,
        measure_type: str,
        responsible: str,
        deadline: date,
        involves: str,
        today: date,
        campaign_end: date,
        siblings: Iterable[RectificationItem],
    ) -> None:
        """Plan this item again; ``siblings`` are its problem's items (itself may be one)."""
        self._require(EDITABLE, "re-plan")
        measure = check_text(measure, field="measure")
        check_new_measure((i for i in siblings if i.id != self.id), measure, done=DONE)
        self._replanned(
            measure=measure,
            measure_type=check_choice(measure_type, MEASURE_TYPES, field="measure_type"),
            responsible=check_text(
                responsible, field="responsible", max_length=100, single_line=True
            ),
            deadline=check_deadline(deadline, today=today, campaign_end=campaign_end),
            involves=check_choice(involves, INVOLVES, field="involves"),
        )

    @event("Replanned")
    def _replanned(
        self, measure: str, measure_type: str, responsible: str, deadline: date, involves: str
    ) -> None:
        self.measure = measure
        self.measure_type = measure_type
        self.responsible = responsible
        self.deadline = deadline
        self.original_deadline = deadline
        self.involves = involves
        self.status = PLANNED

    def request_approval(self, *, by: str) -> None:
        self._require({PLANNED}, "request approval")
        self._approval_requested(requested_by=by)

    @event("ApprovalRequested")
    def _approval_requested(self, requested_by: str) -> None:
        self.status = APPROVAL_REQUESTED
        self.approval_requested_by = requested_by
        self.approvals = []

    def decide(self, *, unit: str, approve: bool, comment: str, by: str) -> None:
        """One approving unit's decision; the item is approved when every required one is in."""
        self._require({APPROVAL_REQUESTED}, "decide on approval")
        if unit not in self.required_approvals:
            raise InvalidInput(
                f"unit {unit!r} does not approve this item (needs {self.required_approvals})",
                field="unit",
            )
        if unit in self.approvals:
            raise AlreadyDecided(f"{unit} has already approved this plan")
        if by == self.approval_requested_by:
            raise FourEyesViolation("the account that requested approval cannot approve it")
        if approve:
            self._approved(unit=unit, comment=check_optional_text(comment, field="comment"))
        else:
            self._rejected(unit=unit, comment=check_text(comment, field="comment"))

    @event("Approved")
    def _approved(self, unit: str, comment: str) -> None:
        self.approvals.append(unit)
        if not self.missing_approvals:
            self.status = APPROVED

    @event("Rejected")
    def _rejected(self, unit: str, comment: str) -> None:
        self.status = REJECTED
        self.approvals = []

    # Rectification and verification ---------------------------------------------------

    def rectify(
        self,
        *,
        description: str,
        evidence: list[dict[str, Any]],
        rectified_on: date,
        today: date,
        found_on: date,
        by: str,
    ) -> None:
        """``found_on``: the day the item's problem was found, before which nothing about
        it can have been rectified."""
        self._require(IN_RECTIFICATION, "record rectification")
        if rectified_on > today:
            raise InvalidInput("rectified_on cannot be in the future", field="rectified_on")
        if rectified_on < found_on:
            raise InvalidInput(
                f"rectified_on cannot be before the problem was found ({found_on})",
                field="rectified_on",
            )
        self._rectified(
            description=check_text(description, field="description"),
            evidence=check_evidence(evidence),
            rectified_on=rectified_on,
            rectified_by=by,
        )

    @event("Rectified")
    def _rectified(
        self,
        description: str,
        evidence: list[dict[str, Any]],
        rectified_on: date,
        rectified_by: str,
    ) -> None:
        self.status = RECTIFIED
        self.rectification = description
        self.evidence = evidence
        self.rectified_on = rectified_on
        self.rectified_by = rectified_by

    def verify(self, *, passed: bool, comment: str, by: str) -> None:
        self._require({RECTIFIED}, "verify")
        if by == self.rectified_by:
            raise FourEyesViolation("the account that recorded the rectification cannot verify it")
        if passed:
            self._verification_passed(
                comment=check_optional_text(comment, field="comment"), verified_by=by
            )
        else:
            self._verification_failed(comment=check_text(comment, field="comment"))

    @event("VerificationPassed")
    def _verification_passed(self, comment: str, verified_by: str) -> None:
        self.status = VERIFIED

    @event("VerificationFailed")
    def _verification_failed(self, comment: str) -> None:
        self.status = VERIFICATION_FAILED
        self.failed_verifications += 1

    # Deadlines and people ---------------------------------------------------------------

    def request_extension(self, *, new_deadline: date, reason: str, today: date) -> None:
        self._require(NOT_YET_RECTIFIED, "ask for an extension")
        if self.pending_extension is not None:  # the console offers no second request either
            raise InvalidTransition(
                "an extension request is already pending: the coordination office grants "
                "or refuses it first"
            )
        self._check_new_deadline(new_deadline, today)
        self._extension_requested(
            new_deadline=new_deadline, reason=check_text(reason, field="reason")
        )

    @event("ExtensionRequested")
    def _extension_requested(self, new_deadline: date, reason: str) -> None:
        self.pending_extension = {"new_deadline": new_deadline.isoformat(), "reason": reason}

    def extend_deadline(self, *, new_deadline: date, reason: str, today: date) -> None:
        """Granted by the coordination office, with or without an office's request."""
        self._require(NOT_YET_RECTIFIED, "extend the deadline")
        self._check_new_deadline(new_deadline, today)
        self._deadline_extended(
            new_deadline=new_deadline,
            previous_deadline=self.deadline,
            reason=check_text(reason, field="reason"),
        )

    @event("DeadlineExtended")
    def _deadline_extended(self, new_deadline: date, previous_deadline: date, reason: str) -> None:
        self.deadline = new_deadline
        self.extensions += 1
        self.pending_extension = None

    def refuse_extension(self, *, reason: str) -> None:
        if self.pending_extension is None:
            raise InvalidTransition("no extension request is pending")
        self._extension_refused(reason=check_text(reason, field="reason"))

    @event("ExtensionRefused")
    def _extension_refused(self, reason: str) -> None:
        self.pending_extension = None

    def _check_new_deadline(self, new_deadline: date, today: date) -> None:
        if new_deadline <= self.deadline:
            raise DeadlineOutOfRange(
                f"new deadline {new_deadline} must be later than {self.deadline}",
                field="new_deadline",
            )
        if new_deadline < today:
            raise DeadlineOutOfRange("new deadline is in the past", field="new_deadline")

    def reassign(self, *, responsible: str, reason: str) -> None:
        self._require(NOT_YET_RECTIFIED | {RECTIFIED}, "reassign")
        responsible = check_text(responsible, field="responsible", max_length=100, single_line=True)
        if responsible == self.responsible:
            raise InvalidInput("the item is already assigned to that person", field="responsible")
        self._reassigned(
            responsible=responsible,
            previous=self.responsible,
            reason=check_text(reason, field="reason"),
        )

    @event("Reassigned")
    def _reassigned(self, responsible: str, previous: str, reason: str) -> None:
        self.responsible = responsible

    # Oversight --------------------------------------------------------------------------

    def flag_falsification(self, *, reason: str) -> bool:
        """Flag claimed work as falsified; answers whether the item had counted as verified."""
        self._require(FLAGGABLE, "flag falsification")
        was_verified = self.status in (VERIFIED, REPORTED)
        self._falsification_flagged(
            reason=check_text(reason, field="reason"), previous_status=self.status
        )
        return was_verified

    @event("FalsificationFlagged")
    def _falsification_flagged(self, reason: str, previous_status: str) -> None:
        self.status = RECTIFYING
        self.falsification_flags += 1

    def mark_reported(self, *, report_id: UUID | None = None) -> None:
        self._require({VERIFIED}, "report")
        self._reported(report_id=report_id)

    @event("Reported")
    def _reported(self, report_id: UUID | None) -> None:
        self.status = REPORTED

    def summary(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "version": self.version,
            "issue_id": str(self.issue_id),
            "office": self.office,
            "measure": self.measure,
            "measure_type": self.measure_type,
            "responsible": self.responsible,
            "deadline": self.deadline.isoformat(),
            "original_deadline": self.original_deadline.isoformat(),
            "involves": self.involves,
            "status": self.status,
            "approvals": list(self.approvals),
            "missing_approvals": self.missing_approvals,
            "evidence": list(self.evidence),
            "rectified_on": self.rectified_on.isoformat() if self.rectified_on else None,
            "extensions": self.extensions,
            "pending_extension": self.pending_extension,
            "failed_verifications": self.failed_verifications,
            "falsification_flags": self.falsification_flags,
            "created_on": self.created_on.isoformat(),
            "modified_on": self.modified_on.isoformat(),
        }
