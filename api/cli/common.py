"""What every CLI command shares: settings, the container, errors as messages, output files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import typer
from rich.console import Console

from application.errors import ApplicationError, AuthenticationFailed
from application.principal import Caller, Grant, Principal
from application.service import RectifyApp
from domain.account import Account
from domain.campaign import Campaign
from domain.errors import DomainError, UnknownUnit
from infrastructure.campaign_file import CampaignFileError
from infrastructure.container import Container, build_container
from infrastructure.logging import configure_logging
from infrastructure.settings import Settings, SettingsError, load_settings

console = Console()
err_console = Console(stderr=True)

CLI_READER = Principal(
    account_id=uuid5(NAMESPACE_URL, "rectify:cli"),
    username="cli",
    display_name="命令行（服务器操作员）",  # whoever runs it there, recorded as such
    grants=(Grant(role="auditor", unit="admin-bureau"),),
)


OUT_NAMES = "-o/--out"
OUT = typer.Option(..., "--out", "-o", help="Where to write the file (missing folders are made)")


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def read_text_file(path: Path, *, option: str) -> str:
    """A UTF-8 text file an option names (a byte-order mark, as Windows editors write, is
    not part of the text), or the option named in an error (exit 2)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{option}: {path} is not UTF-8 text")
    except OSError as exc:
        fail(f"{option}: cannot read {path}: {exc.strerror or exc}")


COMMAND_LOG_LEVEL = "warning"


def settings(*, service: bool = False) -> Settings:
    """The settings, with logging configured.

    A command that answers and exits prints its answer, not the machinery's info lines
    (views catching up, indexes built): it logs warnings and errors only, unless
    RECTIFY_LOG_LEVEL is set. A ``service`` (the server, the views' worker) logs at
    RECTIFY_LOG_LEVEL or its default, as operators read it.
    """
    try:
        loaded = load_settings()
    except SettingsError as exc:
        fail(str(exc))
    chosen = service or "log_level" in loaded.model_fields_set
    level = loaded.log_level if chosen else COMMAND_LOG_LEVEL
    configure_logging(log_format=loaded.log_format, level=level)
    return loaded


@contextmanager
def container(
    *, service: bool = False, options: dict[str, str] | None = None
) -> Iterator[Container]:
    """The wired application; domain and application errors become messages, not tracebacks.

    A refusal names its field, or the command's option for it when ``options`` maps the
    field (``recipients[1]`` → ``--to``)."""
    loaded = settings(service=service)
    try:
        built = build_container(loaded)
    except CampaignFileError as exc:
        fail(f"RECTIFY_CAMPAIGN_FILE: {exc}")
    except Exception as exc:  # the database is unreachable or refuses us
        fail(f"cannot open the database ({type(exc).__name__}): {exc}")
    try:
        yield built
    except (DomainError, ApplicationError) as exc:
        fail(f"{exc.message}{_where(exc.field, options or {})}", 1)
    finally:
        built.close()


def _where(field: str | None, options: dict[str, str]) -> str:
    if not field:
        return ""
    return f" ({options.get(field.partition('[')[0], field)})"


def acting(app: RectifyApp, username: str) -> Caller:
    """The account a command from the command line acts as (recorded on every event)."""
    try:
        principal = app.principal(Account.create_id(username))
    except AuthenticationFailed:
        fail(f"--as: no active account {username!r}")
    return Caller(principal, request_id=f"cli-{uuid4().hex[:16]}")


def reader() -> Caller:
    return Caller(CLI_READER, request_id="cli")


def parse_uuid(value: str, *, what: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        fail(f"{what} must be a UUID, got {value!r}")


def is_terminal() -> bool:
    return sys.stdout.isatty()


def output_file(path: Path, *, option: str) -> Path:
    """Check, before any work, that ``path`` can be written as a file.

    Missing folders are fine (``write_file`` makes them); a directory, a file where a folder
    should be, or no right to write stop the command with a message naming ``option``.
    """
    if path.is_dir():
        fail(f"{option}: {path} is a directory; name the file to write")
    if path.exists():  # a file (or /dev/stdout): its own right to be written is what counts
        if not os.access(path, os.W_OK):
            fail(f"{option}: cannot write {path}: permission denied")
        return path
    _check_folder(path.parent, path, option=option)
    return path


def output_dir(path: Path, *, option: str) -> Path:
    """Check, before any work, that files can be written into the folder ``path``."""
    if path.exists() and not path.is_dir():
        fail(f"{option}: {path} is a file, not a directory")
    _check_folder(path, path, option=option)
    return path


def write_file(path: Path, data: bytes, *, option: str) -> None:
    """Write ``data`` to ``path``, making its missing folders; a failure names ``option``."""
    output_file(path, option=option)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        fail(f"{option}: cannot write {path}: {exc.strerror or exc}")


def write_output(path: Path, data: bytes) -> None:
    """``write_file`` for an ``OUT`` option, saying what was written."""
    write_file(path, data, option=OUT_NAMES)
    console.print(f"wrote {path} ({len(data):,} bytes)")


def _check_folder(folder: Path, path: Path, *, option: str) -> None:
    """The nearest existing folder at or above ``folder`` must be one, and writable."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        fail(f"{option}: cannot write {path}: {existing} is a file, not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        fail(f"{option}: cannot write {path}: permission denied in {existing}")


def unit_name(campaign: Campaign, code: str) -> str:
    """The unit as the console names it (a code the campaign no longer lists stays a code)."""
    try:
        return campaign.unit(code).name
    except UnknownUnit:
        return code
