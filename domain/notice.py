"""Notice (通报): drafted from accountability records, edited, then issued with its number.

The records a notice cites are copied into it when drafted — the facts and the events that
prove them — so the issued notice keeps saying what it said, whatever happens later.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any, Final
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.errors import InvalidInput, InvalidTransition
from domain.recording import RecordedAggregate
from domain.taxonomy import check_optional_text, check_text

DRAFT: Final = "draft"
ISSUED: Final = "issued"
DISCARDED: Final = "discarded"  # a draft nobody will issue: kept, marked as such
STATUS_LABELS: Final = {DRAFT: "草稿", ISSUED: "已印发", DISCARDED: "已作废"}
ACCOUNTABILITY_KINDS: Final = {
    "lagging": "工作明显滞后",
    "ineffective": "整改成效不明显",
    "falsified": "弄虚作假",
}

_NUMBER = re.compile(r"^(\S.{0,30})〔([0-9]{4})〕0*([1-9][0-9]{0,3})号$")  # ASCII digits


def check_number(number: str, *, year: int) -> str:
    """A document number (文号) such as 机管国资〔2026〕3号 of the year it is issued in, in
    one spelling, so that no number is taken twice in two spellings: full-width digits and
    letters read as ASCII (２０２６ as 2026), [2026] or （2026） as 〔2026〕, no spaces, and
    the serial without leading zeros (05号 as 5号; it starts at 1)."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", number))
    cleaned = re.sub(r"[\[【(]([0-9]{4})[\]】)]", r"〔\1〕", folded)
    shown = number if len(number) <= 40 else number[:40] + "…"
    found = _NUMBER.match(cleaned)
    if found is None:
        raise InvalidInput(
            f"number {shown!r} is not a document number like 机管国资〔{year}〕3号", field="number"
        )
    prefix, numbered_in, serial = found.groups()
    if int(numbered_in) != year:
        raise InvalidInput(
            f"number {shown!r} is of the year {numbered_in}: a notice issued in {year} is "
            f"numbered 〔{year}〕",
            field="number",
        )
    return f"{prefix}〔{numbered_in}〕{serial}号"


def padded_spellings(number: str) -> list[str]:
    """The same canonical number with its serial zero-padded, as releases before the one
    spelling stored it (机管国资〔2026〕05号): a number taken so is taken."""
    found = _NUMBER.match(number)
    if found is None:
        return []
    prefix, year, serial = found.groups()
    return [f"{prefix}〔{year}〕{serial.zfill(width)}号" for width in range(len(serial) + 1, 5)]


def check_addressees(recipients: list[str], copy_to: list[str]) -> None:
    """At least one recipient, and each unit named once: in recipients or in copy_to."""
    if not recipients:
        raise InvalidInput("a notice needs at least one recipient", field="recipients")
    seen: dict[str, str] = {}
    for name, codes in (("recipients", recipients), ("copy_to", copy_to)):
        for n, code in enumerate(codes):
            if code in seen:
                raise InvalidInput(
                    f"{name}[{n}]: {code} is already listed in {seen[code]}",
                    field=f"{name}[{n}]",
                )
            seen[code] = name


def check_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not records:
        raise InvalidInput("a notice cites at least one accountability record", field="records")
    seen: set[str] = set()
    for n, record in enumerate(records):
        if record.get("kind") not in ACCOUNTABILITY_KINDS:
            raise InvalidInput(f"records[{n}] has an unknown kind", field="records")
        if record.get("item_id") and not record.get("citations"):
            raise InvalidInput(f"records[{n}] cites no event", field="records")
        if record["id"] in seen:
            raise InvalidInput(f"records[{n}] is cited twice", field="records")
        seen.add(record["id"])
    return records


