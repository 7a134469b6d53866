"""Issue routes: record, read (now and as of a moment), history, reopen, plan items."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from tests.api.conftest import Api

NEW_ISSUE: dict[str, Any] = {
    "office": "bj",
    "category": "real_estate",
    "subtype": "long_idle",
    "source": "self_inspection",
    "title": "办公用房长期闲置",
    "description": "三楼两间办公室闲置两年",
    "assets": [{"code": "FC-001", "name": "办公用房"}],
}


def plan_body(api: Api, **overrides: Any) -> dict[str, Any]:
    body = {
        "measure": "盘活闲置用房",
        "measure_type": "real_estate",
        "responsible": "王芳",
        "deadline": (api.world.today() + timedelta(days=20)).isoformat(),
    }
    return body | overrides


def closed_issue(api: Api) -> UUID:
    issue_id, item_id = api.world.rectified_item()
    api.world.app.record_verification(api.world["coord2"], item_id, passed=True)
    return issue_id


def test_recording_a_problem_answers_201_with_the_issue_etag_and_location(api: Api) -> None:
    answer = api.post("bj-clerk", "/api/issues", NEW_ISSUE)

    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "open"
    assert body["assets"] == [{"code": "FC-001", "name": "办公用房"}]
    assert answer.headers["etag"] == '"1"'
    assert answer.headers["location"] == f"/api/issues/{body['id']}"


def test_an_auditor_may_not_record_a_problem(api: Api) -> None:
    answer = api.post("auditor", "/api/issues", NEW_ISSUE)

    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"office": "sh"}, "office"),
        ({"office": "nowhere"}, "office"),
        ({"category": "weather"}, "category"),
        ({"subtype": "no_rules"}, "subtype"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"found_on": "2999-01-01"}, "found_on"),
        ({"assets": [{"code": "", "name": ""}]}, "assets"),
        (
            {"assets": [{"code": "FC-1", "name": "甲"}, {"code": "FC-1", "name": "乙"}]},
            "assets[1].code",
        ),
        ({"title": "bad\u0000text"}, "title"),
    ],
)
def test_a_bad_problem_names_the_field(api: Api, change: dict[str, Any], field: str) -> None:
    answer = api.post("bj-clerk", "/api/issues", NEW_ISSUE | change)

    assert answer.status_code == 422
    assert answer.json()["field"] == field


def test_a_missing_token_answers_401_before_the_body_is_judged(api: Api) -> None:
    answer = api.post(None, "/api/issues", {"nonsense": True})

    assert answer.status_code == 401


def test_reading_an_issue_shows_its_items_and_its_version_as_etag(api: Api) -> None:
    issue_id = api.issue_id()
    item_id = api.item_id(issue_id)

    answer = api.get("bj-clerk", f"/api/issues/{issue_id}")

    assert answer.status_code == 200
    assert answer.headers["etag"] == f'"{answer.json()["version"]}"'
    assert [i["id"] for i in answer.json()["item_details"]] == [str(item_id)]


def test_reading_an_issue_as_of_a_moment_shows_it_as_it_stood(api: Api) -> None:
    issue_id = api.issue_id()
    before = api.world.clock.now()
    api.world.clock.set(before + timedelta(hours=2))
    api.item_id(issue_id)

    then = api.get("bj-clerk", f"/api/issues/{issue_id}", params={"as_of": before.isoformat()})
    earlier = api.get(
        "bj-clerk",
        f"/api/issues/{issue_id}",
        params={"as_of": (before - timedelta(days=1)).isoformat()},
    )

    assert then.json()["item_details"] == []
    assert then.json()["version"] == 1
    assert earlier.status_code == 404


def test_an_absent_issue_answers_404_and_a_bad_id_422(api: Api) -> None:
    absent = api.get("bj-clerk", "/api/issues/00000000-0000-4000-8000-000000000000")
    bad = api.get("bj-clerk", "/api/issues/not-an-id")

    assert absent.status_code == 404
    assert bad.status_code == 422
    assert bad.json()["field"] == "issue_id"


def test_an_items_id_is_not_an_issue(api: Api) -> None:
    item_id = api.item_id()

    assert api.get("bj-clerk", f"/api/issues/{item_id}").status_code == 404
    assert api.get("bj-clerk", f"/api/issues/{item_id}/history").status_code == 404


def test_the_history_names_who_did_what_and_from_which_request(api: Api) -> None:
    created = api.post(
        "bj-clerk", "/api/issues", NEW_ISSUE, headers={"X-Request-ID": "found-it-1"}
    ).json()

    history = api.get("auditor", f"/api/issues/{created['id']}/history").json()

    assert [(h["event_type"], h["actor"]["name"], h["request_id"]) for h in history] == [
        ("Found", "bj-clerk", "found-it-1")
    ]


def test_the_coordination_office_reopens_a_closed_issue(api: Api) -> None:
    issue_id = closed_issue(api)

    answer = api.post("coord", f"/api/issues/{issue_id}/reopen", {"reason": "复查发现仍闲置"})

    assert answer.status_code == 200
    assert answer.json()["status"] == "open"


def test_reopening_an_open_issue_is_a_conflict(api: Api) -> None:
    issue_id = api.issue_id()

    answer = api.post("coord", f"/api/issues/{issue_id}/reopen", {"reason": "x"})

    assert answer.status_code == 409


def test_office_staff_may_not_reopen(api: Api) -> None:
    issue_id = closed_issue(api)

    answer = api.post("bj-clerk", f"/api/issues/{issue_id}/reopen", {"reason": "x"})

    assert answer.status_code == 403


def test_reopen_with_a_stale_if_match_answers_412(api: Api) -> None:
    issue_id = closed_issue(api)

    answer = api.post(
        "coord", f"/api/issues/{issue_id}/reopen", {"reason": "x"}, headers={"If-Match": '"1"'}
    )

    assert answer.status_code == 412
    assert answer.json()["field"] == "If-Match"


def test_planning_an_item_answers_201_with_the_item(api: Api) -> None:
    issue_id = api.issue_id()

    answer = api.post(
        "bj-clerk", f"/api/issues/{issue_id}/items", plan_body(api), headers={"If-Match": '"1"'}
    )

    assert answer.status_code == 201
    assert answer.json()["status"] == "planned"
    assert answer.json()["issue_id"] == str(issue_id)
    assert answer.headers["location"] == f"/api/items/{answer.json()['id']}"


def test_planning_against_a_closed_issue_is_a_conflict(api: Api) -> None:
    issue_id = closed_issue(api)

    answer = api.post("bj-clerk", f"/api/issues/{issue_id}/items", plan_body(api))

    assert answer.status_code == 409


def test_planning_with_a_stale_if_match_answers_412(api: Api) -> None:
    issue_id = api.issue_id()
    api.item_id(issue_id)

    answer = api.post(
        "bj-clerk", f"/api/issues/{issue_id}/items", plan_body(api), headers={"If-Match": '"1"'}
    )

    assert answer.status_code == 412


def test_a_measure_the_problem_has_under_way_is_not_planned_again(api: Api) -> None:
    issue_id = api.issue_id()
    api.item_id(issue_id, measure="盘活闲置用房")
    before = api.world.last_position()

    answer = api.post(
        "bj-clerk",
        f"/api/issues/{issue_id}/items",
        plan_body(api, measure=" 盘活闲置用房 ", responsible="李娜"),
    )

    assert answer.status_code == 422
    assert (answer.json()["field"], answer.json()["code"]) == ("measure", "duplicate_measure")
    assert api.world.last_position() == before
    other = api.post("bj-clerk", f"/api/issues/{issue_id}/items", plan_body(api, measure="出租"))
    assert other.status_code == 201


def test_a_coordinator_may_not_plan_an_offices_item(api: Api) -> None:
    issue_id = api.issue_id()

    answer = api.post("coord", f"/api/issues/{issue_id}/items", plan_body(api))

    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"measure_type": "magic"}, "measure_type"),
        ({"involves": "sale"}, "involves"),
        ({"deadline": "tomorrow"}, "deadline"),
        ({"responsible": ""}, "responsible"),
    ],
)
def test_a_bad_plan_names_the_field(api: Api, change: dict[str, Any], field: str) -> None:
    issue_id = api.issue_id()

    answer = api.post("bj-clerk", f"/api/issues/{issue_id}/items", plan_body(api, **change))

    assert answer.status_code == 422
    assert answer.json()["field"] == field


def test_a_malformed_if_match_names_the_header(api: Api) -> None:
    issue_id = api.issue_id()

    answer = api.post(
        "bj-clerk",
        f"/api/issues/{issue_id}/items",
        plan_body(api),
        headers={"If-Match": "yesterday"},
    )

    assert answer.status_code == 422
    assert answer.json()["field"] == "If-Match"


def test_a_body_that_is_not_json_names_the_body(api: Api) -> None:
    before = api.world.last_position()

    answer = api.client.post(
        "/api/issues",
        content=b'{"office": "bj", "title": oops}',
        headers=api.headers("bj-clerk", **{"Content-Type": "application/json"}),
    )

    assert answer.status_code == 422
    problem = answer.json()
    assert problem["field"] == "body"
    assert problem["errors"][0]["field"] == "body"
    assert "JSON" in problem["errors"][0]["message"]
    assert api.world.last_position() == before


def test_an_office_corrects_its_open_problem_with_a_reason(api: Api) -> None:
    issue_id = api.issue_id(title="资产台帐不全")

    answer = api.post(
        "bj-clerk",
        f"/api/issues/{issue_id}/correction",
        {"title": "资产台账不全", "reason": "标题错别字"},
        headers={"If-Match": '"1"'},
    )
    history = api.get("coord", f"/api/issues/{issue_id}/history").json()

    assert answer.status_code == 200, answer.text
    assert (answer.json()["title"], answer.json()["version"]) == ("资产台账不全", 2)
    assert answer.json()["category"] == "basic_management"  # left out: kept
    assert history[-1]["event_type"] == "Corrected"
    assert history[-1]["comment"] == "标题错别字"


@pytest.mark.parametrize(
    ("body", "headers", "status", "field"),
    [
        ({"title": "新标题"}, {}, 422, "reason"),
        ({"title": "新标题", "reason": "x"}, {"If-Match": '"9"'}, 412, "If-Match"),
        ({"title": "新标题", "reason": "x", "office": "sh"}, {}, 422, "office"),
        ({"found_on": "2999-01-01", "reason": "x"}, {}, 422, "found_on"),
        ({"reason": "x"}, {}, 422, None),  # changes nothing
    ],
)
def test_a_bad_correction_is_refused_naming_what_is_wrong_and_changes_nothing(
    api: Api, body: dict[str, Any], headers: dict[str, str], status: int, field: str | None
) -> None:
    issue_id = api.issue_id()
    before = api.world.last_position()

    answer = api.post("bj-clerk", f"/api/issues/{issue_id}/correction", body, headers=headers)

    assert answer.status_code == status, answer.text
    assert answer.json().get("field") == field
    assert api.world.last_position() == before
