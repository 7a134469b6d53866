"""Rectification reports: generated from the ledger, rendered, kept, recorded, reported."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.commanding import Command, CommandResult
from application.errors import NotFound
from application.ledger_scan import created_ids, scan_ledger
from application.notice_text import coordination_office
from application.office_work import OfficeWork
from application.paperwork import FORMATS, FormalDocument
from application.principal import Caller
from application.report_content import ReportInputs, report_document, statistics
from domain.issue import CLOSED, Issue
from domain.item import RectificationItem
from domain.report import CONSOLIDATED, OFFICE, Report
from domain.taxonomy import COORDINATION_UNIT


class ReportCommands(OfficeWork):
    def _report_inputs(self, caller: Caller, office: str | None) -> ReportInputs:
        if office is None:
            offices = [u.code for u in self.campaign.offices()]
        else:
            self.campaign.office(office)
            covered = self.campaign.subtree(office)
            offices = [u.code for u in self.campaign.offices() if u.code in covered]
        ledger = scan_ledger(self, today=self.today(), offices=frozenset(offices))
        return ReportInputs(
            campaign=self.campaign,
            ledger=ledger,
            office=office,
            offices=offices,
            records={o: self.office_record(o) for o in self._with_parents(offices)},
            milestones=[m for m in self.milestones(caller) if m.office in offices],
            digest=self.digests.latest() if office is None else None,
            today=self.today(),
            coordination_office=coordination_office(self.campaign),
        )

    def _with_parents(self, offices: list[str]) -> list[str]:
        """The offices and every office above them: a parent's work group covers its own."""
        found = dict.fromkeys(offices)
        for office in offices:
            for parent in self.campaign.above(office):
                if self.campaign.unit(parent).is_office:
                    found.setdefault(parent)
        return list(found)

    def _authorize_report(self, cmd: Command, office: str | None) -> None:
        if office is None:
            cmd.act(None, command="submit_consolidated_report")
        else:
            self.campaign.office(office)
            cmd.act(office, command="submit_report", on_office=True)

    def preview_report(self, caller: Caller, *, office: str | None) -> FormalDocument:
        """The report as it would be submitted now; records nothing."""
        if office is None:
            self.policy.authorize(caller.principal, "submit_consolidated_report", None)
        else:
            self.campaign.office(office)
            self.policy.authorize(caller.principal, "submit_report", office, on_office=True)
        return report_document(self._report_inputs(caller, office))

    def submit_report(self, caller: Caller, *, office: str | None) -> CommandResult:
        """Generate, keep and record the report; mark its closed issues and items reported.

        ``office=None`` is the coordination office's consolidated report over every office.
        """
        args = {"office": office}

        def change(cmd: Command) -> CommandResult:
            self._authorize_report(cmd, office)
            inputs = self._report_inputs(caller, office)
            document = report_document(inputs)
            files = self._keep(document, stem=document.title)
            closed = [i.id for i in inputs.ledger.issues if i.status == CLOSED]
            report = Report.submit(
                kind=CONSOLIDATED if office is None else OFFICE,
                office=office or COORDINATION_UNIT,
                title=document.title,
                covers=inputs.offices,
                files=files,
                issue_ids=[i.id for i in inputs.ledger.issues],
                reported_issue_ids=closed,
                statistics=statistics(self.campaign, inputs.ledger, inputs.offices),
                digest=inputs.digest.as_dict() if inputs.digest else None,
                today=self.today(),
            )
            changed: list[Any] = [report]
            for issue_id in closed:
                issue = self.load(Issue, issue_id)
                issue.mark_reported(report_id=report.id)
                items = [self.load(RectificationItem, i) for i in issue.items]
                for item in items:
                    item.mark_reported(report_id=report.id)
                changed += [issue, *items]
            if office is not None:
                record = self._office_record_or_new(office)
                record.note_report_submitted(
                    report_id=report.id,
                    sha256=report.sha256,
                    covers=inputs.offices,
                    today=self.today(),
                )
                changed.append(record)
            return cmd.done(
                *changed, result_of=report, files=files, reported_issues=[str(i) for i in closed]
            )

        return self.execute(caller, "submit_report", args, change)

    def _keep(self, document: FormalDocument, *, stem: str) -> list[dict[str, Any]]:
        files = []
        for fmt, media_type in FORMATS.items():
            data = self.renderer.render(document, fmt)
            file_name = f"{stem}.{fmt}"
            sha256 = self.documents.put(data, media_type=media_type, file_name=file_name)
            files.append(
                {
                    "format": fmt,
                    "file_name": file_name,
                    "media_type": media_type,
                    "size": len(data),
                    "sha256": sha256,
                }
            )
        return files

    def get_report(self, caller: Caller, report_id: UUID) -> Report:
        report = self.load(Report, report_id)
        readable = self.policy.readable_offices(caller.principal)
        if readable is not None and not set(report.covers) <= readable:
            raise NotFound(f"no report {report_id}")
        return report

    def reports(self, caller: Caller) -> list[Report]:
        found = []
        for report_id in created_ids(self, Report):
            try:
                found.append(self.get_report(caller, report_id))
            except NotFound:
                continue
        return found

    def report_file(
        self, caller: Caller, report_id: UUID, fmt: str
    ) -> tuple[bytes, dict[str, Any]]:
        """The submitted file's bytes, exactly as hashed into the report's event."""
        ref = self.get_report(caller, report_id).file(fmt)
        try:
            return self.documents.get(ref["sha256"]), ref
        except KeyError:
            raise NotFound(f"the {fmt} file of report {report_id} is not in the store") from None
