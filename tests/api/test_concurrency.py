"""Retries and races: Idempotency-Key, If-Match (412) and concurrent writes (409)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api

ISSUE = {
    "office": "bj",
    "category": "use",
    "subtype": "misuse",
    "source": "spot_check",
    "title": "公车私用",
}


def test_a_retry_with_the_same_key_returns_the_first_answer_and_records_nothing(api: Api) -> None:
    key = {"Idempotency-Key": "create-issue-1"}
    first = api.post("bj-clerk", "/api/issues", ISSUE, headers=key)
    head = api.world.app.recorder.max_notification_id()

    again = api.post("bj-clerk", "/api/issues", ISSUE, headers=key)

    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    assert api.world.app.recorder.max_notification_id() == head


def test_a_retried_item_command_answers_the_item_as_that_write_left_it(api: Api) -> None:
    item_id = api.item_id()
    key = {"Idempotency-Key": "ask-1"}
    first = api.post("bj-clerk", f"/api/items/{item_id}/approval-request", headers=key)
    api.world.app.decide_approval(api.world["coord"], item_id, approve=True, comment="同意")

    again = api.post("bj-clerk", f"/api/items/{item_id}/approval-request", headers=key)

    assert again.json() == first.json()
    assert again.json()["status"] == "approval_requested"


def test_the_same_key_with_another_body_answers_422(api: Api) -> None:
    key = {"Idempotency-Key": "create-issue-2"}
    api.post("bj-clerk", "/api/issues", ISSUE, headers=key)

    other = api.post("bj-clerk", "/api/issues", ISSUE | {"title": "别的问题"}, headers=key)

    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert other.json()["code"] == "idempotency_key_reused"


def test_keys_belong_to_their_account(api: Api) -> None:
    key = {"Idempotency-Key": "shared-key"}
    mine = api.post("bj-clerk", "/api/issues", ISSUE, headers=key)

    theirs = api.post("bj-clerk2", "/api/issues", ISSUE, headers=key)

    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"]


def test_a_malformed_key_names_the_header(api: Api) -> None:
    answer = api.post("bj-clerk", "/api/issues", ISSUE, headers={"Idempotency-Key": "a b"})

    assert answer.status_code == 422
    assert answer.json()["field"] == "Idempotency-Key"


def test_if_match_with_the_current_etag_succeeds_and_a_stale_one_412(api: Api) -> None:
    item_id = api.item_id()
    etag = api.get("bj-clerk", f"/api/items/{item_id}").headers["etag"]

    ok = api.post("bj-clerk", f"/api/items/{item_id}/approval-request", headers={"If-Match": etag})
    stale = api.post(
        "bj-clerk",
        f"/api/items/{item_id}/reassignment",
        {"responsible": "某人", "reason": "r"},
        headers={"If-Match": etag},
    )

    assert ok.status_code == 200
    assert stale.status_code == 412
    assert api.get("bj-clerk", f"/api/items/{item_id}").json()["responsible"] == "张伟"


def test_if_match_star_or_a_weak_tag_is_accepted(api: Api) -> None:
    item_id = api.item_id()

    star = api.post("bj-clerk", f"/api/items/{item_id}/approval-request", headers={"If-Match": "*"})
    weak = api.post(
        "coord",
        f"/api/items/{item_id}/approvals",
        {"decision": "approve"},
        headers={"If-Match": 'W/"2"'},
    )

    assert star.status_code == 200
    assert weak.status_code == 200


def test_a_write_that_loses_a_race_answers_409_and_records_nothing(api: Api) -> None:
    item_id = api.item_id()
    app = api.world.app
    original_save = app.save
    raced: list[Any] = []

    def save_after_a_rival(*aggregates: Any, **kwargs: Any) -> Any:
        if not raced:  # another request writes the same item between our load and our save
            raced.append(item_id)
            app.reassign(api.world["bj-clerk2"], item_id, responsible="抢先", reason="并发")
        return original_save(*aggregates, **kwargs)

    app.save = save_after_a_rival  # type: ignore[method-assign]
    try:
        answer = api.post("bj-clerk", f"/api/items/{item_id}/approval-request")
    finally:
        app.save = original_save  # type: ignore[method-assign]

    assert answer.status_code == 409
    assert answer.json()["code"] == "concurrent_write"
    assert [type(e).__name__ for e in api.events(item_id)] == ["Planned", "Reassigned"]
