"""``rectify verify`` and ``rectify digest``: the auditor's commands.

Exit codes of ``verify``: 0 the chain, every kept digest and every evidence file check;
1 something does not (the first bad position is printed); 3 the store keeps no chain.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli.common import console, container, err_console, fail, reader
from infrastructure.audit import AuditDesk
from infrastructure.chain_result import VerifyResult
from infrastructure.digests import DigestError

NO_CHAIN_EXIT = 3
MAX_LISTED = 20


def verify(
    digest: list[Path] = typer.Option(
        [], "--digest", help="A digest file kept earlier (repeatable)", exists=False
    ),
) -> None:
    """Recompute the hash chain, check kept digests and evidence files."""
    kept: list[tuple[str, bytes]] = []
    for path in digest:
        try:
            kept.append((str(path), path.read_bytes()))
        except OSError as exc:
            fail(f"cannot read digest {path}: {exc.strerror or exc}")
    with container() as built:
        desk = AuditDesk.of(built)
        try:
            result = _verify_with_progress(desk, kept)
        except DigestError as exc:
            fail(str(exc))
    _print(result)
    if not result.chain_kept:
        raise typer.Exit(NO_CHAIN_EXIT)
    if not result.ok:
        raise typer.Exit(1)


def _verify_with_progress(desk: AuditDesk, kept: list[tuple[str, bytes]]) -> VerifyResult:
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

        return desk.verify(reader(), digests=kept, progress=progress)


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
    console.print(f"{result.events / max(result.seconds, 1e-9):,.0f} events/s")
    for outcome in result.checkpoints:
        mark = "[green]ok[/green]" if outcome.ok else "[red]FAILED[/red]"
        console.print(f"digest {outcome.label} (position {outcome.position}): {mark}")
        console.print(f"  {outcome.detail}")
    for label, reason in result.rejected_digests:
        console.print(f"digest {label}: [red]REJECTED[/red]: {reason}")
    _print_evidence(result)


def _print_evidence(result: VerifyResult) -> None:
    if not result.evidence_problems:
        console.print(f"evidence: {result.evidence_checked} file(s) cited, all intact")
        return
    cited: dict[tuple[str, str], list[int]] = {}
    for found in result.evidence_problems:
        cited.setdefault((found.sha256, found.problem), []).append(found.position)
    console.print(f"[red]evidence[/red]: {len(cited)} of {result.evidence_checked} file(s) fail")
    for n, ((sha256, problem), positions) in enumerate(cited.items()):
        if n == MAX_LISTED:
            console.print(f"  … and {len(cited) - MAX_LISTED} more")
            break
        where = ", ".join(str(p) for p in positions)
        console.print(f"  {sha256} {problem} (cited at position {where})", soft_wrap=True)


def digest(
    out: Path = typer.Option(..., "--out", help="Where to write the signed digest (JSON)"),
) -> None:
    """Sign the verified chain head, record DigestIssued, write the digest file."""
    if out.exists():
        fail(f"{out} exists: will not overwrite a kept digest")
    with container() as built:
        try:
            issued = AuditDesk.of(built).issue_digest(reader())
        except DigestError as exc:
            fail(str(exc), 1)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(issued.to_json(), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    console.print(
        f"digest written to {out}: position {issued.position}, {issued.events} events, "
        f"key {issued.key_id}"
    )
    console.print(f"hash {issued.hash}")


def register(cli: typer.Typer) -> None:
    cli.command("verify")(verify)
    cli.command("digest")(digest)
