"""Item routes up to approval: read, trace, re-plan, ask for and decide on approval."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tests.api.conftest import Api


def replan_body(api: Api) -> dict[str, Any]:
    return {
        "measure": "细化整改措施",
        "measure_type": "basic_management",
        "responsible": "李娜",
        "deadline": api.later(25),
    }


def rejected_item(api: Api) -> UUID:
    item_id = api.item_id()
    api.world.app.request_approval(api.world["bj-clerk"], item_id)
    api.world.app.decide_approval(api.world["coord"], item_id, approve=False, comment="不具体")
    return item_id


def test_reading_an_item_gives_its_version_as_etag(api: Api) -> None:
    item_id = api.item_id()

    answer = api.get("bj-clerk", f"/api/items/{item_id}")

    assert answer.status_code == 200
    assert answer.headers["etag"] == '"1"'
    assert answer.json()["status"] == "planned"


def test_an_item_history_lists_its_events(api: Api) -> None:
    _, item_id = api.world.approved_item()

    history = api.get("bj-clerk", f"/api/items/{item_id}/history").json()

    assert [h["event_type"] for h in history] == ["Planned", "ApprovalRequested", "Approved"]
    assert history[-1]["actor"]["role"] == "coordinator"


def test_an_absent_item_answers_404(api: Api) -> None:
    path = "/api/items/00000000-0000-4000-8000-000000000000"

    assert api.get("bj-clerk", path).status_code == 404
    assert api.get("bj-clerk", f"{path}/history").status_code == 404
    assert api.post("bj-clerk", f"{path}/approval-request").status_code == 404


def test_an_issues_id_is_not_an_item(api: Api) -> None:
    issue_id = api.issue_id()

    assert api.get("bj-clerk", f"/api/items/{issue_id}").status_code == 404


def test_replanning_a_rejected_item_makes_it_planned_again(api: Api) -> None:
    item_id = rejected_item(api)

    answer = api.post("bj-clerk", f"/api/items/{item_id}/replan", replan_body(api))

    assert answer.status_code == 200
    assert answer.json()["status"] == "planned"
    assert answer.json()["responsible"] == "李娜"


def test_a_rejected_item_is_not_replanned_into_a_measure_under_way(api: Api) -> None:
    item_id = rejected_item(api)
    issue_id = api.world.app.get_item(api.world["bj-clerk"], item_id).issue_id
    api.item_id(issue_id, measure="细化整改措施")

    answer = api.post("bj-clerk", f"/api/items/{item_id}/replan", replan_body(api))

    assert answer.status_code == 422
    assert (answer.json()["field"], answer.json()["code"]) == ("measure", "duplicate_measure")
    assert api.world.app.get_item(api.world["bj-clerk"], item_id).status == "rejected"


def test_replanning_an_approved_item_is_a_conflict(api: Api) -> None:
    _, item_id = api.world.approved_item()

    answer = api.post("bj-clerk", f"/api/items/{item_id}/replan", replan_body(api))

    assert answer.status_code == 409


def test_a_coordinator_may_not_replan(api: Api) -> None:
    item_id = rejected_item(api)

    assert api.post("coord", f"/api/items/{item_id}/replan", replan_body(api)).status_code == 403


def test_asking_for_approval_moves_the_item_on(api: Api) -> None:
    item_id = api.item_id()

    answer = api.post("bj-clerk", f"/api/items/{item_id}/approval-request", {})

    assert answer.status_code == 200
    assert answer.json()["status"] == "approval_requested"


def test_asking_twice_is_a_conflict_and_a_stale_version_412(api: Api) -> None:
    item_id = api.item_id()
    api.post("bj-clerk", f"/api/items/{item_id}/approval-request")

    again = api.post("bj-clerk", f"/api/items/{item_id}/approval-request")
    stale = api.post(
        "bj-clerk", f"/api/items/{item_id}/approval-request", headers={"If-Match": '"1"'}
    )

    assert again.status_code == 409
    assert stale.status_code == 412


def test_the_coordination_office_approves(api: Api) -> None:
    item_id = api.item_id()
    api.world.app.request_approval(api.world["bj-clerk"], item_id)

    answer = api.post(
        "coord", f"/api/items/{item_id}/approvals", {"decision": "approve", "comment": "同意"}
    )

    assert answer.status_code == 200
    assert answer.json()["status"] == "approved"


def test_a_rejection_needs_a_comment(api: Api) -> None:
    item_id = api.item_id()
    api.world.app.request_approval(api.world["bj-clerk"], item_id)

    answer = api.post("coord", f"/api/items/{item_id}/approvals", {"decision": "reject"})

    assert answer.status_code == 422
    assert answer.json()["field"] == "comment"


def test_finance_decides_only_disposal_and_lease(api: Api) -> None:
    plain = api.item_id()
    lease = api.item_id(involves="lease")
    for item_id in (plain, lease):
        api.world.app.request_approval(api.world["bj-clerk"], item_id)

    refused = api.post("finance", f"/api/items/{plain}/approvals", {"decision": "approve"})
    decided = api.post("finance", f"/api/items/{lease}/approvals", {"decision": "approve"})

    assert refused.status_code == 403
    assert decided.status_code == 200
    assert decided.json()["missing_approvals"] == ["admin-bureau"]


def test_office_staff_may_not_approve_and_an_unknown_decision_is_422(api: Api) -> None:
    item_id = api.item_id()
    api.world.app.request_approval(api.world["bj-clerk"], item_id)

    staff = api.post("bj-clerk2", f"/api/items/{item_id}/approvals", {"decision": "approve"})
    maybe = api.post("coord", f"/api/items/{item_id}/approvals", {"decision": "maybe"})

    assert staff.status_code == 403
    assert maybe.status_code == 422
    assert maybe.json()["field"] == "decision"


def test_deciding_on_an_unrequested_plan_is_a_conflict(api: Api) -> None:
    item_id = api.item_id()

    answer = api.post("coord", f"/api/items/{item_id}/approvals", {"decision": "approve"})

    assert answer.status_code == 409
