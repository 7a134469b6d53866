"""CLI readers of the read models: ledgers, progress, accountability and the audit log.

Each brings the views up to date first (the embedded mode has no worker), then prints a
table. ``--as-of`` and ``--since`` take a date (the whole day, in the campaign's zone) or a
time (``2026-09-01T12:00``, in the campaign's zone unless it names its own offset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from api.cli.common import console, container, err_console, fail, parse_uuid, unit_name
from api.moments import LaterThanToday, OutOfYears, read_as_of, read_moment
from application.accountability import EVENT_LABELS
from infrastructure.container import Container
from projections import labels
from projections.ledger_reads import ISSUE_SORTS, ITEM_SORTS
from projections.lights import LIGHT_LABELS
from projections.queries import ReadModels
from projections.reading import office_scope
from projections.rows import IssueRow, ItemRow, Page, ProgressCounts

ledger_cli = typer.Typer(help="问题清单 and 整改台账.", no_args_is_help=True)

_LIGHT_STYLE = {"red": "red", "yellow": "yellow", "green": "green"}


@contextmanager
def fresh_views() -> Iterator[Container]:
    with container() as built:
        built.projections.catch_up()
        yield built


def parse_moment(
    value: str | None, tz: ZoneInfo, *, end_of_day: bool, what: str, today: date | None = None
) -> datetime | None:
    """An option's moment; with ``today``, an as-of moment (on today at the latest)."""
    if value is None:
        return None
    try:
        if today is not None:
            return read_as_of(value, tz, today=today)
        return read_moment(value, tz, end_of_day=end_of_day)
    except (OutOfYears, LaterThanToday) as exc:
        fail(f"{what} {exc}, got {value!r}")
    except ValueError:
        fail(f"{what} must be a date (2026-09-01) or a time (2026-09-01T12:00), got {value!r}")


def _light(code: str) -> str:
    return f"[{_LIGHT_STYLE[code]}]●{LIGHT_LABELS[code]}[/]"


def _table(title: str, page: Page[Any] | None, *columns: str) -> Table:
    caption = (
        f"第{page.page}/{max(page.pages, 1)}页，共{page.total}条" if page is not None else None
    )
    table = Table(title=title, caption=caption)
    for column in columns:
        table.add_column(column)
    return table


def _print_ledger(
    title: str,
    as_of: str | None,
    columns: tuple[str, ...],
    read: Callable[[ReadModels, datetime | None], Page[Any]],
    cells: Callable[[Any], list[str]],
) -> None:
    with fresh_views() as built:
        tz = ZoneInfo(built.campaign.timezone)
        at = parse_moment(as_of, tz, end_of_day=True, what="--as-of", today=built.app.today())
        found = read(built.read_models, at)
        table = _table(title + (f"（截至{at:%Y-%m-%d %H:%M}）" if at else ""), found, *columns)
        for row in found.items:
            table.add_row(*cells(row))
        console.print(table)


ISSUE_COLUMNS = (
    "灯",
    "单位",
    "问题类别",
    "问题",
    "来源",
    "发现日期",
    "状态",
    "事项（核查通过/总数）",
)
ITEM_COLUMNS = ("灯", "单位", "问题", "整改措施", "责任人", "完成时限", "延期", "状态", "提示")


def _issue_cells(row: IssueRow) -> list[str]:
    return [
        _light(row.light),
        row.office_name,
        f"{row.category_label}/{row.subtype_label}",
        row.title,
        row.source_label,
        row.found_on.isoformat(),
        row.status_label,
        f"{row.items_verified}/{row.items_total}",
    ]


def _item_cells(row: ItemRow) -> list[str]:
    notes = [f"核查未通过{row.failed_verifications}次"] if row.failed_verifications else []
    notes += ["弄虚作假"] if row.falsified else []
    if row.status == "approval_requested":
        notes.append(f"待{'、'.join(row.missing_approvals)}审批")
    notes += [labels.CLAIM_FLAGS[f] for f in row.claim_flags]
    return [
        _light(row.light),
        row.office_name,
        row.issue_title,
        row.measure,
        row.responsible,
        row.deadline.isoformat(),
        str(row.extensions or ""),
        row.status_label,
        "；".join(notes),
    ]


SOURCE = typer.Option(
    None, help="self_inspection | spot_check | annual_supervision | inspection_tour"
)
_SORT_HELP = "A column of the list ({}); - in front: descending"
ISSUE_SORT = typer.Option("-found_on", help=_SORT_HELP.format(", ".join(ISSUE_SORTS)))
ITEM_SORT = typer.Option("deadline", help=_SORT_HELP.format(", ".join(ITEM_SORTS)))


@ledger_cli.command("issues")
def issues(
    office: str = typer.Option(None, help="An office (its sub-offices included)"),
    as_of: str = typer.Option(None, "--as-of", help="The ledger as it stood then"),
    status: str = typer.Option(None, help="open | closed | reported"),
    category: str = typer.Option(None),
    source: str = SOURCE,
    light: str = typer.Option(None, help="green | yellow | red"),
    sort: str = ISSUE_SORT,
    page: int = typer.Option(1),
    page_size: int = typer.Option(50),
) -> None:
    """问题清单: a row per issue, with its items' progress."""
    _print_ledger(
        "问题清单",
        as_of,
        ISSUE_COLUMNS,
        lambda models, at: models.issues(
            offices=None,
            office=office,
            status=status,
            category=category,
            source=source,
            light=light,
            sort=sort,
            page=page,
            page_size=page_size,
            as_of=at,
        ),
        _issue_cells,
    )


