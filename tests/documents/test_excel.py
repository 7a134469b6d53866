"""Excel ledgers out, self-inspection sheets in: all or nothing, and never twice."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from api.http.sheet_rules import SHEET_RULES
from application.imports import SheetRejected
from application.ports import FixedClock
from infrastructure.spreadsheets.workbook import (
    issues_workbook,
    items_workbook,
    template_workbook,
)
from tests.builders import World, build_world
from tests.conftest import CAMPAIGN_NOW
from tests.documents.sheets import GOOD_ROW, fill, parsed, values


def _template(world: World) -> bytes:
    return template_workbook(world.app.campaign, office="bj")


def _export(world: World, office: str = "bj") -> bytes:
    return items_workbook(world.app.campaign, world.app.ledger(world["coord"], office=office))


def without_ids(rows: list[list[object]]) -> list[list[object]]:
    """The rows but their 问题ID and 措施ID: another store gives the cases ids of its own."""
    header = rows[0]
    kept = [n for n, h in enumerate(header) if h not in ("问题ID", "措施ID")]
    return [[row[n] for n in kept] for row in rows]


def _seed(world: World) -> None:
    first = world.issue(
        title="办公设备账实不符",
        description="12台电脑未入账",
        assets=[{"code": "ZC-1", "name": "台式电脑"}],
    )
    world.item(first.id, measure="全面盘点并补登", deadline=date(2026, 11, 20))
    world.item(
        first.id,
        measure="建立定期盘点制度",
        measure_type="internal_control",
        responsible="王芳",
        deadline=date(2026, 11, 25),
    )
    second = world.issue(
        title="房屋出租未报批",
        category="real_estate",
        subtype="lease_without_approval",
        found_on=date(2026, 9, 30),
    )
    world.item(
        second.id,
        measure="补办出租报批手续",
        measure_type="conduct",
        involves="lease",
        deadline=date(2026, 11, 30),
    )
    world.issue(title="未建立内控制度", category="internal_control", subtype="no_rules")


def test_the_items_ledger_has_the_usual_columns_frozen_header_filters_and_real_dates(
    world: World,
) -> None:
    _seed(world)

    ws = load_workbook(io.BytesIO(_export(world))).worksheets[0]

    headers = [c.value for c in ws[2]]
    for header in (
        "序号",
        "单位",
        "问题类别",
        "问题描述",
        "整改措施",
        "责任人",
        "完成时限",
        "整改进展",
        "状态",
    ):
        assert header in headers
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:{ws.cell(2, len(headers)).column_letter}{ws.max_row}"
    assert ws.column_dimensions["I"].width > 20
    deadline = ws.cell(3, headers.index("完成时限") + 1)
    assert isinstance(deadline.value, datetime)
    assert deadline.value.date() == date(2026, 11, 20)
    assert deadline.number_format == "yyyy-mm-dd"
    assert ws.max_row == 2 + 4  # two measures, one, and a problem with none yet
    assert "北京办事处" in str(ws["A1"].value)


def test_the_issue_ledger_counts_measures_per_problem(world: World) -> None:
    _seed(world)
    ledger = world.app.ledger(world["coord"], office="bj")

    rows = values(issues_workbook(world.app.campaign, ledger))

    header, body = rows[0], rows[1:]
    counts = {r[header.index("问题名称")]: r[header.index("整改措施数")] for r in body}
    assert counts == {"办公设备账实不符": 2, "房屋出租未报批": 1, "未建立内控制度": 0}


def test_an_export_imported_into_an_empty_store_exports_the_same_rows(
    world: World, clock: FixedClock
) -> None:
    _seed(world)
    exported = _export(world)
    empty = build_world("memory:", FixedClock(CAMPAIGN_NOW))
    try:
        result = empty.app.import_self_inspection(
            empty["bj-clerk"], office="bj", sheet=parsed(exported), rules=SHEET_RULES
        )

        assert result.extra["created"] == {"issues": 3, "items": 3}
        assert without_ids(values(_export(empty))) == without_ids(values(exported))
    finally:
        empty.container.close()


def test_a_sheet_with_bad_rows_lists_every_error_and_imports_nothing(world: World) -> None:
    bad = [
        {**GOOD_ROW, "问题编号": "1", "问题类别": "车辆管理"},
        {**GOOD_ROW, "问题编号": "2", "问题名称": "二", "责任人": None},
        {**GOOD_ROW, "问题编号": "3", "问题名称": "三", "完成时限": "2026-13-45"},
        {**GOOD_ROW, "问题编号": "4", "问题名称": "四", "完成时限": "2027-01-15"},
        {**GOOD_ROW, "问题编号": "5", "问题名称": "五", "单位代码": "sh"},
        {**GOOD_ROW, "问题编号": "6", "问题名称": "六"},
    ]
    before = world.app.recorder.max_notification_id()

    with pytest.raises(SheetRejected) as rejected:
        world.app.import_self_inspection(
            world["bj-clerk"],
            office="bj",
            sheet=parsed(fill(_template(world), bad)),
            rules=SHEET_RULES,
        )

    found = {(e.row, e.column): e.message for e in rejected.value.errors}
    assert "未知的问题类别“车辆管理”" in found[(3, "问题类别")]
    assert found[(4, "责任人")] == "责任人不能为空"
    assert "不是有效日期" in found[(5, "完成时限")]
    assert "晚于整改阶段结束日期2026-11-30" in found[(6, "完成时限")]
    assert "不能导入其他单位" in found[(7, "单位代码")]
    assert len(found) == 5
    assert world.app.recorder.max_notification_id() == before
    assert world.app.ledger(world["coord"], office="bj").issues == []


def test_the_same_valid_sheet_twice_is_imported_once(world: World) -> None:
    rows = [
        GOOD_ROW,
        {**GOOD_ROW, "整改措施": "建立定期盘点制度", "措施类型": "健全内控制度"},
        {
            **GOOD_ROW,
            "问题编号": "2",
            "问题名称": "房屋未办权证",
            "问题类别": "房地产管理",
            "问题细类": "未办理权证",
            "整改措施": None,
            "措施类型": None,
            "责任人": None,
            "完成时限": None,
            "涉及处置或出租": None,
        },
    ]
    sheet = fill(_template(world), rows)

    first = world.app.import_self_inspection(
        world["bj-clerk"], office="bj", sheet=parsed(sheet), rules=SHEET_RULES
    )
    again = world.app.import_self_inspection(
        world["bj-clerk2"], office="bj", sheet=parsed(sheet), rules=SHEET_RULES
    )

    assert first.extra["created"] == {"issues": 2, "items": 2}
    assert again.extra["already_imported"] is True
    ledger = world.app.ledger(world["coord"], office="bj")
    assert len(ledger.issues) == 2
    assert len(ledger.items) == 2
    assert ledger.items[0].responsible == "张伟"
    history = world.app.case_history(world["auditor"], ledger.issues[0].id)
    assert {e.actor["name"] for e in history} == {"bj-clerk"}


def test_a_longer_sheet_imports_only_its_new_rows(world: World) -> None:
    world.app.import_self_inspection(
        world["bj-clerk"],
        office="bj",
        sheet=parsed(fill(_template(world), [GOOD_ROW])),
        rules=SHEET_RULES,
    )
    longer = [GOOD_ROW, {**GOOD_ROW, "整改措施": "追究相关人员责任", "责任人": "李娜"}]

    result = world.app.import_self_inspection(
        world["bj-clerk"],
        office="bj",
        sheet=parsed(fill(_template(world), longer)),
        rules=SHEET_RULES,
    )

    assert result.extra["created"] == {"issues": 0, "items": 1}
    assert result.extra["existing"] == {"issues": 1, "items": 1}
    ledger = world.app.ledger(world["coord"], office="bj")
    assert [i.measure for i in ledger.items] == ["全面盘点并补登资产台账", "追究相关人员责任"]


def test_the_template_offers_the_vocabularies_as_drop_down_lists(world: World) -> None:
    wb = load_workbook(io.BytesIO(_template(world)))
    ws = wb.worksheets[0]

    assert [c.value for c in ws[2]][:4] == ["序号", "单位代码", "单位", "问题编号"]
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "=choices_category" in formulas
    assert '"bj"' in formulas
    assert "填表说明" in wb.sheetnames
    assert wb["选项"].sheet_state == "hidden"


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message() -> None:
    with pytest.raises(SheetRejected) as rejected:
        parsed(b"not a spreadsheet")

    assert "不是有效的Excel" in rejected.value.errors[0].message


def test_an_export_as_of_a_past_moment_leaves_out_what_came_later(world: World) -> None:
    world.issue(title="早先的问题")
    earlier = CAMPAIGN_NOW
    world.clock.set(CAMPAIGN_NOW + timedelta(hours=2))
    world.issue(title="后来的问题")

    ledger = world.app.ledger(world["coord"], office="bj", as_of=earlier)

    assert [i.title for i in ledger.issues] == ["早先的问题"]


def test_an_asset_recorded_before_control_characters_were_refused_still_exports(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log is never rewritten: a control character the domain once let into an asset
    line is shown by its control picture, and the ledger still exports."""
    import domain.issue

    monkeypatch.setattr(domain.issue, "check_assets", lambda assets: assets)
    world.issue(assets=[{"code": "ZC-1\x07", "name": "电脑"}])
    monkeypatch.undo()

    rows = values(_export(world))

    assert any("ZC-1\u2407" in str(cell) for row in rows for cell in row)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example/","点击")', "=2+3"])
