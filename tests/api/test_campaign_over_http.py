"""A whole case over HTTP, as its people would walk it, on SQLite and PostgreSQL.

The office finds a problem and plans a disposal; the coordination office and Finance
approve; the office rectifies with an uploaded file; another coordinator verifies. The
ledgers, progress and the audit log then show it, each step with the right actor.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.conftest import Api

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"


class Person:
    """One signed-in user of the API."""

    def __init__(self, api: Api, username: str) -> None:
        self.api = api
        signed_in = api.client.post(
            "/api/auth/token", data={"username": username, "password": "secret"}
        )
        assert signed_in.status_code == 200, signed_in.text
        self.headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}

    def get(self, path: str, **params: Any) -> Any:
        answer = self.api.client.get(path, params=params, headers=self.headers)
        assert answer.status_code == 200, answer.text
        return answer

    def post(self, path: str, body: Any = None, expect: int = 200, **headers: str) -> Any:
        answer = self.api.client.post(path, json=body, headers=self.headers | headers)
        assert answer.status_code == expect, answer.text
        return answer.json()


def test_a_disposal_case_from_finding_to_verification(any_api: Api) -> None:
    api = any_api
    clerk, coord, finance, coord2, auditor = (
        Person(api, name) for name in ("bj-clerk", "coord", "finance", "coord2", "auditor")
    )
    deadline = (api.world.today() + timedelta(days=15)).isoformat()

    issue = clerk.post(
        "/api/issues",
        {
            "office": "xa",
            "category": "disposal",
            "subtype": "disposal_without_approval",
            "source": "self_inspection",
            "title": "报废车辆未履行处置报批程序",
            "assets": [{"code": "CL-XA-007", "name": "公务用车"}],
        },
        expect=201,
        **{"Idempotency-Key": "find-1"},
    )
    item = clerk.post(
        f"/api/issues/{issue['id']}/items",
        {
            "measure": "补办处置报批手续",
            "measure_type": "conduct",
            "responsible": "王芳",
            "deadline": deadline,
            "involves": "disposal",
        },
        expect=201,
        **{"If-Match": '"1"'},
    )
    path = f"/api/items/{item['id']}"
    clerk.post(f"{path}/approval-request")
    assert coord.post(f"{path}/approvals", {"decision": "approve"})["status"] == (
        "approval_requested"
    )
    approved = finance.post(f"{path}/approvals", {"decision": "approve", "comment": "同意处置"})
    assert approved["status"] == "approved"

    uploaded = api.client.post(
        "/api/evidence",
        files={"file": ("处置批复.pdf", PDF, "application/pdf")},
        headers=clerk.headers,
    ).json()
    clerk.post(
        f"{path}/rectification",
        {
            "description": "已取得处置批复并完成报废",
            "evidence": [{"sha256": uploaded["sha256"], "file_name": "处置批复.pdf"}],
        },
    )
    verified = coord2.post(f"{path}/verification", {"result": "pass", "comment": "资料齐全"})
    assert verified["status"] == "verified"

    # The ledgers show it, read right after the writes.
    issues = clerk.get("/api/issues", office="xa").json()["items"]
    assert [(row["id"], row["status"]) for row in issues] == [(issue["id"], "closed")]
    items = coord.get("/api/items", status="verified").json()["items"]
    assert [row["id"] for row in items] == [item["id"]]
    assert items[0]["verified_by_name"] == "coord2"
    progress = coord.get("/api/progress").json()
    bj = next(o for o in progress["offices"] if o["office"] == "bj")
    assert bj["with_sub_offices"]["verified"] == 1

    # The audit log names who did each step.
    trail = auditor.get("/api/audit/events", case=issue["id"]).json()["items"]
    steps = {(row["event_type"], row["actor_name"], row["actor_role"]) for row in trail}
    assert {
        ("Found", "bj-clerk", "office_staff"),
        ("Planned", "bj-clerk", "office_staff"),
        ("ApprovalRequested", "bj-clerk", "office_staff"),
        ("Approved", "coord", "coordinator"),
        ("Approved", "finance", "finance"),
        ("Rectified", "bj-clerk", "office_staff"),
        ("VerificationPassed", "coord2", "coordinator"),
        ("Closed", "coord2", "coordinator"),
    } <= steps
    history = auditor.get(f"/api/issues/{issue['id']}/history").json()
    assert all(entry["request_id"] for entry in history)
    # in the audit log's order: the verification, then the issue it closed
    assert [e["position"] for e in history] == sorted(row["position"] for row in trail)
    assert [e["event_type"] for e in history][-3:] == [
        "VerificationPassed",
        "ItemVerified",
        "Closed",
    ]

    # The cited file is there for those who may read the case, and not for others.
    assert auditor.get(f"/api/evidence/{uploaded['sha256']}").content == PDF
    sh = Person(api, "sh-clerk")
    hidden = api.client.get(f"/api/evidence/{uploaded['sha256']}", headers=sh.headers)
    assert hidden.status_code == 404
