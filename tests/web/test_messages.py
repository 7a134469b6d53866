"""How the console words each refusal: the field by its form label, the rule in Chinese,
the API's status beside it."""

from __future__ import annotations

import re

import pytest

from api.web.messages import refusal
from application.errors import (
    ConcurrentWrite,
    NotFound,
    PermissionDenied,
    ReadModelsBehind,
    VersionConflict,
)
from domain.errors import (
    AlreadyDecided,
    DeadlineOutOfRange,
    DuplicateMeasure,
    FourEyesViolation,
    InvalidInput,
    InvalidTransition,
    IssueNotOpen,
    RepeatedAsset,
    UnknownUnit,
)
from domain.notice import check_number
from infrastructure.blobstore import EvidenceTooLarge, MediaTypeNotAllowed
from infrastructure.rate_limit import RateLimited


def refused_number(number: str, year: int) -> InvalidInput:
    """The domain's own refusal of a document number (so its wording is what is mapped)."""
    with pytest.raises(InvalidInput) as refused:
        check_number(number, year=year)
    return refused.value


CASES = [
    (
        RepeatedAsset(
            "assets[2].code 'ZC-1' repeats assets[0]", field="assets[2].code", index=2, first=0
        ),
        "涉及资产第3行的资产编号与第1行重复，同一资产只填一行。",
        422,
    ),
    (
        InvalidInput(
            "found_on cannot be after a measure was rectified (2026-10-05)", field="found_on"
        ),
        "发现日期不能晚于整改完成日期（2026-10-05）。",
        422,
    ),
    (
        DuplicateMeasure("the problem has a measure of this wording under way", field="measure"),
        "该问题已有相同的整改措施正在办理，不能重复登记；"
        "如需更换责任人或调整完成时限，请在原事项中改派或申请延期。",
        422,
    ),
    (InvalidInput("title must not be empty", field="title"), "请填写问题标题。", 422),
    (
        InvalidInput("measure is longer than 2000 characters", field="measure"),
        "整改措施不能超过2000个字。",
        422,
    ),
    (
        InvalidInput("category must be one of: a, b", field="category"),
        "请选择有效的问题类别。",
        422,
    ),
    (
        InvalidInput("rectified_on cannot be in the future", field="rectified_on"),
        "整改完成日期不能晚于今天。",
        422,
    ),
    (
        InvalidInput(
            "rectified_on cannot be before the problem was found (2026-11-20)",
            field="rectified_on",
        ),
        "整改完成日期不能早于发现问题的日期（2026-11-20）。",
        422,
    ),
    (
        InvalidInput(
            "cite at least one uploaded evidence file (POST /api/evidence)", field="evidence"
        ),
        "请上传至少一份佐证材料。",
        422,
    ),
    (
        InvalidInput("the edit changes nothing: give a new title", field="title"),
        "没有修改任何内容，无需保存。",
        422,
    ),
    (
        DeadlineOutOfRange("deadline 2026-01-01 is in the past", field="deadline"),
        "完成时限不能早于今天。",
        422,
    ),
    (
        DeadlineOutOfRange(
            "deadline 2027-01-01 is after the campaign's rectification end 2026-11-30",
            field="deadline",
        ),
        "完成时限不能晚于分类整改阶段结束日（2026-11-30）。",
        422,
    ),
    (
        DeadlineOutOfRange(
            "new deadline 2026-10-01 must be later than 2026-10-20", field="new_deadline"
        ),
        "新的完成时限必须晚于当前完成时限（2026-10-20）。",
        422,
    ),
    (UnknownUnit("unknown unit 'zz'", field="office"), "单位无效，请从列表中选择。", 422),
    (
        InvalidInput(
            "number '3号' is not a document number like 机管国资〔2026〕3号", field="number"
        ),
        "文号格式有误，应如“机管国资〔2026〕3号”。",
        422,
    ),
    (
        refused_number("机管国资〔1999〕5号", 2026),
        "文号的年份应为印发年份 2026，如“机管国资〔2026〕3号”。",
        422,
    ),
    (refused_number("5号", 2026), "文号格式有误，应如“机管国资〔2026〕3号”。", 422),
    (refused_number("5号", 2027), "文号格式有误，应如“机管国资〔2027〕3号”。", 422),
    (
        InvalidInput("'x:1' is not an accountability record id", field="records"),
        "所选的通报事项无效，请从列表中勾选。",
        422,
    ),
    (
        InvalidInput(
            "records[0] no longer holds as drafted (the events it rests on have changed since "
            "it was drafted): the notice cannot be issued; draft it again from the records "
            "that hold now",
            field="records",
        ),
        "通报引用的第1项事项已不再成立（情况已经变化），不能按原稿印发，请重新起草通报。",
        422,
    ),
    (
        InvalidInput(
            "records[1] no longer holds as drafted (the problem or the person it names has "
            "changed since it was drafted): the notice cannot be issued; draft it again from "
            "the records that hold now",
            field="records",
        ),
        "通报引用的第2项事项，其问题名称或责任人在起草后已经变化，按原稿印发会写错，"
        "请重新起草通报。",
        422,
    ),
    (
        InvalidInput("no item 5f0c in your scope", field="records"),
        "所选的通报事项不存在，或不在您的范围内，请从列表中勾选。",
        422,
    ),
    (
        InvalidInput("lagging:sz:work_group_named: the milestone was not missed", field="records"),
        "所选的通报事项已不再成立（情况已经变化），请刷新页面后重新勾选。",
        422,
    ),
    (
        InvalidTransition("cannot verify: item is planned"),
        "事项当前状态为“待报审”，不能执行此操作。",
        409,
    ),
    (InvalidTransition("no extension request is pending"), "该事项没有待审批的延期申请。", 409),
    (
        InvalidTransition("an extension request is already pending: the office decides"),
        "该事项已有待审批的延期申请，请等协调办批准或不批准后再申请。",
        409,
    ),
    (IssueNotOpen("issue is closed"), "该问题已销号或已报告，不能再新增整改事项。", 409),
    (
        AlreadyDecided("admin-bureau has already approved"),
        "本单位已经审批过该方案，不能重复审批。",
        409,
    ),
    (
        FourEyesViolation("the account that requested approval cannot approve it"),
        "提交审批的账号不能审批同一方案（审批须由他人进行）。",
        403,
    ),
    (
        FourEyesViolation("the account that recorded the rectification cannot verify it"),
        "录入整改情况的账号不能核查同一事项（核查须由他人进行）。",
        403,
    ),
    (
        PermissionDenied("Finance decides only on items that involve disposal or lease"),
        "财政厅只审批涉及资产处置或出租的事项。",
        403,
    ),
    (PermissionDenied("your roles do not allow plan_item"), "您的角色无权执行此操作。", 403),
    (NotFound("no Issue 1"), "未找到：该记录不存在，或不在您的查看范围内。", 404),
    (
        VersionConflict("the case is at version 5, not 4"),
        "该事项刚刚已被他人更新，请查看最新状态后再操作。",
        412,
    ),
    (
        ConcurrentWrite("changed at the same time"),
        "该事项刚刚已被他人更新，请查看最新状态后再操作。",
        409,
    ),
    (
        EvidenceTooLarge("file is larger than 20971520 bytes"),
        "该文件超过允许的大小（每个文件不超过 20 MB），请压缩或拆分后再上传。",
        413,
    ),
    (
        MediaTypeNotAllowed("media type 'application/zip' is not allowed"),
        "不支持该文件的类型，请上传 PDF、JPG、PNG、Word（.docx）、Excel（.xlsx）"
        "或 TXT 文件（旧版 .doc、.xls 请另存为新格式）。",
        415,
    ),
    (RateLimited(limit=600, retry_after=12), "操作过于频繁，请12秒后再试。", 429),
    (
        ReadModelsBehind("the ledgers are still catching up"),
        "台账正在更新最新的记录，请5秒后重新导出。",
        503,
    ),
]


@pytest.mark.parametrize(("error", "message", "status"), CASES)
def test_each_refusal_reads_in_chinese_with_the_apis_status(
    error: Exception, message: str, status: int
) -> None:
    found = refusal(error)
    assert found is not None
    assert (found.message, found.status) == (message, status)


def test_a_form_may_name_its_own_field() -> None:
    found = refusal(
        InvalidInput("comment must not be empty", field="comment"), {"comment": "审批意见"}
    )
    assert found is not None
    assert found.message == "请填写审批意见。"


def test_a_bug_is_not_dressed_up_as_a_refusal() -> None:
    assert refusal(KeyError("oops")) is None


@pytest.mark.parametrize(("error", "message", "status"), CASES)
def test_each_refusal_carries_a_snake_case_code_like_the_api(
    error: Exception, message: str, status: int
) -> None:
    found = refusal(error)
    assert found is not None
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", found.code), found.code
