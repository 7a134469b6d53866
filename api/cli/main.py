"""``rectify``: the command line of the case ledger."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from api.cli.audit_trail import register as register_audit_trail
from api.cli.common import console, container, fail, parse_uuid, reader, settings, unit_name
from api.cli.documents import register as register_documents
from api.cli.projections import register as register_projections
from api.cli.readers import register as register_readers
from application.accountability import EVENT_LABELS
from application.demo import load_demo
from application.errors import NotFound
from infrastructure.chain_setup import ChainSetupError, prepare_postgres_log
from infrastructure.database import DatabaseUrl
from infrastructure.demo_calendar import (
    DEMO_CAMPAIGN_FILE,
    demo_calendar_applies,
    write_calendar_around,
)
from projections import labels

cli = typer.Typer(
    help="整改台账 rectify: the event-sourced case ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database tables.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
register_projections(cli)
register_readers(cli)
register_documents(cli)
register_audit_trail(cli)

HISTORY_COLUMNS = ("位置", "时间", "操作人", "角色", "单位", "记录", "事件", "意见/理由")


@db_cli.command("init")
def db_init() -> None:
    """Create the event store and side tables (safe to run again).

    On PostgreSQL the event, snapshot and chain tables are created as the owner
    (RECTIFY_OWNER_DATABASE_URL, else RECTIFY_DATABASE_URL) with triggers refusing UPDATE,
    DELETE and TRUNCATE; a separate service role gets only SELECT and INSERT on them.
    """
    loaded = settings()
    if DatabaseUrl.parse(loaded.database_url).dialect == "postgres":
        try:
            setup = prepare_postgres_log(loaded)
        except ChainSetupError as exc:
            fail(str(exc))
        except Exception as exc:  # the owner cannot connect, or lacks a right
            fail(f"cannot prepare the event log as the owner ({type(exc).__name__}): {exc}")
        tables = ", ".join(setup.append_only_tables)
        if setup.separate_roles:
            console.print(f"event log owned by {setup.owner}; {setup.service} may only read and")
            console.print(f"append to {tables} (UPDATE, DELETE and TRUNCATE are refused)")
        else:
            console.print(f"[yellow]one role ({setup.owner}) owns and writes the event log:[/]")
            console.print("set RECTIFY_OWNER_DATABASE_URL to keep the service append-only")
    with container() as built:
        console.print(f"database ready: {built.settings.database_url}")


@cli.command()
def demo() -> None:
    """Load the demo campaign (dev only; a second run changes nothing)."""
    loaded_settings = settings()
    if loaded_settings.env != "dev":
        fail("the demo is refused unless RECTIFY_ENV=dev")
    if demo_calendar_applies(
        loaded_settings.env, loaded_settings.database_url, loaded_settings.campaign_file
    ):
        with container() as built:
            if not built.app.account_exists("coord"):
                write_calendar_around(DEMO_CAMPAIGN_FILE, built.app.today())
                console.print(f"demo calendar written to {DEMO_CAMPAIGN_FILE}")
    with container() as built:
        loaded = load_demo(built.app, today=built.app.today(), keep_evidence=built.keep_evidence)
        console.print("demo campaign loaded" if loaded else "demo campaign already present")


@cli.command()
def history(case_id: str = typer.Argument(..., help="An issue, item or notice id")) -> None:
    """Print one case's trail: time, actor, role, unit, event, comment."""
    with container() as built:
        uid = parse_uuid(case_id, what="CASE_ID")
        try:
            entries = built.app.case_history(reader(), uid)
        except NotFound:
            try:
                entries = built.app.notice_history(reader(), uid)
            except NotFound:
                raise NotFound(f"no case (issue, item or notice) {uid}") from None
        tz = ZoneInfo(built.campaign.timezone)
        table = Table(title=f"案件记录 {case_id}")
        for column in HISTORY_COLUMNS:
            table.add_column(column)
        for e in entries:
            table.add_row(
                str(e.position),
                e.recorded_at.astimezone(UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                e.actor.get("name", ""),
                labels.role(e.actor.get("role", "")),
                unit_name(built.campaign, e.actor.get("unit", "")),
                f"{labels.AGGREGATES.get(e.aggregate_type, e.aggregate_type)}#{e.version}",
                EVENT_LABELS.get(e.event_type, e.event_type) + event_detail(e.data),
                e.comment,
            )
        console.print(table)


def event_detail(data: dict[str, object]) -> str:
    """What an event set, where its label alone does not say (a new deadline, a person)."""
    if "new_deadline" in data:
        return f"（至{data['new_deadline']}）"
    if "previous" in data and isinstance(data["previous"], dict):
        return (
            f"（更正：{'、'.join(labels.CORRECTED.get(str(k), str(k)) for k in data['previous'])}）"
        )
    if "responsible" in data and "previous" in data:
        return f"（{data['previous']}→{data['responsible']}）"
    if "number" in data:
        return f"（{data['number']}）"
    return ""


@cli.command()
def serve() -> None:
    """Serve the HTTP API (RECTIFY_HOST, RECTIFY_PORT).

    In dev: one process that also runs the read models. In prod: RECTIFY_WORKERS processes;
    the read models run in their own process (`rectify projections run`).
    """
    import uvicorn

    loaded = settings(service=True)
    uvicorn.run(
        "api.http.app:create_app",
        factory=True,
        host=loaded.host,
        port=loaded.port,
        log_level=loaded.log_level,
        workers=loaded.workers if loaded.env == "prod" else 1,
        access_log=False,  # the app logs one summary line per request
    )


def run() -> None:
    cli()
