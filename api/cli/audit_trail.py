"""``rectify verify`` and ``rectify digest``: the auditor's commands.

Exit codes of ``verify``: 0 the chain, every kept digest and every evidence file check;
1 something does not (the first bad position is printed); 3 the store keeps no chain.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import typer
from eventsourcing.persistence import PersistenceError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli.common import (
    acting,
    console,
    container,
    err_console,
    fail,
    output_file,
    reader,
    settings,
    write_file,
)
from infrastructure import heap
from infrastructure.audit import AuditDesk, verify_store
from infrastructure.chain_result import VerifyResult
from infrastructure.digests import DigestError, PublicKey, load_public_key, load_signing_key
from infrastructure.settings import Settings

NO_CHAIN_EXIT = 3
POSITIONS_LISTED = 10  # of one file's citations


def verify(
    digest: list[Path] = typer.Option(
        [], "--digest", help="A digest file kept earlier (repeatable)", exists=False
    ),
    public_key: Path | None = typer.Option(
        None,
        "--public-key",
        help="The service's public key (PEM) to check digests with; default: the key in "
        "RECTIFY_SIGNING_KEY_FILE",
    ),
) -> None:
    """Recompute the hash chain, check kept digests and evidence files."""
    kept: list[tuple[str, bytes]] = []
    for path in digest:
        try:
            kept.append((str(path), path.read_bytes()))
        except OSError as exc:
            fail(f"cannot read digest {path}: {exc.strerror or exc}")
    loaded = settings()
    try:
        # a key named is read even with no digest to check: a wrong path is said at once
        trusted = _trusted_key(loaded, public_key) if kept or public_key else None
        heap.settle()  # a long walk: the collector leaves start-up's objects alone
        result = _verify_with_progress(loaded, kept, trusted)
    except DigestError as exc:
        fail(str(exc))
    except (OSError, sqlite3.Error, psycopg.Error, PersistenceError) as exc:
        fail(f"cannot read the event log ({type(exc).__name__}): {exc}")
    _print(result)
    if not result.chain_kept:
        raise typer.Exit(NO_CHAIN_EXIT)
    if not result.ok:
        raise typer.Exit(1)


def _trusted_key(loaded: Settings, public_key: Path | None) -> PublicKey:
    return load_public_key(public_key) if public_key else load_signing_key(loaded).public


def _verify_with_progress(
    loaded: Settings, kept: list[tuple[str, bytes]], trusted: PublicKey | None
) -> VerifyResult:
    columns = (
        TextColumn("verifying chain"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("chain", total=None)

        def progress(position: int, total: int) -> None:
            bar.update(task, completed=position, total=total)

        return verify_store(loaded, digests=kept, trusted=trusted, progress=progress)


def _print(result: VerifyResult) -> None:
    if not result.chain_kept:
        console.print(f"[yellow]{result.summary()}[/yellow]")
        return
    found = result.first_break
    if found is None:
        console.print(
            f"[green]ok[/green]: {result.events} events, head position {result.head_position}"
        )
        console.print(f"head hash {result.head_hash}")
    else:
        console.print(f"[red]BROKEN[/red] at position {found.position} ({found.kind})")
        console.print(found.detail)
        console.print(
            f"last good position: {result.head_position} ({result.events} events verified)"
        )
    walkers = f", {result.processes} processes" if result.processes > 1 else ""
    console.print(
        f"{result.events} events in {result.seconds:.2f} s ({result.rate:,.0f} events/s{walkers})"
    )
    for outcome in result.checkpoints:
        mark = "[green]ok[/green]" if outcome.ok else "[red]FAILED[/red]"
        console.print(f"digest {outcome.label} (position {outcome.position}): {mark}")
        console.print(f"  {outcome.detail}")
    for label, reason in result.rejected_digests:
        console.print(f"digest {label}: [red]REJECTED[/red]: {reason}")
    _print_evidence(result)


def _print_evidence(result: VerifyResult) -> None:
    """Every failing file, one line each; a widely cited file names its first citations."""
    if not result.evidence_problems:
        console.print(f"evidence: {result.evidence_checked} file(s) cited, all intact")
        return
    failed = result.failed_files
    console.print(f"[red]evidence[/red]: {len(failed)} of {result.evidence_checked} file(s) fail")
    for file in failed:
        shown = ", ".join(str(p) for p in file.positions[:POSITIONS_LISTED])
        if len(file.positions) > POSITIONS_LISTED:
            shown += f", … ({len(file.positions)} citations)"
        console.print(f"  {file.sha256} {file.problem} (cited at position {shown})", soft_wrap=True)


def digest(
    out: Path = typer.Option(..., "--out", help="Where to write the signed digest (JSON)"),
    as_user: str = typer.Option(
        None,
        "--as",
        help="The coordinator or auditor who issues it (recorded on DigestIssued); "
        "without it, the command line (the server's operator)",
    ),
) -> None:
    """Sign the verified chain head, record DigestIssued, write the digest file."""
    output_file(out, option="--out")  # before DigestIssued is recorded
    _reserve(out)
    try:
        with container() as built:
            caller = reader() if as_user is None else acting(built.app, as_user)
            try:
                issued = AuditDesk.of(built).issue_digest(caller)
            except DigestError as exc:
                fail(str(exc), 1)
    except BaseException:
        out.unlink(missing_ok=True)  # the empty file this command made, nothing kept
        raise
    write_file(out, issued.to_json().encode("utf-8"), option="--out")
    console.print(
        f"digest written to {out}: position {issued.position}, {issued.events} events, "
        f"key {issued.key_id}"
    )
    console.print(f"hash {issued.hash}")


def _reserve(out: Path) -> None:
    """Create ``out`` empty, only if no file is there: a kept digest is never overwritten,
    not even by another ``digest`` run at the same moment."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.open("xb").close()
    except FileExistsError:
        fail(f"--out: {out} exists: will not overwrite a kept digest")
    except OSError as exc:
        fail(f"--out: cannot write {out}: {exc.strerror or exc}")


def public_key(
    out: Path | None = typer.Option(None, "--out", help="Write the PEM here, not to stdout"),
) -> None:
    """Print the service's public key (PEM): auditors check digests with it."""
    if out is not None:
        output_file(out, option="--out")
    try:
        key = load_signing_key(settings()).public
    except DigestError as exc:
        fail(str(exc))
    if out is None:
        typer.echo(key.pem, nl=False)
        return
    write_file(out, key.pem.encode("ascii"), option="--out")
    console.print(f"public key {key.key_id} written to {out}")


def register(cli: typer.Typer) -> None:
    cli.command("verify")(verify)
    cli.command("digest")(digest)
    cli.command("public-key")(public_key)
