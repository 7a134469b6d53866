"""The ledgers' columns (整改台账 / 问题清单): what each sheet shows, in which order.

The problem and measure columns carry the same headers as the self-inspection sheet, so an
exported ledger can be imported again: 问题ID and 措施ID name the cases already in the log
(their rows are counted as present, a row added under a 问题ID is a new measure of that
problem); the other extra columns — 序号, 整改进展, 状态 … — are only read by people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from application.ledger_scan import Ledger, LedgerIssue, LedgerItem
from application.sheet_rows import HEADERS, assets_text
from domain.campaign import Campaign
from domain.taxonomy import (
    CATEGORIES,
    INVOLVES,
    ISSUE_STATUS_LABELS,
    MEASURE_TYPES,
    SOURCES,
)

Cell = str | int | date | None


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    is_date: bool = False
    wrap: bool = False


def _c(key: str, width: int, **kwargs: bool) -> Column:
    return Column(HEADERS[key], width, **kwargs)


ISSUE_PART = (
    _c("office", 9),
    _c("office_name", 12),
    _c("issue_no", 8),
    _c("category", 14),
    _c("subtype", 20),
    _c("source", 10),
    _c("title", 28, wrap=True),
    _c("description", 36, wrap=True),
    _c("assets", 24, wrap=True),
    _c("found_on", 12, is_date=True),
)
ITEM_PART = (
    _c("measure", 36, wrap=True),
    _c("measure_type", 14),
    _c("involves", 12),
    _c("responsible", 10),
    _c("deadline", 12, is_date=True),
)
SEQUENCE = Column("序号", 6)
ISSUE_ID, ITEM_ID = _c("issue_id", 38), _c("item_id", 38)
ITEM_COLUMNS = (
    SEQUENCE,
    *ISSUE_PART,
    *ITEM_PART,
    Column("整改进展", 30, wrap=True),
    Column("完成日期", 12, is_date=True),
    Column("状态", 14),
    Column("是否逾期", 9),
    ISSUE_ID,
    ITEM_ID,
)
ISSUE_COLUMNS = (
    SEQUENCE,
    *ISSUE_PART,
    Column("整改措施数", 10),
    Column("核查通过数", 10),
    Column("状态", 10),
    ISSUE_ID,
)


def _issue_cells(campaign: Campaign, issue: LedgerIssue) -> list[Cell]:
    label, subtypes = CATEGORIES[issue.category]
    return [
        issue.office,
        campaign.unit(issue.office).name,
        str(issue.number),
        label,
        subtypes[issue.subtype],
        SOURCES[issue.source],
        issue.title,
        issue.description,
        assets_text(issue.assets),
        issue.found_on,
    ]


def _item_cells(item: LedgerItem | None) -> list[Cell]:
    if item is None:
        return [None] * (len(ITEM_PART) + 5)
    return [
        item.measure,
        MEASURE_TYPES[item.measure_type],
        INVOLVES[item.involves],
        item.responsible,
        item.deadline,
        item.progress,
        item.rectified_on if item.completed else None,
        item.status_text,
        "是" if item.overdue else "否",
        str(item.id),
    ]


def item_rows(campaign: Campaign, ledger: Ledger) -> list[list[Cell]]:
    """One row per measure; a problem with no measure yet has one row of its own."""
    rows: list[list[Cell]] = []
    for issue in ledger.issues:
        head = _issue_cells(campaign, issue)
        for item in issue.items or (None,):
            cells = _item_cells(item)
            rows.append([len(rows) + 1, *head, *cells[:-1], str(issue.id), cells[-1]])
    return rows


def issue_rows(campaign: Campaign, ledger: Ledger) -> list[list[Cell]]:
    return [
        [
            n,
            *_issue_cells(campaign, issue),
            len(issue.items),
            sum(not item.is_open for item in issue.items),
            ISSUE_STATUS_LABELS[issue.status],
            str(issue.id),
        ]
        for n, issue in enumerate(ledger.issues, start=1)
    ]