def test_text_that_looks_like_a_formula_is_exported_as_text(world: World, text: str) -> None:
    """A title or measure typed as ``=…`` must not become a live formula in the office's
    or the auditor's Excel (a link out, or a computed value where a typed one stood)."""
    issue = world.issue(title=text).id
    world.item(issue, measure=text)

    raw = _export(world)
    ws = load_workbook(io.BytesIO(raw)).worksheets[0]

    cells = [cell for row in ws.iter_rows() for cell in row if cell.value == text]
    assert len(cells) == 2
    assert all(cell.data_type == "s" for cell in cells)
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")


def test_a_falsified_rectification_is_marked_in_the_ledger_and_not_dated_as_done(
    world: World,
) -> None:
    """Flagged as falsified, the item is rectified again: the sheet says so in 状态 and
    整改进展, and leaves 完成日期 empty (the date was the claim found false)."""
    _, item_id = world.rectified_item()
    world.app.record_verification(world["coord"], item_id, passed=True)
    world.app.flag_falsification(world["auditor"], item_id, reason="照片系整改前拍摄")

    ws = load_workbook(io.BytesIO(_export(world))).active
    assert ws is not None
    _, header, *rows = ws.iter_rows(values_only=True)
    row = dict(zip(header, rows[0], strict=True))

    assert row["状态"] == "重新整改（认定弄虚作假1次）"
    assert "认定弄虚作假1次，须重新整改" in str(row["整改进展"])
    assert row["完成日期"] is None
