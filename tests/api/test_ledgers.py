"""The ledgers, progress, accountability and the audit log over HTTP, scoped to the caller."""

from __future__ import annotations

from tests.api.conftest import Api


def test_the_issue_ledger_lists_only_the_callers_offices(api: Api) -> None:
    mine = api.issue_id(office="tj")
    theirs = api.issue_id(by="sh-clerk", office="sh")
    api.settle()

    bj = api.get("bj-clerk", "/api/issues").json()
    coord = api.get("coord", "/api/issues").json()

    assert [row["id"] for row in bj["items"]] == [str(mine)]
    assert {row["id"] for row in coord["items"]} == {str(mine), str(theirs)}
    assert coord["total"] == 2


def test_the_issue_ledger_filters_by_office_and_text(api: Api) -> None:
    api.issue_id(office="tj", title="账外资产")
    api.issue_id(office="bj", title="台账不全")
    api.settle()

    tj = api.get("coord", "/api/issues", params={"office": "tj"}).json()
    text = api.get("coord", "/api/issues", params={"q": "台账"}).json()

    assert [row["office"] for row in tj["items"]] == ["tj"]
    assert [row["title"] for row in text["items"]] == ["台账不全"]


def test_an_unknown_filter_value_names_the_parameter(api: Api) -> None:
    answer = api.get("coord", "/api/issues", params={"status": "lost"})

    assert answer.status_code == 422
    assert answer.json()["field"] == "status"


def test_page_size_is_capped_by_the_settings(api: Api) -> None:
    capped = api.get("coord", "/api/items", params={"page_size": 5000})
    absurd = api.get("coord", "/api/items", params={"page_size": 100000})

    assert capped.status_code == 200
    assert capped.json()["page_size"] == 200
    assert absurd.status_code == 422
    assert absurd.json()["field"] == "page_size"


def test_a_write_is_in_the_ledger_when_its_answer_arrives(api: Api) -> None:
    created = api.post(
        "bj-clerk",
        "/api/issues",
        {
            "office": "bj",
            "category": "basic_management",
            "subtype": "ledger_incomplete",
            "source": "self_inspection",
            "title": "读写一致",
        },
    )

    listed = api.get("bj-clerk", "/api/issues").json()

    assert created.status_code == 201
    assert [row["id"] for row in listed["items"]] == [created.json()["id"]]


def test_the_item_ledger_lists_overdue_items(api: Api) -> None:
    item = api.item_id()
    api.settle()

    overdue = api.get("bj-clerk", "/api/items", params={"overdue": "true"}).json()
    everything = api.get("bj-clerk", "/api/items").json()

    assert overdue["items"] == []
    assert [row["id"] for row in everything["items"]] == [str(item)]


def test_progress_and_accountability_answer_for_the_callers_offices(api: Api) -> None:
    api.item_id()
    api.settle()

    progress = api.get("bj-clerk", "/api/progress")
    accountability = api.get("bj-clerk", "/api/accountability")

    assert progress.status_code == 200
    assert {o["office"] for o in progress.json()["offices"]} <= {"bj", "tj", "xa", "sd"}
    assert accountability.status_code == 200
    assert {r["office"] for r in accountability.json()} <= {"bj", "tj", "xa", "sd"}


def test_the_audit_log_filters_by_actor_and_case(api: Api) -> None:
    issue = api.issue_id()
    api.issue_id(by="sh-clerk", office="sh")
    api.settle()

    by_case = api.get("auditor", "/api/audit/events", params={"case": str(issue)}).json()
    by_actor = api.get("auditor", "/api/audit/events", params={"actor": "sh-clerk"}).json()

    assert [row["event_type"] for row in by_case["items"]] == ["Found"]
    assert {row["actor_name"] for row in by_actor["items"]} == {"sh-clerk"}


def test_the_audit_log_from_a_day_to_the_same_day_holds_that_days_events(api: Api) -> None:
    """A date alone is that whole day: ``from`` its start, ``to`` its end (as the console's
    audit page and ``rectify audit`` read it)."""
    issue = api.issue_id()  # 2026-10-10 10:00 in Shanghai
    api.settle()

    def found(**params: str) -> list[str]:
        answer = api.get("auditor", "/api/audit/events", params={"case": str(issue), **params})
        assert answer.status_code == 200, answer.text
        return [row["event_type"] for row in answer.json()["items"]]

    assert found(**{"from": "2026-10-10", "to": "2026-10-10"}) == ["Found"]
    assert found(to="2026-10-09") == []
    assert found(**{"from": "2026-10-11"}) == []
    assert found(to="2026-10-10T09:59:59") == []
    assert found(to="2026-10-10T10:00:00+08:00") == ["Found"]


def test_an_unknown_unit_in_the_audit_filter_is_refused_as_an_unknown_office_is(
    api: Api,
) -> None:
    audit = api.get("auditor", "/api/audit/events", params={"unit": "zz"})
    ledger = api.get("auditor", "/api/issues", params={"office": "zz"})

    assert audit.status_code == ledger.status_code == 422
    assert audit.json()["field"] == "unit"
    assert api.get("auditor", "/api/audit/events", params={"unit": "bj"}).status_code == 200


def test_office_staff_see_no_other_offices_events(api: Api) -> None:
    api.issue_id(by="sh-clerk", office="sh")
    api.settle()

    rows = api.get("bj-clerk", "/api/audit/events").json()["items"]

    assert all(row["office"] in (None, "bj", "tj", "xa", "sd") for row in rows)
    assert "sh" not in {row["office"] for row in rows}


def test_readyz_reports_each_views_lag(api: Api) -> None:
    api.settle()

    ready = api.client.get("/readyz").json()

    assert ready["status"] == "ok"
    assert ready["views"]
    assert all(view["lag"] == 0 for view in ready["views"])


def test_units_and_campaign_describe_the_campaign(api: Api) -> None:
    units = {u["code"]: u for u in api.get("bj-clerk", "/api/units").json()}
    campaign = api.get("bj-clerk", "/api/campaign").json()

    assert units["bj"]["sub_offices"] == ["sd", "tj", "xa"]
    assert units["tj"]["parent"] == "bj"
    assert "rectification_end" in {m["code"] for m in campaign["milestones"]}
    assert {c["code"] for c in campaign["categories"]} >= {"real_estate", "disposal"}
