"""Approving a plan: the coordination office always, Finance too for disposal and lease."""

from __future__ import annotations

import pytest

from domain.errors import AlreadyDecided, FourEyesViolation, InvalidInput
from domain.taxonomy import COORDINATION_UNIT, FINANCE_UNIT
from tests.unit.domain_builders import CLERK, COORD, FINANCE, item_in, plan_values


def test_the_coordination_office_alone_approves_an_item_without_disposal_or_lease() -> None:
    _, item = item_in("approval_requested", involves="none")

    item.decide(unit=COORDINATION_UNIT, approve=True, comment="", by=COORD)

    assert item.status == "approved"


@pytest.mark.parametrize("involves", ["disposal", "lease"])
def test_a_disposal_or_lease_item_waits_for_finance_after_the_coordination_office(
    involves: str,
) -> None:
    _, item = item_in("approval_requested", involves=involves)

    item.decide(unit=COORDINATION_UNIT, approve=True, comment="", by=COORD)

    assert item.status == "approval_requested"
    assert item.missing_approvals == [FINANCE_UNIT]


@pytest.mark.parametrize("involves", ["disposal", "lease"])
def test_a_disposal_or_lease_item_is_approved_once_both_units_approve_in_any_order(
    involves: str,
) -> None:
    _, item = item_in("approval_requested", involves=involves)

    item.decide(unit=FINANCE_UNIT, approve=True, comment="同意", by=FINANCE)
    assert item.status == "approval_requested"
    item.decide(unit=COORDINATION_UNIT, approve=True, comment="同意", by=COORD)

    assert item.status == "approved"
    assert item.missing_approvals == []


def test_finance_does_not_decide_on_an_item_without_disposal_or_lease() -> None:
    _, item = item_in("approval_requested", involves="none")

    with pytest.raises(InvalidInput) as refused:
        item.decide(unit=FINANCE_UNIT, approve=True, comment="", by=FINANCE)

    assert refused.value.field == "unit"
    assert item.collect_events() == []


def test_a_unit_decides_once_on_a_plan() -> None:
    _, item = item_in("approval_requested", involves="disposal")
    item.decide(unit=COORDINATION_UNIT, approve=True, comment="", by=COORD)

    with pytest.raises(AlreadyDecided):
        item.decide(unit=COORDINATION_UNIT, approve=True, comment="", by=COORD)


@pytest.mark.parametrize("unit", [COORDINATION_UNIT, FINANCE_UNIT])
def test_one_rejection_rejects_the_plan_and_drops_earlier_approvals(unit: str) -> None:
    _, item = item_in("approval_requested", involves="lease")
    other = FINANCE_UNIT if unit == COORDINATION_UNIT else COORDINATION_UNIT
    item.decide(unit=other, approve=True, comment="", by="account-other")

    item.decide(unit=unit, approve=False, comment="租金标准不明确", by="account-decider")

    assert item.status == "rejected"
    assert item.approvals == []


def test_a_replanned_item_needs_every_approval_again() -> None:
    _, item = item_in("approval_requested", involves="disposal")
    item.decide(unit=COORDINATION_UNIT, approve=True, comment="", by=COORD)
    item.decide(unit=FINANCE_UNIT, approve=False, comment="评估报告缺失", by=FINANCE)
    item.replan(**plan_values(involves="disposal"))
    item.request_approval(by=CLERK)

    item.decide(unit=FINANCE_UNIT, approve=True, comment="", by=FINANCE)

    assert item.status == "approval_requested"
    assert item.missing_approvals == [COORDINATION_UNIT]


def test_a_rejection_needs_a_comment() -> None:
    _, item = item_in("approval_requested")

    with pytest.raises(InvalidInput) as refused:
        item.decide(unit=COORDINATION_UNIT, approve=False, comment="", by=COORD)

    assert refused.value.field == "comment"
    assert item.status == "approval_requested"


@pytest.mark.parametrize("approve", [True, False], ids=["approve", "reject"])
def test_the_account_that_requested_approval_cannot_decide_on_it(approve: bool) -> None:
    _, item = item_in("approval_requested")

    with pytest.raises(FourEyesViolation):
        item.decide(unit=COORDINATION_UNIT, approve=approve, comment="自批", by=CLERK)

    assert item.status == "approval_requested"
    assert item.collect_events() == []
