"""What an imported self-inspection sheet is held to: the API's own limits on every column,
the domain's rules in the same answer, every message in Chinese, and only rows with data
counted."""

from __future__ import annotations

import re
from typing import Any

import pytest

from api.http.sheet_rules import SHEET_RULES
from application.errors import NotFound
from application.imports import SheetRejected
from application.sheet_rows import SheetError
from infrastructure.spreadsheets.reader import has_formulas
from infrastructure.spreadsheets.workbook import template_workbook
from tests.builders import World
from tests.documents.sheets import GOOD_ROW, fill, parsed


def _import(world: World, rows: list[dict[str, Any]]) -> dict[str, Any]:
    sheet = fill(template_workbook(world.app.campaign, office="bj"), rows)
    result = world.app.import_self_inspection(
        world["bj-clerk"], office="bj", sheet=parsed(sheet), rules=SHEET_RULES
    )
    return result.extra


def _rejected(world: World, rows: list[dict[str, Any]]) -> list[SheetError]:
    before = world.app.recorder.max_notification_id()
    with pytest.raises(SheetRejected) as rejected:
        _import(world, rows)
    assert world.app.recorder.max_notification_id() == before  # nothing imported
    return rejected.value.errors


def test_values_longer_than_the_api_allows_are_row_errors_naming_their_columns(
    world: World,
) -> None:
    long = {
        **GOOD_ROW,
        "问题名称": "名" * 201,
        "问题描述": "述" * 3000,
        "涉及资产": f"{'Z' * 303} 台式电脑",
        "整改措施": "措" * 2001,
        "责任人": "张" * 101,
    }

    errors = _rejected(world, [GOOD_ROW, {**long, "问题编号": "2"}])

    assert {(e.row, e.column): e.message for e in errors} == {
        (4, "问题名称"): "问题名称不能超过200个字",
        (4, "问题描述"): "问题描述不能超过2000个字",
        (4, "涉及资产"): "涉及资产第1项的编号不能超过100个字",
        (4, "整改措施"): "整改措施不能超过2000个字",
        (4, "责任人"): "责任人不能超过100个字",
    }


def test_more_assets_than_the_api_takes_are_refused(world: World) -> None:
    many = "；".join(f"ZC-{n}" for n in range(101))

    errors = _rejected(world, [{**GOOD_ROW, "涉及资产": many}])

    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "涉及资产", "涉及资产不能超过100项")
    ]


def test_values_at_the_api_limits_are_imported_whole(world: World) -> None:
    row = {**GOOD_ROW, "问题描述": "述" * 2000, "涉及资产": f"{'Z' * 100} 台式电脑"}

    _import(world, [row])

    issue = world.app.ledger(world["coord"], office="bj").issues[0]
    assert len(issue.description) == 2000
    assert issue.assets == [{"code": "Z" * 100, "name": "台式电脑"}]


def test_only_rows_with_data_are_counted(world: World) -> None:
    second = {**GOOD_ROW, "整改措施": "建立定期盘点制度", "措施类型": "健全内控制度"}

    result = _import(world, [GOOD_ROW, second])

    assert result["rows"] == 2
    assert result["created"] == {"issues": 1, "items": 2}


def test_a_future_found_on_is_reported_with_every_other_error_in_chinese(world: World) -> None:
    rows = [
        {**GOOD_ROW, "发现日期": "2030-01-01"},
        {**GOOD_ROW, "问题编号": "2", "问题名称": "二", "责任人": None, "措施类型": None},
        {
            **GOOD_ROW,
            "问题编号": "3",
            "问题名称": "三",
            "问题类别": "车辆",
            "发现日期": "2030-01-01",
        },
        {**GOOD_ROW, "问题编号": "4", "问题名称": "四", "发现日期": "1969-12-31"},
    ]

    errors = _rejected(world, rows)

    found = {(e.row, e.column): e.message for e in errors}
    assert found[(3, "发现日期")] == "发现日期2030-01-01不能晚于今天（2026-10-10）"
    assert found[(4, "责任人")] == "责任人不能为空"
    assert found[(5, "发现日期")] == "发现日期2030-01-01不能晚于今天（2026-10-10）"
    assert "未知的问题类别“车辆”" in found[(5, "问题类别")]
    assert found[(4, "措施类型")].startswith("措施类型不能为空，应为：")
    assert found[(6, "发现日期")] == "发现日期1969-12-31不能早于1970-01-01"
    assert len(found) == 6


