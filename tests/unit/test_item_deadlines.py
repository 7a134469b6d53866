"""Deadline extensions (asked by the office, granted or refused by the coordination office)
and reassignment of the responsible person."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import DeadlineOutOfRange, InvalidInput, InvalidTransition
from tests.unit.domain_builders import CAMPAIGN_END, TODAY, item_in


def test_an_extension_request_is_pending_until_decided() -> None:
    _, item = item_in("approved")
    wanted = item.deadline + timedelta(days=10)

    item.request_extension(new_deadline=wanted, reason="等待产权登记", today=TODAY)

    assert item.pending_extension == {"new_deadline": wanted.isoformat(), "reason": "等待产权登记"}
    assert item.deadline == TODAY + timedelta(days=20)


def test_a_second_request_while_one_is_pending_is_refused_and_keeps_the_first() -> None:
    _, item = item_in("approved")
    first = item.deadline + timedelta(days=10)
    item.request_extension(new_deadline=first, reason="等待产权登记", today=TODAY)

    with pytest.raises(InvalidTransition, match="already pending"):
        item.request_extension(new_deadline=first, reason="需要更多时间", today=TODAY)

    assert item.pending_extension == {"new_deadline": first.isoformat(), "reason": "等待产权登记"}
    item.refuse_extension(reason="期限内可完成")
    item.request_extension(new_deadline=first, reason="需要更多时间", today=TODAY)
    assert item.pending_extension is not None


def test_a_granted_extension_moves_the_deadline_and_clears_the_request() -> None:
    _, item = item_in("approved")
    original = item.deadline
    wanted = original + timedelta(days=10)
    item.request_extension(new_deadline=wanted, reason="等待产权登记", today=TODAY)

    item.extend_deadline(new_deadline=wanted, reason="同意", today=TODAY)

    assert item.deadline == wanted
    assert item.original_deadline == original
    assert item.extensions == 1
    assert item.pending_extension is None


def test_an_extension_may_pass_the_campaigns_rectification_end() -> None:
    _, item = item_in("approved")
    beyond = CAMPAIGN_END + timedelta(days=15)

    item.extend_deadline(new_deadline=beyond, reason="需财政厅另行批复", today=TODAY)

    assert item.deadline == beyond


def test_a_refused_extension_clears_the_request_and_keeps_the_deadline() -> None:
    _, item = item_in("approved")
    deadline = item.deadline
    item.request_extension(
        new_deadline=deadline + timedelta(days=5), reason="人手不足", today=TODAY
    )

    item.refuse_extension(reason="理由不充分")

    assert item.pending_extension is None
    assert item.deadline == deadline


def test_an_extension_is_refused_only_when_one_was_asked_for() -> None:
    _, item = item_in("approved")

    with pytest.raises(InvalidTransition):
        item.refuse_extension(reason="理由不充分")


@pytest.mark.parametrize("ask", [True, False], ids=["request", "grant"])
def test_a_new_deadline_must_be_later_than_the_current_one(ask: bool) -> None:
    _, item = item_in("approved")
    change = item.request_extension if ask else item.extend_deadline

    with pytest.raises(DeadlineOutOfRange) as refused:
        change(new_deadline=item.deadline, reason="延期", today=TODAY)

    assert refused.value.field == "new_deadline"


def test_a_new_deadline_must_not_be_in_the_past() -> None:
    _, item = item_in("approved")
    later = item.deadline + timedelta(days=5)

    with pytest.raises(DeadlineOutOfRange):
        item.extend_deadline(new_deadline=later, reason="延期", today=later + timedelta(days=1))


@pytest.mark.parametrize("ask", [True, False], ids=["request", "grant"])
def test_an_extension_needs_a_reason(ask: bool) -> None:
    _, item = item_in("approved")
    change = item.request_extension if ask else item.extend_deadline

    with pytest.raises(InvalidInput) as refused:
        change(new_deadline=item.deadline + timedelta(days=5), reason="", today=TODAY)

    assert refused.value.field == "reason"


def test_reassignment_names_the_new_responsible_person() -> None:
    _, item = item_in("approved")

    item.reassign(responsible="李娜", reason="原负责人调离")

    assert item.responsible == "李娜"


def test_reassigning_to_the_same_person_is_refused() -> None:
    _, item = item_in("approved")

    with pytest.raises(InvalidInput) as refused:
        item.reassign(responsible=item.responsible, reason="重复")

    assert refused.value.field == "responsible"


def test_reassignment_needs_a_reason() -> None:
    _, item = item_in("approved")

    with pytest.raises(InvalidInput) as refused:
        item.reassign(responsible="李娜", reason=" ")

    assert refused.value.field == "reason"
