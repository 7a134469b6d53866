"""导入自查表 in the console: the API's limits on every column, every error in Chinese in one
answer, the rows with data counted, and the blank sheet of exactly the office asked for."""

from __future__ import annotations

import io
import re
from html import unescape
from typing import Any
from urllib.parse import quote

from openpyxl import load_workbook

from infrastructure.spreadsheets.workbook import MEDIA_TYPE, template_workbook
from tests.documents.sheets import GOOD_ROW, fill
from tests.web.conftest import Console

_CELLS = re.compile(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", re.S)


def _upload(console: Console, rows: list[dict[str, Any]]) -> Any:
    console.log_in("bj-clerk")
    sheet = fill(template_workbook(console.world.app.campaign, office="bj"), rows)
    return console.post(
        "/import",
        {"office": "bj", "form_id": "f" * 32},
        files={"file": ("北京办事处自查表.xlsx", sheet, MEDIA_TYPE)},
    )


def _error_rows(page: str) -> list[tuple[str, str, str]]:
    table = page.split('<table class="row-errors">', 1)[1].split("</table>", 1)[0]
    return [tuple(unescape(c) for c in cells) for cells in _CELLS.findall(table)]


def test_a_value_over_the_forms_limits_is_listed_and_nothing_is_imported(
    console: Console,
) -> None:
    long = {**GOOD_ROW, "问题描述": "述" * 3000, "涉及资产": f"{'Z' * 303} 台式电脑"}
    before = console.world.last_position()

    answer = _upload(console, [long])

    assert answer.status_code == 422
    assert _error_rows(answer.text) == [
        ("3", "问题描述", "问题描述不能超过2000个字"),
        ("3", "涉及资产", "涉及资产第1项的编号不能超过100个字"),
    ]
    assert "导入完成" not in answer.text
    assert console.world.last_position() == before + 1  # the sign-in, nothing imported


def test_a_future_found_on_reads_in_chinese_with_the_other_rows_errors(
    console: Console,
) -> None:
    rows = [
        {**GOOD_ROW, "发现日期": "2030-01-01"},
        {**GOOD_ROW, "问题编号": "2", "问题名称": "二", "责任人": None},
    ]

    answer = _upload(console, rows)

    assert answer.status_code == 422
    assert _error_rows(answer.text) == [
        ("3", "发现日期", "发现日期2030-01-01不能晚于今天（2026-10-10）"),
        ("4", "责任人", "责任人不能为空"),
    ]
    assert "found_on" not in answer.text


def test_the_success_message_counts_only_the_rows_with_data(console: Console) -> None:
    second = {**GOOD_ROW, "整改措施": "建立定期盘点制度", "措施类型": "健全内控制度"}

    answer = _upload(console, [GOOD_ROW, second])

    assert answer.status_code == 200, answer.text
    assert "导入完成" in answer.text
    assert "共 2 行" in answer.text


def _sheet_title(data: bytes) -> str:
    return str(load_workbook(io.BytesIO(data)).worksheets[0]["A1"].value)


def test_the_blank_sheet_without_an_office_is_the_accounts_own(console: Console) -> None:
    console.log_in("bj-clerk")

    answer = console.client.get("/import/template.xlsx")

    assert answer.status_code == 200
    assert quote("北京办事处自查问题清单") in answer.headers["content-disposition"]
    assert _sheet_title(answer.content).startswith("北京办事处")


def test_the_blank_sheet_of_a_sub_office_is_that_office(console: Console) -> None:
    console.log_in("bj-clerk")

    answer = console.client.get("/import/template.xlsx", params={"office": "tj"})

    assert answer.status_code == 200
    name = console.world.app.campaign.unit("tj").name
    assert _sheet_title(answer.content).startswith(name)


def test_the_blank_sheet_of_an_office_outside_the_accounts_scope_is_not_found(
    console: Console,
) -> None:
    console.log_in("bj-clerk")

    for office in ("sh", "zz"):
        answer = console.client.get("/import/template.xlsx", params={"office": office})

        assert answer.status_code == 404, office
        assert answer.headers["content-type"].startswith("text/html")
        assert f"未找到单位“{office}”" in unescape(answer.text)


def test_the_blank_sheet_with_an_empty_office_asks_for_one(console: Console) -> None:
    console.log_in("bj-clerk")

    answer = console.client.get("/import/template.xlsx?office=")

    assert answer.status_code == 422
    assert "请指定要下载空白表的单位" in answer.text


def test_an_account_that_imports_no_sheet_is_refused_the_page_not_told_it_is_missing(
    console: Console,
) -> None:
    """The page exists: an auditor is told it may not use it (403), as /office-work says."""
    console.log_in("auditor")

    for path in ("/import", "/import/template.xlsx"):
        answer = console.client.get(path)

        assert answer.status_code == 403, path
        assert "无权操作" in answer.text
