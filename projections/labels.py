"""Chinese labels for what the read models show (codes stay in the rows beside them)."""

from __future__ import annotations

from typing import Final

from domain import issue as issue_states
from domain import item as item_states
from domain.taxonomy import CATEGORIES, INVOLVES, MEASURE_TYPES, ROLES, SOURCES

ISSUE_STATUS: Final = {
    issue_states.OPEN: "整改中",
    issue_states.CLOSED: "已销号",
    issue_states.REPORTED: "已报告",
}

ITEM_STATUS: Final = {
    item_states.PLANNED: "待报审",
    item_states.APPROVAL_REQUESTED: "审批中",
    item_states.REJECTED: "已退回",
    item_states.APPROVED: "已批准",
    item_states.RECTIFYING: "重新整改",
    item_states.RECTIFIED: "已整改待核查",
    item_states.VERIFICATION_FAILED: "核查未通过",
    item_states.VERIFIED: "核查通过",
    item_states.REPORTED: "已报告",
}

ACCOUNTABILITY_KINDS: Final = {
    "lagging": "工作明显滞后",
    "ineffective": "整改成效不明显",
    "falsified": "弄虚作假",
}

CLAIM_FLAGS: Final = {
    "entered_after_deadline": "逾期后补录",
    "backdated": "倒签日期",
}

AGGREGATES: Final = {
    "Issue": "问题",
    "RectificationItem": "整改事项",
    "Account": "账号",
    "CommandRecord": "请求记录",
    "OfficeRecord": "专项整治档案",
    "Notice": "通报",
    "NoticeNumber": "文号",
    "Report": "整改报告",
    "SheetImport": "自查表导入",
    "ImportedRow": "导入记录",
    "AuditDigest": "审计摘要",
}


def category(code: str) -> str:
    return CATEGORIES.get(code, (code, {}))[0]


def subtype(category_code: str, code: str) -> str:
    return CATEGORIES.get(category_code, ("", {}))[1].get(code, code)


def source(code: str) -> str:
    return SOURCES.get(code, code)


def measure_type(code: str) -> str:
    return MEASURE_TYPES.get(code, code)


def involves(code: str) -> str:
    return INVOLVES.get(code, code)


def role(code: str) -> str:
    return ROLES.get(code, code)
