"""Issue (问题): one problem found at one office, with the items that fix it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.errors import InvalidInput, InvalidTransition, RepeatedAsset
from domain.recording import RecordedAggregate
from domain.taxonomy import SOURCES, check_category, check_choice, check_optional_text, check_text

OPEN = "open"
CLOSED = "closed"
REPORTED = "reported"


MAX_ASSETS = 100
EARLIEST_FOUND_ON = date(1970, 1, 1)  # as the earliest moment a ledger is read as of
ASSET_TEXT_LENGTH = 100


def check_assets(assets: list[dict[str, str]]) -> list[dict[str, str]]:
    """The asset lines as stored: at most ``MAX_ASSETS``, each a code and a name of one line
    (either may be empty, not both), with the characters every text field refuses, and no
    asset code twice (one asset listed twice is a slip, and would count twice)."""
    if len(assets) > MAX_ASSETS:
        raise InvalidInput(f"assets: at most {MAX_ASSETS} entries", field="assets")
    cleaned: list[dict[str, str]] = []
    for n, asset in enumerate(assets):
        if set(asset) - {"code", "name"}:
            raise InvalidInput(f"assets[{n}] takes only code and name", field="assets")
        code, name = (
            check_optional_text(
                str(asset.get(part, "")),
                field=f"assets[{n}].{part}",
                max_length=ASSET_TEXT_LENGTH,
                single_line=True,
            )
            for part in ("code", "name")
        )
        if not code and not name:
            raise InvalidInput(f"assets[{n}] needs a code or a name", field="assets")
        first = next((m for m, a in enumerate(cleaned) if code and a["code"] == code), None)
        if first is not None:
            raise RepeatedAsset(
                f"assets[{n}].code {code!r} repeats assets[{first}]",
                field=f"assets[{n}].code",
                index=n,
                first=first,
            )
        cleaned.append({"code": code, "name": name})
    return cleaned


def _checked_record(
    *,
    category: str,
    subtype: str,
    title: str,
    description: str,
    assets: list[dict[str, str]],
    found_on: date,
    today: date,
) -> dict[str, Any]:
    """What an office records of a problem, held to the rules (when found or corrected)."""
    check_category(category, subtype)
    if found_on > today:
        raise InvalidInput("found_on cannot be in the future", field="found_on")
    if found_on < EARLIEST_FOUND_ON:
        raise InvalidInput(
            f"found_on cannot be before {EARLIEST_FOUND_ON} (the ledgers start there)",
            field="found_on",
        )
    return {
        "category": category,
        "subtype": subtype,
        "title": check_text(title, field="title", max_length=200, single_line=True),
        "description": check_optional_text(description, field="description"),
        "assets": check_assets(assets),
        "found_on": found_on,
    }


# What a correction may change: what the office recorded of the problem, not where it is.
CORRECTABLE = ("category", "subtype", "title", "description", "assets", "found_on")


class Issue(RecordedAggregate):
    """Found → items planned → closed (every item verified) → reported; reopened on re-finding."""

    @event("Found")
    def __init__(
        self,
        *,
        office: str,
        category: str,
        subtype: str,
        source: str,
        title: str,
        description: str,
        assets: list[dict[str, str]],
        found_on: date,
    ) -> None:
        self.office = office
        self.category = category
        self.subtype = subtype
        self.source = source
        self.title = title
        self.description = description
        self.assets = assets
        self.found_on = found_on
        self.status = OPEN
        self.items: list[UUID] = []
        self.verified_items: list[UUID] = []
        self.reopen_count = 0

    @classmethod
    def find(
        cls,
        *,
        office: str,
        category: str,
        subtype: str,
        source: str,
        title: str,
        description: str,
        assets: list[dict[str, str]],
        found_on: date,
        today: date,
    ) -> Issue:
        record = _checked_record(
            category=category,
            subtype=subtype,
            title=title,
            description=description,
            assets=assets,
            found_on=found_on,
            today=today,
        )
        return cls(office=office, source=check_choice(source, SOURCES, field="source"), **record)

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def add_item(self, item_id: UUID) -> None:
        if not self.is_open:
            raise InvalidTransition(
                f"issue is {self.status}; items are planned only on open issues"
            )
        self._item_added(item_id=item_id)

    @event("ItemAdded")
    def _item_added(self, item_id: UUID) -> None:
        self.items.append(item_id)

    def note_item_verified(self, item_id: UUID) -> None:
        """Record an item's verification; close (销号) the issue when every item is verified."""
        if item_id not in self.items:
            raise InvalidInput("item does not belong to this issue", field="item_id")
        if item_id in self.verified_items:
            return
        self._item_verified(item_id=item_id)
        if self.is_open and set(self.items) == set(self.verified_items):
            self._closed()

    @event("ItemVerified")
    def _item_verified(self, item_id: UUID) -> None:
        self.verified_items.append(item_id)

    @event("Closed")
    def _closed(self) -> None:
        self.status = CLOSED

    def reopen(self, *, reason: str) -> None:
        """A later check finds a closed or reported problem again."""
        if self.status == OPEN:
            raise InvalidTransition("issue is already open")
        self._reopened(reason=check_text(reason, field="reason"), item_id=None)

    def send_item_back(self, *, item_id: UUID, reason: str) -> None:
        """A verified item was flagged as falsified: it no longer counts, the issue reopens."""
        if item_id not in self.items:
            raise InvalidInput("item does not belong to this issue", field="item_id")
        reason = check_text(reason, field="reason")
        if self.status == OPEN:
            if item_id in self.verified_items:
                self._item_sent_back(item_id=item_id, reason=reason)
        else:
            self._reopened(reason=reason, item_id=item_id)

    @event("ItemSentBack")
    def _item_sent_back(self, item_id: UUID, reason: str) -> None:
        self.verified_items.remove(item_id)

    @event("Reopened")
    def _reopened(self, reason: str, item_id: UUID | None) -> None:
        self.status = OPEN
        self.reopen_count += 1
        if item_id is not None and item_id in self.verified_items:
            self.verified_items.remove(item_id)

    def correct(
        self,
        *,
        category: str,
        subtype: str,
        title: str,
        description: str,
        assets: list[dict[str, str]],
        found_on: date,
        reason: str,
        today: date,
        rectified: Iterable[date] = (),
    ) -> None:
        """Correct what was recorded of an open problem (a typo, the wrong category), with a
        reason; the event keeps the values it replaced, so the trail shows from what to what.
        A closed problem's record is what was verified: reopen it first. ``rectified``: the
        days its measures were rectified on (no problem is found after it was put right)."""
        if not self.is_open:
            raise InvalidTransition(f"issue is {self.status}; only an open issue is corrected")
        earliest = min(rectified, default=None)
        if earliest is not None and found_on > earliest:
            raise InvalidInput(
                f"found_on cannot be after a measure was rectified ({earliest})", field="found_on"
            )
        kept = assets == self.assets  # as recorded (an earlier release allowed a code twice)
        now = _checked_record(
            category=category,
            subtype=subtype,
            title=title,
            description=description,
            assets=[] if kept else assets,
            found_on=found_on,
            today=today,
        )
        now["assets"] = list(self.assets) if kept else now["assets"]
        previous = {k: _plain(getattr(self, k)) for k in CORRECTABLE if getattr(self, k) != now[k]}
        if not previous:
            raise InvalidInput("the correction changes nothing")
        reason = check_text(reason, field="reason")
        self._corrected(**now, previous=previous, reason=reason, items=list(self.items))

    @event("Corrected")
    def _corrected(
        self,
        category: str,
        subtype: str,
        title: str,
        description: str,
        assets: list[dict[str, str]],
        found_on: date,
        previous: dict[str, Any],
        reason: str,
        items: list[UUID],  # the views' rows that repeat the problem's title and category
    ) -> None:
        self.category = category
        self.subtype = subtype
        self.title = title
        self.description = description
        self.assets = assets
        self.found_on = found_on

    def mark_reported(self, *, report_id: UUID | None = None) -> None:
        if self.status != CLOSED:
            raise InvalidTransition(f"issue is {self.status}; only a closed issue is reported")
        self._reported(report_id=report_id)

    @event("Reported")
    def _reported(self, report_id: UUID | None) -> None:
        self.status = REPORTED

    def summary(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "version": self.version,
            "office": self.office,
            "category": self.category,
            "subtype": self.subtype,
            "source": self.source,
            "title": self.title,
            "description": self.description,
            "assets": self.assets,
            "found_on": self.found_on.isoformat(),
            "status": self.status,
            "items": [str(i) for i in self.items],
            "verified_items": [str(i) for i in self.verified_items],
            "created_on": self.created_on.isoformat(),
            "modified_on": self.modified_on.isoformat(),
        }


def _plain(value: Any) -> Any:
    """A replaced value as the event keeps it: a day as its ISO text."""
    return value.isoformat() if isinstance(value, date) else value
