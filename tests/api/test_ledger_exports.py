"""The ledgers as XLSX over HTTP: the list's filters, checked and applied as the list does."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.api.conftest import Api
from tests.conftest import CAMPAIGN_NOW

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REAL_ESTATE = {"category": "real_estate", "subtype": "long_idle"}


def sheet(answer: Any) -> tuple[str, list[dict[str, Any]]]:
    """The title and the rows (by header) of an exported workbook."""
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    ws = load_workbook(io.BytesIO(answer.content)).active
    assert ws is not None
    title, headers, *rows = ws.iter_rows(values_only=True)
    return str(title[0]), [dict(zip(headers, row, strict=True)) for row in rows]


@pytest.mark.parametrize(
    ("export", "listed", "params", "field"),
    [
        ("issues", "issues", {"status": "zz"}, "status"),
        ("issues", "issues", {"category": "zz"}, "category"),
        ("issues", "issues", {"office": "zz"}, "office"),
        ("issues", "issues", {"source": "zz"}, "source"),
        ("issues", "issues", {"light": "zz"}, "light"),
        ("issues", "issues", {"sort": "zz"}, "sort"),
        ("issues", "issues", {"q": "字" * 201}, "q"),
        ("issues", "issues", {"as_of": "garbage"}, "as_of"),
        ("issues", "issues", {"as_of": "1900-01-01T00:00:00"}, "as_of"),
        ("items", "items", {"status": "bogus"}, "status"),
        ("items", "items", {"category": "zz"}, "category"),
        ("items", "items", {"overdue": "maybe"}, "overdue"),
        ("items", "items", {"light": "zz"}, "light"),
        ("items", "items", {"sort": "found_on"}, "sort"),
    ],
)
def test_an_export_refuses_a_filter_value_as_its_list_does(
    api: Api, export: str, listed: str, params: dict[str, str], field: str
) -> None:
    answer = api.get("bj-clerk", f"/api/ledgers/{export}.xlsx", params=params)
    the_list = api.get("bj-clerk", f"/api/{listed}", params=params)

    assert (answer.status_code, the_list.status_code) == (422, 422)
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == the_list.json()["field"] == field
    assert answer.json()["code"] == the_list.json()["code"]


def test_an_office_outside_the_callers_scope_is_not_exported(api: Api) -> None:
    """The list answers an empty page; a sheet titled 上海… and empty would read as 上海's
    having no problems, so the export answers 404, as the office's import template does."""
    api.issue_id(by="sh-clerk", office="sh")
    api.issue_id(office="bj")
    api.settle()

    listed = api.get("bj-clerk", "/api/issues", params={"office": "sh"})
    exported = api.get("bj-clerk", "/api/ledgers/issues.xlsx", params={"office": "sh"})

    assert listed.status_code == 200
    assert listed.json()["total"] == 0
    assert exported.status_code == 404
    assert exported.json()["field"] == "office"


def test_a_sheet_filtered_to_one_office_is_titled_by_it(api: Api) -> None:
    api.issue_id(office="tj")
    api.settle()

    title, rows = sheet(api.get("bj-clerk", "/api/ledgers/items.xlsx", params={"office": "tj"}))

    assert title.startswith("天津办事处资产管理问题整改台账")
    assert [row["单位代码"] for row in rows] == ["tj"]


def test_a_sheet_filtered_to_a_parent_office_says_its_sub_offices_are_in_it(api: Api) -> None:
    api.issue_id(office="bj")
    api.issue_id(office="tj")
    api.settle()

    title, rows = sheet(api.get("bj-clerk", "/api/ledgers/issues.xlsx", params={"office": "bj"}))

    assert title.startswith("北京办事处（含下属）资产管理问题清单")
    assert sorted(row["单位代码"] for row in rows) == ["bj", "tj"]


def test_the_issue_sheet_holds_the_rows_the_lists_filters_select(api: Api) -> None:
    api.issue_id(title="台账不全")
    api.issue_id(title="房屋闲置", **REAL_ESTATE)
    api.issue_id(title="违规出租", source="spot_check", **REAL_ESTATE)
    api.settle()

    def titles(**params: str) -> list[str]:
        _, rows = sheet(api.get("bj-clerk", "/api/ledgers/issues.xlsx", params=params))
        return [row["问题名称"] for row in rows]

    assert titles(category="real_estate", sort="title") == ["房屋闲置", "违规出租"]
    assert titles(category="real_estate", source="spot_check") == ["违规出租"]
    assert titles(q="闲置") == ["房屋闲置"]
    assert titles(status="closed") == []
    assert sorted(titles(status="open")) == ["台账不全", "房屋闲置", "违规出租"]


