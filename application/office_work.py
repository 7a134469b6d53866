"""An office's campaign work: its work group, its self-inspection and its milestones.

The ports the paperwork needs (renderer, document store, digest source, the log positions a
notice cites) are attached by the composition root with ``use_paperwork``; until then,
asking for a document says so.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from application.commanding import Command, CommandingApp, CommandResult
from application.errors import NotFound
from application.ledger_scan import Ledger, scan_ledger
from application.paperwork import (
    DigestSource,
    DocumentRenderer,
    DocumentsNotConfigured,
    DocumentStore,
    NoDigests,
)
from application.principal import Caller
from domain.milestones import MilestoneStatus, campaign_milestones
from domain.office_record import OfficeRecord


def snapshot_of(ledger: Ledger) -> list[dict[str, Any]]:
    """The problem list and plans as submitted: plain JSON values, in recorded order."""
    return [
        {
            "id": str(issue.id),
            "office": issue.office,
            "category": issue.category,
            "subtype": issue.subtype,
            "source": issue.source,
            "title": issue.title,
            "description": issue.description,
            "assets": issue.assets,
            "found_on": issue.found_on.isoformat(),
            "status": issue.status,
            "items": [
                {
                    "id": str(item.id),
                    "measure": item.measure,
                    "measure_type": item.measure_type,
                    "responsible": item.responsible,
                    "deadline": item.deadline.isoformat(),
                    "involves": item.involves,
                    "status": item.status,
                }
                for item in issue.items
            ],
        }
        for issue in ledger.issues
    ]


class OfficeWork(CommandingApp):
    _renderer: DocumentRenderer | None = None
    _documents: DocumentStore | None = None
    digests: DigestSource = NoDigests()

    def use_paperwork(
        self,
        *,
        renderer: DocumentRenderer,
        store: DocumentStore,
        digests: DigestSource | None = None,
    ) -> None:
        self._renderer = renderer
        self._documents = store
        self.digests = digests or NoDigests()

    @property
    def renderer(self) -> DocumentRenderer:
        if self._renderer is None:
            raise DocumentsNotConfigured("no document renderer: call use_paperwork first")
        return self._renderer

    @property
    def documents(self) -> DocumentStore:
        if self._documents is None:
            raise DocumentsNotConfigured("no document store: call use_paperwork first")
        return self._documents

    # Reads ------------------------------------------------------------------------------

    def ledger(
        self,
        caller: Caller,
        *,
        office: str | None = None,
        as_of: datetime | None = None,
    ) -> Ledger:
        """The issue and item ledgers the caller may read (one office with its sub-offices)."""
        readable = self.policy.readable_offices(caller.principal)
        if office is not None:
            self.campaign.office(office)
            wanted = self.campaign.subtree(office)
            readable = wanted if readable is None else wanted & readable
        # as it stood then, overdue included: the day of ``as_of`` is that ledger's today
        today = self.today() if as_of is None else self.local_date(as_of)
        return scan_ledger(self, today=today, offices=readable, as_of=as_of)

    def office_record(self, office: str) -> OfficeRecord | None:
        try:
            record: object = self.repository.get(OfficeRecord.create_id(office))
        except AggregateNotFoundError:
            return None
        return record if isinstance(record, OfficeRecord) else None

    def _office_record_or_new(self, office: str) -> OfficeRecord:
        return self.office_record(office) or OfficeRecord.open(office=office)

    def milestone_acts(self) -> dict[str, dict[str, date]]:
        """office → the first day it did each milestone's act itself."""
        records = {u.code: self.office_record(u.code) for u in self.campaign.offices()}
        return {office: r.acts() for office, r in records.items() if r is not None}

    def milestones(self, caller: Caller) -> list[MilestoneStatus]:
        """Every office's milestones as of today: met, late, pending or missed."""
        readable = self.policy.readable_offices(caller.principal)
        acts = self.milestone_acts()
        statuses = campaign_milestones(self.campaign, acts=acts, today=self.today())
        return [s for s in statuses if readable is None or s.office in readable]

    def work_group(self, caller: Caller, office: str) -> dict[str, Any]:
        self.campaign.office(office)
        if not self.policy.can_read(caller.principal, office):
            raise NotFound(f"no office {office}")
        record = self.office_record(office)
        if record is None or record.work_group is None:
            raise NotFound(f"office {office} has not named its work group")
        return {
            "office": office,
            "named_on": record.work_group_named_on,
            "changes": record.work_group_changes,
            **record.work_group,
        }

    # Commands ---------------------------------------------------------------------------

    def name_work_group(
        self,
        caller: Caller,
        *,
        office: str,
        leader: dict[str, str],
        liaison: dict[str, str],
        reason: str = "",
    ) -> CommandResult:
        """Register (or change, with a reason) the office's work group (工作专班)."""
        args = {"office": office, "leader": leader, "liaison": liaison, "reason": reason}

        def change(cmd: Command) -> CommandResult:
            self.campaign.office(office)
            cmd.act(office, on_office=True)
            record = self._office_record_or_new(office)
            record.name_work_group(
                leader=leader, liaison=liaison, reason=reason, today=self.today()
            )
            return cmd.done(record, result_of=record)

        return self.execute(caller, "name_work_group", args, change)

    def submit_self_inspection(
        self, caller: Caller, *, office: str, note: str = ""
    ) -> CommandResult:
        """Submit the office's problem list and plans (with its sub-offices') as they stand."""
        args = {"office": office, "note": note}

        def change(cmd: Command) -> CommandResult:
            self.campaign.office(office)
            cmd.act(office, on_office=True)
            covers = self.campaign.subtree(office)
            ledger = scan_ledger(self, today=self.today(), offices=covers)
            snapshot = {
                "office": office,
                "covers": sorted(covers),
                "position": ledger.position,
                "issues": snapshot_of(ledger),
            }
            record = self._office_record_or_new(office)
            sha256 = record.submit_self_inspection(
                snapshot=snapshot, covers=sorted(covers), note=note, today=self.today()
            )
            return cmd.done(
                record,
                result_of=record,
                sha256=sha256,
                issues=len(ledger.issues),
                items=len(ledger.items),
            )

        return self.execute(caller, "submit_self_inspection", args, change)
