"""Progress: per office and per category, counts by status, percent verified, overdue, lights.

The view keeps one compact row per issue and per item; counts are summed at read time so
that overdue counts and lights follow today's date (sub-offices roll into their parent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eventsourcing.persistence import Tracking

from domain import issue as issue_states
from domain.campaign import Campaign
from domain.issue import Issue
from domain.item import RectificationItem
from domain.office_record import OfficeRecord
from infrastructure.database import SideDatabase
from projections import labels
from projections.base import ViewProjection, handles, restate
from projections.ids import id_text
from projections.item_state import (
    ITEM_CORE_COLUMNS,
    ITEM_EVENTS,
    NOT_RECTIFIED,
    VERIFIED,
    apply_item,
)
from projections.lights import GREEN, RED, YELLOW, LightRule
from projections.milestone_acts import ACT_EVENTS, MilestoneBook, acts_table, record_act
from projections.reading import Where, fetch
from projections.rows import (
    CategoryProgress,
    MilestoneRow,
    OfficeProgress,
    ProgressCounts,
    ProgressView,
)
from projections.store import Batch
from projections.table import Table

PROGRESS_ISSUES = Table(
    name="view_progress_issues",
    key="id",
    columns=("id", "office", "category", "status"),
    indexes=(("office",),),
)

PROGRESS_ITEMS = Table(
    name="view_progress_items",
    key="id",
    columns=("id", "office", "category", *ITEM_CORE_COLUMNS),
    json=frozenset({"approvals"}),
    indexes=(("office",),),
    defaults={"approvals": []},
)

# An issue that has had an item planned (its first): an open issue absent here has no plan
# yet, and turns its office's light yellow as it turns its own row's in the problem list.
PROGRESS_PLANNED = Table(name="view_progress_planned", key="id", columns=("id", "first_item"))

PROGRESS_OFFICES = acts_table("view_progress_offices")

_ISSUE_STATUS = {
    "Closed": issue_states.CLOSED,
    "Reopened": issue_states.OPEN,
    "Reported": issue_states.REPORTED,
}


class Progress(ViewProjection):
    name = "progress"
    label = "整改进度"
    tables = (PROGRESS_ISSUES, PROGRESS_ITEMS, PROGRESS_PLANNED, PROGRESS_OFFICES)
    aggregates = (Issue, RectificationItem, OfficeRecord)

    def prefetch(self, event: Any) -> Iterable[tuple[str, str]]:
        if type(event).__qualname__.startswith("OfficeRecord."):
            return [(PROGRESS_OFFICES.name, id_text(event.originator_id))]
        if type(event).__name__ == "Planned":  # a new item: its row is known absent, too
            return [
                (PROGRESS_ISSUES.name, id_text(event.issue_id)),
                (PROGRESS_ITEMS.name, id_text(event.originator_id)),
                (PROGRESS_PLANNED.name, id_text(event.issue_id)),
            ]
        if type(event).__qualname__ == "Issue.Corrected":
            mine = [(PROGRESS_ITEMS.name, id_text(i)) for i in event.items]
            return [(PROGRESS_ISSUES.name, id_text(event.originator_id)), *mine]
        if type(event).__qualname__.startswith("Issue."):
            return [(PROGRESS_ISSUES.name, id_text(event.originator_id))]
        return [(PROGRESS_ITEMS.name, id_text(event.originator_id))]

    @handles("Issue.Found")
    def found(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = {"id": id_text(event.originator_id), "office": event.office}
        row.update(category=event.category, status=issue_states.OPEN)
        batch.put(PROGRESS_ISSUES.name, row)

    @handles("Issue.Corrected")
    def corrected(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        restate(batch, PROGRESS_ISSUES.name, [event.originator_id], category=event.category)
        restate(batch, PROGRESS_ITEMS.name, event.items, category=event.category)

    @handles("Issue.Closed", "Issue.Reopened", "Issue.Reported")
    def issue_moved(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        row = batch.require(PROGRESS_ISSUES.name, event.originator_id, missing="no Found event")
        row["status"] = _ISSUE_STATUS[type(event).__name__]
        batch.put(PROGRESS_ISSUES.name, row)

    @handles(*ITEM_EVENTS)
    def item_moved(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        key = id_text(event.originator_id)
        row = batch.get(PROGRESS_ITEMS.name, key)
        if row is None:
            issue = batch.require(PROGRESS_ISSUES.name, event.issue_id, missing="unknown issue")
            row = PROGRESS_ITEMS.blank(id=key, office=issue["office"], category=issue["category"])
            if batch.get(PROGRESS_PLANNED.name, issue["id"]) is None:
                batch.put(PROGRESS_PLANNED.name, {"id": issue["id"], "first_item": key})
        apply_item(row, event)
        batch.put(PROGRESS_ITEMS.name, row)

    @handles(*ACT_EVENTS)
    def milestone_act(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        record_act(batch, PROGRESS_OFFICES, event, tracking)


@dataclass
class _Tally:
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    due_soon: int = 0
    issues: int = 0
    issues_closed: int = 0
    unplanned: int = 0
    missed: set[str] = field(default_factory=set)

    def add(self, other: _Tally) -> None:
        self.missed |= other.missed
        for status, n in other.by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + n
        self.overdue += other.overdue
        self.due_soon += other.due_soon
        self.issues += other.issues
        self.issues_closed += other.issues_closed
        self.unplanned += other.unplanned

    def counts(self) -> ProgressCounts:
        total = sum(self.by_status.values())
        verified = sum(self.by_status.get(s, 0) for s in VERIFIED)
        soon = self.due_soon or self.unplanned
        light = RED if self.overdue or self.missed else (YELLOW if soon else GREEN)
        return ProgressCounts(
            total=total,
            by_status=dict(sorted(self.by_status.items())),
            verified=verified,
            percent_verified=round(100.0 * verified / total, 1) if total else 0.0,
            overdue=self.overdue,
            due_soon=self.due_soon,
            light=light,
            milestones_missed=sorted(self.missed),
            issues=self.issues,
            issues_closed=self.issues_closed,
            unplanned=self.unplanned,
        )


def _tallies(
    db: SideDatabase, rule: LightRule, offices: frozenset[str] | None
) -> tuple[dict[str, _Tally], dict[str, _Tally], _Tally]:
    """The counts by office, by category and in all, each row added where it counts (not
    into a tally per office and category merged afterwards)."""
    by_office: dict[str, _Tally] = {}
    by_category: dict[str, _Tally] = {}
    total = _Tally()

    def tallies(office: str, category: str) -> tuple[_Tally, ...]:
        mine = by_office.get(office) or by_office.setdefault(office, _Tally())
        theirs = by_category.get(category) or by_category.setdefault(category, _Tally())
        return mine, theirs, total

    where = Where()
    if offices is not None:
        where.among("office", offices)
    open_marks = ", ".join(["%s"] * len(NOT_RECTIFIED))
    today, until = rule.today.isoformat(), rule.yellow_until.isoformat()
    rows = fetch(
        db,
        "SELECT office, category, status, COUNT(*), "
        f"SUM(CASE WHEN status IN ({open_marks}) AND deadline < %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN status IN ({open_marks}) AND deadline >= %s AND deadline <= %s "
        "THEN 1 ELSE 0 END) "
        f"FROM {PROGRESS_ITEMS.name}{where.sql()} GROUP BY office, category, status",
        [*NOT_RECTIFIED, today, *NOT_RECTIFIED, today, until, *where.params],
    )
    for office, category, status, n, overdue, soon in rows:
        for tally in tallies(office, category):
            tally.by_status[status] = tally.by_status.get(status, 0) + int(n)
            tally.overdue += int(overdue or 0)
            tally.due_soon += int(soon or 0)
    issue_rows = fetch(
        db,
        f"SELECT office, category, status, COUNT(*), COUNT(*) - COUNT(p.id) "
        f"FROM {PROGRESS_ISSUES.name} LEFT JOIN {PROGRESS_PLANNED.name} p "
        f"ON p.id = {PROGRESS_ISSUES.name}.id{where.sql()} "
        "GROUP BY office, category, status",
        where.params,
    )
    for office, category, status, n, unplanned in issue_rows:
        for tally in tallies(office, category):
            tally.issues += int(n)
            if status != issue_states.OPEN:
                tally.issues_closed += int(n)
            else:
                tally.unplanned += int(unplanned)
    return by_office, by_category, total


def _below(campaign: Campaign) -> dict[str, list[str]]:
    """Each unit's units one level down."""
    children: dict[str, list[str]] = {}
    for unit in campaign.units:
        if unit.parent is not None:
            children.setdefault(unit.parent, []).append(unit.code)
    return children