def test_a_problem_has_one_number_in_every_sheet_whatever_is_filtered_or_sorted(
    api: Api,
) -> None:
    """问题编号 numbers an office's problems in the order recorded: the same problem keeps
    its number in the 问题清单 and the 整改台账 and under any filter or sort, so the sheets
    can be matched by it (it was numbered within each sheet)."""
    api.issue_id(title="台账不全")
    api.issue_id(title="房屋闲置", **REAL_ESTATE)
    third = api.issue_id(title="违规出租", **REAL_ESTATE)
    api.item_id(third)
    api.issue_id(by="tj-clerk", office="tj", title="天津台账不全")
    api.settle()

    def numbers(kind: str, **params: str) -> dict[str, str]:
        _, rows = sheet(api.get("bj-clerk", f"/api/ledgers/{kind}.xlsx", params=params))
        return {row["问题名称"]: str(row["问题编号"]) for row in rows}

    everything = numbers("issues")
    assert (everything["台账不全"], everything["房屋闲置"], everything["违规出租"]) == (
        "1",
        "2",
        "3",
    )
    assert everything["天津台账不全"] == "1"  # each office numbers its own
    assert numbers("issues", category="real_estate", sort="-title")["违规出租"] == "3"
    assert numbers("items", status="planned") == {"违规出租": "3"}
    assert numbers("issues", office="bj", sort="-found_on")["违规出租"] == "3"


def test_the_issue_sheet_keeps_the_lists_order(api: Api) -> None:
    for title in ("乙", "甲", "丙"):
        api.issue_id(title=title)
    api.settle()

    for sort in ("title", "-title"):
        listed = api.get("bj-clerk", "/api/issues", params={"sort": sort}).json()["items"]
        _, rows = sheet(api.get("bj-clerk", "/api/ledgers/issues.xlsx", params={"sort": sort}))

        assert [row["问题名称"] for row in rows] == [row["title"] for row in listed]


def test_the_item_sheet_holds_the_measures_the_lists_filters_select(api: Api) -> None:
    api.world.planned_item()
    api.world.requested_item()
    api.settle()

    def measures(**params: str) -> list[str]:
        _, rows = sheet(api.get("bj-clerk", "/api/ledgers/items.xlsx", params=params))
        return [row["状态"] for row in rows]

    assert measures(status="approval_requested") == ["审批中"]
    assert measures(status="planned") == ["待报审"]
    assert measures(overdue="true") == []
    assert sorted(measures()) == ["审批中", "待报审"]


def test_the_item_sheet_keeps_a_problem_without_measures_unless_measures_are_filtered(
    api: Api,
) -> None:
    api.issue_id(title="尚无措施")
    api.issue_id(title="房产尚无措施", **REAL_ESTATE)
    api.world.planned_item()
    api.settle()

    _, everything = sheet(api.get("bj-clerk", "/api/ledgers/items.xlsx?sort=deadline"))
    _, planned = sheet(api.get("bj-clerk", "/api/ledgers/items.xlsx?status=planned"))
    _, real_estate = sheet(api.get("bj-clerk", "/api/ledgers/items.xlsx?category=real_estate"))

    assert everything[0]["问题名称"] == "资产台账不健全"
    assert sorted(row["问题名称"] for row in everything[1:]) == ["尚无措施", "房产尚无措施"]
    assert everything[1]["整改措施"] is None
    assert [row["问题名称"] for row in planned] == ["资产台账不健全"]
    assert [row["问题名称"] for row in real_estate] == ["房产尚无措施"]


def test_an_export_as_of_a_moment_holds_the_rows_of_that_moment(api: Api) -> None:
    api.issue_id(title="早先")
    api.world.clock.set(CAMPAIGN_NOW + timedelta(days=3))
    api.issue_id(title="后来")
    api.settle()
    moment = (CAMPAIGN_NOW + timedelta(hours=1)).isoformat()

    title, rows = sheet(api.get("bj-clerk", "/api/ledgers/issues.xlsx", params={"as_of": moment}))

    assert [row["问题名称"] for row in rows] == ["早先"]
    assert "截至2026-10-10" in title


