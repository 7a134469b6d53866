"""What the console says when the service refuses: every refusal in plain Chinese.

The application's errors carry an English message, a code and the field at fault; the
console names the field with its form label and says what to do. A refusal this module does
not know still gets a Chinese sentence (by its family), never the English text alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from api.http.errors import error_code
from application.errors import (
    ApplicationError,
    AuthenticationFailed,
    IdempotencyKeyReused,
    NotFound,
    PermissionDenied,
    ReadModelsBehind,
    SignInLocked,
    VersionConflict,
)
from domain.errors import (
    AlreadyDecided,
    DeadlineOutOfRange,
    DomainError,
    DuplicateMeasure,
    FourEyesViolation,
    InvalidTransition,
    IssueNotOpen,
    RepeatedAsset,
    UnknownUnit,
)
from infrastructure.blobstore import (
    ContentMismatch,
    EvidenceRejected,
    EvidenceTooLarge,
    MediaTypeNotAllowed,
)
from infrastructure.rate_limit import RateLimited
from projections.labels import ITEM_STATUS

FIELD_LABELS: Final = {
    "office": "单位",
    "category": "问题类别",
    "subtype": "问题子类",
    "source": "问题来源",
    "title": "问题标题",
    "description": "说明",
    "found_on": "发现日期",
    "assets": "涉及资产",
    "measure": "整改措施",
    "measure_type": "措施类型",
    "responsible": "责任人",
    "deadline": "完成时限",
    "new_deadline": "新的完成时限",
    "involves": "是否涉及处置或出租",
    "comment": "意见",
    "reason": "理由",
    "rectified_on": "整改完成日期",
    "evidence": "佐证材料",
    "file": "文件",
    "number": "文号",
    "body": "正文",
    "recipients": "主送单位",
    "copy_to": "抄送单位",
    "record_ids": "通报事项",
    "expected_version": "版本",
    "username": "用户名",
    "password": "密码",
    "as_of": "查询日期",
    "since": "起始时间",
    "until": "截止时间",
    "case": "案件编号",
    "page": "页码",
    "page_size": "每页条数",
    "sort": "排序",
    "status": "状态",
    "light": "红黄绿灯",
    "q": "关键词",
}

SAME_MEASURE: Final = (
    "该问题已有相同的整改措施正在办理，不能重复登记；"
    "如需更换责任人或调整完成时限，请在原事项中改派或申请延期。"
)

_STATUS_IN_MESSAGE = re.compile(r"item is (\w+)|issue is (\w+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LONGER = re.compile(r"longer than (\d+) characters")
_AT_LEAST = re.compile(r"must be at least (\d+) characters")
_BYTES = re.compile(r"larger than (\d+) bytes")


@dataclass(frozen=True)
class Refusal:
    """A refusal as the console shows it: the sentence, the field at fault, the code."""

    message: str
    field: str | None
    code: str
    status: int


def label(field: str | None, labels: dict[str, str] | None = None) -> str:
    if not field:
        return "输入"
    base = field.split("[")[0].split(".")[0]
    return (labels or {}).get(base) or FIELD_LABELS.get(base, "输入")


def _input_message(text: str, field: str | None, labels: dict[str, str] | None) -> str:
    name = label(field, labels)
    if "must not be empty" in text or "Field required" in text:
        return f"请填写{name}。"
    if "must be a single line" in text:
        return f"{name}只能填写一行，不能换行或使用制表符。"
    if "must not contain bidirectional control characters" in text:
        return f"{name}含有改变文字显示方向的不可见字符，请删除后重新填写。"
    if "must not contain control characters" in text:
        return f"{name}含有不可见的控制字符，请删除后重新填写。"
    longer = _LONGER.search(text)
    if longer:
        return f"{name}不能超过{longer.group(1)}个字。"
    if "must be one of" in text:
        return f"请选择有效的{name}。"
    if "the ledgers start there" in text:
        return f"{name}不能早于{_DATE.findall(text)[0]}。"
    if "cannot be in the future" in text:
        return f"{name}不能晚于今天。"
    if "after a measure was rectified" in text:
        rectified = _DATE.findall(text)
        return f"{name}不能晚于整改完成日期{f'（{rectified[-1]}）' if rectified else ''}。"
    if "before the problem was found" in text:
        found = _DATE.findall(text)
        return f"{name}不能早于发现问题的日期{f'（{found[-1]}）' if found else ''}。"
    least = _AT_LEAST.search(text)
    if least:
        return f"{name}至少需要{least.group(1)}个字符。"
    if "the current password is wrong" in text:
        return "当前密码不正确。"
    if "the new password is the current one" in text:
        return "新密码不能与当前密码相同。"
    if "needs at least one recipient" in text:
        return "请至少选择一个主送单位。"
    if "is already listed in" in text:
        return "同一单位不能既主送又抄送，请只勾选一处。"
    if "must be two people" in text:
        return "分管领导和联络员须为两个人。"
    if "already named so" in text:
        return "工作专班没有变化，无需重新报送。"
    if "at least one uploaded evidence file" in text:
        return "请上传至少一份佐证材料。"
    if "changes nothing" in text:
        return "没有修改任何内容，无需保存。"
    if "already assigned" in text:
        return "该事项已由此人负责，无需变更。"
    if "you cannot record problems for office" in text:
        return "您不能为该单位登记问题。"
    if "is not a telephone number" in text:
        return (
            f"{name}的联系电话格式有误，"
            "请填写电话号码（可含 - + ( ) 转 或空格），如 0591-87846665。"
        )
    if "is not an e-mail address" in text:
        return f"{name}的电子邮箱格式有误，应如 name@example.gov.cn。"
    if "is already taken" in text:
        return f"{name}已被使用，请换一个。"
    if example := re.search(r"is not a document number like (\S+)", text):
        return f"{name}格式有误，应如“{example.group(1)}”。"
    if issue_year := re.search(r"numbered 〔([0-9]{4})〕", text):
        year = issue_year.group(1)
        return f"{name}的年份应为印发年份 {year}，如“机管国资〔{year}〕3号”。"
    if field == "records":
        return _record_message(text)
    return f"{name}填写有误，请检查后重新提交。"


def _record_message(text: str) -> str:
    """An accountability record a notice cannot cite."""
    which = re.search(r"records\[(\d+)\]", text)
    nth = f"第{int(which.group(1)) + 1}项" if which else ""
    if "the person it names has changed" in text:
        return (
            f"通报引用的{nth}事项，其问题名称或责任人在起草后已经变化，按原稿印发会写错，"
            "请重新起草通报。"
        )
    if "draft it again" in text:
        return f"通报引用的{nth}事项已不再成立（情况已经变化），不能按原稿印发，请重新起草通报。"
    if "no longer" in text or "was not missed" in text:
        return "所选的通报事项已不再成立（情况已经变化），请刷新页面后重新勾选。"
    if "in your scope" in text or "no milestone" in text:
        return "所选的通报事项不存在，或不在您的范围内，请从列表中勾选。"
    return "所选的通报事项无效，请从列表中勾选。"


def _deadline_message(text: str, field: str | None, labels: dict[str, str] | None) -> str:
    name = label(field, labels)
    dates = _DATE.findall(text)
    if "must be later than" in text and dates:
        return f"{name}必须晚于当前完成时限（{dates[-1]}）。"
    if "after the campaign" in text and dates:
        return f"{name}不能晚于分类整改阶段结束日（{dates[-1]}）。"
    if "in the past" in text:
        return f"{name}不能早于今天。"
    return f"{name}超出了允许的范围。"


def _transition_message(exc: DomainError) -> str:
    if isinstance(exc, IssueNotOpen):
        return "该问题已销号或已报告，不能再新增整改事项。"
    if isinstance(exc, AlreadyDecided):
        return "本单位已经审批过该方案，不能重复审批。"
    if "no extension request is pending" in exc.message:
        return "该事项没有待审批的延期申请。"
    if "extension request is already pending" in exc.message:
        return "该事项已有待审批的延期申请，请等协调办批准或不批准后再申请。"
    if "cannot flag falsification: item is rectifying" in exc.message:
        return "该事项已被认定弄虚作假，单位重新录入整改情况之前不能再次认定。"
    if "already open" in exc.message:
        return "该问题尚未销号，无需重新打开。"
    if "the draft was discarded" in exc.message:
        return "该通报草稿已作废，不能再修改或印发。"
    if "it stays issued" in exc.message:
        return "该通报已印发，不能作废。"
    found = _STATUS_IN_MESSAGE.search(exc.message)
    if found and found.group(1):
        return (
            f"事项当前状态为“{ITEM_STATUS.get(found.group(1), found.group(1))}”，不能执行此操作。"
        )
    return "案件当前状态下不能执行此操作，请刷新页面查看最新状态。"


def _four_eyes(exc: FourEyesViolation) -> str:
    if "requested approval" in exc.message:
        return "提交审批的账号不能审批同一方案（审批须由他人进行）。"
    if "rectification" in exc.message:
        return "录入整改情况的账号不能核查同一事项（核查须由他人进行）。"
    return "同一账号不能既办理又审核同一事项。"


def _evidence(exc: EvidenceRejected) -> tuple[str, int]:
    which = f"文件“{exc.file_name}”" if exc.file_name else "该文件"
    if isinstance(exc, EvidenceTooLarge):
        limit = _BYTES.search(exc.message)
        most = f"（每个文件不超过 {megabytes(int(limit.group(1)))}）" if limit else ""
        return f"{which}超过允许的大小{most}，请压缩或拆分后再上传。", 413
    if isinstance(exc, MediaTypeNotAllowed):
        return (
            f"不支持{which}的类型，请上传 PDF、JPG、PNG、Word（.docx）、Excel（.xlsx）"
            "或 TXT 文件（旧版 .doc、.xls 请另存为新格式）。",
            415,
        )
    if isinstance(exc, ContentMismatch):
        return f"{which}为空，或内容与文件类型不符。", 422
    return f"{which}无法保存，请重新选择文件。", 422


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def refusal(exc: Exception, labels: dict[str, str] | None = None) -> Refusal | None:
    """The Chinese refusal for an error the service answers with; None for a bug."""
    field = getattr(exc, "field", None)
    code = error_code(exc)
    if isinstance(exc, EvidenceRejected):
        text, status = _evidence(exc)
        return Refusal(text, "file", code, status)
    if isinstance(exc, RateLimited):
        return Refusal(f"操作过于频繁，请{exc.retry_after}秒后再试。", None, "rate_limited", 429)
    if isinstance(exc, SignInLocked):
        minutes = -(-exc.retry_after // 60)
        text = f"密码连续输错次数过多，该账号暂停登录，请{minutes}分钟后再试。"
        return Refusal(text, None, code, 429)
    if isinstance(exc, ReadModelsBehind):
        text = f"台账正在更新最新的记录，请{exc.retry_after}秒后重新导出。"
        return Refusal(text, None, code, 503)
    if isinstance(exc, ApplicationError):
        return _application(exc, field, code, labels)
    if isinstance(exc, DomainError):
        return _domain(exc, field, code, labels)
    return None


def _application(
    exc: ApplicationError, field: str | None, code: str, labels: dict[str, str] | None
) -> Refusal:
    if isinstance(exc, NotFound):
        return Refusal("未找到：该记录不存在，或不在您的查看范围内。", None, code, 404)
    if isinstance(exc, PermissionDenied):
        if "Finance decides only" in exc.message:
            text = "财政厅只审批涉及资产处置或出租的事项。"
        elif "record problems" in exc.message:
            text = "您的账号不能登记问题：问题由办事处、协调办或财政厅登记。"
        else:
            text = "您的角色无权执行此操作。"
        return Refusal(text, None, code, 403)
    if isinstance(exc, AuthenticationFailed):
        return Refusal("用户名或密码不正确，或账号已停用。", None, code, 401)
    if isinstance(exc, VersionConflict):
        text = "该事项刚刚已被他人更新，请查看最新状态后再操作。"
        return Refusal(text, None, code, 409 if code == "concurrent_write" else 412)
    if isinstance(exc, IdempotencyKeyReused):
        return Refusal("该表单已经提交过，请刷新页面后重新填写。", None, code, 422)
    return Refusal("操作未能完成，请检查填写的内容。", field, code, 422)


def _domain(
    exc: DomainError, field: str | None, code: str, labels: dict[str, str] | None
) -> Refusal:
    if isinstance(exc, FourEyesViolation):
        return Refusal(_four_eyes(exc), None, code, 403)
    if isinstance(exc, InvalidTransition):
        return Refusal(_transition_message(exc), None, code, 409)
    if isinstance(exc, DeadlineOutOfRange):
        return Refusal(_deadline_message(exc.message, field, labels), field, code, 422)
    if isinstance(exc, UnknownUnit):
        return Refusal("单位无效，请从列表中选择。", field or "office", code, 422)
    if isinstance(exc, DuplicateMeasure):
        return Refusal(SAME_MEASURE, field, code, 422)
    if isinstance(exc, RepeatedAsset):
        line, first = exc.index + 1, exc.first + 1
        text = f"涉及资产第{line}行的资产编号与第{first}行重复，同一资产只填一行。"
        return Refusal(text, field, code, 422)
    return Refusal(_input_message(exc.message, field, labels), field, code, 422)
