"""The self-inspection sheet (自查问题清单及整改方案): its columns and its rows' meaning.

One row is one rectification measure; the problem columns repeat on every row of the same
problem (same 问题编号). A row may leave the measure columns empty: a problem with no plan
yet. Cells arrive as the spreadsheet gives them (text, number, date or empty); every check
here answers in Chinese, naming the row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Protocol

from application.written_dates import written_day
from domain.issue import EARLIEST_FOUND_ON
from domain.taxonomy import CATEGORIES, INVOLVES, MEASURE_TYPES, SOURCES

# (key, header, needed on import)
ISSUE_COLUMNS: Final = (
    ("office", "单位代码", True),
    ("office_name", "单位", False),
    ("issue_no", "问题编号", True),
    ("category", "问题类别", True),
    ("subtype", "问题细类", True),
    ("source", "问题来源", False),
    ("title", "问题名称", True),
    ("description", "问题描述", False),
    ("assets", "涉及资产", False),
    ("found_on", "发现日期", True),
)
ITEM_COLUMNS: Final = (
    ("measure", "整改措施", True),
    ("measure_type", "措施类型", True),
    ("involves", "涉及处置或出租", False),
    ("responsible", "责任人", True),
    ("deadline", "完成时限", True),
)
# What an exported ledger adds to a row of a case already in the log: importing that sheet
# again knows the row for that case (the columns are not in the blank template).
CASE_COLUMNS: Final = (("issue_id", "问题ID", False), ("item_id", "措施ID", False))
HEADERS: Final = {key: header for key, header, _ in (*ISSUE_COLUMNS, *ITEM_COLUMNS, *CASE_COLUMNS)}
ISSUE_KEYS: Final = tuple(k for k, _, _ in ISSUE_COLUMNS if k not in ("office_name", "issue_no"))
ITEM_KEYS: Final = tuple(k for k, _, _ in ITEM_COLUMNS)

CATEGORY_CHOICES: Final = {code: label for code, (label, _) in CATEGORIES.items()}
_EXCEL_EPOCH: Final = date(1899, 12, 30)


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row's number in the sheet (the header is row 1)
    cells: dict[str, object]  # by column key


@dataclass(frozen=True)
class SheetError:
    row: int
    column: str  # the header, as the sheet shows it
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


class FieldRules(Protocol):
    """The checks the API and the web forms make on each value (their limits, in Chinese).

    The edge that imports a sheet passes its own rules, so a sheet is held to exactly what
    a request would be; each answers (column key, message) for every value it refuses.
    """

    def issue(self, values: Mapping[str, object]) -> list[tuple[str, str]]: ...

    def item(self, values: Mapping[str, object]) -> list[tuple[str, str]]: ...


class RowErrors:
    """Collects every error of one sheet, in row and column order."""

    def __init__(self) -> None:
        self.errors: list[SheetError] = []
        self._cells: set[tuple[int, str]] = set()

    def add(self, row: int, key: str, message: str) -> None:
        column = HEADERS.get(key, key)
        self.errors.append(SheetError(row=row, column=column, message=message))
        self._cells.add((row, column))

    def add_new(self, row: int, key: str, message: str) -> None:
        """An error from a later check: only for a cell that has none yet."""
        if (row, HEADERS.get(key, key)) not in self._cells:
            self.add(row, key, message)

    def __bool__(self) -> bool:
        return bool(self.errors)


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def as_date(value: object) -> date | None:
    """A date from a date cell, an Excel serial number or text like 2026-11-30 / 2026年11月30日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 100_000:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    return written_day(text(value))


def choose(value: str, choices: dict[str, str]) -> str | None:
    """A vocabulary code from its Chinese label or from the code itself."""
    if value in choices:
        return value
    for code, label in choices.items():
        if value == label:
            return code
    return None


def parse_assets(value: str) -> list[dict[str, str]]:
    """`ZC-001 办公设备；ZC-002 空调`: code and name per entry, either may stand alone."""
    assets = []
    for entry in re.split(r"[；;\n]+", value):
        entry = entry.strip()
        if not entry:
            continue
        code, _, name = entry.partition(" ")
        assets.append(asset_of(code, name))
    return assets


def asset_of(code: str, name: str) -> dict[str, str]:
    """An asset line's code and name; a lone word in Chinese is a name (办公楼), not a code,
    as the sheet and the form both read it."""
    code, name = code.strip(), name.strip()
    if not name and re.search(r"[\u4e00-\u9fff]", code):
        return {"code": "", "name": code}
    return {"code": code, "name": name}


def assets_text(assets: list[dict[str, str]]) -> str:
    return "；".join(" ".join(p for p in (a["code"], a["name"]) if p) for a in assets)