@ledger_cli.command("items")
def items(
    office: str = typer.Option(None, help="An office (its sub-offices included)"),
    as_of: str = typer.Option(None, "--as-of", help="The ledger as it stood then"),
    status: str = typer.Option(None),
    category: str = typer.Option(None),
    overdue: bool = typer.Option(None, "--overdue/--not-overdue"),
    light: str = typer.Option(None, help="green | yellow | red"),
    sort: str = ITEM_SORT,
    page: int = typer.Option(1),
    page_size: int = typer.Option(50),
) -> None:
    """整改台账: a row per rectification item."""
    _print_ledger(
        "整改台账",
        as_of,
        ITEM_COLUMNS,
        lambda models, at: models.items(
            offices=None,
            office=office,
            status=status,
            category=category,
            overdue=overdue,
            light=light,
            sort=sort,
            page=page,
            page_size=page_size,
            as_of=at,
        ),
        _item_cells,
    )


def progress(office: str = typer.Option(None, help="Only this office and its sub-offices")) -> None:
    """整改进度: per office and per category, with lights for today."""
    with fresh_views() as built:
        offices = office_scope(built.campaign, None, office)
        view = built.read_models.progress(offices=offices)
        columns = (
            "灯",
            "单位",
            "问题（销号/总数）",
            "未定措施",
            "事项",
            "核查通过",
            "完成率",
            "逾期",
            "临期",
        )
        table = _table(f"整改进度（{view.today.isoformat()}）", None, *columns)
        for row in view.offices:
            name = row.name if not row.sub_offices else f"{row.name}（含下属）"
            table.add_row(
                *_progress_cells(("  " if row.parent else "") + name, row.with_sub_offices)
            )
        table.add_row(*_progress_cells("合计", view.total))
        console.print(table)


def _progress_cells(name: str, counts: ProgressCounts) -> list[str]:
    return [
        _light(counts.light),
        name,
        f"{counts.issues_closed}/{counts.issues}",
        str(counts.unplanned),
        str(counts.total),
        str(counts.verified),
        f"{counts.percent_verified:.1f}%",
        str(counts.overdue),
        str(counts.due_soon),
    ]


def accountability(
    kind: str = typer.Option(None, help="lagging | ineffective | falsified"),
    office: str = typer.Option(None, help="Only this office and its sub-offices"),
) -> None:
    """问责线索: lagging, ineffective and falsified work, citing the events."""
    with fresh_views() as built:
        offices = office_scope(built.campaign, None, office)
        records = built.read_models.accountability(offices=offices, kind=kind)
        columns = ("类型", "单位", "整改事项", "责任人", "事由", "依据（位置 事件 操作人 时间）")
        table = _table("问责线索", None, *columns)
        for record in records:
            cites = "\n".join(
                f"#{c.position} {EVENT_LABELS.get(c.event_type, c.event_type)} {c.actor_name} "
                f"{c.recorded_at:%Y-%m-%d %H:%M}"
                for c in record.citations
            )
            row = (record.kind_label, record.office_name, record.measure, record.responsible)
            table.add_row(*row, record.reason, cites)
        console.print(table)


def audit(
    actor: str = typer.Option(None, help="Account id, username or display name"),
    unit: str = typer.Option(None, help="The actor's unit"),
    case: str = typer.Option(None, help="An issue (with its items) or an item id"),
    since: str = typer.Option(None, help="From this date or time"),
    until: str = typer.Option(None, help="Up to this date or time"),
    page: int = typer.Option(1),
    page_size: int = typer.Option(100),
    routine: bool = typer.Option(
        True, help="--no-routine: leave out sign-ins and the records' own bookkeeping"
    ),
) -> None:
    """审计日志: every event, newest first."""
    with fresh_views() as built:
        codes = [u.code for u in built.campaign.units]
        if unit is not None and unit not in codes:
            fail(f"unknown unit {unit!r} (--unit): one of {', '.join(codes)}")
        tz = ZoneInfo(built.campaign.timezone)
        found = built.read_models.audit_events(
            actor=actor,
            unit=unit,
            case=parse_uuid(case, what="--case") if case else None,
            since=parse_moment(since, tz, end_of_day=False, what="--since"),
            until=parse_moment(until, tz, end_of_day=True, what="--until"),
            page=page,
            page_size=page_size,
            routine=routine,
        )
        table = _table("审计日志", found, "位置", "时间", "操作人", "角色", "单位", "记录", "摘要")
        for row in found.items:
            table.add_row(
                str(row.position),
                f"{row.recorded_at:%Y-%m-%d %H:%M}",
                row.actor_name,
                labels.role(row.actor_role),
                unit_name(built.campaign, row.actor_unit),
                f"{labels.AGGREGATES.get(row.aggregate_type, row.aggregate_type)}#{row.version}"
                f" {EVENT_LABELS.get(row.event_type, '')}".rstrip(),
                row.summary,
            )
        console.print(table)
        if actor and found.total == 0:
            err_console.print(
                f"no events by {actor!r} (--actor): give an account's username (coord), its "
                "id, or its whole display name (王协调（国资处）)"
            )


def register(cli: typer.Typer) -> None:
    cli.add_typer(ledger_cli, name="ledger")
    cli.command("progress")(progress)
    cli.command("accountability")(accountability)
    cli.command("audit")(audit)
