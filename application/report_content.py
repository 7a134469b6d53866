"""What a rectification report says: figures per category and office, ledgers, open items.

An office's report (整改情况报告) goes to the coordination office; the consolidated report
goes to the Provincial Government General Office and cites the audit trail's latest signed
digest when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from application.ledger_scan import Ledger, LedgerIssue, LedgerItem
from application.paperwork import (
    BODY,
    HEADING,
    AuditDigest,
    Block,
    FormalDocument,
    Paragraph,
    Table,
    chinese_date,
    chinese_moment,
)
from domain.campaign import Campaign
from domain.milestones import STATUS_LABELS, MilestoneStatus
from domain.office_record import LIAISON_LEVELS, OfficeRecord
from domain.taxonomy import CATEGORIES, COORDINATION_UNIT

_FIGURE_HEADERS = ("问题数", "已销号", "整改事项", "核查通过", "逾期未完成", "完成率")


@dataclass(frozen=True)
class Figures:
    issues: int
    closed: int
    items: int
    verified: int
    overdue: int

    @property
    def percent(self) -> str:
        return f"{self.verified * 100 / self.items:.1f}%" if self.items else "—"

    def cells(self) -> tuple[str, ...]:
        return (
            str(self.issues),
            str(self.closed),
            str(self.items),
            str(self.verified),
            str(self.overdue),
            self.percent,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "issues": self.issues,
            "closed": self.closed,
            "items": self.items,
            "verified": self.verified,
            "overdue": self.overdue,
        }


def figures(ledger: Ledger, *, office: str | None = None, category: str | None = None) -> Figures:
    issues = [
        i
        for i in ledger.issues
        if (office is None or i.office == office) and (category is None or i.category == category)
    ]
    items = [item for issue in issues for item in issue.items]
    return Figures(
        issues=len(issues),
        closed=sum(i.status in ("closed", "reported") for i in issues),
        items=len(items),
        verified=sum(not item.is_open for item in items),
        overdue=sum(item.overdue for item in items),
    )


def statistics(campaign: Campaign, ledger: Ledger, offices: Iterable[str]) -> dict[str, Any]:
    return {
        "total": figures(ledger).as_dict(),
        "by_category": {c: figures(ledger, category=c).as_dict() for c in CATEGORIES},
        "by_office": {o: figures(ledger, office=o).as_dict() for o in offices},
    }


_NO_PLAN = "（尚未制定整改措施）"


def _rows(
    campaign: Campaign, ledger: Ledger, *, open_only: bool
) -> list[tuple[LedgerIssue, LedgerItem | None]]:
    """Each item with its problem; a problem with no plan yet stands alone."""
    rows: list[tuple[LedgerIssue, LedgerItem | None]] = []
    for issue in ledger.issues:
        if not issue.items:
            rows.append((issue, None))
        rows += [(issue, i) for i in issue.items if i.is_open or not open_only]
    return rows


def _deadline(item: LedgerItem | None) -> str:
    if item is None:
        return ""
    return item.deadline.isoformat() + ("（已延期）" if item.extensions else "")


def _status(item: LedgerItem | None) -> str:
    if item is None:
        return "待制定方案"
    return item.status_text + ("（逾期）" if item.overdue else "")


def _extended_past_end(campaign: Campaign, ledger: Ledger) -> str:
    """The measures still open, not yet overdue, whose deadline the coordination office
    extended past the rectification phase: the report says so rather than count them as on
    time (one overdue already is counted as overdue, not again here)."""
    end = campaign.rectification_end
    late = [
        item
        for issue in ledger.issues
        for item in issue.items
        if item.is_open and not item.overdue and item.deadline > end
    ]
    if not late:
        return ""
    return (
        f"；另有{len(late)}项整改措施经批准延期，"
        f"完成时限晚于分类整改阶段结束日（{chinese_date(end)}）"
    )


def ledger_table(campaign: Campaign, ledger: Ledger) -> Table:
    return Table(
        caption="整改台账",
        headers=(
            "序号",
            "单位",
            "问题类别",
            "问题",
            "整改措施",
            "责任人",
            "完成时限",
            "整改进展",
            "状态",
        ),
        rows=[
            (
                str(n),
                campaign.unit(issue.office).name,
                CATEGORIES[issue.category][0],
                issue.title,
                item.measure if item else _NO_PLAN,
                item.responsible if item else "",
                item.deadline.isoformat() if item else "",
                item.progress if item else "",
                _status(item),
            )
            for n, (issue, item) in enumerate(_rows(campaign, ledger, open_only=False), start=1)
        ],
        widths=(2, 5, 5, 16, 18, 3, 5, 16, 5),
    )


def open_items_table(campaign: Campaign, ledger: Ledger) -> Table:
    return Table(
        caption="尚未完成整改的事项及整改计划",
        headers=("序号", "单位", "问题", "整改措施（计划）", "责任人", "完成时限", "当前状态"),
        rows=[
            (
                str(n),
                campaign.unit(issue.office).name,
                issue.title,
                item.measure if item else _NO_PLAN,
                item.responsible if item else "",
                _deadline(item),
                _status(item),
            )
            for n, (issue, item) in enumerate(_rows(campaign, ledger, open_only=True), start=1)
        ],
        widths=(2, 5, 16, 24, 3, 5, 6),
    )


def figures_tables(campaign: Campaign, ledger: Ledger, offices: list[str]) -> list[Block]:
    by_category = [
        (label, *figures(ledger, category=code).cells()) for code, (label, _) in CATEGORIES.items()
    ]
    by_office = [(campaign.unit(o).name, *figures(ledger, office=o).cells()) for o in offices]
    total = ("合计", *figures(ledger).cells())
    return [
        Table("按问题类别统计", ("问题类别", *_FIGURE_HEADERS), [*by_category, total]),
        Table("按单位统计", ("单位", *_FIGURE_HEADERS), [*by_office, total]),
    ]


def work_group_text(
    campaign: Campaign, records: Mapping[str, OfficeRecord | None], office: str
) -> str:
    """The office's own work group; else the nearest parent office's, which answers for it
    (as its milestones count it); else that it has named none."""
    name = campaign.unit(office).name
    own = _work_group(records.get(office))
    if own is not None:
        group, named_on, changed_on = own
        leader, liaison = group["leader"], group["liaison"]
        changed = f"{chinese_date(changed_on)}调整，" if changed_on is not None else ""
        return (
            f"{name}于{chinese_date(named_on)}成立工作专班，{changed}由{leader['title']}"
            f"{leader['name']}任分管领导（电话{leader['phone']}），"
            f"{liaison['title']}{liaison['name']}"
            f"（{LIAISON_LEVELS.get(liaison.get('level', ''), '')}）任联络员"
            f"（电话{liaison['phone']}）。"
        )
    for parent in campaign.above(office):
        covering = _work_group(records.get(parent))
        if covering is not None:
            return (
                f"{name}由{campaign.unit(parent).name}于{chinese_date(covering[1])}"
                "成立的工作专班统筹开展整治工作。"
            )
    return f"{name}尚未报送工作专班名单。"


def _work_group(
    record: OfficeRecord | None,
) -> tuple[dict[str, dict[str, str]], date, date | None] | None:
    """The work group a record names as it stands, the day it was named and the day of its
    latest change (None: never changed)."""
    if record is None or record.work_group is None or record.work_group_named_on is None:
        return None
    return record.work_group, record.work_group_named_on, record.work_group_changed_on


def milestone_table(campaign: Campaign, statuses: list[MilestoneStatus]) -> Table:
    return Table(
        caption="工作节点完成情况",
        headers=("单位", "工作节点", "时限", "完成日期", "完成情况"),
        rows=[
            (
                campaign.unit(s.office).name,
                s.label,
                s.due.isoformat(),
                s.done_on.isoformat() if s.done_on else "—",
                STATUS_LABELS[s.status],
            )
            for s in statuses
        ],
        widths=(9, 24, 9, 9, 9),
    )


def plain_name(name: str) -> str:
    return re.sub(r"（.*?）", "", name)


@dataclass(frozen=True)
class ReportInputs:
    campaign: Campaign
    ledger: Ledger
    office: str | None  # None: the consolidated report
    offices: list[str]
    records: dict[str, OfficeRecord | None]
    milestones: list[MilestoneStatus]
    digest: AuditDigest | None
    today: date
    coordination_office: str


def report_title(inputs: ReportInputs) -> str:
    name = inputs.campaign.name
    if inputs.office is None:
        return f"关于{name}情况的报告"
    return f"{inputs.campaign.unit(inputs.office).name}关于{name}整改情况的报告"


def report_document(inputs: ReportInputs) -> FormalDocument:
    c, ledger, total = inputs.campaign, inputs.ledger, figures(inputs.ledger)
    consolidated = inputs.office is None
    subject = "各驻外办事处" if consolidated else "我办"
    names = "、".join(c.unit(o).name for o in inputs.offices)
    body: list[Block] = [
        Paragraph(
            f"按照《{c.name}方案》要求，{subject}（{names}）认真开展自查自纠，建立资产台账，"
            "列出问题清单，制定整改方案，落实整改措施。现将整改情况报告如下："
        ),
        Paragraph("一、工作开展情况", HEADING),
        *[Paragraph(work_group_text(c, inputs.records, o)) for o in inputs.offices],
        milestone_table(c, inputs.milestones),
        Paragraph("二、问题整改总体情况", HEADING),
        Paragraph(
            f"截至{chinese_date(inputs.today)}，共排查发现问题{total.issues}个，制定整改措施"
            f"{total.items}项；已销号问题{total.closed}个，核查通过的整改事项{total.verified}项，"
            f"整改完成率{total.percent}；逾期未完成整改措施{total.overdue}项"
            f"{_extended_past_end(c, ledger)}。"
        ),
        *figures_tables(c, ledger, inputs.offices),
        Paragraph("三、整改台账", HEADING),
        ledger_table(c, ledger),
        Paragraph("四、尚未完成整改的事项及下一步计划", HEADING),
        open_items_table(c, ledger),
        Paragraph(
            "下一步，将对尚未完成整改的事项逐项明确责任人和完成时限，加快推进整改，"
            "建立完善长效管理机制，防止失管、漏管、脱管。",
            BODY,
        ),
    ]
    if consolidated:
        body.append(Paragraph("五、审计追踪", HEADING))
        body.append(Paragraph(digest_text(inputs.digest, zone=c.timezone)))
    issuer = (
        plain_name(c.unit(COORDINATION_UNIT).name)
        if consolidated
        else c.unit(inputs.office or "").name
    )
    return FormalDocument(
        title=report_title(inputs),
        addressee="省政府办公厅：" if consolidated else f"{inputs.coordination_office}：",
        body=body,
        issuer=issuer,
        dated=inputs.today,
    )


def digest_text(digest: AuditDigest | None, *, zone: str) -> str:
    """The digest's fields, its signing time as read in the campaign's time zone."""
    if digest is None:
        return "截至本报告生成时，审计日志尚无签名摘要。"
    return (
        f"截至本报告生成时，审计日志最新签名摘要：事件序号{digest.position}，"
        f"链头哈希{digest.head_hash}，签名时间{chinese_moment(digest.signed_at, zone)}，"
        f"签名密钥{digest.key_id}，签名{digest.signature}。"
    )
