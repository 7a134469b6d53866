"""``rectify export`` and ``rectify import``: the Excel ledgers and the self-inspection sheet."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import typer
from rich.progress import Progress
from rich.table import Table

from api.cli.common import (
    OUT,
    OUT_NAMES,
    acting,
    console,
    container,
    err_console,
    output_file,
    reader,
    write_output,
)
from api.cli.readers import ISSUE_SORT, ITEM_SORT, SOURCE, fresh_views, parse_moment
from api.http.exports import selected_ledger, sheet_scope
from api.http.sheet_rules import SHEET_RULES
from application.imports import SheetRejected
from infrastructure.spreadsheets.reader import read_sheet
from infrastructure.spreadsheets.workbook import issues_workbook, items_workbook, template_workbook

export_cli = typer.Typer(
    help="Export the ledgers and the blank template as XLSX.", no_args_is_help=True
)
import_cli = typer.Typer(
    help="Import an office's filled self-inspection sheet.", no_args_is_help=True
)

OFFICE = typer.Option(None, "--office", help="An office code (with its sub-offices)")
AS_OF = typer.Option(None, "--as-of", help="The ledger as it stood then (date or time)")
LIGHT = typer.Option(None, help="green | yellow | red")


def _export(kind: str, out: Path, as_of: str | None, filters: dict[str, Any]) -> None:
    """The sheet of the rows ``rectify ledger`` lists with these filters, every page, in its
    order (the API's and the console's sheets select theirs the same way)."""
    output_file(out, option=OUT_NAMES)
    with fresh_views() as built:
        tz, today = ZoneInfo(built.campaign.timezone), built.app.today()
        at = parse_moment(as_of, tz, end_of_day=True, what="--as-of", today=today)
        ledger = selected_ledger(
            built, reader(), rows=kind, offices=None, as_of=at, filters=filters, wait=False
        )
        build = issues_workbook if kind == "issues" else items_workbook
        scope = sheet_scope(built.campaign, filters["office"], None)
        write_output(out, build(built.campaign, ledger, scope=scope))


@export_cli.command("issues")
def export_issues(
    out: Path = OUT,
    office: str = OFFICE,
    as_of: str = AS_OF,
    category: str = typer.Option(None),
    status: str = typer.Option(None, help="open | closed | reported"),
    source: str = SOURCE,
    light: str = LIGHT,
    sort: str = ISSUE_SORT,
) -> None:
    """问题清单 as XLSX."""
    filters = {"office": office, "category": category, "status": status, "source": source}
    _export("issues", out, as_of, filters | {"light": light, "sort": sort})


@export_cli.command("items")
def export_items(
    out: Path = OUT,
    office: str = OFFICE,
    as_of: str = AS_OF,
    category: str = typer.Option(None),
    status: str = typer.Option(None),
    overdue: bool = typer.Option(None, "--overdue/--not-overdue"),
    light: str = LIGHT,
    sort: str = ITEM_SORT,
) -> None:
    """整改台账 as XLSX (importable again as a self-inspection sheet)."""
    filters = {"office": office, "category": category, "status": status, "overdue": overdue}
    _export("items", out, as_of, filters | {"light": light, "sort": sort})


@export_cli.command("template")
def export_template(out: Path = OUT, office: str = typer.Option(..., "--office")) -> None:
    """The blank self-inspection sheet for one office."""
    output_file(out, option=OUT_NAMES)
    with container() as built:
        built.campaign.office(office)
        write_output(out, template_workbook(built.campaign, office=office))


def import_summary(extra: dict[str, Any], tz: ZoneInfo) -> str:
    """What an import did, as the console's import page says it."""
    if extra.get("already_imported"):
        when = datetime.fromisoformat(extra["imported_at"]).astimezone(tz)
        return f"该文件此前已于{when:%Y-%m-%d %H:%M}导入，本次没有新增任何数据。"
    created, existing = extra["created"], extra["existing"]
    said = f"导入完成：新增问题{created['issues']}项、整改事项{created['items']}项"
    if existing["issues"] or existing["items"]:
        said += f"；已存在问题{existing['issues']}项、整改事项{existing['items']}项（未重复登记）"
    return said + "。"


@import_cli.command("self-inspection")
def import_self_inspection(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The filled .xlsx"),
    office: str = typer.Option(..., "--office", help="The office whose sheet this is"),
    as_user: str = typer.Option(..., "--as", help="The account that imports (office staff)"),
) -> None:
    """Check every row, then import all or nothing; the same file twice imports once."""
    with container() as built:
        caller = acting(built.app, as_user)
        try:
            sheet = read_sheet(file.read_bytes(), file_name=file.name)
            with Progress(console=err_console, transient=True) as progress:
                tasks: dict[str, object] = {}

                def report(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        label = {"check": "检查各行", "import": "导入问题"}[stage]
                        tasks[stage] = progress.add_task(label, total=total)
                    progress.update(tasks[stage], completed=done)  # type: ignore[arg-type]

                result = built.app.import_self_inspection(
                    caller, office=office, sheet=sheet, rules=SHEET_RULES, progress=report
                )
        except SheetRejected as exc:
            table = Table(title=exc.message)
            for column in ("行", "列", "错误"):
                table.add_column(column)
            for error in exc.errors:
                table.add_row(str(error.row), error.column, error.message)
            err_console.print(table)
            raise typer.Exit(1) from None
        extra = result.extra
        console.print(import_summary(extra, ZoneInfo(built.campaign.timezone)))
