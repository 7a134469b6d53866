"""OfficeRecord: one office's campaign paperwork — its work group and its submissions.

The milestones are facts on this record: the work group (工作专班: one leader in
charge, one division-level liaison) named and later changed; the self-inspection submitted
(a snapshot of the office's problem list and plans at that moment, with its SHA-256); the
rectification report submitted. One record per office, its id derived from the office code.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any, Final
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.errors import InvalidInput
from domain.recording import RecordedAggregate
from domain.taxonomy import check_choice, check_optional_text, check_text

LIAISON_LEVELS: Final = {"division_chief": "正处级", "deputy_division_chief": "副处级"}
_PERSON_FIELDS: Final = ("name", "title", "phone", "email")


def content_hash(content: Any) -> str:
    """SHA-256 of the canonical JSON of a snapshot (sorted keys, no spaces)."""
    body = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# A number as people write one: 0591-87846665, +86 138 0000 0000, (0591)87879025转8001.
_PHONE: Final = re.compile(r"^[+(（]?[0-9][0-9 ()（）+\-－转]*[0-9]$")
_EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_person(person: dict[str, str], *, field: str, with_level: bool) -> dict[str, str]:
    allowed = set(_PERSON_FIELDS) | ({"level"} if with_level else set())
    unknown = set(person) - allowed
    if unknown:
        raise InvalidInput(f"{field} has unknown fields: {', '.join(sorted(unknown))}", field=field)
    cleaned = {
        "name": check_text(
            person.get("name", ""), field=f"{field}.name", max_length=50, single_line=True
        ),
        "title": check_text(
            person.get("title", ""), field=f"{field}.title", max_length=100, single_line=True
        ),
        "phone": check_text(
            person.get("phone", ""), field=f"{field}.phone", max_length=50, single_line=True
        ),
        "email": check_optional_text(
            person.get("email", ""), field=f"{field}.email", max_length=100, single_line=True
        ),
    }
    if not _PHONE.match(cleaned["phone"]) or sum(c.isdigit() for c in cleaned["phone"]) < 5:
        raise InvalidInput(
            f"{field}.phone is not a telephone number (digits, with - + ( ) 转 or spaces)",
            field=f"{field}.phone",
        )
    if cleaned["email"] and not _EMAIL.match(cleaned["email"]):
        raise InvalidInput(f"{field}.email is not an e-mail address", field=f"{field}.email")
    if with_level:
        cleaned["level"] = check_choice(
            person.get("level", ""), LIAISON_LEVELS, field=f"{field}.level"
        )
    return cleaned


class OfficeRecord(RecordedAggregate):
    @staticmethod
    def create_id(office: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"rectify:office-record:{office}")

    @event("Opened")
    def __init__(self, *, office: str) -> None:
        self.office = office
        self.work_group: dict[str, dict[str, str]] | None = None
        self.work_group_named_on: date | None = None
        self.work_group_changes = 0
        self.work_group_changed_on: date | None = None  # its latest change, if any
        self.self_inspection_submitted_on: date | None = None
        self.self_inspections: list[dict[str, Any]] = []
        self.report_submitted_on: date | None = None
        self.reports: list[dict[str, Any]] = []

    @classmethod
    def open(cls, *, office: str) -> OfficeRecord:
        return cls(office=office)

    # Work group ------------------------------------------------------------------------

    def name_work_group(
        self, *, leader: dict[str, str], liaison: dict[str, str], reason: str, today: date
    ) -> None:
        """Name the work group; a later change needs a reason and keeps the first date."""
        leader = check_person(leader, field="leader", with_level=False)
        liaison = check_person(liaison, field="liaison", with_level=True)
        if leader["name"] == liaison["name"]:
            raise InvalidInput(
                "the leader in charge and the liaison must be two people", field="liaison"
            )
        if self.work_group is None:
            self._work_group_named(
                leader=leader,
                liaison=liaison,
                named_on=today,
                reason=check_optional_text(reason, field="reason"),
            )
            return
        if {"leader": leader, "liaison": liaison} == self.work_group:
            raise InvalidInput("the work group is already named so", field="leader")
        self._work_group_changed(
            leader=leader,
            liaison=liaison,
            previous=dict(self.work_group),
            changed_on=today,
            reason=check_text(reason, field="reason"),
        )

    @event("WorkGroupNamed")
    def _work_group_named(
        self, leader: dict[str, str], liaison: dict[str, str], named_on: date, reason: str
    ) -> None:
        self.work_group = {"leader": leader, "liaison": liaison}
        self.work_group_named_on = named_on

    @event("WorkGroupChanged")
    def _work_group_changed(
        self,
        leader: dict[str, str],
        liaison: dict[str, str],
        previous: dict[str, dict[str, str]],
        changed_on: date,
        reason: str,
    ) -> None:
        self.work_group = {"leader": leader, "liaison": liaison}
        self.work_group_changes += 1
        self.work_group_changed_on = changed_on

    # Submissions -----------------------------------------------------------------------

    def submit_self_inspection(
        self, *, snapshot: dict[str, Any], covers: list[str], note: str, today: date
    ) -> str:
        """Record the snapshot as submitted (a resubmission needs a note); answers its hash."""
        if self.self_inspections:
            note = check_text(note, field="note")
        sha256 = content_hash(snapshot)
        self._self_inspection_submitted(
            snapshot=snapshot,
            sha256=sha256,
            covers=sorted(covers),
            submitted_on=today,
            note=check_optional_text(note, field="note"),
        )
        return sha256

    @event("SelfInspectionSubmitted")
    def _self_inspection_submitted(
        self,
        snapshot: dict[str, Any],
        sha256: str,
        covers: list[str],
        submitted_on: date,
        note: str,
    ) -> None:
        if self.self_inspection_submitted_on is None:
            self.self_inspection_submitted_on = submitted_on
        self.self_inspections.append(
            {"sha256": sha256, "submitted_on": submitted_on.isoformat(), "covers": covers}
        )

    def note_report_submitted(
        self, *, report_id: UUID, sha256: str, covers: list[str], today: date
    ) -> None:
        self._report_submitted(
            report_id=report_id, sha256=sha256, covers=sorted(covers), submitted_on=today
        )

    @event("ReportSubmitted")
    def _report_submitted(
        self, report_id: UUID, sha256: str, covers: list[str], submitted_on: date
    ) -> None:
        if self.report_submitted_on is None:
            self.report_submitted_on = submitted_on
        self.reports.append(
            {
                "report_id": str(report_id),
                "sha256": sha256,
                "submitted_on": submitted_on.isoformat(),
            }
        )

    def acts(self) -> dict[str, date]:
        """The first day this office did each milestone's act itself."""
        done = {
            "work_group_named": self.work_group_named_on,
            "self_inspection_submitted": self.self_inspection_submitted_on,
            "office_reports_due": self.report_submitted_on,
        }
        return {code: day for code, day in done.items() if day is not None}
