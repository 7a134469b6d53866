"""A case through the application: approvals per unit, four-eyes, falsification, reporting."""

from __future__ import annotations

import pytest

from application.principal import Caller
from domain.errors import FourEyesViolation
from tests.builders import World


def both_hands(world: World) -> Caller:
    """One account that is office staff at bj and a coordinator too."""
    result = world.app.create_account(
        world["admin"],
        username="two-hats",
        display_name="两顶帽子",
        password="secret",
        grants=[("office_staff", "bj"), ("coordinator", "admin-bureau")],
    )
    return Caller(world.app.principal(result.id), request_id="req-two-hats")


@pytest.mark.parametrize("involves", ["disposal", "lease"])
def test_a_disposal_or_lease_item_needs_finance_as_well_as_the_coordination_office(
    world: World, involves: str
) -> None:
    _, item_id = world.requested_item(involves=involves)

    world.app.decide_approval(world["coord"], item_id, approve=True, comment="同意")
    waiting = world.app.get_item(world["coord"], item_id)
    world.app.decide_approval(world["finance"], item_id, approve=True, comment="同意")

    assert (waiting.status, waiting.missing_approvals) == ("approval_requested", ["finance"])
    assert world.app.get_item(world["coord"], item_id).status == "approved"


def test_a_plain_item_is_approved_by_the_coordination_office_alone(world: World) -> None:
    _, item_id = world.requested_item()

    world.app.decide_approval(world["coord"], item_id, approve=True, comment="同意")

    assert world.app.get_item(world["coord"], item_id).status == "approved"


def test_the_account_that_rectified_cannot_verify_even_with_a_coordinator_role(
    world: World,
) -> None:
    hands = both_hands(world)
    _, item_id = world.approved_item()
    world.app.record_rectification(hands, item_id, description="已整改", evidence=world.evidence())
    position = world.last_position()

    with pytest.raises(FourEyesViolation):
        world.app.record_verification(hands, item_id, passed=True, comment="自验")

    assert world.last_position() == position


def test_the_account_that_asked_for_approval_cannot_approve_even_as_coordinator(
    world: World,
) -> None:
    hands = both_hands(world)
    _, item_id = world.planned_item(by="bj-clerk")
    world.app.request_approval(hands, item_id)
    position = world.last_position()

    with pytest.raises(FourEyesViolation):
        world.app.decide_approval(hands, item_id, approve=True, comment="自批")

    assert world.last_position() == position


def test_a_failed_verification_sends_the_item_back_to_the_office(world: World) -> None:
    _, item_id = world.rectified_item()

    world.app.record_verification(world["coord"], item_id, passed=False, comment="账实仍不符")
    world.app.record_rectification(
        world["bj-clerk"], item_id, description="重新盘点", evidence=world.evidence()
    )

    item = world.app.get_item(world["coord"], item_id)
    assert (item.status, item.failed_verifications) == ("rectified", 1)


def test_flagging_a_verified_item_reopens_its_closed_issue(world: World) -> None:
    issue_id, item_id = world.verified_item()

    world.app.flag_falsification(world["auditor"], item_id, reason="照片系整改前拍摄")

    assert world.app.get_issue(world["coord"], issue_id).status == "open"
    assert world.app.get_item(world["coord"], item_id).status == "rectifying"


def test_reporting_a_closed_issue_reports_its_items(world: World) -> None:
    issue_id, item_id = world.verified_item()

    world.app.mark_reported(world["bj-lead"], issue_id)

    assert world.app.get_issue(world["coord"], issue_id).status == "reported"
    assert world.app.get_item(world["coord"], item_id).status == "reported"


def test_a_reported_issue_reopened_by_a_flag_is_reported_again_once_reverified(
    world: World,
) -> None:
    issue_id = world.issue().id
    flagged = world.item(issue_id).id
    other = world.item(issue_id, measure="建立定期盘点制度").id
    world.carry_through(flagged)
    world.carry_through(other)
    world.app.mark_reported(world["bj-clerk"], issue_id)
    world.app.flag_falsification(world["auditor"], flagged, reason="弄虚作假")
    world.app.record_rectification(
        world["bj-clerk"], flagged, description="重新整改", evidence=world.evidence()
    )
    world.app.record_verification(world["coord2"], flagged, passed=True)

    world.app.mark_reported(world["bj-clerk"], issue_id)

    assert world.app.get_issue(world["coord"], issue_id).status == "reported"
    assert world.app.get_item(world["coord"], flagged).status == "reported"
    assert world.app.get_item(world["coord"], other).status == "reported"
