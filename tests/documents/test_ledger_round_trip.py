"""An exported 整改台账 imported again: the cases it names are present, never duplicated.

An office exports its ledger, adds problems and measures offline, and imports the sheet:
only what it added is new, whatever the cases it lists have become since (verified,
reported, deadlines past or extended).
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from api.http.sheet_rules import SHEET_RULES
from application.imports import SheetRejected
from infrastructure.spreadsheets.workbook import issues_workbook, items_workbook
from tests.builders import World
from tests.conftest import CAMPAIGN_NOW
from tests.documents.sheets import GOOD_ROW, parsed, values
from tests.documents.test_excel import _seed


def export(world: World, office: str = "bj") -> bytes:
    return items_workbook(world.app.campaign, world.app.ledger(world["coord"], office=office))


def import_(world: World, data: bytes, office: str = "bj") -> dict[str, object]:
    result = world.app.import_self_inspection(
        world["bj-clerk"], office=office, sheet=parsed(data), rules=SHEET_RULES
    )
    return result.extra


def issue_count(world: World) -> int:
    return len(world.app.ledger(world["coord"]).issues)


def test_an_exported_ledger_imported_again_creates_nothing(world: World) -> None:
    _seed(world)
    before = issue_count(world)
    world.clock.set(CAMPAIGN_NOW + timedelta(days=60))  # every deadline has passed since

    extra = import_(world, export(world))

    assert extra["created"] == {"issues": 0, "items": 0}
    assert extra["existing"] == {"issues": 3, "items": 3}
    assert issue_count(world) == before


def test_a_parent_offices_ledger_with_its_sub_offices_rows_imports_again(world: World) -> None:
    _seed(world)
    world.issue(office="tj", by="tj-clerk", title="天津问题")
    before = issue_count(world)

    extra = import_(world, export(world, "bj"))

    assert extra["created"] == {"issues": 0, "items": 0}
    assert extra["existing"]["issues"] == 4
    assert issue_count(world) == before


def test_the_issue_ledger_imported_again_creates_nothing(world: World) -> None:
    _seed(world)
    sheet = issues_workbook(world.app.campaign, world.app.ledger(world["coord"], office="bj"))

    extra = import_(world, sheet)

    assert extra["created"] == {"issues": 0, "items": 0}
    assert issue_count(world) == 3


def test_rows_added_to_an_export_are_the_only_ones_imported(world: World) -> None:
    _seed(world)
    rows = values(export(world))
    header = rows[0]
    unplanned = next(r for r in rows[1:] if r[header.index("问题名称")] == "未建立内控制度")
    added_measure = dict(zip(header, unplanned, strict=True)) | {
        "序号": 99,
        "整改措施": "制定资产内部控制制度",
        "措施类型": "健全内控制度",
        "责任人": "李静",
        "完成时限": date(2026, 11, 28),
    }
    new_problem = GOOD_ROW | {"问题编号": "9", "问题名称": "新发现的问题"}
    sheet = with_rows(export(world), [added_measure, new_problem])

    extra = import_(world, sheet)

    assert extra["created"] == {"issues": 1, "items": 2}
    ledger = world.app.ledger(world["coord"], office="bj")
    titles = sorted(issue.title for issue in ledger.issues)
    assert titles == ["办公设备账实不符", "房屋出租未报批", "新发现的问题", "未建立内控制度"]
    planned = next(i for i in ledger.issues if i.title == "未建立内控制度")
    assert [item.measure for item in planned.items] == ["制定资产内部控制制度"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("问题ID", "not-a-uuid", "不是系统导出的编号"),
        ("措施ID", "also-not", "不是系统导出的编号"),
    ],
)
def test_an_id_that_was_edited_is_refused_naming_its_column(
    world: World, column: str, value: str, message: str
) -> None:
    _seed(world)
    rows = values(export(world))
    header = rows[0]
    changed = dict(zip(header, rows[1], strict=True)) | {column: value}
    sheet = with_rows(export(world), [changed], replace_first=True)

    with pytest.raises(SheetRejected) as refused:
        import_(world, sheet)

    assert any(e.column == column and message in e.message for e in refused.value.errors)
    assert issue_count(world) == 3


def test_another_offices_case_cannot_be_imported_under_this_office(world: World) -> None:
    sh = world.issue(office="sh", by="sh-clerk", title="上海问题").id
    world.issue(title="北京问题")
    rows = values(export(world, "bj"))
    header = rows[0]
    foreign = dict(zip(header, rows[1], strict=True)) | {"问题ID": str(sh)}

    with pytest.raises(SheetRejected) as refused:
        import_(world, with_rows(export(world, "bj"), [foreign], replace_first=True))

    assert [e.message for e in refused.value.errors] == ["问题ID对应的问题不属于导入单位"]
    assert issue_count(world) == 2


def with_rows(data: bytes, rows: list[dict[str, object]], *, replace_first: bool = False) -> bytes:
    """The exported workbook with these rows appended (or the first data row replaced)."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[2]]
    for n, row in enumerate(rows):
        target = 3 if replace_first and n == 0 else ws.max_row + 1
        for column, value in row.items():
            ws.cell(row=target, column=header.index(column) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("column", ["问题ID", "措施ID"])
def test_one_of_a_rows_two_ids_replaced_by_another_is_refused(world: World, column: str) -> None:
    """A 问题ID the log holds with a 措施ID it does not (or the other way round) is an edit,
    not a sheet from another store: never a new measure or problem made of it."""
    _seed(world)
    rows = values(export(world))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True)) | {
        column: "00000000-0000-4000-8000-000000000001"
    }

    with pytest.raises(SheetRejected) as refused:
        import_(world, with_rows(export(world), [first], replace_first=True))

    assert [e.column for e in refused.value.errors] == [column]
    assert issue_count(world) == 3


def test_a_measure_listed_twice_is_refused_not_counted_twice(world: World) -> None:
    _seed(world)
    rows = values(export(world))
    header = rows[0]
    twice = dict(zip(header, rows[1], strict=True)) | {"序号": 99}

    with pytest.raises(SheetRejected) as refused:
        import_(world, with_rows(export(world), [twice]))

    assert [e.message for e in refused.value.errors] == ["与第3行的措施ID重复"]
