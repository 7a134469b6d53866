"""The stored events, read back raw from each database, carry who, when and which request.

No library code reads these rows: sqlite3 and psycopg fetch them, and ``json`` decodes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from application.ports import FixedClock
from tests.builders import StoredEvent, World, build_world, stored_events
from tests.conftest import database_url

CASE_TOPICS = ("domain.issue:", "domain.item:")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stored_world(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock
) -> Iterator[World]:
    built = build_world(database_url(request.param, tmp_path, request), clock)
    yield built
    built.container.close()


def case_events(world: World) -> list[StoredEvent]:
    return [e for e in stored_events(world) if e.topic.startswith(CASE_TOPICS)]


def stored_time(event: StoredEvent) -> datetime:
    stamp = event.state["timestamp"]
    assert stamp["_type_"] == "datetime_iso"
    return datetime.fromisoformat(stamp["_data_"])


def test_every_stored_case_event_carries_actor_time_and_request(stored_world: World) -> None:
    stored_world.rectified_item()

    events = case_events(stored_world)

    assert len(events) >= 6
    for event in events:
        assert set(event.state["actor"]) == {"id", "name", "role", "unit"}
        assert all(event.state["actor"].values())
        assert event.state["request_id"].startswith("req-")
        assert stored_time(event) == stored_world.clock.now()


def test_a_stored_event_names_the_account_role_and_unit_that_acted(stored_world: World) -> None:
    _, item_id = stored_world.requested_item()
    coord = stored_world.caller("coord", request_id="req-approve-7")

    stored_world.app.decide_approval(coord, item_id, approve=True, comment="同意")

    approved = next(e for e in case_events(stored_world) if e.topic.endswith(".Approved"))
    assert approved.originator_id == item_id
    assert approved.state["actor"] == {
        "id": str(coord.principal.account_id),
        "name": "coord",
        "role": "coordinator",
        "unit": "admin-bureau",
    }
    assert approved.state["request_id"] == "req-approve-7"
    assert approved.state["comment"] == "同意"


def test_the_stored_time_is_the_applications_clock(stored_world: World) -> None:
    later = stored_world.clock.now() + timedelta(days=3, hours=5)
    stored_world.clock.set(later)

    issue = stored_world.issue()

    (found,) = [e for e in case_events(stored_world) if e.originator_id == issue.id]
    assert stored_time(found) == later


def test_no_stored_event_holds_a_password_or_its_hash(stored_world: World) -> None:
    password = "correct-horse-battery-staple"
    created = stored_world.app.create_account(
        stored_world["admin"],
        username="new-clerk",
        display_name="新经办",
        password=password,
        grants=[("office_staff", "bj")],
    )
    (password_hash,) = stored_world.container.db.execute(
        "SELECT password_hash FROM rectify_credentials WHERE account_id = %s", (str(created.id),)
    )[0]

    raw = [repr(e.state) for e in stored_events(stored_world)]

    assert any("new-clerk" in state for state in raw)
    assert not any(password in state or password_hash in state for state in raw)
    assert not any("$argon2" in state for state in raw)
