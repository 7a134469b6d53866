"""An item's status, approvals and deadline, followed from its events (shared by the views).

Every view that needs an item's status keeps these four columns and applies the item's
events through ``apply_item``, so the views agree with each other and with the aggregate.
"""

from __future__ import annotations

from typing import Any, Final

from domain import item as states
from domain.item_rules import required_approvals
from projections.base import iso

ITEM_CORE_COLUMNS: Final = ("status", "involves", "approvals", "deadline")

ITEM_EVENTS: Final = tuple(
    f"RectificationItem.{name}"
    for name in (
        "Planned",
        "Replanned",
        "ApprovalRequested",
        "Approved",
        "Rejected",
        "Rectified",
        "VerificationPassed",
        "VerificationFailed",
        "DeadlineExtended",
        "FalsificationFlagged",
        "Reported",
    )
)

NOT_RECTIFIED: Final = tuple(sorted(states.NOT_YET_RECTIFIED | {states.RECTIFYING}))
VERIFIED: Final = (states.VERIFIED, states.REPORTED)

_SIMPLE: Final = {
    "ApprovalRequested": states.APPROVAL_REQUESTED,
    "Rejected": states.REJECTED,
    "Rectified": states.RECTIFIED,
    "VerificationPassed": states.VERIFIED,
    "VerificationFailed": states.VERIFICATION_FAILED,
    "FalsificationFlagged": states.RECTIFYING,
    "Reported": states.REPORTED,
}


def apply_item(row: dict[str, Any], event: Any) -> None:
    """Move ``row``'s status, approvals, involves and deadline past this item event."""
    kind = type(event).__name__
    if kind in ("Planned", "Replanned"):
        row["status"] = states.PLANNED
        row["involves"] = event.involves
        row["deadline"] = iso(event.deadline)
        row["approvals"] = []
    elif kind == "Approved":
        approvals = [*(row["approvals"] or []), event.unit]
        row["approvals"] = approvals
        if all(u in approvals for u in required_approvals(row["involves"])):
            row["status"] = states.APPROVED
    elif kind == "DeadlineExtended":
        row["deadline"] = iso(event.new_deadline)
    elif kind in _SIMPLE:
        row["status"] = _SIMPLE[kind]
        if kind in ("ApprovalRequested", "Rejected"):
            row["approvals"] = []


def missing_approvals(involves: str, approvals: list[str]) -> list[str]:
    return [u for u in required_approvals(involves) if u not in approvals]
