"""The console's XLSX of a ledger: what is shown, or no file when a filter typed is wrong."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tests.conftest import CAMPAIGN_NOW
from tests.web.conftest import Console

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def titles(content: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    headers = [c.value for c in ws[2]]
    column = headers.index("问题名称")
    return [str(row[column]) for row in ws.iter_rows(min_row=3, values_only=True)]


@pytest.mark.parametrize(
    ("query", "warning"),
    [
        ("as_of=garbage", "查询日期不是有效的日期（格式：年-月-日）。"),
        ("as_of=2999-01-01", "查询日期不能晚于今天。"),
        ("status=bogus", "状态无效。"),
        ("office=sh", "请选择您可查看的单位。"),
    ],
)
def test_an_export_with_a_wrong_filter_is_refused_with_the_pages_warning(
    console: Console, query: str, warning: str
) -> None:
    console.world.issue()
    console.settle()
    console.log_in("bj-clerk")

    page = console.client.get(f"/issues?{query}")
    answer = console.client.get(f"/ledgers/issues.xlsx?{query}")

    assert warning in page.text
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in answer.headers
    assert warning in answer.text
    assert "未导出 Excel" in answer.text


def test_an_item_export_with_a_wrong_overdue_names_it(console: Console) -> None:
    console.log_in("bj-clerk")

    answer = console.client.get("/ledgers/items.xlsx?overdue=maybe")

    assert answer.status_code == 422
    assert "筛选条件“只看逾期”无效，未导出 Excel" in answer.text


def test_an_export_as_of_a_past_day_holds_that_days_rows(console: Console) -> None:
    console.world.issue(title="早先")
    console.world.clock.set(CAMPAIGN_NOW + timedelta(days=3))
    console.world.issue(title="后来")
    console.settle()
    console.log_in("bj-clerk")

    past = console.client.get("/ledgers/issues.xlsx?as_of=2026-10-10")
    today = console.client.get("/ledgers/issues.xlsx")

    assert past.status_code == 200
    assert past.headers["content-type"] == XLSX
    assert titles(past.content) == ["早先"]
    assert sorted(titles(today.content)) == ["后来", "早先"]


def test_an_export_holds_every_page_whatever_paging_the_address_asks(console: Console) -> None:
    for title in ("甲", "乙"):
        console.world.issue(title=title)
    console.settle()
    console.log_in("bj-clerk")

    answer = console.client.get("/ledgers/issues.xlsx?page=abc&page_size=1&sort=title")

    assert answer.status_code == 200
    assert titles(answer.content) == ["乙", "甲"]


def test_the_item_sheet_keeps_a_problem_without_measures_as_the_apis_does(
    console: Console,
) -> None:
    console.world.issue(title="尚无措施")
    console.world.planned_item()
    console.settle()
    console.log_in("bj-clerk")

    everything = console.client.get("/ledgers/items.xlsx")
    planned = console.client.get("/ledgers/items.xlsx?status=planned")

    assert everything.status_code == 200
    assert titles(everything.content) == ["资产台账不健全", "尚无措施"]
    assert titles(planned.content) == ["资产台账不健全"]
