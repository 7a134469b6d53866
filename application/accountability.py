"""Accountability records for notices: who lagged, whose work was ineffective or falsified.

A record is named by an id a person can type — ``lagging:<item id>``, ``ineffective:<item
id>``, ``falsified:<item id>`` or ``lagging:<office>:<milestone>`` — and, when cited in a
notice, carries its facts in Chinese and the events that prove them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Final
from uuid import UUID
from zoneinfo import ZoneInfo

from application.history import HistoryEntry
from application.ledger_scan import Ledger, LedgerIssue, LedgerItem
from application.paperwork import chinese_date
from domain.campaign import Campaign
from domain.errors import InvalidInput
from domain.milestones import MilestoneStatus
from domain.notice import ACCOUNTABILITY_KINDS
from domain.office_record import OfficeRecord

EVENT_LABELS: Final = {
    "Found": "登记问题",
    "Corrected": "更正问题信息",
    "Planned": "制定整改事项",
    "Replanned": "修改整改方案",
    "ApprovalRequested": "提请审批",
    "Approved": "同意整改事项",
    "Rejected": "退回整改事项",
    "Rectified": "录入整改完成情况",
    "VerificationPassed": "核查通过",
    "VerificationFailed": "核查未通过",
    "ExtensionRequested": "申请延期",
    "DeadlineExtended": "批准延期",
    "ExtensionRefused": "不同意延期",
    "Reassigned": "变更责任人",
    "FalsificationFlagged": "认定弄虚作假",
    "Reported": "纳入整改报告",
    "WorkGroupNamed": "报送工作专班名单",
    "WorkGroupChanged": "调整工作专班",
    "SelfInspectionSubmitted": "报送自查材料",
    "ReportSubmitted": "报送整改情况报告",
    "ItemAdded": "新增整改事项",
    "ItemVerified": "整改事项核查通过",
    "ItemSentBack": "整改事项被退回",
    "Closed": "问题销号",
    "Reopened": "重新打开问题",
    "Drafted": "起草通报",
    "Edited": "修改通报",
    "Issued": "印发通报",
    "Discarded": "作废通报草稿",
}

_CITED: Final = {
    "lagging": ("Planned", "Replanned", "Approved", "DeadlineExtended", "ExtensionRefused"),
    "ineffective": ("Rectified", "VerificationFailed"),
    "falsified": ("Rectified", "VerificationPassed", "FalsificationFlagged"),
}
_MILESTONE_EVENTS: Final = {
    "work_group_named": "WorkGroupNamed",
    "self_inspection_submitted": "SelfInspectionSubmitted",
    "office_reports_due": "ReportSubmitted",
}


def citation(entry: HistoryEntry, tz: ZoneInfo) -> dict[str, Any]:
    """One proving event, its time in the campaign's zone."""
    return {
        "aggregate_id": str(entry.aggregate_id),
        "aggregate_type": entry.aggregate_type,
        "version": entry.version,
        "event_type": entry.event_type,
        "event_label": EVENT_LABELS.get(entry.event_type, entry.event_type),
        "recorded_at": entry.recorded_at.astimezone(tz).isoformat(),
        "actor_name": entry.actor.get("name", ""),
        "actor_role": entry.actor.get("role", ""),
        "actor_unit": entry.actor.get("unit", ""),
        "comment": entry.comment,
    }


def item_kinds(item: LedgerItem) -> list[str]:
    """The accountability kinds an item gives rise to now."""
    kinds = []
    if item.overdue:
        kinds.append("lagging")
    if item.failed_verifications >= 2:
        kinds.append("ineffective")
    if item.falsification_flags > 0:
        kinds.append("falsified")
    return kinds


def item_facts(
    kind: str, issue: LedgerIssue, item: LedgerItem, *, office_name: str, today: date
) -> str:
    head = (
        f"{office_name}“{issue.title}”问题的整改事项“{item.measure}”（责任人：{item.responsible}）"
    )
    if kind == "lagging":
        extended = (
            f"，原定完成时限{chinese_date(item.original_deadline)}，经批准延期{item.extensions}次"
            if item.extensions
            else ""
        )
        days = (today - item.deadline).days
        return (
            f"{head}，完成时限为{chinese_date(item.deadline)}{extended}，截至{chinese_date(today)}"
            f"仍未完成整改，已逾期{days}天。"
        )
    if kind == "ineffective":
        return f"{head}经核查{item.failed_verifications}次未通过，整改成效不明显。"
    return f"{head}经核查认定存在弄虚作假情形。"


