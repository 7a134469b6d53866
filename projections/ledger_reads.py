"""Reading the two ledgers: filters, sorting, paging, and lights and claim flags for today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.campaign import Campaign
from domain.issue import OPEN
from domain.taxonomy import CATEGORIES, SOURCES
from infrastructure.database import SideDatabase
from projections import labels
from projections.base import unstamp
from projections.issue_ledger import ISSUE_ITEMS, ISSUES
from projections.item_ledger import ITEMS
from projections.item_state import VERIFIED, missing_approvals
from projections.lights import GREEN, LIGHTS, RED, YELLOW, LightRule, worst
from projections.reading import Where, check_choice, fetch, marks, order_by
from projections.rows import IssueRow, ItemRow, Page
from projections.table import decode_json

ISSUE_SORTS = ("found_on", "found_at", "updated_at", "office", "category", "status", "title")
ITEM_SORTS = ("deadline", "planned_at", "updated_at", "office", "status", "responsible")


@dataclass(frozen=True)
class LedgerQuery:
    """What both ledgers are filtered by (already checked where the check is shared)."""

    scope: frozenset[str] | None
    category: str | None
    status: str | None
    light: str | None
    q: str | None
    sort: str
    page: int
    page_size: int

    def where(self, statuses: dict[str, str]) -> Where:
        check_choice(self.category, CATEGORIES, field="category")
        check_choice(self.status, statuses, field="status")
        check_choice(self.light, LIGHTS, field="light")
        where = Where()
        if self.scope is not None:
            where.among("office", self.scope)
        if self.category is not None:
            where.add("category = %s", self.category)
        if self.status is not None:
            where.add("status = %s", self.status)
        return where


def _page(
    db: SideDatabase,
    table: str,
    columns: tuple[str, ...],
    where: Where,
    query: LedgerQuery,
    order: str,
) -> tuple[int, list[tuple[Any, ...]]]:
    total = int(fetch(db, f"SELECT COUNT(*) FROM {table}{where.sql()}", where.params)[0][0])
    rows = fetch(
        db,
        f"SELECT {', '.join(columns)} FROM {table}{where.sql()}{order} LIMIT %s OFFSET %s",
        [*where.params, query.page_size, (query.page - 1) * query.page_size],
    )
    return total, rows


def ledger_ids(
    db: SideDatabase,
    ledger: str,
    rule: LightRule,
    query: LedgerQuery,
    *,
    source: str | None = None,
    overdue: bool | None = None,
) -> list[UUID]:
    """Every row ``read_issues`` (``ledger="issues"``) or ``read_items`` selects, their
    paging apart, in their order."""
    if ledger == "issues":
        table, (where, order) = ISSUES.name, _issue_selection(rule, query, source=source)
    else:
        table, (where, order) = ITEMS.name, _item_selection(rule, query, overdue=overdue)
    found = fetch(db, f"SELECT id FROM {table}{where.sql()}{order}", where.params)
    return [UUID(row_id) for (row_id,) in found]


def read_issues(
    db: SideDatabase,
    campaign: Campaign,
    rule: LightRule,
    query: LedgerQuery,
    *,
    source: str | None,
    backdate_days: int,
) -> Page[IssueRow]:
    where, order = _issue_selection(rule, query, source=source)
    total, rows = _page(db, ISSUES.name, ISSUES.columns, where, query, order)
    issues = [ISSUES.decode(r) for r in rows]
    items: dict[str, list[tuple[str, str]]] = {i["id"]: [] for i in issues}
    if items:
        for issue_id, status, deadline in fetch(
            db,
            f"SELECT issue_id, status, deadline FROM {ISSUE_ITEMS.name} "
            f"WHERE issue_id IN ({marks(items)})",
            list(items),
        ):
            items[issue_id].append((status, deadline))
    tz = ZoneInfo(campaign.timezone)
    found = [_issue_row(i, items[i["id"]], campaign, rule, tz, backdate_days) for i in issues]
    return Page(items=found, total=total, page=query.page, page_size=query.page_size)


def _issue_selection(
    rule: LightRule, query: LedgerQuery, *, source: str | None
) -> tuple[Where, str]:
    where = query.where(labels.ISSUE_STATUS)
    check_choice(source, SOURCES, field="source")
    order = order_by(query.sort, ISSUE_SORTS, tiebreak="id")
    if source is not None:
        where.add("source = %s", source)
    if query.q:
        where.like(("title", "description"), query.q)
    if query.light is not None:
        red, yellow = (_issue_has(rule, light) for light in (RED, YELLOW))
        unplanned = (
            f"({ISSUES.name}.status = %s AND NOT EXISTS (SELECT 1 FROM {ISSUE_ITEMS.name} x "
            f"WHERE x.issue_id = {ISSUES.name}.id))"
        )
        yellow = (f"({yellow[0]} OR {unplanned})", [*yellow[1], OPEN])
        if query.light == RED:
            where.add(red[0], *red[1])
        else:
            where.add(f"NOT {red[0]}", *red[1])
            where.add(yellow[0] if query.light == YELLOW else f"NOT {yellow[0]}", *yellow[1])
    return where, order


def issue_light(rule: LightRule, status: str, items: list[tuple[str, str]]) -> str:
    """Its worst item's light; an open problem with no measure yet is yellow, not green:
    nothing is planned for it (a closed one without measures, from an old log, is done)."""
    if not items:
        return YELLOW if status == OPEN else GREEN
    return worst([rule.item(s, date.fromisoformat(d)) for s, d in items])


def _issue_has(rule: LightRule, light: str) -> tuple[str, list[str]]:
    condition, params = rule.sql(light, status="x.status", deadline="x.deadline")
    return (
        f"EXISTS (SELECT 1 FROM {ISSUE_ITEMS.name} x WHERE x.issue_id = {ISSUES.name}.id "
        f"AND {condition})",
        params,
    )


def _issue_row(
    row: dict[str, Any],
    items: list[tuple[str, str]],
    campaign: Campaign,
    rule: LightRule,
    tz: ZoneInfo,
    backdate_days: int,
) -> IssueRow:
    counts: dict[str, int] = {}
    for status, _ in items:
        counts[status] = counts.get(status, 0) + 1
    found_on = date.fromisoformat(row["found_on"])
    entered = date.fromisoformat(row["found_entered_on"])
    unit = campaign.unit(row["office"])
    return IssueRow(
        id=UUID(row["id"]),
        office=row["office"],
        office_name=unit.name,
        parent_office=unit.parent,
        category=row["category"],
        category_label=labels.category(row["category"]),
        subtype=row["subtype"],
        subtype_label=labels.subtype(row["category"], row["subtype"]),
        source=row["source"],
        source_label=labels.source(row["source"]),
        title=row["title"],
        description=row["description"],
        status=row["status"],
        status_label=labels.ISSUE_STATUS.get(row["status"], row["status"]),
        found_on=found_on,
        found_at=unstamp(row["found_at"], tz),
        found_by_id=row["found_by_id"],
        found_by_name=row["found_by_name"],
        item_counts=dict(sorted(counts.items())),
        items_total=len(items),
        items_verified=sum(counts.get(s, 0) for s in VERIFIED),
        closed_at=unstamp(row["closed_at"], tz) if row["closed_at"] else None,
        reported_at=unstamp(row["reported_at"], tz) if row["reported_at"] else None,
        reopen_count=row["reopen_count"],
        light=issue_light(rule, row["status"], items),
        claim_flags=["backdated"] if (entered - found_on).days > backdate_days else [],
        version=row["version"],
        updated_at=unstamp(row["updated_at"], tz),
    )


def read_items(
    db: SideDatabase,
    campaign: Campaign,
    rule: LightRule,
    query: LedgerQuery,
    *,
    overdue: bool | None,
    backdate_days: int,
) -> Page[ItemRow]:
    where, order = _item_selection(rule, query, overdue=overdue)
    total, rows = _page(db, ITEMS.name, ITEMS.columns, where, query, order)
    tz = ZoneInfo(campaign.timezone)
    found = [_item_row(ITEMS.decode(r), campaign, rule, tz, backdate_days) for r in rows]
    return Page(items=found, total=total, page=query.page, page_size=query.page_size)


def _item_selection(
    rule: LightRule, query: LedgerQuery, *, overdue: bool | None
) -> tuple[Where, str]:
    where = query.where(labels.ITEM_STATUS)
    order = order_by(query.sort, ITEM_SORTS, tiebreak="id")
    if query.q:
        where.like(("measure", "responsible", "issue_title"), query.q)
    if query.light is not None:
        condition, params = rule.sql(query.light)
        where.add(condition, *params)
    if overdue is not None:
        condition, params = rule.sql(RED)
        where.add(condition if overdue else f"NOT {condition}", *params)
    return where, order


def items_claim_flags(
    db: SideDatabase, item_ids: list[str], backdate_days: int
) -> dict[str, list[str]]:
    """The claim flags the 整改台账 shows for each of these items (by id)."""
    if not item_ids:
        return {}
    rows = fetch(
        db, f"SELECT id, claims FROM {ITEMS.name} WHERE id IN ({marks(item_ids)})", item_ids
    )
    return {
        str(item_id): claim_flags(decode_json(claims), backdate_days) for item_id, claims in rows
    }


def claim_flags(claims: list[dict[str, str]], backdate_days: int) -> list[str]:
    """Issue 5 §5: a claim entered after its deadline, or dated too far before its entry."""
    flags: list[str] = []
    for claim in claims:
        claimed, entered = (
            date.fromisoformat(claim["claimed"]),
            date.fromisoformat(claim["entered"]),
        )
        if (
            entered > date.fromisoformat(claim["deadline"])
            and "entered_after_deadline" not in flags
        ):
            flags.append("entered_after_deadline")
        if (entered - claimed).days > backdate_days and "backdated" not in flags:
            flags.append("backdated")
    return flags


def _item_row(
    row: dict[str, Any], campaign: Campaign, rule: LightRule, tz: ZoneInfo, backdate_days: int
) -> ItemRow:
    deadline = date.fromisoformat(row["deadline"])
    unit = campaign.unit(row["office"])

    def when(column: str) -> Any:
        return unstamp(row[column], tz) if row[column] else None

    return ItemRow(
        id=UUID(row["id"]),
        issue_id=UUID(row["issue_id"]),
        issue_title=row["issue_title"],
        office=row["office"],
        office_name=unit.name,
        parent_office=unit.parent,
        category=row["category"],
        category_label=labels.category(row["category"]),
        measure=row["measure"],
        measure_type=row["measure_type"],
        measure_type_label=labels.measure_type(row["measure_type"]),
        responsible=row["responsible"],
        involves=row["involves"],
        deadline=deadline,
        original_deadline=date.fromisoformat(row["original_deadline"]),
        extensions=row["extensions"],
        pending_extension=(
            date.fromisoformat(row["pending_extension"]) if row["pending_extension"] else None
        ),
        status=row["status"],
        status_label=labels.ITEM_STATUS.get(row["status"], row["status"]),
        approvals=list(row["approvals"]),
        missing_approvals=missing_approvals(row["involves"], row["approvals"]),
        planned_at=unstamp(row["planned_at"], tz),
        rectified_on=date.fromisoformat(row["rectified_on"]) if row["rectified_on"] else None,
        rectified_at=when("rectified_at"),
        rectified_by_name=row["rectified_by_name"],
        verified_at=when("verified_at"),
        verified_by_id=row["verified_by_id"],
        verified_by_name=row["verified_by_name"],
        failed_verifications=row["failed_verifications"],
        falsification_flags=row["falsification_flags"],
        falsified=row["falsification_flags"] > 0,
        claim_flags=claim_flags(row["claims"], backdate_days),
        light=rule.item(row["status"], deadline),
        overdue=rule.overdue(row["status"], deadline),
        days_left=(deadline - rule.today).days,
        version=row["version"],
        updated_at=unstamp(row["updated_at"], tz),
    )
