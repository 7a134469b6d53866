"""The campaign's vocabularies (its categories, sources and the plan's four measure types).

Codes are stored in events; labels are what people read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

from domain.errors import InvalidInput

CATEGORIES: Final[dict[str, tuple[str, dict[str, str]]]] = {
    "internal_control": (
        "制度建设与内控",
        {
            "no_rules": "未建立资产内部控制管理制度",
            "rules_not_implemented": "制度落实不到位",
            "no_dedicated_post": "未设置专岗、职责不清",
        },
    ),
    "basic_management": (
        "基础管理",
        {
            "ledger_incomplete": "资产台账不健全",
            "book_physical_mismatch": "账实不符",
            "off_book_assets": "存在账外资产",
            "no_stocktake": "未定期盘点",
        },
    ),
    "real_estate": (
        "房地产管理",
        {
            "long_idle": "长期闲置",
            "no_certificate": "未办理权证",
            "lease_without_approval": "未履行出租报批程序",
        },
    ),
    "acquisition": ("资产配置", {"over_standard": "超标准配置", "other": "其他配置问题"}),
    "use": ("资产使用", {"misuse": "违规使用", "other": "其他使用问题"}),
    "disposal": (
        "资产处置",
        {"disposal_without_approval": "未履行处置报批程序", "other": "其他处置问题"},
    ),
}

SOURCES: Final[dict[str, str]] = {
    "self_inspection": "自查",
    "spot_check": "抽查",
    "annual_supervision": "年度监督检查",
    "inspection_tour": "巡视",
}

MEASURE_TYPES: Final[dict[str, str]] = {
    "internal_control": "健全内控制度",
    "basic_management": "夯实基础管理",
    "conduct": "规范管理行为",
    "real_estate": "强化房地产管理",
}

INVOLVES: Final[dict[str, str]] = {"none": "无", "disposal": "资产处置", "lease": "资产出租"}

ROLES: Final[dict[str, str]] = {
    "office_staff": "办事处经办人",
    "office_lead": "办事处负责人",
    "coordinator": "协调办工作人员",
    "finance": "财政厅审核人",
    "auditor": "审计/纪检",
    "admin": "系统管理员",
}

# What a problem's and a measure's states are called wherever a person reads them: lists,
# filters, sheets, reports, notices and the command line.
ISSUE_STATUS_LABELS: Final = {"open": "整改中", "closed": "已销号", "reported": "已报告"}
ITEM_STATUS_LABELS: Final = {
    "planned": "待报审",
    "approval_requested": "审批中",
    "rejected": "已退回",
    "approved": "已批准",
    "rectifying": "重新整改",
    "rectified": "已整改待核查",
    "verification_failed": "核查未通过",
    "verified": "核查通过",
    "reported": "已报告",
}

COORDINATION_UNIT: Final = "admin-bureau"
FINANCE_UNIT: Final = "finance"


def check_choice(value: str, choices: Mapping[str, object], *, field: str) -> str:
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise InvalidInput(f"{field} must be one of: {allowed} (got {value!r})", field=field)
    return value


def check_category(category: str, subtype: str) -> None:
    check_choice(category, CATEGORIES, field="category")
    check_choice(subtype, CATEGORIES[category][1], field="subtype")


# Characters no text field holds: the C0 and C1 controls but line feed, carriage return and
# tab; and Unicode's Bidi_Control characters, which reorder what a reader sees around them.
_HIDDEN: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"  # controls (category Cc)
    "|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # bidirectional controls
)
# What ends a line (or jumps like one) in a field that is one line on the form.
_LINE_BREAKS: Final = frozenset("\n\r\t\u2028\u2029")
# Default-ignorable characters outside category Cf: they too show as nothing.
_IGNORABLE: Final = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


def _shows_nothing(char: str) -> bool:
    """Whitespace, or a character that is not drawn (zero-width space, joiners, BOM...)."""
    return char.isspace() or char in _IGNORABLE or unicodedata.category(char) == "Cf"


def _refuse_hidden(value: str, *, field: str) -> None:
    found = _HIDDEN.search(value)
    if found is None:
        return
    char = found.group()
    kind = "control" if unicodedata.category(char) == "Cc" else "bidirectional control"
    raise InvalidInput(
        f"{field} must not contain {kind} characters (found U+{ord(char):04X})", field=field
    )


def check_text(value: str, *, field: str, max_length: int = 2000, single_line: bool = False) -> str:
    """The text as stored (stripped), or ``InvalidInput`` naming the field.

    Text that shows nothing counts as empty; control and bidirectional control characters
    are refused everywhere; a ``single_line`` field (an input on the form, not a textarea)
    also refuses line breaks and tabs. The defaults describe prose: up to 2000 characters
    over as many lines as it needs.
    """
    _refuse_hidden(value, field=field)
    text = value.strip()
    if all(_shows_nothing(char) for char in text):
        raise InvalidInput(f"{field} must not be empty", field=field)
    if single_line and not _LINE_BREAKS.isdisjoint(text):
        raise InvalidInput(f"{field} must be a single line (no line breaks or tabs)", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters", field=field)
    return text


def check_optional_text(
    value: str, *, field: str, max_length: int = 2000, single_line: bool = False
) -> str:
    """``check_text`` for a field that may be left empty (a comment, a description): the
    same characters refused, empty text kept as empty."""
    if all(_shows_nothing(char) for char in value) and not _HIDDEN.search(value):
        return ""
    return check_text(value, field=field, max_length=max_length, single_line=single_line)
