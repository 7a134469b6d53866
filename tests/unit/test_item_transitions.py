"""Every command of a rectification item from every state: the lifecycle's transitions.

The table below is the specification, written independently of ``domain/item.py``: a
command listed for a state moves the item to the given state; from any other state it is
refused with ``InvalidTransition`` and records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from domain.errors import InvalidTransition
from domain.issue import Issue
from domain.item import RectificationItem
from domain.taxonomy import COORDINATION_UNIT
from tests.unit.domain_builders import (
    CLERK,
    COORD,
    COORD2,
    PATHS,
    TODAY,
    flag,
    item_in,
    plan_values,
    rectify,
)

BEFORE_RECTIFICATION = (
    "planned",
    "approval_requested",
    "rejected",
    "approved",
    "verification_failed",
    "rectifying",
)
SAME = "unchanged"

# command -> {state it applies in: state it leads to}
ALLOWED: dict[str, dict[str, str]] = {
    "replan": {"planned": "planned", "rejected": "planned"},
    "request_approval": {"planned": "approval_requested"},
    "approve": {"approval_requested": "approved"},
    "reject": {"approval_requested": "rejected"},
    "rectify": {
        "approved": "rectified",
        "verification_failed": "rectified",
        "rectifying": "rectified",
    },
    "pass_verification": {"rectified": "verified"},
    "fail_verification": {"rectified": "verification_failed"},
    "request_extension": dict.fromkeys(BEFORE_RECTIFICATION, SAME),
    "extend_deadline": dict.fromkeys(BEFORE_RECTIFICATION, SAME),
    "reassign": dict.fromkeys((*BEFORE_RECTIFICATION, "rectified"), SAME),
    "flag_falsification": dict.fromkeys(
        ("rectified", "verification_failed", "verified", "reported"), "rectifying"
    ),
    "report": {"verified": "reported"},
}

COMMANDS: dict[str, Callable[[Issue, RectificationItem], object]] = {
    "replan": lambda issue, item: item.replan(
        **plan_values(measure="细化后的措施", deadline=TODAY + timedelta(days=30))
    ),
    "request_approval": lambda issue, item: item.request_approval(by=CLERK),
    "approve": lambda issue, item: item.decide(
        unit=COORDINATION_UNIT, approve=True, comment="同意", by=COORD
    ),
    "reject": lambda issue, item: item.decide(
        unit=COORDINATION_UNIT, approve=False, comment="措施不具体", by=COORD
    ),
    "rectify": lambda issue, item: rectify(item),
    "pass_verification": lambda issue, item: item.verify(passed=True, comment="", by=COORD2),
    "fail_verification": lambda issue, item: item.verify(passed=False, comment="不到位", by=COORD2),
    "request_extension": lambda issue, item: item.request_extension(
        new_deadline=item.deadline + timedelta(days=10), reason="等待产权登记", today=TODAY
    ),
    "extend_deadline": lambda issue, item: item.extend_deadline(
        new_deadline=item.deadline + timedelta(days=10), reason="同意延期", today=TODAY
    ),
    "reassign": lambda issue, item: item.reassign(responsible="李娜", reason="人员调整"),
    "flag_falsification": flag,
    "report": lambda issue, item: item.mark_reported(),
}

CASES = [
    pytest.param(
        command,
        status,
        ALLOWED[command].get(status),
        id=f"{command}-from-{status}-{'allowed' if status in ALLOWED[command] else 'refused'}",
    )
    for command in COMMANDS
    for status in PATHS
]


def test_the_table_covers_every_state_and_names_only_real_ones() -> None:
    reached = {s for targets in ALLOWED.values() for s in targets.values()} - {SAME}
    applied = {s for targets in ALLOWED.values() for s in targets}
    assert reached <= set(PATHS)
    assert applied == set(PATHS)
    assert set(COMMANDS) == set(ALLOWED)


@pytest.mark.parametrize("status", list(PATHS))
def test_the_builder_reaches_each_state_by_the_lifecycle(status: str) -> None:
    _, item = item_in(status)

    assert item.status == status


@pytest.mark.parametrize(("command", "status", "leads_to"), CASES)
def test_item_transition(command: str, status: str, leads_to: str | None) -> None:
    issue, item = item_in(status)
    version = item.version

    if leads_to is None:
        with pytest.raises(InvalidTransition):
            COMMANDS[command](issue, item)
        assert item.status == status
        assert item.version == version
        assert item.collect_events() == []
    else:
        COMMANDS[command](issue, item)
        assert item.status == (status if leads_to == SAME else leads_to)
        assert item.version > version
