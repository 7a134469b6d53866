"""The offices' milestone acts (issue 7), as the progress and accountability views keep them.

Each view keeps a row per office record: its office and, per milestone, the first day the
office did the act and the event that proves it. Which milestones are met, late or missed
depends on today, so the rules of ``domain.milestones`` run at read time.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Final

from eventsourcing.persistence import Tracking

from domain.campaign import Campaign
from domain.milestones import OFFICE_MILESTONES, MilestoneStatus, campaign_milestones
from infrastructure.database import SideDatabase
from projections.base import citation, iso
from projections.ids import id_text
from projections.reading import fetch
from projections.store import Batch
from projections.table import Table

ACTS: Final = {
    "OfficeRecord.WorkGroupNamed": ("work_group_named", "named_on"),
    "OfficeRecord.SelfInspectionSubmitted": ("self_inspection_submitted", "submitted_on"),
    "OfficeRecord.ReportSubmitted": ("office_reports_due", "submitted_on"),
}
ACT_EVENTS: Final = ("OfficeRecord.Opened", *ACTS)


def acts_table(name: str) -> Table:
    return Table(name=name, key="id", columns=("id", "office", "acts"), json=frozenset({"acts"}))


def record_act(batch: Batch, table: Table, event: Any, tracking: Tracking) -> None:
    """Remember an office record's office, then the first act of each milestone."""
    key = id_text(event.originator_id)
    name = type(event).__qualname__
    if name == "OfficeRecord.Opened":
        batch.put(table.name, {"id": key, "office": event.office, "acts": {}})
        return
    row = batch.require(table.name, key, missing="no Opened event before it")
    code, attribute = ACTS[name]
    if code not in row["acts"]:
        act = {"on": iso(getattr(event, attribute)), "cite": citation(event, tracking)}
        row["acts"] = {**row["acts"], code: act}
        batch.put(table.name, row)


class MilestoneBook:
    """Every office's milestones today, and the event that proves each act."""

    def __init__(self, db: SideDatabase, table: Table, campaign: Campaign, today: date) -> None:
        self.acts: dict[str, dict[str, dict[str, Any]]] = {
            office: json.loads(acts)
            for office, acts in fetch(db, f"SELECT office, acts FROM {table.name}")
        }
        self.campaign = campaign
        known = {m.code for m in campaign.milestones}
        self.statuses: list[MilestoneStatus] = []
        if set(OFFICE_MILESTONES) <= known:
            days = {
                office: {code: date.fromisoformat(act["on"]) for code, act in acts.items()}
                for office, acts in self.acts.items()
            }
            self.statuses = campaign_milestones(campaign, acts=days, today=today)
        self._outstanding: dict[str, list[str]] = {}
        for status in self.statuses:
            if status.status == "missed":
                self._outstanding.setdefault(status.office, []).append(status.code)

    def outstanding(self, office: str) -> list[str]:
        """The milestones this office has missed and still not met."""
        return list(self._outstanding.get(office, ()))

    def cite(self, status: MilestoneStatus) -> dict[str, Any] | None:
        """The act that met the milestone (the office's own, or its parent's for it)."""
        code: str | None = status.office
        while code is not None:
            act = self.acts.get(code, {}).get(status.code)
            if act is not None and act["on"] == iso(status.done_on):
                cited: dict[str, Any] = act["cite"]
                return cited
            code = self.campaign.unit(code).parent
        return None
