"""Reading a case: now, at a version, as of a past moment, and its history with actors."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import NotFound
from tests.builders import World

HOUR = timedelta(hours=1)


def test_an_item_reads_as_it_was_at_an_earlier_version(world: World) -> None:
    _, item_id = world.approved_item()

    planned = world.app.get_item(world["coord"], item_id, version=1)

    assert planned.status == "planned"
    assert planned.version == 1
    assert world.app.get_item(world["coord"], item_id).status == "approved"


@pytest.mark.parametrize("version", [0, 99])
def test_a_version_the_case_never_had_is_not_found(world: World, version: int) -> None:
    _, item_id = world.planned_item()

    with pytest.raises(NotFound):
        world.app.get_item(world["coord"], item_id, version=version)


def test_an_issue_reads_as_it_was_at_a_past_moment(world: World) -> None:
    found_at = world.clock.now()
    issue = world.issue()
    world.clock.set(found_at + HOUR)
    world.item(issue.id)

    before_planning = world.app.get_issue(world["coord"], issue.id, at=found_at + HOUR / 2)
    after_planning = world.app.get_issue(world["coord"], issue.id, at=found_at + HOUR)

    assert before_planning.items == []
    assert len(after_planning.items) == 1


def test_an_item_reads_as_it_was_between_two_commands(world: World) -> None:
    start = world.clock.now()
    _, item_id = world.planned_item()
    world.clock.set(start + HOUR)
    world.app.request_approval(world["bj-clerk"], item_id)
    world.clock.set(start + 2 * HOUR)
    world.app.decide_approval(world["coord"], item_id, approve=False, comment="措施不具体")

    between = world.app.get_item(world["coord"], item_id, at=start + 90 * timedelta(minutes=1))

    assert between.status == "approval_requested"


def test_a_case_before_it_was_found_is_not_found(world: World) -> None:
    found_at = world.clock.now()
    issue = world.issue()

    with pytest.raises(NotFound):
        world.app.get_issue(world["coord"], issue.id, at=found_at - HOUR)


def test_a_past_reading_is_refused_to_a_caller_out_of_scope(world: World) -> None:
    issue = world.issue(office="bj")

    with pytest.raises(NotFound):
        world.app.get_issue(world["sh-clerk"], issue.id, at=world.clock.now())


def test_an_unknown_case_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.app.get_item(world["coord"], uuid4())


def test_history_records_who_did_each_step_with_role_unit_and_request(world: World) -> None:
    issue_id, item_id = world.approved_item()

    history = world.app.case_history(world["auditor"], issue_id)

    found = history[0]
    assert found.event_type == "Found"
    assert found.actor["name"] == "bj-clerk"
    assert (found.actor["role"], found.actor["unit"]) == ("office_staff", "bj")
    assert found.actor["id"] == str(world["bj-clerk"].principal.account_id)
    assert found.request_id == "req-bj-clerk"
    approved = next(e for e in history if e.event_type == "Approved")
    assert (approved.actor["name"], approved.actor["role"]) == ("coord", "coordinator")
    assert approved.aggregate_id == item_id


def test_history_is_in_the_order_things_happened(world: World) -> None:
    start = world.clock.now()
    issue = world.issue()
    world.clock.set(start + HOUR)
    item = world.item(issue.id)
    world.clock.set(start + 2 * HOUR)
    world.app.request_approval(world["bj-clerk"], item.id)

    history = world.app.case_history(world["coord"], issue.id)

    assert [e.recorded_at for e in history] == sorted(e.recorded_at for e in history)
    assert (history[0].event_type, history[-1].event_type) == ("Found", "ApprovalRequested")
    assert len(history) == 4  # and Planned with ItemAdded, recorded together in between


def test_history_keeps_the_comment_that_explains_a_step(world: World) -> None:
    _, item_id = world.requested_item()
    world.app.decide_approval(world["coord"], item_id, approve=False, comment="措施不具体")

    history = world.app.case_history(world["bj-clerk"], item_id)

    assert history[-1].event_type == "Rejected"
    assert history[-1].comment == "措施不具体"


def test_history_of_an_id_that_is_no_case_says_so(world: World) -> None:
    account_id = world["bj-clerk"].principal.account_id

    with pytest.raises(NotFound, match="no case"):
        world.app.case_history(world["auditor"], account_id)


def test_history_of_a_case_out_of_scope_is_not_found(world: World) -> None:
    issue = world.issue(office="bj")

    with pytest.raises(NotFound):
        world.app.case_history(world["tj-clerk"], issue.id)


def test_a_write_while_the_history_is_read_does_not_break_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The events and their positions are two reads: a step recorded between them (a clerk
    at work while an auditor reads) leaves a history of the events read, not a 500."""
    issue_id, item_id = world.approved_item()
    positions, end = world.app.event_positions, world.app.campaign.rectification_end

    class WriteMeanwhile:
        def of(self, ids: object) -> object:
            world.app.request_extension(
                world["bj-clerk"], item_id, new_deadline=end, reason="等待登记"
            )
            return positions.of(ids)  # type: ignore[arg-type]

    monkeypatch.setattr(world.app, "event_positions", WriteMeanwhile())

    history = world.app.case_history(world["auditor"], issue_id)

    assert history[-1].event_type == "Approved"
    assert [e.position for e in history] == sorted(e.position for e in history)
