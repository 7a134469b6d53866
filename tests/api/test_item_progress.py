"""Item routes after approval: rectification, verification, deadlines, people, flags."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.api.conftest import Api


def cite(api: Api, by: str = "bj-clerk") -> list[dict[str, str]]:
    """A file ``by`` uploaded, as a rectification's body cites it."""
    return [
        {"sha256": ref["sha256"], "file_name": ref["file_name"]} for ref in api.world.evidence(by)
    ]


def test_recording_a_rectification_citing_an_uploaded_file(api: Api) -> None:
    _, item_id = api.world.approved_item()

    answer = api.post(
        "bj-clerk",
        f"/api/items/{item_id}/rectification",
        {"description": "已补登台账", "evidence": cite(api)},
    )

    assert answer.status_code == 200
    assert answer.json()["status"] == "rectified"
    assert [e["file_name"] for e in answer.json()["evidence"]] == ["盘点表.pdf"]


@pytest.mark.parametrize("evidence", [None, []], ids=["missing", "empty"])
def test_a_rectification_without_evidence_is_refused_and_records_nothing(
    api: Api, evidence: list[Any] | None
) -> None:
    _, item_id = api.world.approved_item()
    before = len(api.events(item_id))
    body: dict[str, Any] = {"description": "已补登台账"}
    if evidence is not None:
        body["evidence"] = evidence

    answer = api.post("bj-clerk", f"/api/items/{item_id}/rectification", body)

    assert answer.status_code == 422
    assert answer.json()["field"] == "evidence"
    assert len(api.events(item_id)) == before
    assert api.get("bj-clerk", f"/api/items/{item_id}").json()["status"] == "approved"


def test_citing_a_file_that_was_never_uploaded_names_it(api: Api) -> None:
    _, item_id = api.world.approved_item()

    answer = api.post(
        "bj-clerk",
        f"/api/items/{item_id}/rectification",
        {"description": "x", "evidence": [{"sha256": "ab" * 32, "file_name": "a.pdf"}]},
    )

    assert answer.status_code == 422
    assert answer.json()["field"] == "evidence[0].sha256"


def test_rectifying_a_planned_item_is_a_conflict_and_a_coordinator_may_not(api: Api) -> None:
    planned = api.item_id()
    _, approved = api.world.approved_item()

    early = api.post(
        "bj-clerk",
        f"/api/items/{planned}/rectification",
        {"description": "x", "evidence": cite(api)},
    )
    coord = api.post(
        "coord",
        f"/api/items/{approved}/rectification",
        {"description": "x", "evidence": cite(api, "coord")},
    )

    assert early.status_code == 409
    assert coord.status_code == 403


def test_verification_passes_and_closes_the_issue(api: Api) -> None:
    issue_id, item_id = api.world.rectified_item()

    answer = api.post(
        "coord2", f"/api/items/{item_id}/verification", {"result": "pass", "comment": "到位"}
    )

    assert answer.status_code == 200
    assert answer.json()["status"] == "verified"
    assert api.get("coord", f"/api/issues/{issue_id}").json()["status"] == "closed"


def test_a_failed_verification_needs_a_comment(api: Api) -> None:
    _, item_id = api.world.rectified_item()

    bare = api.post("coord", f"/api/items/{item_id}/verification", {"result": "fail"})
    explained = api.post(
        "coord", f"/api/items/{item_id}/verification", {"result": "fail", "comment": "不到位"}
    )

    assert bare.status_code == 422
    assert explained.status_code == 200
    assert explained.json()["failed_verifications"] == 1


def test_office_staff_may_not_verify_and_verifying_twice_conflicts(api: Api) -> None:
    _, item_id = api.world.rectified_item()

    staff = api.post("bj-clerk2", f"/api/items/{item_id}/verification", {"result": "pass"})
    api.post("coord", f"/api/items/{item_id}/verification", {"result": "pass"})
    again = api.post("coord", f"/api/items/{item_id}/verification", {"result": "pass"})

    assert staff.status_code == 403
    assert again.status_code == 409


def test_an_office_asks_for_an_extension_and_the_coordinator_grants_it(api: Api) -> None:
    _, item_id = api.world.approved_item()
    body = {"new_deadline": api.later(30), "reason": "需等待产权登记"}

    asked = api.post("bj-clerk", f"/api/items/{item_id}/deadline-extensions", body)
    granted = api.post(
        "coord", f"/api/items/{item_id}/deadline-extensions", body | {"decision": "grant"}
    )

    assert asked.status_code == 200
    assert asked.json()["pending_extension"]["reason"] == "需等待产权登记"
    assert granted.status_code == 200
    assert granted.json()["deadline"] == api.later(30)
    assert granted.json()["pending_extension"] is None


def test_the_coordinator_refuses_a_pending_extension(api: Api) -> None:
    _, item_id = api.world.approved_item()
    api.post(
        "bj-clerk",
        f"/api/items/{item_id}/deadline-extensions",
        {"new_deadline": api.later(30), "reason": "r"},
    )

    refused = api.post(
        "coord",
        f"/api/items/{item_id}/deadline-extensions",
        {"decision": "refuse", "reason": "期限内可完成"},
    )
    nothing_left = api.post(
        "coord", f"/api/items/{item_id}/deadline-extensions", {"decision": "refuse", "reason": "r"}
    )

    assert refused.status_code == 200
    assert refused.json()["pending_extension"] is None
    assert nothing_left.status_code == 409


