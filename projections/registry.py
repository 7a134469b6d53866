"""Every view, by name: what the host runs and the CLI names."""

from __future__ import annotations

from typing import Final

from domain.errors import InvalidInput
from projections.accountability import Accountability
from projections.audit_log import AuditLog
from projections.base import ViewProjection
from projections.issue_ledger import IssueLedger
from projections.item_ledger import ItemLedger
from projections.progress import Progress

VIEWS: Final[tuple[type[ViewProjection], ...]] = (
    IssueLedger,
    ItemLedger,
    Progress,
    Accountability,
    AuditLog,
)

VIEW_NAMES: Final = tuple(v.name for v in VIEWS)


def view_class(name: str) -> type[ViewProjection]:
    for view in VIEWS:
        if view.name == name:
            return view
    raise InvalidInput(f"unknown view {name!r}; views: {', '.join(VIEW_NAMES)}", field="view")
