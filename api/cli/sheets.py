"""``rectify export`` and ``rectify import``: the Excel ledgers and the self-inspection sheet."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

import typer
from rich.progress import Progress
from rich.table import Table

from api.cli.common import (
    OUT,
    OUT_NAMES,
    console,
    container,
    err_console,
    fail,
    output_file,
    reader,
    write_output,
)
from api.cli.readers import parse_moment
from api.http.sheet_rules import SHEET_RULES
from application.errors import AuthenticationFailed
from application.imports import SheetRejected
from application.principal import Caller
from application.service import RectifyApp
from domain.account import Account
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


def acting(app: RectifyApp, username: str) -> Caller:
    """The account a command from the command line acts as (recorded on every event)."""
    try:
        principal = app.principal(Account.create_id(username))
    except AuthenticationFailed:
        fail(f"--as: no active account {username!r}")
    return Caller(principal, request_id=f"cli-{uuid4().hex[:16]}")


def _export(
    kind: str,
    out: Path,
    office: str | None,
    category: str | None,
    status: str | None,
    overdue: bool | None,
    as_of: str | None,
) -> None:
    output_file(out, option=OUT_NAMES)
    with container() as built:
        tz = ZoneInfo(built.campaign.timezone)
        at = parse_moment(as_of, tz, end_of_day=True, what="--as-of")
        ledger = built.app.ledger(reader(), office=office, as_of=at)
        if kind == "issues":
            data = issues_workbook(
                built.campaign, ledger.filtered(category=category, issue_status=status)
            )
        else:
            ledger = ledger.filtered(category=category, item_status=status, overdue=overdue)
            data = items_workbook(built.campaign, ledger)
        write_output(out, data)


@export_cli.command("issues")
def export_issues(
    out: Path = OUT,
    office: str = OFFICE,
    as_of: str = AS_OF,
    category: str = typer.Option(None),
    status: str = typer.Option(None),
) -> None:
    """问题清单 as XLSX."""
    _export("issues", out, office, category, status, None, as_of)


@export_cli.command("items")
def export_items(
    out: Path = OUT,
    office: str = OFFICE,
    as_of: str = AS_OF,
    category: str = typer.Option(None),
    status: str = typer.Option(None),
    overdue: bool = typer.Option(None, "--overdue/--not-overdue"),
) -> None:
    """整改台账 as XLSX (importable again as a self-inspection sheet)."""
    _export("items", out, office, category, status, overdue, as_of)


@export_cli.command("template")
def export_template(out: Path = OUT, office: str = typer.Option(..., "--office")) -> None:
    """The blank self-inspection sheet for one office."""
    output_file(out, option=OUT_NAMES)
    with container() as built:
        built.campaign.office(office)
        write_output(out, template_workbook(built.campaign, office=office))


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
        if extra.get("already_imported"):
            console.print(f"already imported on {extra['imported_at']}: nothing new")
        else:
            console.print(f"created {extra['created']}, already present {extra['existing']}")