def test_a_second_request_while_one_is_pending_answers_409_and_keeps_the_first(
    api: Api,
) -> None:
    _, item_id = api.world.approved_item()
    path = f"/api/items/{item_id}/deadline-extensions"
    api.post("bj-clerk", path, {"new_deadline": api.later(30), "reason": "需等待产权登记"})

    again = api.post("bj-clerk", path, {"new_deadline": api.later(40), "reason": "需要更多时间"})

    assert again.status_code == 409
    item = api.get("coord", f"/api/items/{item_id}").json()
    assert item["pending_extension"]["reason"] == "需等待产权登记"


@pytest.mark.parametrize(
    ("who", "body", "status", "field"),
    [
        ("bj-clerk", {"reason": "r"}, 422, "new_deadline"),
        ("bj-clerk", {"new_deadline": "2020-01-01", "reason": "r"}, 422, "new_deadline"),
        ("bj-clerk", {"decision": "grant", "new_deadline": "2026-11-25", "reason": "r"}, 403, None),
        ("coord", {"decision": "postpone", "reason": "r"}, 422, "decision"),
    ],
)
def test_extension_errors(
    api: Api, who: str, body: dict[str, Any], status: int, field: str | None
) -> None:
    _, item_id = api.world.approved_item()

    answer = api.post(who, f"/api/items/{item_id}/deadline-extensions", body)

    assert answer.status_code == status
    assert answer.json().get("field") == field


def test_reassigning_the_responsible_person(api: Api) -> None:
    item_id = api.item_id()

    answer = api.post(
        "bj-clerk", f"/api/items/{item_id}/reassignment", {"responsible": "赵强", "reason": "调岗"}
    )
    same = api.post(
        "bj-clerk", f"/api/items/{item_id}/reassignment", {"responsible": "赵强", "reason": "x"}
    )
    finance = api.post(
        "finance", f"/api/items/{item_id}/reassignment", {"responsible": "钱", "reason": "x"}
    )

    assert answer.status_code == 200
    assert answer.json()["responsible"] == "赵强"
    assert same.status_code == 422
    assert finance.status_code == 403


def test_an_auditor_flags_falsification_and_the_issue_reopens(api: Api) -> None:
    issue_id, item_id = api.world.rectified_item()
    api.world.app.record_verification(api.world["coord"], item_id, passed=True)

    answer = api.post(
        "auditor", f"/api/items/{item_id}/falsification-flags", {"reason": "照片系整改前拍摄"}
    )

    assert answer.status_code == 200
    assert answer.json()["status"] == "rectifying"
    assert answer.json()["falsification_flags"] == 1
    assert api.get("auditor", f"/api/issues/{issue_id}").json()["status"] == "open"


def test_a_flagged_item_is_not_flagged_again_until_its_work_is_recorded_again(
    api: Api,
) -> None:
    """A second flag on work already flagged would count falsification twice in the
    accountability records; after the office records its work again, it may be flagged."""
    _, item_id = api.world.rectified_item()
    first = api.post("auditor", f"/api/items/{item_id}/falsification-flags", {"reason": "伪造"})
    before = api.world.last_position()

    again = api.post("coord", f"/api/items/{item_id}/falsification-flags", {"reason": "伪造"})

    assert first.status_code == 200
    assert again.status_code == 409
    assert api.world.last_position() == before
    api.world.app.record_rectification(
        api.world["bj-clerk"], item_id, description="重新盘点", evidence=api.world.evidence()
    )
    after = api.post("auditor", f"/api/items/{item_id}/falsification-flags", {"reason": "仍伪造"})
    assert after.status_code == 200
    assert after.json()["falsification_flags"] == 2


def test_flagging_a_planned_item_conflicts_and_office_staff_may_not_flag(api: Api) -> None:
    planned = api.item_id()
    _, rectified = api.world.rectified_item()

    early = api.post("coord", f"/api/items/{planned}/falsification-flags", {"reason": "r"})
    staff = api.post("bj-clerk", f"/api/items/{rectified}/falsification-flags", {"reason": "r"})

    assert early.status_code == 409
    assert staff.status_code == 403


def test_a_rectification_dated_before_its_problem_was_found_is_refused(api: Api) -> None:
    found = api.world.today() - timedelta(days=3)
    issue = api.world.issue(found_on=found).id
    item_id = api.world.item(issue).id
    api.world.app.request_approval(api.world["bj-clerk"], item_id)
    api.world.app.decide_approval(api.world["coord"], item_id, approve=True)

    def rectify(on: date) -> Any:
        body = {"description": "已补登", "evidence": cite(api), "rectified_on": on.isoformat()}
        return api.post("bj-clerk", f"/api/items/{item_id}/rectification", body)

    early = rectify(found - timedelta(days=1))
    assert early.status_code == 422
    assert early.json()["field"] == "rectified_on"
    assert api.get("bj-clerk", f"/api/items/{item_id}").json()["status"] == "approved"
    assert rectify(found).status_code == 200
