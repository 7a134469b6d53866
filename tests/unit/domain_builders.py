"""Builders for pure domain tests: issues and items driven to any state of their lifecycle.

No application, no database: the aggregates' own methods, with the accounts passed in as
the application would pass them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from domain.issue import Issue
from domain.item import RectificationItem
from domain.taxonomy import COORDINATION_UNIT, FINANCE_UNIT

TODAY = date(2026, 10, 10)
CAMPAIGN_END = date(2026, 11, 30)

CLERK = "account-clerk"
COORD = "account-coord"
COORD2 = "account-coord2"
FINANCE = "account-finance"

SHA = "ab" * 32
EVIDENCE = [
    {"file_name": "盘点表.pdf", "media_type": "application/pdf", "size": 1024, "sha256": SHA}
]


def new_issue(**overrides: Any) -> Issue:
    values: dict[str, Any] = {
        "office": "bj",
        "category": "basic_management",
        "subtype": "ledger_incomplete",
        "source": "self_inspection",
        "title": "资产台账不健全",
        "description": "部分办公设备未入账",
        "assets": [],
        "found_on": TODAY,
        "today": TODAY,
    }
    values.update(overrides)
    return Issue.find(**values)


def plan_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "measure": "全面清查并补登台账",
        "measure_type": "basic_management",
        "responsible": "张伟",
        "deadline": TODAY + timedelta(days=20),
        "involves": "none",
        "today": TODAY,
        "campaign_end": CAMPAIGN_END,
        "siblings": (),
    }
    values.update(overrides)
    return values


def new_item(issue: Issue | None = None, **overrides: Any) -> RectificationItem:
    issue = issue or new_issue()
    item = RectificationItem.plan(issue=issue, office=None, **plan_values(**overrides))
    issue.add_item(item.id)
    return item


def approve(item: RectificationItem) -> None:
    """Every required unit approves (the coordination office, and Finance when needed)."""
    for unit, by in ((COORDINATION_UNIT, COORD), (FINANCE_UNIT, FINANCE)):
        if unit in item.required_approvals:
            item.decide(unit=unit, approve=True, comment="同意", by=by)


def rectify(item: RectificationItem, *, by: str = CLERK) -> None:
    item.rectify(
        description="已补登台账",
        evidence=EVIDENCE,
        rectified_on=TODAY,
        today=TODAY,
        found_on=TODAY,
        by=by,
    )


def pass_verification(issue: Issue, item: RectificationItem) -> None:
    item.verify(passed=True, comment="整改到位", by=COORD2)
    issue.note_item_verified(item.id)


def flag(issue: Issue, item: RectificationItem) -> None:
    if item.flag_falsification(reason="佐证材料系伪造"):
        issue.send_item_back(item_id=item.id, reason="佐证材料系伪造")


def report(issue: Issue, item: RectificationItem) -> None:
    issue.mark_reported()
    item.mark_reported()


def carry_through(issue: Issue, item: RectificationItem) -> None:
    """From planned to verified, every step by the right account."""
    item.request_approval(by=CLERK)
    approve(item)
    rectify(item)
    pass_verification(issue, item)


STEPS: dict[str, Callable[[Issue, RectificationItem], object]] = {
    "request": lambda issue, item: item.request_approval(by=CLERK),
    "reject": lambda issue, item: item.decide(
        unit=COORDINATION_UNIT, approve=False, comment="措施不具体", by=COORD
    ),
    "approve": lambda issue, item: approve(item),
    "rectify": lambda issue, item: rectify(item),
    "fail": lambda issue, item: item.verify(passed=False, comment="账实仍不符", by=COORD2),
    "pass": pass_verification,
    "report": report,
    "flag": flag,
}

_TO_VERIFIED = ("request", "approve", "rectify", "pass")
PATHS: dict[str, tuple[str, ...]] = {
    "planned": (),
    "approval_requested": ("request",),
    "rejected": ("request", "reject"),
    "approved": ("request", "approve"),
    "rectified": ("request", "approve", "rectify"),
    "verification_failed": ("request", "approve", "rectify", "fail"),
    "verified": _TO_VERIFIED,
    "reported": (*_TO_VERIFIED, "report"),
    "rectifying": (*_TO_VERIFIED, "flag"),
}


def item_in(status: str, *, involves: str = "none") -> tuple[Issue, RectificationItem]:
    """A one-item issue whose item reached ``status`` by the lifecycle's own steps."""
    issue = new_issue()
    item = new_item(issue, involves=involves)
    for step in PATHS[status]:
        STEPS[step](issue, item)
    issue.collect_events()
    item.collect_events()
    return issue, item