def test_an_export_as_of_a_moment_marks_overdue_as_it_stood_then(api: Api) -> None:
    issue = api.issue_id()
    api.world.item(issue, deadline=api.world.today() + timedelta(days=2))
    then = (CAMPAIGN_NOW + timedelta(hours=1)).isoformat()
    api.world.clock.set(CAMPAIGN_NOW + timedelta(days=5))  # past the deadline now
    api.settle()

    _, at_then = sheet(
        api.get("bj-clerk", "/api/ledgers/items.xlsx", params={"as_of": then, "overdue": "false"})
    )
    _, now = sheet(api.get("bj-clerk", "/api/ledgers/items.xlsx", params={"overdue": "true"}))

    assert [row["是否逾期"] for row in at_then] == ["否"]
    assert [row["是否逾期"] for row in now] == ["是"]


def test_a_sheet_holds_the_problems_recorded_just_before_it(api: Api) -> None:
    """The rows are selected from the views: the export waits for them to reach the log."""
    for n in range(3):
        api.issue_id(title=f"刚登记{n}")

    _, rows = sheet(api.get("bj-clerk", "/api/ledgers/issues.xlsx", params={"sort": "title"}))

    assert [row["问题名称"] for row in rows] == ["刚登记0", "刚登记1", "刚登记2"]


def test_an_export_while_the_ledgers_lag_behind_the_log_is_refused_for_now(api: Api) -> None:
    api.issue_id(office="bj")
    api.settle()
    api.world.container.projections.stop()  # the views' worker is down
    api.world.issue(office="bj")

    answer = api.get("bj-clerk", "/api/ledgers/issues.xlsx")

    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5"
    assert answer.json()["code"] == "read_models_behind"
    api.settle()
    assert api.get("bj-clerk", "/api/ledgers/issues.xlsx").status_code == 200


def test_a_date_alone_means_the_end_of_that_day_in_lists_and_sheets(api: Api) -> None:
    """The console and the command line read a date so; so does the API, and a sheet as of
    a day is titled by that day, not by its UTC date."""
    api.world.clock.set(CAMPAIGN_NOW - timedelta(hours=9))  # 2026-10-10 01:00 in Shanghai
    api.issue_id(title="当天凌晨")
    api.world.clock.set(CAMPAIGN_NOW + timedelta(days=1))
    api.issue_id(title="次日")
    api.settle()

    listed = api.get("bj-clerk", "/api/issues", params={"as_of": "2026-10-10"}).json()
    early = api.get("bj-clerk", "/api/issues", params={"as_of": "2026-10-10T00:30:00"}).json()
    title, rows = sheet(
        api.get("bj-clerk", "/api/ledgers/issues.xlsx", params={"as_of": "2026-10-10"})
    )

    assert [row["title"] for row in listed["items"]] == ["当天凌晨"]
    assert early["total"] == 0
    assert [row["问题名称"] for row in rows] == ["当天凌晨"]
    assert "截至2026-10-10" in title


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30",
        "garbage",
        "1969-12-31",
        "2026-10-10T25:00",
        "9999-12-31",
        "9999-12-31T23:00-12:00",
    ],
)
def test_a_moment_that_is_no_moment_is_refused_naming_the_field(api: Api, value: str) -> None:
    answer = api.get("bj-clerk", "/api/issues", params={"as_of": value})

    assert answer.status_code == 422
    assert answer.json()["field"] == "as_of"


@pytest.mark.parametrize(
    "path",
    [
        "/api/items",
        "/api/issues",
        "/api/ledgers/items.xlsx",
        "/api/ledgers/issues.xlsx",
        "/api/issues/{issue}",
        "/api/items/{item}",
    ],
)
def test_a_ledger_or_case_as_of_a_later_day_than_today_is_refused_naming_as_of(
    api: Api, path: str
) -> None:
    """Today's rows under a later day's lights (every deadline passed) would be no ledger
    that ever stood: refused. The end of today is today."""
    issue = api.issue_id()
    item = api.world.item(issue, deadline=api.world.today() + timedelta(days=2)).id
    api.settle()
    path = path.format(issue=issue, item=item)

    later = api.get("bj-clerk", path, params={"as_of": "2026-10-11"})
    today = api.get("bj-clerk", path, params={"as_of": "2026-10-10"})

    assert later.status_code == 422
    assert later.json()["field"] == "as_of"
    assert "as_of must not be later than today (2026-10-10)" in later.json()["detail"]
    assert today.status_code == 200
