"""What every CLI command shares: settings, the container, errors as messages."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn
from uuid import NAMESPACE_URL, UUID, uuid5

import typer
from rich.console import Console

from application.errors import ApplicationError
from application.principal import Caller, Grant, Principal
from domain.errors import DomainError
from infrastructure.campaign_file import CampaignFileError
from infrastructure.container import Container, build_container
from infrastructure.logging import configure_logging
from infrastructure.settings import Settings, SettingsError, load_settings

console = Console()
err_console = Console(stderr=True)

CLI_READER = Principal(
    account_id=uuid5(NAMESPACE_URL, "rectify:cli"),
    username="cli",
    display_name="命令行",
    grants=(Grant(role="auditor", unit="admin-bureau"),),
)


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def settings() -> Settings:
    try:
        loaded = load_settings()
    except SettingsError as exc:
        fail(str(exc))
    configure_logging(log_format=loaded.log_format, level=loaded.log_level)
    return loaded


@contextmanager
def container() -> Iterator[Container]:
    """The wired application; domain and application errors become messages, not tracebacks."""
    loaded = settings()
    try:
        built = build_container(loaded)
    except CampaignFileError as exc:
        fail(f"RECTIFY_CAMPAIGN_FILE: {exc}")
    except Exception as exc:  # the database is unreachable or refuses us
        fail(f"cannot open the database ({type(exc).__name__}): {exc}")
    try:
        yield built
    except (DomainError, ApplicationError) as exc:
        where = f" ({exc.field})" if exc.field else ""
        fail(f"{exc.message}{where}", 1)
    finally:
        built.close()


def reader() -> Caller:
    return Caller(CLI_READER, request_id="cli")


def parse_uuid(value: str, *, what: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        fail(f"{what} must be a UUID, got {value!r}")


def is_terminal() -> bool:
    return sys.stdout.isatty()