def choice_message(header: str, value: str, choices: dict[str, str]) -> str:
    allowed = "、".join(choices.values())
    if not value:
        return f"{header}不能为空，应为：{allowed}"
    return f"未知的{header}“{value}”，应为：{allowed}"


def issue_values(
    row: SheetRow, errors: RowErrors, *, office: str, today: date
) -> dict[str, object]:
    """The problem columns of a row, checked; errors are collected, not raised."""
    cells, n = row.cells, row.number
    values: dict[str, object] = {}
    code = text(cells.get("office"))
    if not code:
        errors.add(n, "office", "单位代码不能为空")
    elif code != office:
        errors.add(n, "office", f"单位代码“{code}”不是导入单位（{office}），不能导入其他单位的问题")
    if not text(cells.get("issue_no")):
        errors.add(n, "issue_no", "问题编号不能为空")
    category = choose(text(cells.get("category")), CATEGORY_CHOICES)
    if category is None:
        errors.add(
            n, "category", choice_message("问题类别", text(cells.get("category")), CATEGORY_CHOICES)
        )
    else:
        subtypes = CATEGORIES[category][1]
        values["subtype"] = choose(text(cells.get("subtype")), subtypes)
        if values["subtype"] is None:
            errors.add(
                n, "subtype", choice_message("问题细类", text(cells.get("subtype")), subtypes)
            )
    values["category"] = category
    source_text = text(cells.get("source")) or SOURCES["self_inspection"]
    values["source"] = choose(source_text, SOURCES)
    if values["source"] is None:
        errors.add(n, "source", choice_message("问题来源", source_text, SOURCES))
    values["title"] = text(cells.get("title"))
    if not values["title"]:
        errors.add(n, "title", "问题名称不能为空")
    values["description"] = text(cells.get("description"))
    values["assets"] = parse_assets(text(cells.get("assets")))
    found_on = values["found_on"] = as_date(cells.get("found_on"))
    if found_on is None:
        errors.add(n, "found_on", f"发现日期“{text(cells.get('found_on'))}”不是有效日期")
    elif found_on > today:  # the domain's rule (Issue.find), checked with the others
        later = f"发现日期{found_on.isoformat()}不能晚于今天（{today.isoformat()}）"
        errors.add(n, "found_on", later)
    elif found_on < EARLIEST_FOUND_ON:  # the same rule's lower bound
        early = f"发现日期{found_on.isoformat()}不能早于{EARLIEST_FOUND_ON.isoformat()}"
        errors.add(n, "found_on", early)
    return values


def has_item(row: SheetRow) -> bool:
    return any(text(row.cells.get(k)) for k in ITEM_KEYS)


def item_values(row: SheetRow, errors: RowErrors) -> dict[str, object]:
    cells, n = row.cells, row.number
    values: dict[str, object] = {"measure": text(cells.get("measure"))}
    if not values["measure"]:
        errors.add(n, "measure", "整改措施不能为空")
    values["measure_type"] = choose(text(cells.get("measure_type")), MEASURE_TYPES)
    if values["measure_type"] is None:
        errors.add(
            n,
            "measure_type",
            choice_message("措施类型", text(cells.get("measure_type")), MEASURE_TYPES),
        )
    involves_text = text(cells.get("involves")) or INVOLVES["none"]
    values["involves"] = choose(involves_text, INVOLVES)
    if values["involves"] is None:
        errors.add(n, "involves", choice_message("涉及处置或出租", involves_text, INVOLVES))
    values["responsible"] = text(cells.get("responsible"))
    if not values["responsible"]:
        errors.add(n, "responsible", "责任人不能为空")
    deadline = as_date(cells.get("deadline"))
    values["deadline"] = deadline
    if deadline is None:
        errors.add(n, "deadline", f"完成时限“{text(cells.get('deadline'))}”不是有效日期")
    return values


def deadline_problem(deadline: date, *, today: date, campaign_end: date) -> str | None:
    """Checked only for items still to be created: an imported plan keeps its deadline."""
    if deadline > campaign_end:
        return f"完成时限{deadline.isoformat()}晚于整改阶段结束日期{campaign_end.isoformat()}"
    if deadline < today:
        return f"完成时限{deadline.isoformat()}早于今天（{today.isoformat()}）"
    return None


def missing_headers(present: set[str]) -> list[str]:
    """Headers the sheet must have: the problem columns, and the measure columns if any."""
    needed = [h for k, h, required in ISSUE_COLUMNS if required and k not in present]
    if any(k in present for k, _, _ in ITEM_COLUMNS):
        needed += [h for k, h, required in ITEM_COLUMNS if required and k not in present]
    return needed


@dataclass(frozen=True)
class ParsedSheet:
    """A sheet as read from its file: which columns it has and its data rows."""

    file_name: str
    sha256: str
    columns: frozenset[str]  # the column keys whose header was found
    rows: list[SheetRow]
