"""What the case page shows: an issue with its items, each item's state, deadline, light,
approvals, evidence, timeline and the forms the account may use right now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final
from uuid import UUID

from api.web.case_actions import Action, issue_actions, item_actions
from api.web.forms import Form, new_form_id
from api.web.messages import Refusal
from api.web.session import WebUser
from application.errors import NotFound
from application.history import HistoryEntry
from domain.issue import Issue
from domain.item import RectificationItem
from domain.taxonomy import COORDINATION_UNIT, FINANCE_UNIT
from infrastructure.container import Container
from projections.rows import AuditRow

DONE: Final = {
    "found": "问题已登记。",
    "items": "整改事项已制定。",
    "replan": "整改方案已修改。",
    "approval-request": "已提交审批。",
    "approval": "审批意见已记录。",
    "rectification": "整改情况已录入，等待核查。",
    "verification": "核查结果已记录。",
    "extension-request": "延期申请已提交。",
    "extension": "延期决定已记录。",
    "reassignment": "责任人已变更。",
    "falsification": "已认定弄虚作假，并生成问责记录。",
    "correction": "问题信息已更正。",
    "reopen": "问题已重新打开。",
    "report": "问题已标记为已报告。",
}
# What others decided on an item, as the office must read it where it acts next.
DECISIONS: Final = {
    "Approved": "审批同意",
    "Rejected": "退回修改",
    "VerificationPassed": "核查通过",
    "VerificationFailed": "核查未通过",
    "DeadlineExtended": "同意延期",  # or 延长完成时限, when the office asked for none
    "ExtensionRefused": "不同意延期",
    "FalsificationFlagged": "认定弄虚作假",
}


@dataclass(frozen=True)
class Decision:
    """One decision on an item: when, by whom, what, and the comment or reason given."""

    recorded_at: datetime
    actor_name: str
    label: str
    comment: str


@dataclass
class ItemView:
    item: RectificationItem
    light: str
    days_left: int
    actions: list[Action]
    timeline: list[AuditRow]
    decisions: list[Decision]
    approvals: list[tuple[str, bool]]  # unit, approved
    flags: list[str] = field(default_factory=list)  # its rectification's claim flags
    earlier_evidence: list[EarlierFile] = field(default_factory=list)


@dataclass(frozen=True)
class EarlierFile:
    """A file an earlier rectification of the item cited that the latest one does not."""

    file: dict[str, Any]
    cited_on: datetime


def earlier_evidence(
    history: list[HistoryEntry], item: RectificationItem, as_of: datetime | None
) -> list[EarlierFile]:
    """What earlier rounds cited (before a failed verification or a falsification flag):
    the auditor follows every claim, not only the last. ``history``: the case's events."""
    current = {f["sha256"] for f in item.evidence}
    found: dict[str, EarlierFile] = {}
    for entry in history:
        if entry.aggregate_id != item.id or entry.event_type != "Rectified":
            continue
        if as_of is not None and entry.recorded_at > as_of:
            continue
        for cited in entry.data.get("evidence", []):
            if cited["sha256"] not in current and cited["sha256"] not in found:
                found[cited["sha256"]] = EarlierFile(cited, entry.recorded_at)
    return list(found.values())


@dataclass
class CaseView:
    issue: Issue
    items: list[ItemView]
    timeline: list[AuditRow]
    actions: list[Action]
    as_of: datetime | None
    flags: list[str] = field(default_factory=list)  # its found_on's claim flag (倒签)
    form_ids: dict[str, str] = field(default_factory=dict)
    form: Form | None = None

    def form_id(self, name: str) -> str:
        """A fresh id per form on the page (its idempotency key), kept if re-shown."""
        if self.form is not None and self.form.name == name:
            kept = self.form.values.get("form_id", "")
            if kept:
                return kept
        return self.form_ids.setdefault(name, new_form_id())

    def values(self, name: str) -> dict[str, str]:
        return self.form.values if self.form is not None and self.form.name == name else {}

    def errors(self, name: str) -> dict[str, str]:
        return self.form.errors if self.form is not None and self.form.name == name else {}

    @property
    def unshown_refusal(self) -> Refusal | None:
        """What became of a form this page does not offer (the case moved on, or this role
        may not act here), shown on top: its refusal, or, when its fields were wrong, that
        the action is not available now (the fields' errors would have nowhere to show)."""
        if self.form is None or (self.form.refusal is None and not self.form.errors):
            return None
        offered = {f"issue:{a.code}" for a in self.actions} | {
            f"{iv.item.id}:{a.code}" for iv in self.items for a in iv.actions
        }
        if self.form.name in offered:
            return None
        return self.form.refusal or UNAVAILABLE

    def refusal(self, name: str) -> Any:
        return self.form.refusal if self.form is not None and self.form.name == name else None


UNAVAILABLE: Final = Refusal(
    "此操作当前不可用：您的角色无权执行，或事项状态已经变化。请查看下方的最新情况。",
    None,
    "action_unavailable",
    409,
)


def _decisions(
    history: list[HistoryEntry], item: RectificationItem, as_of: datetime | None
) -> list[Decision]:
    found, asked = [], False
    for e in history:
        if e.aggregate_id != item.id or (as_of is not None and e.recorded_at > as_of):
            continue
        label = DECISIONS.get(e.event_type)
        if e.event_type == "DeadlineExtended":  # granted as asked, or extended unasked
            label = f"{'同意延期' if asked else '延长完成时限'}至{e.data['new_deadline']}"
        asked = e.event_type == "ExtensionRequested" or (asked and label is None)
        if label is not None:
            found.append(Decision(e.recorded_at, e.actor.get("name", ""), label, e.comment))
    return found


def _approvals(item: RectificationItem) -> list[tuple[str, bool]]:
    order = (COORDINATION_UNIT, FINANCE_UNIT)
    return [(u, u in item.approvals) for u in order if u in item.required_approvals]


def case_view(
    container: Container,
    user: WebUser,
    issue_id: UUID,
    *,
    as_of: datetime | None = None,
    form: Form | None = None,
) -> CaseView:
    app, reads = container.app, container.read_models
    caller = user.caller()
    issue = app.get_issue(caller, issue_id, at=as_of)
    events = reads.case_events(issue.id)
    if as_of is not None:
        events = [e for e in events if e.recorded_at <= as_of]
    rule = reads.rule(as_of)
    days = container.settings.backdate_days
    flags = {} if as_of is not None else reads.claim_flags(list(issue.items))
    entered = app.local_date(issue.created_on)
    history = app.case_history(caller, issue.id)  # one read of the case's events
    items = []
    for item_id in issue.items:
        try:
            item = app.get_item(caller, item_id, at=as_of)
        except NotFound:  # planned after the moment asked for
            continue
        mine = [e for e in events if e.aggregate_id == item.id]
        items.append(
            ItemView(
                item=item,
                light=rule.item(item.status, item.deadline),
                days_left=(item.deadline - rule.today).days,
                actions=[] if as_of else item_actions(app.policy, user.principal, item),
                timeline=mine,
                decisions=_decisions(history, item, as_of),
                approvals=_approvals(item),
                flags=flags.get(item.id, []),
                earlier_evidence=earlier_evidence(history, item, as_of),
            )
        )
    return CaseView(
        issue=issue,
        items=items,
        timeline=events,
        actions=[] if as_of else issue_actions(app.policy, user.principal, issue),
        as_of=as_of,
        flags=["backdated"] if (entered - issue.found_on).days > days else [],
        form=form,
    )
