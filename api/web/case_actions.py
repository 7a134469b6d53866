"""Which actions an account may take on a case right now: the policy table and the state.

A form appears only when the policy grants the command on the case's office and the case's
state allows it (and the four-eyes rule does not forbid this account); the application
checks both again when the form is sent, so a stale page is refused, not obeyed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from application.policy import Policy
from application.principal import Principal
from domain import item as states
from domain.issue import CLOSED, Issue
from domain.item import RectificationItem
from domain.taxonomy import FINANCE_UNIT


@dataclass(frozen=True)
class Action:
    code: str
    command: str
    label: str
    path: str

    @property
    def confirm(self) -> str:
        """What the browser asks before sending a step that cannot be taken back ("" none)."""
        return CONFIRMATIONS.get(self.code, "")


# Steps that cannot be taken back: the browser asks before sending them.
CONFIRMATIONS: Final = {
    "verification": "核查结果将记入办理记录，提交后不能修改。确定提交吗？",
    "falsification": "认定弄虚作假后，该事项须重新整改并列入问责线索，认定不能撤回。确定认定吗？",
    "report": "标记后该问题计入已报告，不能撤回。确定标记为已报告吗？",
}


# Every item action the console offers: code (the form's URL segment), policy command, label.
ITEM_ACTIONS: Final = (
    ("replan", "replan_item", "修改整改方案"),
    ("approval-request", "request_approval", "提交审批"),
    ("approval", "decide_approval", "审批方案"),
    ("rectification", "record_rectification", "录入整改情况"),
    ("verification", "record_verification", "核查整改结果"),
    ("extension-request", "request_extension", "申请延期"),
    ("extension", "decide_extension", "审批延期申请"),
    ("reassignment", "reassign", "变更责任人"),
    ("falsification", "flag_falsification", "认定弄虚作假"),
)
ISSUE_ACTIONS: Final = (
    ("items", "plan_item", "制定整改事项"),
    ("correction", "correct_issue", "更正问题信息"),
    ("reopen", "reopen_issue", "重新打开问题"),
    ("report", "mark_reported", "标记为已报告"),
)


def _state_allows(code: str, item: RectificationItem, principal: Principal) -> bool:
    me = str(principal.account_id)
    status = item.status
    if code == "replan":
        return status in states.EDITABLE
    if code == "approval-request":
        return status == states.PLANNED
    if code == "approval":
        return status == states.APPROVAL_REQUESTED and item.approval_requested_by != me
    if code == "rectification":
        return status in states.IN_RECTIFICATION
    if code == "verification":
        return status == states.RECTIFIED and item.rectified_by != me
    if code == "extension-request":
        return status in states.NOT_YET_RECTIFIED and item.pending_extension is None
    if code == "extension":
        return status in states.NOT_YET_RECTIFIED
    if code == "reassignment":
        return status in states.NOT_YET_RECTIFIED | {states.RECTIFIED}
    if code == "falsification":
        return status in states.FLAGGABLE
    raise ValueError(code)


def _approves_here(policy: Policy, principal: Principal, item: RectificationItem) -> bool:
    """Finance decides only disposal and lease items; no unit decides twice."""
    grant = policy.grant_for(principal, "decide_approval", item.office)
    if grant is None:
        return False
    unit = FINANCE_UNIT if grant.role == "finance" else "admin-bureau"
    return unit in item.required_approvals and unit not in item.approvals


def item_actions(policy: Policy, principal: Principal, item: RectificationItem) -> list[Action]:
    found = []
    for code, command, label in ITEM_ACTIONS:
        if policy.grant_for(principal, command, item.office) is None:
            continue
        if not _state_allows(code, item, principal):
            continue
        if code == "approval" and not _approves_here(policy, principal, item):
            continue
        if code == "extension" and item.pending_extension is None:
            label = "延长完成时限"  # no request to decide: the coordinator extends it directly
        found.append(Action(code, command, label, f"/items/{item.id}/{code}"))
    return found


def issue_actions(policy: Policy, principal: Principal, issue: Issue) -> list[Action]:
    allowed = {"items": issue.is_open, "correction": issue.is_open, "reopen": not issue.is_open}
    allowed["report"] = issue.status == CLOSED
    return [
        Action(code, command, label, f"/issues/{issue.id}/{code}")
        for code, command, label in ISSUE_ACTIONS
        if allowed[code] and policy.grant_for(principal, command, issue.office) is not None
    ]
