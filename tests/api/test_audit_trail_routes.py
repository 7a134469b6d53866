"""GET /api/audit/verify, GET and POST /api/audit/digests over a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from application.ports import FixedClock
from tests.api.conftest import Api, open_api
from tests.builders import build_world, write_signing_key
from tests.conftest import database_url


@pytest.fixture
def audited(
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Api]:
    key = write_signing_key(tmp_path)
    monkeypatch.setenv("RECTIFY_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("RECTIFY_SIGNING_KEY_FILE", str(key))
    world = build_world(database_url("sqlite", tmp_path, request), clock)
    world.rectified_item()
    yield from open_api(world)


def test_an_auditor_verifies_an_intact_chain(audited: Api) -> None:
    answer = audited.get("auditor", "/api/audit/verify")

    assert answer.status_code == 200
    body = answer.json()
    assert body["ok"] is True
    assert body["break"] is None
    assert body["head"]["events"] == audited.world.app.recorder.max_notification_id()


def test_office_staff_may_not_verify(audited: Api) -> None:
    answer = audited.get("bj-clerk", "/api/audit/verify")

    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_verify_needs_credentials(audited: Api) -> None:
    assert audited.get(None, "/api/audit/verify").status_code == 401


def test_a_stored_event_rewritten_as_text_is_named_changed_at_its_position(audited: Api) -> None:
    path = audited.world.container.settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER IF EXISTS stored_events_no_update")  # as the file's owner can
        conn.execute(
            "UPDATE stored_events SET state = replace(state, '资产台账', '资产台帐') "
            "WHERE rowid = (SELECT min(rowid) FROM stored_events WHERE topic LIKE '%Issue.Found')"
        )
        position = conn.execute(
            "SELECT min(rowid) FROM stored_events WHERE topic LIKE '%Issue.Found'"
        ).fetchone()[0]

    body = audited.get("coord", "/api/audit/verify").json()

    assert body["ok"] is False
    assert body["break"]["position"] == position
    assert body["break"]["kind"] == "changed"


def test_a_coordinator_issues_a_digest_that_auditors_can_download(audited: Api) -> None:
    head = audited.world.app.recorder.max_notification_id()

    issued = audited.post("coord", "/api/audit/digests")
    listed = audited.get("auditor", "/api/audit/digests")

    assert issued.status_code == 201
    digest = issued.json()
    assert digest["position"] == head
    assert len(digest["signature"]) > 40
    assert listed.status_code == 200
    [entry] = listed.json()
    assert entry["digest"]["signature"] == digest["signature"]
    assert entry["issued_by"]["name"] == "coord"


def test_office_staff_may_not_issue_a_digest(audited: Api) -> None:
    before = audited.world.app.recorder.max_notification_id()

    answer = audited.post("bj-clerk", "/api/audit/digests")

    assert answer.status_code == 403
    assert audited.world.app.recorder.max_notification_id() == before


def test_an_unusable_signing_key_is_the_services_fault_and_its_path_stays_inside(
    audited: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    container = audited.world.container
    broken = container.settings.model_copy(update={"signing_key_file": tmp_path / "k"})
    (tmp_path / "k").write_text("not a key")
    monkeypatch.setattr(container, "settings", broken)

    answer = audited.post("coord", "/api/audit/digests")

    assert answer.status_code == 503
    assert "RECTIFY_SIGNING_KEY_FILE" in answer.json()["detail"]
    assert str(tmp_path) not in answer.text
    assert audited.get("coord", "/api/audit/digests").json() == []
