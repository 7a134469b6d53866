"""Ledgers and the blank self-inspection template as XLSX (openpyxl).

Every sheet: a title row, the header row frozen under it with filters, column widths,
wrapped long text, and dates written as dates (yyyy-mm-dd), never as text.

openpyxl is imported where a workbook is built, not with this module: it would add about
0.07 s to the start of every API worker and every CLI command, most of which never make one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Final

from application.ledger_scan import Ledger
from application.sheet_rows import HEADERS
from domain.campaign import Campaign
from domain.taxonomy import CATEGORIES, INVOLVES, MEASURE_TYPES, SOURCES
from infrastructure.spreadsheets.columns import (
    ISSUE_COLUMNS,
    ISSUE_PART,
    ITEM_COLUMNS,
    ITEM_PART,
    SEQUENCE,
    Cell,
    Column,
    issue_rows,
    item_rows,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Border, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 2
_FONT = "宋体"
TEMPLATE_ROWS = 200


_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def visible(value: Cell) -> Cell:
    """A text cell with each control character an XLSX cell cannot hold shown by its
    Unicode control picture (U+0007 as ␇): text the domain refused later, or recorded before
    it refused it, still exports, and the reader sees that something was there."""
    if isinstance(value, str) and _CONTROL.search(value):
        return _CONTROL.sub(lambda found: chr(0x2400 + ord(found.group())), value)
    return value


@cache
def _border_and_fill() -> tuple[Border, PatternFill]:
    from openpyxl.styles import Border, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return Border(left=thin, right=thin, top=thin, bottom=thin), PatternFill(
        "solid", fgColor="DDEBF7"
    )


def _sheet(ws: Worksheet, *, title: str, columns: Sequence[Column], rows: list[list[Cell]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    border, header_fill = _border_and_fill()
    last = get_column_letter(len(columns))
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=_FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([c.header for c in columns])
    for n, column in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=n)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(n)].width = column.width
    for values in rows:
        ws.append([visible(value) for value in values])
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=ws.max_row):
        for column, cell in zip(columns, row, strict=False):
            if cell.data_type == "f":  # text typed as "=…" is shown, never computed
                cell.data_type = "s"
            cell.font = Font(name=_FONT)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=column.wrap)
            if column.is_date:
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(ws.max_row, HEADER_ROW + 1)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _scope_name(campaign: Campaign, ledger: Ledger) -> str:
    """The office whose ledger this is (with its sub-offices), or every office."""
    for unit in campaign.offices():
        if ledger.offices is not None and campaign.subtree(unit.code) == ledger.offices:
            return unit.name
    return "各驻外办事处"


def _as_of_text(ledger: Ledger) -> str:
    """The ledger's day: today's, or the campaign's calendar day of its as-of moment (not
    the UTC date, which is the day before until 08:00 in Shanghai)."""
    return f"（截至{ledger.today.isoformat()}）"


def _ledger_workbook(
    *, sheet: str, title: str, columns: Sequence[Column], rows: list[list[Cell]]
) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    _sheet(ws, title=title, columns=columns, rows=rows)
    return _save(wb)


def items_workbook(campaign: Campaign, ledger: Ledger, *, scope: str | None = None) -> bytes:
    """整改台账: one row per measure (a problem with none yet has a row of its own)."""
    name = scope or _scope_name(campaign, ledger)
    return _ledger_workbook(
        sheet="整改台账",
        title=f"{name}资产管理问题整改台账{_as_of_text(ledger)}",
        columns=ITEM_COLUMNS,
        rows=item_rows(campaign, ledger),
    )


def issues_workbook(campaign: Campaign, ledger: Ledger, *, scope: str | None = None) -> bytes:
    """问题清单: one row per problem, with its measure counts and status."""
    name = scope or _scope_name(campaign, ledger)
    return _ledger_workbook(
        sheet="问题清单",
        title=f"{name}资产管理问题清单{_as_of_text(ledger)}",
        columns=ISSUE_COLUMNS,
        rows=issue_rows(campaign, ledger),
    )


def _choices(wb: Workbook) -> dict[str, str]:
    """A hidden sheet of allowed values; answers a defined name's range per column key."""
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb.create_sheet("选项")
    lists = {
        "category": [label for label, _ in CATEGORIES.values()],
        "subtype": [s for _, subs in CATEGORIES.values() for s in subs.values()],
        "source": list(SOURCES.values()),
        "measure_type": list(MEASURE_TYPES.values()),
        "involves": list(INVOLVES.values()),
    }
    ranges = {}
    for n, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(n)
        ws.cell(row=1, column=n, value=HEADERS[key])
        for r, value in enumerate(values, start=2):
            ws.cell(row=r, column=n, value=value)
        name = f"choices_{key}"
        wb.defined_names[name] = DefinedName(
            name, attr_text=f"'选项'!${letter}$2:${letter}${len(values) + 1}"
        )
        ranges[key] = name
    ws.sheet_state = "hidden"
    return ranges


def _instructions(wb: Workbook, campaign: Campaign, office: str) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("填表说明")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90
    lines = [
        (
            "单位代码",
            f"填写本单位代码“{office}”（{campaign.unit(office).name}），不得填写其他单位。",
        ),
        ("问题编号", "同一问题的多项整改措施分行填写，问题编号相同，问题信息保持一致。"),
        ("问题类别/细类", "从下拉列表选择；细类须属于所选类别。"),
        ("日期", "发现日期、完成时限按“2026-11-30”格式填写日期。"),
        (
            "完成时限",
            f"不得早于导入当日，不得晚于整改阶段结束日期{campaign.rectification_end.isoformat()}。",
        ),
        ("责任人", "每项整改措施须明确责任人。"),
    ]
    for category, (label, subtypes) in CATEGORIES.items():
        lines.append((f"{label}（{category}）", "、".join(subtypes.values())))
    ws.append(["项目", "说明"])
    for line in lines:
        ws.append(list(line))
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name=_FONT, bold=cell.row == 1)


def template_workbook(campaign: Campaign, *, office: str) -> bytes:
    """The blank self-inspection sheet for one office, with drop-down lists and date checks."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = (SEQUENCE, *ISSUE_PART, *ITEM_PART)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "自查问题清单"
    title = f"{campaign.unit(office).name}资产管理自查问题清单及整改方案"
    rows: list[list[Cell]] = [[n, office] for n in range(1, TEMPLATE_ROWS + 1)]
    _sheet(ws, title=title, columns=columns, rows=rows)
    ranges = _choices(wb)
    first, last = HEADER_ROW + 1, HEADER_ROW + TEMPLATE_ROWS
    for n, column in enumerate(columns, start=1):
        key = next((k for k, h in HEADERS.items() if h == column.header), "")
        cells = f"{get_column_letter(n)}{first}:{get_column_letter(n)}{last}"
        if key in ranges:
            rule = DataValidation(type="list", formula1=f"={ranges[key]}", allow_blank=True)
        elif key == "office":
            rule = DataValidation(type="list", formula1=f'"{office}"', allow_blank=True)
        elif column.is_date:
            end = campaign.rectification_end
            rule = DataValidation(
                type="date",
                operator="lessThanOrEqual",
                formula1=f"DATE({end.year},{end.month},{end.day})",
                allow_blank=True,
            )
        else:
            continue
        rule.error = f"{column.header}的值不符合要求，请按填表说明填写"
        rule.showErrorMessage = True
        ws.add_data_validation(rule)
        rule.add(cells)
    _instructions(wb, campaign, office)
    wb.properties.title = title
    return _save(wb)
