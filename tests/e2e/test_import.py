"""Importing an office's self-inspection sheet: every bad row's error is listed and nothing
is imported; the corrected sheet imports once."""

from __future__ import annotations

import io
from datetime import timedelta
from uuid import uuid4

from openpyxl import Workbook
from playwright.sync_api import Page, expect

from application.sheet_rows import HEADERS
from tests.e2e.conftest import OpenAs
from tests.e2e.console import Service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(rows: list[dict[str, object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    keys = list(HEADERS)
    ws.append([HEADERS[k] for k in keys])
    for row in rows:
        ws.append([row.get(k) for k in keys])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(page: Page, data: bytes) -> None:
    page.goto("/import")
    form = page.locator("form[action='/import']")
    form.locator("#office").select_option("bj")
    form.locator("#file").set_input_files(
        [{"name": "北京办事处自查表.xlsx", "mimeType": XLSX, "buffer": data}]
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_an_import_with_bad_rows_shows_every_rows_error(open_as: OpenAs, service: Service) -> None:
    title = f"北京办事处资产台账与财务账不符（导入 {uuid4().hex[:6]}）"
    good = {
        "office": "bj",
        "issue_no": "1",
        "category": "基础管理",
        "subtype": "账实不符",
        "source": "自查",
        "title": title,
        "description": "盘点发现3台设备账实不符",
        "found_on": (service.today - timedelta(days=3)).isoformat(),
        "measure": "全面盘点并调整账务",
        "measure_type": "夯实基础管理",
        "involves": "无",
        "responsible": "王芳",
        "deadline": (service.today + timedelta(days=10)).isoformat(),
    }
    bad = [
        {**good, "issue_no": "2", "title": "类别有误", "category": "不存在的类别"},
        {**good, "issue_no": "3", "title": "缺责任人", "responsible": None},
        {**good, "issue_no": "4", "title": "日期有误", "found_on": "2026-13-45"},
        {**good, "issue_no": "5", "title": "其他单位", "office": "sh"},
    ]
    clerk = open_as("bj-clerk")
    upload(clerk, sheet([good, *bad]))
    errors = clerk.locator("table.row-errors tbody tr")
    expect(clerk.locator(".sheet-errors h2")).to_have_text("表格有 4 处错误，未导入任何数据")
    expected = [
        ("3", "问题类别", "未知的问题类别“不存在的类别”"),
        ("4", "责任人", "责任人不能为空"),
        ("5", "发现日期", "发现日期“2026-13-45”不是有效日期"),
        ("6", "单位代码", "单位代码“sh”不是导入单位（bj）"),
    ]
    expect(errors).to_have_count(len(expected))
    for n, (row, column, message) in enumerate(expected):
        cells = errors.nth(n).locator("td")
        expect(cells.nth(0)).to_have_text(row)
        expect(cells.nth(1)).to_have_text(column)
        expect(cells.nth(2)).to_contain_text(message)
    clerk.goto(f"/issues?q={title}")
    expect(clerk.locator("table.ledger tbody td.empty")).to_be_visible()

    corrected = sheet([good])
    upload(clerk, corrected)
    expect(clerk.locator(".import-result")).to_contain_text("新增问题 1 项、整改事项 1 项")
    upload(clerk, corrected)
    expect(clerk.locator(".import-result")).to_contain_text("此前已经导入")
    clerk.goto(f"/issues?q={title}")
    expect(clerk.locator("table.ledger tbody tr")).to_have_count(1)