class Notice(RecordedAggregate):
    """draft (edited any number of times) → issued; an issued notice no longer changes."""

    @event("Drafted")
    def __init__(
        self,
        *,
        title: str,
        recipients: list[str],
        copy_to: list[str],
        body: str,
        records: list[dict[str, Any]],
        issuing_unit: str,
    ) -> None:
        self.title = title
        self.recipients = recipients
        self.copy_to = copy_to
        self.body = body
        self.records = records
        self.issuing_unit = issuing_unit
        self.status = DRAFT
        self.number: str | None = None
        self.issued_on: date | None = None
        self.edits = 0
        self.discard_reason: str | None = None

    @classmethod
    def draft(
        cls,
        *,
        title: str,
        recipients: list[str],
        copy_to: list[str],
        body: str,
        records: list[dict[str, Any]],
        issuing_unit: str,
    ) -> Notice:
        check_addressees(recipients, copy_to)
        return cls(
            title=check_text(title, field="title", max_length=200, single_line=True),
            recipients=list(recipients),
            copy_to=list(copy_to),
            body=check_text(body, field="body", max_length=50_000),
            records=check_records(records),
            issuing_unit=check_text(
                issuing_unit, field="issuing_unit", max_length=100, single_line=True
            ),
        )

    def edit(
        self,
        *,
        title: str,
        body: str,
        recipients: list[str],
        copy_to: list[str],
        reason: str,
    ) -> None:
        self._check_not_discarded()
        if self.status != DRAFT:
            raise InvalidTransition("the notice is issued; an issued notice no longer changes")
        check_addressees(recipients, copy_to)
        now: dict[str, Any] = {
            "title": check_text(title, field="title", max_length=200, single_line=True),
            "body": check_text(body, field="body", max_length=50_000),
            "recipients": list(recipients),
            "copy_to": list(copy_to),
        }
        previous = {key: getattr(self, key) for key in now if getattr(self, key) != now[key]}
        if not previous:
            raise InvalidInput(
                "the edit changes nothing: give a new title, body, recipients or copy_to",
                field="title",
            )
        self._edited(
            **now,
            reason=check_optional_text(reason, field="reason"),
            previous=previous,
        )

    class Edited(RecordedAggregate.Event):
        """Version 2 keeps the values the edit replaced (``previous``, by field)."""

        title: str
        body: str
        recipients: list[str]
        copy_to: list[str]
        reason: str
        previous: dict[str, Any]

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["previous"] = {}  # an edit recorded before 2026-11-30 kept none

    @event(Edited)
    def _edited(
        self,
        title: str,
        body: str,
        recipients: list[str],
        copy_to: list[str],
        reason: str,
        previous: dict[str, Any],
    ) -> None:
        self.title = title
        self.body = body
        self.recipients = recipients
        self.copy_to = copy_to
        self.edits += 1

    def issue(self, *, number: str, today: date) -> None:
        self._check_not_discarded()
        if self.status != DRAFT:
            raise InvalidTransition(f"the notice was already issued as {self.number}")
        self._issued(number=check_number(number, year=today.year), issued_on=today)

    def discard(self, *, reason: str) -> None:
        """Set a draft aside (drafted twice, or overtaken by events), saying why: it stays
        on record, is neither edited nor issued, and is no longer listed as a draft."""
        self._check_not_discarded()
        if self.status != DRAFT:
            raise InvalidTransition(f"the notice was issued as {self.number}; it stays issued")
        self._discarded(reason=check_text(reason, field="reason"))

    @event("Discarded")
    def _discarded(self, reason: str) -> None:
        self.status = DISCARDED
        self.discard_reason = reason

    def _check_not_discarded(self) -> None:
        if self.status == DISCARDED:
            raise InvalidTransition("the draft was discarded; it is neither edited nor issued")

    @event("Issued")
    def _issued(self, number: str, issued_on: date) -> None:
        self.status = ISSUED
        self.number = number
        self.issued_on = issued_on

    @property
    def offices(self) -> list[str]:
        return sorted({str(r["office"]) for r in self.records})

    def summary(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "version": self.version,
            "status": self.status,
            "title": self.title,
            "number": self.number,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "issuing_unit": self.issuing_unit,
            "recipients": list(self.recipients),
            "copy_to": list(self.copy_to),
            "body": self.body,
            "records": self.records,
            "edits": self.edits,
            "discard_reason": self.discard_reason,
        }


class NoticeNumber(RecordedAggregate):
    """Index: a document number is given to one notice only (saved with the issuing)."""

    @staticmethod
    def create_id(number: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"rectify:notice-number:{number}")

    @event("Reserved")
    def __init__(self, *, number: str, notice_id: UUID) -> None:
        self.number = number
        self.notice_id = notice_id
