"""``rectify projections run|status|rebuild``: the read models' worker and its upkeep."""

from __future__ import annotations

import time

import structlog
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli.common import console, container, fail, settings
from domain.errors import InvalidInput
from infrastructure import heap
from infrastructure.database import DatabaseUrl
from infrastructure.projection_processes import (
    ChildFailed,
    Signalled,
    catch_up_spread,
    spread_shares,
    worker_started,
)
from infrastructure.projection_rebuild import rebuild as rebuild_view
from infrastructure.projection_setup import build_host
from projections.base import ViewContext
from projections.registry import VIEW_NAMES, view_class

logger = structlog.get_logger(__name__)

STOP_CHECK_SECONDS = 0.2  # how soon the worker sees a stop signal

projections_cli = typer.Typer(help="Read models (projections).", no_args_is_help=True)


@projections_cli.command("run")
def run(
    names: list[str] = typer.Argument(None, help=f"Views to run (default all): {VIEW_NAMES}"),
    batch_size: int = typer.Option(2000, min=1, help="Events per transaction when catching up"),
    processes: int | None = typer.Option(
        None,
        min=1,
        max=16,
        help="Processes to catch a large backlog up with (PostgreSQL only; default "
        "RECTIFY_PROJECTION_PROCESSES)",
    ),
) -> None:
    """Run the views as a long-lived worker; resumes from each view's position, stops on SIGTERM."""
    for name in names or ():
        if name not in VIEW_NAMES:
            fail(f"unknown view {name!r}; views: {', '.join(VIEW_NAMES)}")
    loaded = settings(service=True)
    postgres = DatabaseUrl.parse(loaded.database_url).dialect == "postgres"
    if processes is not None and processes > 1 and not postgres:
        fail("--processes above 1 needs PostgreSQL: SQLite takes one writer at a time")
    wanted = list(dict.fromkeys(names or VIEW_NAMES))
    signalled = Signalled()
    with container(service=True) as built:
        host = build_host(built.app, built.db, built.campaign, names=wanted, batch_size=batch_size)
        backlog = host.log.head() - min(host.positions().values(), default=0)
        shares = spread_shares(loaded, wanted, backlog, processes=processes)
        if shares:
            try:
                spread = catch_up_spread(
                    loaded, shares, batch_size=batch_size, stopped=lambda: signalled.raised
                )
            except ChildFailed as exc:
                logger.error("projection_catch_up_failed", error=str(exc))
                raise typer.Exit(1) from None
            if not spread:
                return  # stopped by a signal while catching up
        worker_started(host)
        host.start()
        try:
            while not signalled.raised:
                time.sleep(STOP_CHECK_SECONDS)
        finally:
            host.stop()
        logger.info("projection_worker_stopped", positions=host.positions())


@projections_cli.command("status")
def status() -> None:
    """Each view's tracked position, the log's head and the lag between them."""
    with container() as built:
        table = Table(title="读模型状态 projections")
        for column in ("view", "名称", "position", "head", "lag"):
            table.add_column(
                column, justify="right" if column in ("position", "head", "lag") else "left"
            )
        for row in built.read_models.status():
            lag = f"[red]{row.lag}[/red]" if row.lag else "0"
            table.add_row(row.name, row.label, str(row.position), str(row.head), lag)
        console.print(table)


@projections_cli.command("rebuild")
def rebuild(name: str = typer.Argument(..., help=f"The view to rebuild: {VIEW_NAMES}")) -> None:
    """Rebuild a view from position 0 into fresh tables and swap them in."""
    try:
        view = view_class(name)
    except InvalidInput as exc:
        fail(exc.message)
    with container() as built:
        heap.settle()
        columns = (
            TextColumn(f"rebuilding {name}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(name, total=built.projections.log.head() or 1)

            def advance(position: int, head: int) -> None:
                bar.update(task, completed=position, total=head)

            position = rebuild_view(
                built.projections.log,
                built.db,
                view,
                context=ViewContext(built.campaign),
                on_progress=advance,
            )
        console.print(f"{name} rebuilt and swapped in at position {position}")


def register(cli: typer.Typer) -> None:
    cli.add_typer(projections_cli, name="projections")