def _subtree(code: str, children: dict[str, list[str]]) -> set[str]:
    """The units below ``code`` (``Campaign.subtree`` without the unit, in one pass)."""
    found, todo = set(), [code]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def read_progress(
    db: SideDatabase, campaign: Campaign, rule: LightRule, offices: frozenset[str] | None
) -> ProgressView:
    by_office, by_category, total = _tallies(db, rule, offices)
    visible = [u for u in campaign.offices() if offices is None or u.code in offices]
    visible_codes = {u.code for u in visible}
    book = MilestoneBook(db, PROGRESS_OFFICES, campaign, rule.today)
    for unit in visible:
        missed = book.outstanding(unit.code)
        by_office.setdefault(unit.code, _Tally()).missed.update(missed)
        total.missed.update(missed)
    children = _below(campaign)
    office_rows = []
    for unit in visible:
        subs = sorted(_subtree(unit.code, children) & visible_codes)
        rolled = _Tally()
        for code in [unit.code, *subs]:
            rolled.add(by_office.get(code, _Tally()))
        office_rows.append(
            OfficeProgress(
                office=unit.code,
                name=unit.name,
                parent=unit.parent,
                sub_offices=subs,
                own=by_office.get(unit.code, _Tally()).counts(),
                with_sub_offices=rolled.counts(),
            )
        )
    categories = [
        CategoryProgress(category=code, label=labels.category(code), counts=tally.counts())
        for code, tally in sorted(by_category.items())
    ]
    return ProgressView(
        today=rule.today,
        yellow_days=rule.yellow_days,
        total=total.counts(),
        offices=office_rows,
        categories=categories,
        milestones=[_milestone(m.code, m.label, m.due, rule.today) for m in campaign.milestones],
    )


def _milestone(code: str, label: str, due: date, today: date) -> MilestoneRow:
    return MilestoneRow(
        code=code, label=label, due=due, passed=due < today, days_left=(due - today).days
    )
