"""Accountability records (问责线索): lagging, ineffective and falsified work, with proof.

The view keeps, per item, the events that would justify a record — the one that set the
current deadline, each failed verification, each falsification flag and the rectification
claim it concerned — and the read decides which records stand today: an item is lagging
only once its deadline has passed unrectified, which depends on the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.persistence import Tracking

from domain.campaign import Campaign
from domain.issue import Issue
from domain.item import RectificationItem
from domain.office_record import OfficeRecord
from infrastructure.database import SideDatabase
from projections import labels
from projections.base import ViewProjection, citation, handles, restate, unstamp
from projections.ids import id_text
from projections.item_state import ITEM_CORE_COLUMNS, ITEM_EVENTS, apply_item
from projections.lights import RED, LightRule
from projections.milestone_acts import ACT_EVENTS, MilestoneBook, acts_table, record_act
from projections.reading import Where, fetch
from projections.rows import AccountabilityRecord, Citation
from projections.store import Batch
from projections.table import Table

ACC_ITEMS = Table(
    name="view_acc_items",
    key="id",
    columns=(
        "id",
        "issue_id",
        "office",
        "issue_title",
        "measure",
        "responsible",
        *ITEM_CORE_COLUMNS,
        "deadline_cite",
        "rectification_cite",
        "failures",
        "failed_count",
        "flags",
        "flag_count",
    ),
    integers=frozenset({"failed_count", "flag_count"}),
    json=frozenset({"approvals", "deadline_cite", "rectification_cite", "failures", "flags"}),
    indexes=(("office",), ("failed_count",), ("flag_count",), ("deadline",)),
    defaults={"approvals": [], "failures": [], "flags": []},
)

ACC_ISSUES = Table(name="view_acc_issues", key="id", columns=("id", "title"))
ACC_OFFICES = acts_table("view_acc_offices")

_DEADLINE_SETTERS = frozenset({"Planned", "Replanned", "DeadlineExtended"})


class Accountability(ViewProjection):
    name = "accountability"
    label = "问责线索"
    tables = (ACC_ITEMS, ACC_ISSUES, ACC_OFFICES)
    aggregates = (Issue, RectificationItem, OfficeRecord)

    def prefetch(self, event: Any) -> Iterable[tuple[str, str]]:
        if type(event).__qualname__.startswith("OfficeRecord."):
            return [(ACC_OFFICES.name, id_text(event.originator_id))]
        if type(event).__qualname__ == "Issue.Corrected":
            mine = [(ACC_ITEMS.name, id_text(i)) for i in event.items]
            return [(ACC_ISSUES.name, id_text(event.originator_id)), *mine]
        if type(event).__name__ == "Planned":  # a new item: its row is known absent, too
            return [
                (ACC_ISSUES.name, id_text(event.issue_id)),
                (ACC_ITEMS.name, id_text(event.originator_id)),
            ]
        return [(ACC_ITEMS.name, id_text(event.originator_id))]

    @handles("Issue.Found")
    def found(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        batch.put(ACC_ISSUES.name, {"id": id_text(event.originator_id), "title": event.title})

    @handles("Issue.Corrected")
    def corrected(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        restate(batch, ACC_ISSUES.name, [event.originator_id], title=event.title)
        restate(batch, ACC_ITEMS.name, event.items, issue_title=event.title)

    @handles(*ACT_EVENTS)
    def milestone_act(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        record_act(batch, ACC_OFFICES, event, tracking)

    @handles(*ITEM_EVENTS, "RectificationItem.Reassigned")
    def item_moved(self, batch: Batch, event: Any, tracking: Tracking) -> None:
        kind = type(event).__name__
        key = id_text(event.originator_id)
        row = batch.get(ACC_ITEMS.name, key)
        if row is None:
            issue = batch.get(ACC_ISSUES.name, id_text(event.issue_id))
            row = ACC_ITEMS.blank(
                id=key,
                issue_id=id_text(event.issue_id),
                office=event.office,
                issue_title=issue["title"] if issue else "",
            )
        if kind in ("Planned", "Replanned"):
            row.update(measure=event.measure, responsible=event.responsible)
        elif kind == "Reassigned":
            row["responsible"] = event.responsible
        if kind in _DEADLINE_SETTERS:
            row["deadline_cite"] = citation(event, tracking)
        elif kind == "Rectified":
            row["rectification_cite"] = citation(event, tracking)
        elif kind == "VerificationFailed":
            row["failures"] = [*row["failures"], citation(event, tracking)]
            row["failed_count"] = len(row["failures"])
        elif kind == "FalsificationFlagged":
            row["flags"] = [*row["flags"], citation(event, tracking)]
            row["flag_count"] = len(row["flags"])
        if kind != "Reassigned":
            apply_item(row, event)
        batch.put(ACC_ITEMS.name, row)


def read_accountability(
    db: SideDatabase,
    campaign: Campaign,
    rule: LightRule,
    *,
    offices: frozenset[str] | None,
    kinds: tuple[str, ...],
) -> list[AccountabilityRecord]:
    tz = ZoneInfo(campaign.timezone)
    red, red_params = rule.sql(RED)
    wanted = {"lagging": red, "ineffective": "failed_count >= 2", "falsified": "flag_count >= 1"}
    where = Where()
    if offices is not None:
        where.among("office", offices)
    either = " OR ".join(wanted[k] for k in kinds)
    where.add(f"({either})", *(red_params if "lagging" in kinds else []))
    rows = fetch(
        db,
        f"SELECT {', '.join(ACC_ITEMS.columns)} FROM {ACC_ITEMS.name}{where.sql()} "
        "ORDER BY office, deadline, id",
        where.params,
    )
    records = []
    for values in rows:
        item = ACC_ITEMS.decode(values)
        deadline = date.fromisoformat(item["deadline"])
        for kind in kinds:
            found = _record(kind, item, deadline, rule, tz)
            if found is not None:
                reason, since, cites = found
                records.append(_build(kind, item, campaign, reason, since, cites, tz))
    if "lagging" in kinds:
        records.extend(_missed_milestones(db, campaign, rule, offices, tz))
    return sorted(records, key=lambda r: (r.office, r.kind, r.since or rule.today, r.id))


def _missed_milestones(
    db: SideDatabase,
    campaign: Campaign,
    rule: LightRule,
    offices: frozenset[str] | None,
    tz: ZoneInfo,
) -> list[AccountabilityRecord]:
    """An office that missed a milestone (still outstanding, or met only late) is lagging."""
    book = MilestoneBook(db, ACC_OFFICES, campaign, rule.today)
    records = []
    for status in book.statuses:
        if not status.missed or (offices is not None and status.office not in offices):
            continue
        due = status.due.isoformat()
        if status.done_on is None:
            reason = f"未按期完成「{status.label}」（应于{due}前完成），已逾期{status.days_late}天"
        else:
            reason = (
                f"「{status.label}」应于{due}前完成，{status.done_on.isoformat()}才完成，"
                f"逾期{status.days_late}天"
            )
        cite = book.cite(status)
        records.append(
            AccountabilityRecord(
                id=f"lagging:{status.office}:{status.code}",
                kind="lagging",
                kind_label=labels.ACCOUNTABILITY_KINDS["lagging"],
                office=status.office,
                office_name=campaign.unit(status.office).name,
                issue_id=None,
                item_id=None,
                issue_title="",
                measure=status.label,
                responsible="",
                reason=reason,
                since=status.due,
                citations=[_citation(cite, tz)] if cite is not None else [],
            )
        )
    return records


def _record(
    kind: str, item: dict[str, Any], deadline: date, rule: LightRule, tz: ZoneInfo
) -> tuple[str, date | None, list[dict[str, Any]]] | None:
    measure = item["measure"]
    if kind == "lagging" and rule.overdue(item["status"], deadline):
        late = (rule.today - deadline).days
        reason = (
            f"整改事项「{measure}」完成时限为{deadline.isoformat()}，已逾期{late}天仍未完成整改"
        )
        return reason, deadline, [item["deadline_cite"]]
    if kind == "ineffective" and item["failed_count"] >= 2:
        reason = f"整改事项「{measure}」核查{item['failed_count']}次未通过，整改成效不明显"
        last = unstamp(item["failures"][1]["recorded_at"], tz).date()
        return reason, last, item["failures"]
    if kind == "falsified" and item["flag_count"] >= 1:
        flag = item["flags"][-1]
        reason = f"整改事项「{measure}」被认定存在弄虚作假：{flag['comment']}"
        claim = [item["rectification_cite"]] if item["rectification_cite"] else []
        return reason, unstamp(flag["recorded_at"], tz).date(), [*claim, *item["flags"]]
    return None


def _build(
    kind: str,
    item: dict[str, Any],
    campaign: Campaign,
    reason: str,
    since: date | None,
    cites: list[dict[str, Any]],
    tz: ZoneInfo,
) -> AccountabilityRecord:
    return AccountabilityRecord(
        id=f"{kind}:{item['id']}",
        kind=kind,
        kind_label=labels.ACCOUNTABILITY_KINDS[kind],
        office=item["office"],
        office_name=campaign.unit(item["office"]).name,
        issue_id=UUID(item["issue_id"]),
        item_id=UUID(item["id"]),
        issue_title=item["issue_title"],
        measure=item["measure"],
        responsible=item["responsible"],
        reason=reason,
        since=since,
        citations=[_citation(c, tz) for c in sorted(cites, key=lambda c: c["position"])],
    )


def _citation(cite: dict[str, Any], tz: ZoneInfo) -> Citation:
    return Citation(
        position=int(cite["position"]),
        event_type=cite["event_type"],
        aggregate_id=UUID(cite["aggregate_id"]),
        actor_id=cite["actor_id"],
        actor_name=cite["actor_name"],
        actor_role=cite["actor_role"],
        actor_unit=cite["actor_unit"],
        recorded_at=unstamp(cite["recorded_at"], tz),
        comment=cite["comment"],
    )
