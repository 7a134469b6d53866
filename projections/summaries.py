"""A readable Chinese sentence for every event in the audit log.

``subject`` is what the case is called (an issue's title, an item's measure, an account's
display name), remembered by the audit view from the case's first event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog

from application.notice_text import units_text
from application.sheet_rows import assets_text
from domain.campaign import Campaign
from domain.errors import UnknownUnit
from projections import labels

Summary = Callable[[Any, str, Campaign], str]

_LOGIN: dict[str, str] = {"password": "密码", "api_token": "API令牌"}
logger = structlog.get_logger(__name__)


def _unit(campaign: Campaign, code: str) -> str:
    try:
        return campaign.unit(code).name
    except UnknownUnit:
        return code


def _units(campaign: Campaign, codes: list[str]) -> str:
    try:
        return units_text(campaign, codes) or "（无）"
    except UnknownUnit:
        return "、".join(_unit(campaign, code) for code in codes)


def _quoted(subject: str) -> str:
    return f"「{subject}」" if subject else ""


def _with(text: str, comment: str) -> str:
    return f"{text}：{comment}" if comment else text


def _found(e: Any, s: str, c: Campaign) -> str:
    kind = f"{labels.category(e.category)}/{labels.subtype(e.category, e.subtype)}"
    return (
        f"登记问题「{e.title}」（{_unit(c, e.office)}，{kind}，"
        f"{labels.source(e.source)}，发现日期{e.found_on.isoformat()}）"
    )


def _notice_edited(e: Any, s: str, c: Campaign) -> str:
    """What the edit changed, from the values it replaced (an edit recorded before they
    were kept names only the notice)."""
    was = e.previous
    changes = [f"标题原为「{was['title']}」"] if "title" in was else []
    changes += ["正文有修改"] if "body" in was else []
    for key, label in (("recipients", "主送"), ("copy_to", "抄送")):
        if key in was:
            changes.append(f"{label}由{_units(c, was[key])}改为{_units(c, getattr(e, key))}")
    listed = f"（{'，'.join(changes)}）" if changes else ""
    return _with(f"修改通报「{e.title}」{listed}", e.reason)


def _corrected(e: Any, s: str, c: Campaign) -> str:
    was = e.previous
    changes = []
    if "title" in was:
        changes.append(f"标题原为「{was['title']}」")
    if "category" in was or "subtype" in was:
        category, subtype = was.get("category", e.category), was.get("subtype", e.subtype)
        kind = f"{labels.category(category)}/{labels.subtype(category, subtype)}"
        now = f"{labels.category(e.category)}/{labels.subtype(e.category, e.subtype)}"
        changes.append(f"类别由{kind}改为{now}")
    if "found_on" in was:
        changes.append(f"发现日期由{was['found_on']}改为{e.found_on.isoformat()}")
    if "description" in was:
        changes.append(f"描述原为「{_excerpt(was['description']) or '（无）'}」")
    if "assets" in was:
        changes.append(f"涉及资产原为「{assets_text(was['assets']) or '（无）'}」")
    return _with(f"更正问题「{e.title}」的登记信息（{'，'.join(changes)}）", e.reason)


def _excerpt(text: str, length: int = 80) -> str:
    """A replaced text as a sentence quotes it: on one line, cut at ``length`` characters
    (the whole stays in the event, and in the case's history)."""
    line = " ".join(text.split())
    return line if len(line) <= length else line[:length] + "……"


def _planned(verb: str) -> Summary:
    def summary(e: Any, s: str, c: Campaign) -> str:
        return (
            f"{verb}「{e.measure}」（{labels.measure_type(e.measure_type)}），"
            f"责任人{e.responsible}，完成时限{e.deadline.isoformat()}"
        )

    return summary


def _decided(verb: str) -> Summary:
    def summary(e: Any, s: str, c: Campaign) -> str:
        return _with(f"{_unit(c, e.unit)}{verb}整改事项「{s}」", e.comment)

    return summary


def _rectified(e: Any, s: str, c: Campaign) -> str:
    return (
        f"录入整改完成情况「{s}」：整改日期{e.rectified_on.isoformat()}，"
        f"佐证材料{len(e.evidence)}份"
    )


def _password(e: Any, s: str, c: Campaign) -> str:
    return f"管理员重置账号{s}的密码" if e.reset_by_admin else f"账号{s}修改了密码"


def _command_recorded(e: Any, s: str, c: Campaign) -> str:
    if e.command not in labels.COMMANDS:
        logger.warning("audit_command_unlabelled", command=e.command)
    return f"记录「{labels.command(e.command)}」请求的结果，重试时原样返回"


def _grant(verb: str) -> Summary:
    def summary(e: Any, s: str, c: Campaign) -> str:
        return f"{verb}账号{s}的「{labels.role(e.role)}」角色（{_unit(c, e.unit)}）"

    return summary


SUMMARIES: dict[str, Summary] = {
    "Issue.Found": _found,
    "Issue.Corrected": _corrected,
    "Issue.ItemAdded": lambda e, s, c: f"问题「{s}」新增一项整改事项",
    "Issue.ItemVerified": lambda e, s, c: f"问题「{s}」的一项整改事项核查通过",
    "Issue.Closed": lambda e, s, c: f"问题「{s}」的整改事项全部核查通过，予以销号",
    "Issue.ItemSentBack": lambda e, s, c: _with(f"问题「{s}」的一项整改事项被退回", e.reason),
    "Issue.Reopened": lambda e, s, c: _with(f"重新打开问题「{s}」", e.reason),
    "Issue.Reported": lambda e, s, c: f"问题「{s}」已纳入整改报告",
    "RectificationItem.Planned": _planned("制定整改事项"),
    "RectificationItem.Replanned": _planned("修改整改方案"),
    "RectificationItem.ApprovalRequested": lambda e, s, c: f"整改事项「{s}」提请审批",
    "RectificationItem.Approved": _decided("同意"),
    "RectificationItem.Rejected": _decided("退回"),
    "RectificationItem.Rectified": _rectified,
    "RectificationItem.VerificationPassed": lambda e, s, c: _with(
        f"整改事项「{s}」核查通过", e.comment
    ),
    "RectificationItem.VerificationFailed": lambda e, s, c: _with(
        f"整改事项「{s}」核查未通过", e.comment
    ),
    "RectificationItem.ExtensionRequested": lambda e, s, c: _with(
        f"整改事项「{s}」申请延期至{e.new_deadline.isoformat()}", e.reason
    ),
    "RectificationItem.DeadlineExtended": lambda e, s, c: _with(
        f"整改事项「{s}」完成时限由{e.previous_deadline.isoformat()}延至"
        f"{e.new_deadline.isoformat()}",
        e.reason,
    ),
    "RectificationItem.ExtensionRefused": lambda e, s, c: _with(
        f"不同意整改事项「{s}」延期", e.reason
    ),
    "RectificationItem.Reassigned": lambda e, s, c: _with(
        f"整改事项「{s}」责任人由{e.previous}变更为{e.responsible}", e.reason
    ),
    "RectificationItem.FalsificationFlagged": lambda e, s, c: _with(
        f"认定整改事项「{s}」存在弄虚作假", e.reason
    ),
    "RectificationItem.Reported": lambda e, s, c: f"整改事项「{s}」已纳入整改报告",
    "Account.Registered": lambda e, s, c: f"创建账号{e.username}（{e.display_name}）",
    "Account.RoleGranted": _grant("授予"),
    "Account.RoleRevoked": _grant("收回"),
    "Account.PasswordChanged": _password,
    "Account.Disabled": lambda e, s, c: _with(f"停用账号{s}", e.reason),
    "Account.Enabled": lambda e, s, c: _with(f"启用账号{s}", e.reason),
    "CommandRecord.Recorded": _command_recorded,
    "Account.LoggedIn": lambda e, s, c: f"账号{s}登录（{_LOGIN.get(e.method, e.method)}）",
    "Account.ApiTokenIssued": lambda e, s, c: f"为账号{s}签发API令牌「{e.name}」",
    "Account.ApiTokenRevoked": lambda e, s, c: _with(f"吊销账号{s}的API令牌", e.reason),
    "OfficeRecord.Opened": lambda e, s, c: f"建立{_unit(c, e.office)}的专项整治档案",
    "OfficeRecord.WorkGroupNamed": lambda e, s, c: f"{s}报送工作专班名单：{_group(e)}",
    "OfficeRecord.WorkGroupChanged": lambda e, s, c: _with(
        f"{s}调整工作专班：{_group(e)}", e.reason
    ),
    "OfficeRecord.SelfInspectionSubmitted": lambda e, s, c: _with(
        f"{s}报送自查材料（SHA-256 {e.sha256[:12]}…）", e.note
    ),
    "OfficeRecord.ReportSubmitted": lambda e, s, c: (
        f"{s}报送整改情况报告（SHA-256 {e.sha256[:12]}…）"
    ),
    "Notice.Drafted": lambda e, s, c: f"起草通报「{e.title}」",
    "Notice.Edited": _notice_edited,
    "Notice.Issued": lambda e, s, c: f"印发通报「{s}」，文号{e.number}",
    "Notice.Discarded": lambda e, s, c: _with(f"作废通报草稿「{s}」", e.reason),
    "NoticeNumber.Reserved": lambda e, s, c: f"文号{e.number}分配给通报{_quoted(s)}",
    "Report.Submitted": lambda e, s, c: f"报送「{e.title}」",
    "SheetImport.Imported": lambda e, s, c: (
        f"导入{_unit(c, e.office)}自查表「{e.file_name}」（{e.rows}行）"
    ),
    "ImportedRow.Indexed": lambda e, s, c: "登记导入行与案件的对应关系",
    "AuditDigest.DigestIssued": lambda e, s, c: (
        f"签发审计摘要：截至链头位置{e.position}，共{e.events}条事件"
        f"（链头哈希 {e.head_hash[:12]}…）"
    ),
}


def _group(e: Any) -> str:
    return f"负责人{e.leader.get('name', '')}，联络员{e.liaison.get('name', '')}"


def summarize(event: Any, subject: str, campaign: Campaign) -> str:
    """The sentence for this event; an event we have no sentence for is named plainly, in
    Chinese (its type stays in the row's own columns)."""
    name = type(event).__qualname__
    aggregate = name.partition(".")[0]
    plain = f"{labels.AGGREGATES.get(aggregate, '记录')}发生一项变更{_named(subject)}"
    summary = SUMMARIES.get(name)
    if summary is None:
        logger.warning("audit_summary_missing", event_type=name)
        return plain
    try:
        return summary(event, subject, campaign)
    except (AttributeError, KeyError, TypeError) as exc:  # the event's fields have changed
        logger.warning("audit_summary_failed", event_type=name, error=repr(exc))
        return plain


def _named(subject: str) -> str:
    return f"（{subject}）" if subject else ""


def subject_of(event: Any) -> str | None:
    """What a case is called, when this event names it."""
    for attr in ("title", "measure", "display_name"):
        value = getattr(event, attr, None)
        if isinstance(value, str) and value:
            return value
    return None