MISTAKES: list[list[dict[str, Any]]] = [
    [{**GOOD_ROW, "发现日期": "2030-01-01"}],  # alone: found by the domain's rule before
    [{**GOOD_ROW, "问题描述": "述" * 2001}],
    [{**GOOD_ROW, "完成时限": "2026-10-01"}],
    [{**GOOD_ROW, "完成时限": "明天", "措施类型": "其他"}],
    [GOOD_ROW, {**GOOD_ROW, "问题名称": "不一致"}],
    [GOOD_ROW, GOOD_ROW],
    [{**GOOD_ROW, "问题名称": None, "整改措施": None, "单位代码": "sh"}],
    [{**GOOD_ROW, "问题细类": "不存在", "涉及处置或出租": "出借", "问题来源": "传闻"}],
]


def test_every_message_of_a_rejected_sheet_is_in_chinese(world: World) -> None:
    for rows in MISTAKES:
        errors = _rejected(world, rows)

        english = [e.message for e in errors if re.search(r"[A-Za-z]{3,}", e.message)]
        assert errors, rows
        assert english == [], rows


def test_the_blank_sheet_is_for_an_office_the_caller_may_read(world: World) -> None:
    assert world.app.template_office(world["bj-clerk"], "tj").code == "tj"  # a sub-office
    assert world.app.template_office(world["coord"], "sh").code == "sh"

    with pytest.raises(NotFound):
        world.app.template_office(world["bj-clerk"], "sh")


def test_a_sheet_imported_again_with_another_responsible_does_not_plan_the_measure_twice(
    world: World,
) -> None:
    """The office corrects 责任人 in the sheet it imported and imports it again: the same
    measure for the same problem is refused, not planned a second time."""
    assert _import(world, [GOOD_ROW])["created"] == {"issues": 1, "items": 1}

    errors = _rejected(world, [{**GOOD_ROW, "责任人": "张伟明"}])

    assert [(e.row, e.column) for e in errors] == [(3, "整改措施")]
    assert "已登记相同的整改措施" in errors[0].message
    assert "改派或申请延期" in errors[0].message


def test_two_rows_of_one_sheet_with_one_measure_for_one_problem_are_refused(
    world: World,
) -> None:
    errors = _rejected(world, [GOOD_ROW, {**GOOD_ROW, "责任人": "李强"}])

    assert [(e.row, e.column) for e in errors] == [(4, "整改措施")]


def test_another_measure_for_the_imported_problem_is_planned(world: World) -> None:
    _import(world, [GOOD_ROW])

    added = _import(world, [GOOD_ROW, {**GOOD_ROW, "整改措施": "建立资产定期盘点制度"}])

    assert added["created"] == {"issues": 0, "items": 1}


def test_a_line_break_in_a_one_line_cell_is_named_as_such(world: World) -> None:
    """Alt+Enter in 问题名称 is the slip a clerk makes; the row says so, not 不符合要求."""
    errors = _rejected(world, [GOOD_ROW | {"问题名称": "第一行\n第二行"}])

    assert [(e.column, e.message) for e in errors] == [
        ("问题名称", "问题名称只能填写一行，请删除单元格内的换行（Alt+Enter）")
    ]


def test_a_formula_the_file_holds_no_result_for_is_named_not_read_as_empty(
    world: World,
) -> None:
    """A sheet written by a program with =A1 in 责任人 and never opened in Excel holds no
    result for it: the row says it is a formula, where it said 责任人不能为空."""
    sheet = fill(template_workbook(world.app.campaign, office="bj"), [GOOD_ROW | {"责任人": "=C3"}])

    with pytest.raises(SheetRejected) as rejected:
        parsed(sheet)

    [error] = rejected.value.errors
    assert (error.row, error.column) == (3, "责任人")
    assert error.message.startswith("责任人是公式，但文件中没有它的计算结果")
    # a sheet without formulas is read once: the second look is only for files that hold some
    assert has_formulas(sheet)
    assert not has_formulas(fill(template_workbook(world.app.campaign, office="bj"), [GOOD_ROW]))


def test_an_asset_code_listed_twice_in_a_cell_is_named_in_chinese(world: World) -> None:
    errors = _rejected(world, [GOOD_ROW | {"涉及资产": "ZC-1 电脑；ZC-1 打印机"}])

    assert [(e.column, e.message) for e in errors] == [
        ("涉及资产", "涉及资产第2项的资产编号与第1项重复")
    ]
