"""One name for each state and each event, wherever a person reads it: the lists and their
filters, the sheets, the reports, the notices and the command line."""

from __future__ import annotations

import pytest

from application.accountability import EVENT_LABELS
from domain import issue as issues
from domain import item as items
from domain.taxonomy import ISSUE_STATUS_LABELS, ITEM_STATUS_LABELS
from projections import labels


def test_every_state_has_one_name_shared_by_the_views_and_the_documents() -> None:
    assert set(ITEM_STATUS_LABELS) == {
        items.PLANNED,
        items.APPROVAL_REQUESTED,
        items.REJECTED,
        items.APPROVED,
        items.RECTIFIED,
        items.VERIFICATION_FAILED,
        items.RECTIFYING,
        items.VERIFIED,
        items.REPORTED,
    }
    assert set(ISSUE_STATUS_LABELS) == {issues.OPEN, issues.CLOSED, issues.REPORTED}
    assert labels.ITEM_STATUS is ITEM_STATUS_LABELS
    assert labels.ISSUE_STATUS is ISSUE_STATUS_LABELS


@pytest.mark.parametrize(
    ("event", "command"),
    [
        ("Planned", "plan_item"),
        ("ApprovalRequested", "request_approval"),
        ("Rectified", "record_rectification"),
        ("ExtensionRequested", "request_extension"),
        ("Reassigned", "reassign"),
        ("FalsificationFlagged", "flag_falsification"),
        ("Reported", "mark_reported"),
        ("WorkGroupNamed", "name_work_group"),
        ("SelfInspectionSubmitted", "submit_self_inspection"),
        ("ReportSubmitted", "submit_report"),
    ],
)
def test_a_cited_event_is_named_as_the_command_that_recorded_it(event: str, command: str) -> None:
    """A notice or rectify history says 提请审批 where the audit page says 整改事项提请审批."""
    assert EVENT_LABELS[event] in labels.COMMANDS[command]


def test_verification_is_called_核查_everywhere() -> None:
    everywhere = [*ITEM_STATUS_LABELS.values(), *EVENT_LABELS.values()]
    assert not [text for text in everywhere if "核验" in text]
