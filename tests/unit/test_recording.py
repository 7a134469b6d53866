"""Every event records who acted, from which request, and when by the application's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.issue import Issue
from domain.recording import SYSTEM, Actor, RecordedAggregate, recording
from tests.unit.domain_builders import new_issue

CLERK = Actor(id="a-1", name="刘经办", role="office_staff", unit="bj")
AT = datetime(2026, 10, 10, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def found_event(issue: Issue) -> RecordedAggregate.Event:
    (event,) = issue.collect_events()
    assert isinstance(event, RecordedAggregate.Event)
    return event


def test_events_inside_a_recording_carry_its_actor_request_and_time() -> None:
    with recording(CLERK, request_id="req-42", now=AT):
        issue = new_issue()

    found = found_event(issue)
    assert found.actor == {"id": "a-1", "name": "刘经办", "role": "office_staff", "unit": "bj"}
    assert found.request_id == "req-42"
    assert found.timestamp == AT
    assert found.timestamp.tzinfo == UTC


def test_events_outside_a_recording_are_the_systems() -> None:
    issue = new_issue()

    found = found_event(issue)
    assert found.actor == SYSTEM.as_dict()
    assert found.request_id == ""


def test_a_recording_refuses_a_time_without_a_zone() -> None:
    with (
        pytest.raises(ValueError, match="timezone-aware"),
        recording(CLERK, request_id="r", now=datetime(2026, 10, 10, 10, 0)),
    ):
        pass


def test_the_recording_ends_with_its_block() -> None:
    with recording(CLERK, request_id="req-42", now=AT):
        pass

    found = found_event(new_issue())
    assert found.actor == SYSTEM.as_dict()
