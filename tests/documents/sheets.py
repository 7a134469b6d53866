"""Builders for filled self-inspection sheets and for reading XLSX files back."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from application.sheet_rows import ParsedSheet
from infrastructure.spreadsheets.reader import read_sheet

HEADER_ROW = 2

GOOD_ROW: dict[str, Any] = {
    "单位代码": "bj",
    "问题编号": "1",
    "问题类别": "基础管理",
    "问题细类": "账实不符",
    "问题来源": "自查",
    "问题名称": "办公设备账实不符",
    "问题描述": "盘点发现12台电脑未入账",
    "涉及资产": "ZC-BJ-001 台式电脑；打印机",
    "发现日期": "2026-10-08",
    "整改措施": "全面盘点并补登资产台账",
    "措施类型": "夯实基础管理",
    "涉及处置或出租": "无",
    "责任人": "张伟",
    "完成时限": "2026-11-20",
}


def fill(template: bytes, rows: list[dict[str, Any]]) -> bytes:
    """Write rows (by header) into a sheet's first data rows, as a person fills it."""
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    headers = {cell.value: cell.column for cell in ws[HEADER_ROW] if cell.value}
    for offset, row in enumerate(rows, start=HEADER_ROW + 1):
        for header, value in row.items():
            ws.cell(row=offset, column=headers[header], value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parsed(data: bytes, name: str = "自查表.xlsx") -> ParsedSheet:
    return read_sheet(data, file_name=name)


def values(data: bytes) -> list[list[Any]]:
    """Every row of the first sheet, from the header down."""
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in ws.iter_rows(min_row=HEADER_ROW, values_only=True)]
