"""Mass assignment: a body may not name the actor, the status, the version or fields the
route does not take; the recorded event names the real caller."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from tests.api.conftest import Api

ISSUE = {
    "office": "bj",
    "category": "use",
    "subtype": "misuse",
    "source": "self_inspection",
    "title": "违规出借车辆",
}

SMUGGLED: list[dict[str, Any]] = [
    {"actor": {"id": "someone-else", "name": "王协调", "role": "coordinator", "unit": "x"}},
    {"status": "closed"},
    {"version": 7},
    {"request_id": "forged"},
    {"id": "00000000-0000-4000-8000-000000000000"},
]


def request_bodies(api: Api) -> dict[str, dict[str, Any]]:
    """Every JSON request body schema the API documents, by operation."""
    schema = api.client.get("/openapi.json").json()
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                ref = content["application/json"]["schema"]
                ref = ref.get("$ref") or next(
                    (r["$ref"] for r in ref.get("anyOf", []) if "$ref" in r), ""
                )
                name = ref.rsplit("/", 1)[1]
                found[f"{method.upper()} {path}"] = schema["components"]["schemas"][name]
    return found


@pytest.mark.parametrize("smuggled", SMUGGLED)
def test_a_new_issue_naming_more_than_it_may_is_refused_and_records_nothing(
    api: Api, smuggled: dict[str, Any]
) -> None:
    head = api.world.app.recorder.max_notification_id()

    answer = api.post("bj-clerk", "/api/issues", ISSUE | smuggled)

    assert answer.status_code == 422
    assert answer.json()["field"] == next(iter(smuggled))
    assert api.world.app.recorder.max_notification_id() == head


def test_an_issue_for_another_office_is_refused(api: Api) -> None:
    answer = api.post("bj-clerk", "/api/issues", ISSUE | {"office": "sh"})

    assert answer.status_code == 422
    assert answer.json()["field"] == "office"


def test_an_item_for_another_office_than_its_issue_is_refused(api: Api) -> None:
    issue_id = api.issue_id()
    body = {
        "measure": "m",
        "measure_type": "conduct",
        "responsible": "r",
        "deadline": api.world.today().isoformat(),
        "office": "tj",
    }

    answer = api.post("bj-clerk", f"/api/issues/{issue_id}/items", body)

    assert answer.status_code == 422
    assert answer.json()["field"] == "office"


@pytest.mark.parametrize("smuggled", SMUGGLED)
def test_an_item_command_naming_more_than_it_may_is_refused(
    api: Api, smuggled: dict[str, Any]
) -> None:
    _, item_id = api.world.rectified_item()

    answer = api.post("coord", f"/api/items/{item_id}/verification", {"result": "pass"} | smuggled)

    assert answer.status_code == 422
    assert answer.json()["field"] == next(iter(smuggled))


def test_the_recorded_event_names_the_real_caller(api: Api) -> None:
    created = api.post(
        "bj-clerk", "/api/issues", ISSUE, headers={"X-Request-ID": "real-request"}
    ).json()

    found = api.events(UUID(created["id"]))[0]

    assert found.actor == {
        "id": str(api.world["bj-clerk"].principal.account_id),
        "name": "bj-clerk",
        "role": "office_staff",
        "unit": "bj",
    }
    assert found.request_id == "real-request"


def test_every_json_body_the_api_takes_refuses_unknown_fields(api: Api) -> None:
    open_bodies = {
        operation
        for operation, body in request_bodies(api).items()
        if body.get("additionalProperties") is not False
    }

    assert open_bodies == set()
