"""Bad input and commands in the wrong state: a named error, and nothing recorded.

Each test builds its own cases in a world shared by the module and compares the log's
position before and after the refused command.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from domain.errors import (
    DeadlineOutOfRange,
    DomainError,
    InvalidInput,
    InvalidTransition,
    OfficeMismatch,
    UnknownUnit,
)
from tests.builders import World


@pytest.fixture
def world(shared_world: World) -> World:
    return shared_world


FIND_CASES = [
    pytest.param({"title": "  "}, InvalidInput, "title", id="empty-title"),
    pytest.param({"office": "atlantis"}, UnknownUnit, "office", id="unknown-office"),
    pytest.param({"office": "finance"}, UnknownUnit, "office", id="unit-that-is-not-an-office"),
    pytest.param({"category": "parking"}, InvalidInput, "category", id="unknown-category"),
    pytest.param(
        {"subtype": "long_idle"}, InvalidInput, "subtype", id="subtype-of-another-category"
    ),
    pytest.param({"source": "rumour"}, InvalidInput, "source", id="unknown-source"),
]


@pytest.mark.parametrize(("overrides", "error", "field"), FIND_CASES)
def test_finding_an_issue_with_bad_input_is_refused_and_records_nothing(
    world: World, overrides: dict[str, Any], error: type[DomainError], field: str
) -> None:
    position = world.last_position()

    with pytest.raises(error) as refused:
        world.issue(**overrides)

    assert refused.value.field == field
    assert world.last_position() == position


def deadline_yesterday(world: World) -> dict[str, Any]:
    return {"deadline": world.today() - timedelta(days=1)}


def deadline_after_campaign_end(world: World) -> dict[str, Any]:
    return {"deadline": world.app.campaign.rectification_end + timedelta(days=1)}


PLAN_CASES = [
    pytest.param(deadline_yesterday, DeadlineOutOfRange, "deadline", id="deadline-in-the-past"),
    pytest.param(
        deadline_after_campaign_end, DeadlineOutOfRange, "deadline", id="deadline-after-campaign"
    ),
    pytest.param(lambda w: {"measure": ""}, InvalidInput, "measure", id="empty-measure"),
    pytest.param(lambda w: {"measure_type": "x"}, InvalidInput, "measure_type", id="bad-type"),
    pytest.param(lambda w: {"involves": "sale"}, InvalidInput, "involves", id="bad-involves"),
    pytest.param(lambda w: {"office": "tj"}, OfficeMismatch, "office", id="other-office"),
]


@pytest.mark.parametrize(("overrides", "error", "field"), PLAN_CASES)
def test_planning_an_item_with_bad_input_is_refused_and_records_nothing(
    world: World,
    overrides: Callable[[World], dict[str, Any]],
    error: type[DomainError],
    field: str,
) -> None:
    issue = world.issue()
    position = world.last_position()

    with pytest.raises(error) as refused:
        world.item(issue.id, **overrides(world))

    assert refused.value.field == field
    assert world.last_position() == position


Attempt = Callable[[], object]


def verify_planned_item(world: World) -> Attempt:
    _, item_id = world.planned_item()
    return lambda: world.app.record_verification(world["coord"], item_id, passed=True)


def request_approval_twice(world: World) -> Attempt:
    _, item_id = world.requested_item()
    return lambda: world.app.request_approval(world["bj-clerk"], item_id)


def rectify_unapproved_item(world: World) -> Attempt:
    _, item_id = world.requested_item()
    evidence = world.evidence()
    return lambda: world.app.record_rectification(
        world["bj-clerk"], item_id, description="已整改", evidence=evidence
    )


def replan_approved_item(world: World) -> Attempt:
    _, item_id = world.approved_item()
    return lambda: world.app.replan_item(
        world["bj-clerk"],
        item_id,
        measure="新措施",
        measure_type="conduct",
        responsible="王芳",
        deadline=world.today() + timedelta(days=5),
    )


def plan_on_closed_issue(world: World) -> Attempt:
    issue_id, _ = world.verified_item()
    return lambda: world.item(issue_id)


def report_open_issue(world: World) -> Attempt:
    issue_id, _ = world.rectified_item()
    return lambda: world.app.mark_reported(world["coord"], issue_id)


def reopen_open_issue(world: World) -> Attempt:
    issue_id, _ = world.planned_item()
    return lambda: world.app.reopen_issue(world["coord"], issue_id, reason="再次发现")


def approve_approved_item(world: World) -> Attempt:
    _, item_id = world.approved_item()
    return lambda: world.app.decide_approval(world["coord2"], item_id, approve=True)


def refuse_extension_nobody_asked_for(world: World) -> Attempt:
    _, item_id = world.approved_item()
    return lambda: world.app.refuse_extension(world["coord"], item_id, reason="理由不充分")


def flag_unrectified_item(world: World) -> Attempt:
    _, item_id = world.approved_item()
    return lambda: world.app.flag_falsification(world["auditor"], item_id, reason="弄虚作假")


WRONG_STATE = [
    pytest.param(verify_planned_item, id="verify-a-planned-item"),
    pytest.param(request_approval_twice, id="request-approval-twice"),
    pytest.param(rectify_unapproved_item, id="rectify-before-approval"),
    pytest.param(replan_approved_item, id="replan-an-approved-item"),
    pytest.param(plan_on_closed_issue, id="plan-on-a-closed-issue"),
    pytest.param(report_open_issue, id="report-an-open-issue"),
    pytest.param(reopen_open_issue, id="reopen-an-open-issue"),
    pytest.param(approve_approved_item, id="approve-an-approved-item"),
    pytest.param(refuse_extension_nobody_asked_for, id="refuse-an-extension-never-asked"),
    pytest.param(flag_unrectified_item, id="flag-work-never-claimed"),
]


@pytest.mark.parametrize("prepare", WRONG_STATE)
def test_a_command_in_the_wrong_state_is_refused_and_records_nothing(
    world: World, prepare: Callable[[World], Attempt]
) -> None:
    attempt = prepare(world)
    position = world.last_position()

    with pytest.raises(InvalidTransition):
        attempt()

    assert world.last_position() == position


@pytest.mark.parametrize("days", [0, -1], ids=["same-deadline", "earlier-deadline"])
def test_a_deadline_extension_must_move_the_deadline_later(world: World, days: int) -> None:
    _, item_id = world.approved_item()
    deadline = world.app.get_item(world["coord"], item_id).deadline
    position = world.last_position()

    with pytest.raises(DeadlineOutOfRange) as refused:
        world.app.extend_deadline(
            world["coord"], item_id, new_deadline=deadline + timedelta(days=days), reason="延期"
        )

    assert refused.value.field == "new_deadline"
    assert world.last_position() == position
