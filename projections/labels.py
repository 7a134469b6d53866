"""Chinese labels for what the read models show (codes stay in the rows beside them)."""

from __future__ import annotations

from typing import Final

from domain.taxonomy import (
    CATEGORIES,
    INVOLVES,
    ISSUE_STATUS_LABELS,
    ITEM_STATUS_LABELS,
    MEASURE_TYPES,
    ROLES,
    SOURCES,
)

ISSUE_STATUS: Final = ISSUE_STATUS_LABELS

ITEM_STATUS: Final = ITEM_STATUS_LABELS

ACCOUNTABILITY_KINDS: Final = {
    "lagging": "工作明显滞后",
    "ineffective": "整改成效不明显",
    "falsified": "弄虚作假",
}

CLAIM_FLAGS: Final = {
    "entered_after_deadline": "逾期后补录",
    "backdated": "倒签日期",
}

CORRECTED: Final = {  # what a problem's correction may change, by the form's labels
    "category": "问题类别",
    "subtype": "问题子类",
    "title": "问题标题",
    "description": "问题描述",
    "assets": "涉及资产",
    "found_on": "发现日期",
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

# Every command the application runs or authorizes, as a person would name it (a request
# sent with an ``Idempotency-Key`` records its command's name; the audit log shows it).
COMMANDS: Final = {
    "create_account": "创建账号",
    "grant_role": "授予角色",
    "revoke_role": "收回角色",
    "disable_account": "停用账号",
    "enable_account": "启用账号",
    "reset_password": "重置密码",
    "issue_api_token": "签发API令牌",
    "revoke_api_token": "吊销API令牌",
    "find_issue": "登记问题",
    "plan_item": "制定整改事项",
    "replan_item": "修改整改方案",
    "request_approval": "整改事项提请审批",
    "decide_approval": "审批整改方案",
    "record_rectification": "录入整改完成情况",
    "record_verification": "核查整改事项",
    "request_extension": "申请延期",
    "decide_extension": "审批延期申请",
    "reassign": "变更责任人",
    "flag_falsification": "认定弄虚作假",
    "correct_issue": "更正问题信息",
    "reopen_issue": "重新打开问题",
    "mark_reported": "纳入整改报告",
    "name_work_group": "报送工作专班名单",
    "submit_self_inspection": "报送自查材料",
    "import_self_inspection": "导入自查表",
    "submit_report": "报送整改情况报告",
    "submit_consolidated_report": "报送汇总整改报告",
    "draft_notice": "起草通报",
    "edit_notice": "修改通报",
    "issue_notice": "印发通报",
    "discard_notice": "作废通报草稿",
    "issue_digest": "签发审计摘要",
    "read_cases": "查阅案件",
    "read_accounts": "查阅账号",
    "manage_accounts": "管理账号",
    "manage_notices": "管理通报",
    "upload_evidence": "上传佐证材料",
    "verify_chain": "校验哈希链",
}
UNKNOWN_COMMAND: Final = "其他操作"


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


def command(name: str) -> str:
    """A command's Chinese name; one without a label is named generically, never raw."""
    return COMMANDS.get(name, UNKNOWN_COMMAND)