def milestone_facts(status: MilestoneStatus, *, office_name: str, today: date) -> str:
    due = f"{office_name}应于{chinese_date(status.due)}前完成“{status.label}”"
    if status.done_on is None:
        return f"{due}，截至{chinese_date(today)}尚未完成，已逾期{status.days_late}天。"
    return f"{due}，实际于{chinese_date(status.done_on)}完成，逾期{status.days_late}天。"


def candidate_ids(ledger: Ledger, milestones: Iterable[MilestoneStatus]) -> list[str]:
    ids = [f"{kind}:{item.id}" for item in ledger.items for kind in item_kinds(item)]
    ids += [f"lagging:{m.office}:{m.code}" for m in milestones if m.missed]
    return ids


class AccountabilityBook:
    """Builds the cited records from the ledger, the milestones and the events themselves."""

    def __init__(
        self,
        *,
        campaign: Campaign,
        ledger: Ledger,
        milestones: list[MilestoneStatus],
        history: Callable[[UUID], list[HistoryEntry]],
    ) -> None:
        self.campaign = campaign
        self.ledger = ledger
        self.milestones = milestones
        self.history = history  # one aggregate's, in the log's order
        self.tz = ZoneInfo(campaign.timezone)

    def record(self, record_id: str) -> dict[str, Any]:
        parts = record_id.split(":")
        if len(parts) == 3 and parts[0] == "lagging":
            return self._milestone_record(record_id, parts[1], parts[2])
        if len(parts) != 2 or parts[0] not in ACCOUNTABILITY_KINDS:
            raise InvalidInput(f"{record_id!r} is not an accountability record id", field="records")
        kind = parts[0]
        try:
            item = next(i for i in self.ledger.items if str(i.id) == parts[1])
        except StopIteration:
            raise InvalidInput(f"no item {parts[1]} in your scope", field="records") from None
        if kind not in item_kinds(item):
            raise InvalidInput(
                f"{record_id}: the item does not (or no longer) give rise to this record",
                field="records",
            )
        issue = self.ledger.issue(item.issue_id)
        office_name = self.campaign.unit(item.office).name
        cited = [
            citation(e, self.tz) for e in self.history(item.id) if e.event_type in _CITED[kind]
        ]
        return {
            "id": record_id,
            "kind": kind,
            "kind_label": ACCOUNTABILITY_KINDS[kind],
            "office": item.office,
            "office_name": office_name,
            "issue_id": str(issue.id),
            "item_id": str(item.id),
            "issue_title": issue.title,
            "measure": item.measure,
            "responsible": item.responsible,
            "facts": item_facts(
                kind, issue, item, office_name=office_name, today=self.ledger.today
            ),
            "citations": cited,
        }

    def _milestone_record(self, record_id: str, office: str, code: str) -> dict[str, Any]:
        try:
            status = next(m for m in self.milestones if m.office == office and m.code == code)
        except StopIteration:
            raise InvalidInput(
                f"no milestone {code} for office {office}", field="records"
            ) from None
        if not status.missed:
            raise InvalidInput(f"{record_id}: the milestone was not missed", field="records")
        office_name = self.campaign.unit(office).name
        wanted = _MILESTONE_EVENTS[code]
        cited = []
        for unit in sorted(self.campaign.units, key=lambda u: u.code):
            if unit.is_office and office in self.campaign.subtree(unit.code):
                entries = self.history(OfficeRecord.create_id(unit.code))
                cited += [citation(e, self.tz) for e in entries if e.event_type == wanted][:1]
        return {
            "id": record_id,
            "kind": "lagging",
            "kind_label": ACCOUNTABILITY_KINDS["lagging"],
            "office": office,
            "office_name": office_name,
            "issue_id": None,
            "item_id": None,
            "issue_title": "",
            "measure": status.label,
            "responsible": "",
            "facts": milestone_facts(status, office_name=office_name, today=self.ledger.today),
            "citations": cited,
        }
