"""``rectify notice``, ``rectify report`` and ``rectify milestones``: the paperwork offline.

Writes act as an account named with ``--as`` (recorded on every event, like a web user).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from api.cli.common import (
    OUT,
    OUT_NAMES,
    acting,
    console,
    container,
    output_dir,
    output_file,
    parse_uuid,
    read_text_file,
    reader,
    write_file,
    write_output,
)
from api.cli.sheets import export_cli, import_cli
from application.notice_text import units_text
from domain.milestones import STATUS_LABELS
from domain.notice import STATUS_LABELS as NOTICE_STATUS

notice_cli = typer.Typer(
    help="Notices (通报): draft, edit, issue, discard, render.", no_args_is_help=True
)
report_cli = typer.Typer(
    help="Rectification reports: preview, submit, download.", no_args_is_help=True
)

AS = typer.Option(..., "--as", help="The account that acts (recorded on the events)")
FORMAT = typer.Option("pdf", "--format", "-f", help="docx or pdf")
OUT_DIR = "--out-dir"
TO = typer.Option(
    None, "--to", help="A unit the notice is sent to (主送), by code; repeat for more"
)
COPY_TO = typer.Option(
    None,
    "--copy-to",
    help="A unit the notice is copied to (抄送), by code; repeat for more; '' for none",
)
ADDRESSEES = {"recipients": "--to", "copy_to": "--copy-to"}


def _units(codes: list[str] | None) -> list[str] | None:
    """Units named on the command line (None: none named, the notice's own stay); an empty
    code names none (`--copy-to ''`: copied to no one)."""
    if not codes:
        return None
    return [c for c in codes if c.strip()]


@notice_cli.command("candidates")
def candidates() -> None:
    """Accountability records a notice may cite now, with their ids."""
    with container() as built:
        table = Table(title="可通报事项")
        table.add_column("id", overflow="fold", min_width=36)
        for column in ("单位", "情形", "事实", "已通报"):
            table.add_column(column)
        for record in built.app.accountability_candidates(reader()):
            notified = "、".join(n["number"] for n in record["notified_in"]) or "—"
            table.add_row(
                record["id"], record["office_name"], record["kind_label"], record["facts"], notified
            )
        console.print(table)


@notice_cli.command("draft")
def draft(
    records: list[str] = typer.Argument(..., help="Record ids from `rectify notice candidates`"),
    title: str = typer.Option(None, "--title"),
    to: list[str] = TO,
    copy_to: list[str] = COPY_TO,
    as_user: str = AS,
) -> None:
    """Draft a notice citing these records (and the events that prove them).

    Sent to every office and copied to the Finance Department unless --to / --copy-to say
    otherwise."""
    with container(options=ADDRESSEES) as built:
        result = built.app.draft_notice(
            acting(built.app, as_user),
            record_ids=records,
            title=title,
            recipients=_units(to),
            copy_to=_units(copy_to),
        )
        console.print(f"drafted notice {result.id}")


@notice_cli.command("edit")
def edit(
    notice_id: str,
    body_file: Path = typer.Option(
        None, "--body-file", exists=True, dir_okay=False, help="The new body text (UTF-8)"
    ),
    title: str = typer.Option(None, "--title"),
    to: list[str] = TO,
    copy_to: list[str] = COPY_TO,
    reason: str = typer.Option("", "--reason"),
    as_user: str = AS,
) -> None:
    """Edit a draft notice's title, body or addressees (--to / --copy-to replace them)."""
    body = read_text_file(body_file, option="--body-file") if body_file else None
    with container(options=ADDRESSEES) as built:
        built.app.edit_notice(
            acting(built.app, as_user),
            parse_uuid(notice_id, what="NOTICE_ID"),
            title=title,
            body=body,
            recipients=_units(to),
            copy_to=_units(copy_to),
            reason=reason,
        )
        console.print("notice edited")


@notice_cli.command("issue")
def issue(
    notice_id: str,
    number: str = typer.Option(..., "--number", help="文号, e.g. 机管国资〔2026〕3号"),
    as_user: str = AS,
) -> None:
    """Issue the notice under its number."""
    with container() as built:
        result = built.app.issue_notice(
            acting(built.app, as_user), parse_uuid(notice_id, what="NOTICE_ID"), number=number
        )
        console.print(f"issued as {result.extra['number']}")


@notice_cli.command("discard")
def discard(
    notice_id: str,
    reason: str = typer.Option(..., "--reason", help="Why the draft is set aside"),
    as_user: str = AS,
) -> None:
    """Set a draft aside (作废): kept on record, never edited or issued."""
    with container() as built:
        built.app.discard_notice(
            acting(built.app, as_user), parse_uuid(notice_id, what="NOTICE_ID"), reason=reason
        )
        console.print("notice discarded")


@notice_cli.command("list")
def list_notices() -> None:
    """Every notice: id, status, number (文号), title and the units it is sent to."""
    with container() as built:
        notices = built.app.notices(reader())
        if not notices:
            console.print("还没有通报（rectify notice draft 起草）。")
            return
        table = Table(title="通报")
        table.add_column("id", overflow="fold", min_width=36)
        for column in ("状态", "文号", "标题", "主送", "抄送"):
            table.add_column(column)
        for notice in notices:
            table.add_row(
                str(notice.id),
                NOTICE_STATUS[notice.status],
                notice.number or "—",
                notice.title,
                units_text(built.app.campaign, notice.recipients),
                units_text(built.app.campaign, notice.copy_to) or "—",
            )
        console.print(table)


@notice_cli.command("render")
def render(notice_id: str, fmt: str = FORMAT, out: Path = OUT) -> None:
    """The notice as a formal DOCX or PDF."""
    output_file(out, option=OUT_NAMES)
    with container() as built:
        uid = parse_uuid(notice_id, what="NOTICE_ID")
        write_output(out, built.app.render_notice(reader(), uid, fmt))


@report_cli.command("preview")
def preview(
    office: str = typer.Option(None, "--office", help="Omit for the consolidated report"),
    fmt: str = FORMAT,
    out: Path = OUT,
    as_user: str = AS,
) -> None:
    """The report as it would be submitted now (records nothing)."""
    output_file(out, option=OUT_NAMES)
    with container() as built:
        document = built.app.preview_report(acting(built.app, as_user), office=office)
        write_output(out, built.app.renderer.render(document, fmt))


@report_cli.command("submit")
def submit(
    office: str = typer.Option(None, "--office", help="Omit for the consolidated report"),
    out_dir: Path = typer.Option(None, OUT_DIR, help="Also write the files here"),
    as_user: str = AS,
) -> None:
    """Generate and submit the report; its closed issues and items become reported."""
    if out_dir is not None:
        output_dir(out_dir, option=OUT_DIR)  # before the report is recorded
    with container() as built:
        caller = acting(built.app, as_user)
        result = built.app.submit_report(caller, office=office)
        console.print(f"submitted report {result.id}")
        for ref in result.extra["files"]:
            console.print(f"  {ref['format']}  sha256 {ref['sha256']}")
            if out_dir is not None:
                data, _ = built.app.report_file(caller, result.id, ref["format"])
                path = out_dir / ref["file_name"]
                write_file(path, data, option=OUT_DIR)
                console.print(f"wrote {path} ({len(data):,} bytes)")


@report_cli.command("download")
def download(report_id: str, fmt: str = FORMAT, out: Path = OUT) -> None:
    """A submitted report's file, byte for byte as recorded."""
    output_file(out, option=OUT_NAMES)
    with container() as built:
        data, _ = built.app.report_file(reader(), parse_uuid(report_id, what="REPORT_ID"), fmt)
        write_output(out, data)


def milestones() -> None:
    """Each office's milestones: met, late, pending or missed."""
    with container() as built:
        table = Table(title="工作节点")
        for column in ("单位", "节点", "时限", "完成日期", "情况"):
            table.add_column(column)
        for m in built.app.milestones(reader()):
            table.add_row(
                built.campaign.unit(m.office).name,
                m.label,
                m.due.isoformat(),
                m.done_on.isoformat() if m.done_on else "—",
                STATUS_LABELS[m.status],
            )
        console.print(table)


def register(cli: typer.Typer) -> None:
    cli.add_typer(export_cli, name="export")
    cli.add_typer(import_cli, name="import")
    cli.add_typer(notice_cli, name="notice")
    cli.add_typer(report_cli, name="report")
    cli.command("milestones")(milestones)
