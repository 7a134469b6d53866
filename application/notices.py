"""Notices (通报): drafted from accountability records, edited, issued, rendered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from application.accountability import AccountabilityBook, candidate_ids
from application.commanding import Command, CommandResult
from application.errors import NotFound, PermissionDenied
from application.history import HistoryEntry, history_of
from application.ledger_scan import created_ids, scan_ledger
from application.notice_history import NoticeChange, notice_changes, notified_records
from application.notice_text import (
    body_blocks,
    citations_table,
    coordination_office,
    draft_body,
    in_notice_order,
    office_records,
    units_text,
)
from application.office_work import OfficeWork
from application.paperwork import (
    FormalDocument,
)
from application.principal import Caller
from domain.errors import InvalidInput, UnknownUnit
from domain.notice import (
    DISCARDED,
    DRAFT,
    ISSUED,
    Notice,
    NoticeNumber,
    padded_spellings,
)

_DEFAULT_COPY_TO = ["finance"]
STAMPS = {DRAFT: "草稿 · 未印发", DISCARDED: "已作废 · 不印发"}  # what no issued notice carries


def _cited(record: dict[str, Any]) -> list[tuple[str, int]]:
    """The events a record rests on: (aggregate id, version), in its order."""
    return [(str(c["aggregate_id"]), int(c["version"])) for c in record["citations"]]


def _stated(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a record names that no cited event carries: the problem's title (corrected on
    the problem) and the person responsible (reassigned)."""
    return tuple(record.get(key) for key in ("issue_title", "measure", "responsible"))


class NoticeCommands(OfficeWork):
    def accountability_candidates(self, caller: Caller) -> list[dict[str, Any]]:
        """Every record a notice may cite now, with its facts, the events behind it and the
        issued notices that cited it already (``notified_in``: a record may be notified again
        when it still holds, and whoever drafts should see that it was)."""
        book = self._book(caller)
        notified = notified_records(self.notices(caller))
        return [
            book.record(rid) | {"notified_in": notified.get(rid, [])}
            for rid in candidate_ids(book.ledger, book.milestones)
        ]

    def _book(self, caller: Caller) -> AccountabilityBook:
        offices = self.policy.readable_offices(caller.principal)
        ledger = scan_ledger(self, today=self.today(), offices=offices)
        return AccountabilityBook(
            campaign=self.campaign,
            ledger=ledger,
            milestones=self.milestones(caller),
            history=lambda aggregate_id: history_of(
                self.repository.event_store, self.event_positions, [aggregate_id]
            ),
        )

    def draft_notice(
        self,
        caller: Caller,
        *,
        record_ids: list[str],
        title: str | None = None,
        recipients: list[str] | None = None,
        copy_to: list[str] | None = None,
    ) -> CommandResult:
        args = {"records": record_ids, "title": title, "recipients": recipients, "cc": copy_to}

        def change(cmd: Command) -> CommandResult:
            cmd.act(None, command="manage_notices")
            book = self._book(caller)
            records = in_notice_order(
                self.campaign, [book.record(rid) for rid in dict.fromkeys(record_ids)]
            )
            to = [u.code for u in self.campaign.offices()] if recipients is None else recipients
            cc = [c for c in _DEFAULT_COPY_TO if c not in to] if copy_to is None else copy_to
            self._check_units(recipients=to, copy_to=cc)
            notice = Notice.draft(
                title=f"关于{self.campaign.name}工作进展情况的通报" if title is None else title,
                recipients=to,
                copy_to=cc,
                body=draft_body(self.campaign, records),
                records=records,
                issuing_unit=coordination_office(self.campaign),
            )
            return cmd.done(notice, result_of=notice)

        return self.execute(caller, "draft_notice", args, change)

    def _check_units(self, *, recipients: list[str], copy_to: list[str]) -> None:
        """Every unit a notice goes to is the campaign's; one that is not names its list
        (``recipients[1]``, ``copy_to[0]``), as the API places a field."""
        for name, codes in (("recipients", recipients), ("copy_to", copy_to)):
            for n, code in enumerate(codes):
                try:
                    self.campaign.unit(code)
                except UnknownUnit as exc:
                    raise UnknownUnit(exc.message, field=f"{name}[{n}]") from None

    def edit_notice(
        self,
        caller: Caller,
        notice_id: UUID,
        *,
        title: str | None = None,
        body: str | None = None,
        recipients: list[str] | None = None,
        copy_to: list[str] | None = None,
        reason: str = "",
        expected_version: int | None = None,
    ) -> CommandResult:
        args = dict(locals())
        del args["self"], args["caller"]

        def change(cmd: Command) -> CommandResult:
            cmd.act(None, command="manage_notices")
            notice = self.load(Notice, notice_id)
            cmd.check_version(notice, expected_version)
            self._check_units(recipients=recipients or [], copy_to=copy_to or [])
            notice.edit(
                title=notice.title if title is None else title,
                body=notice.body if body is None else body,
                recipients=notice.recipients if recipients is None else recipients,
                copy_to=notice.copy_to if copy_to is None else copy_to,
                reason=reason,
            )
            return cmd.done(notice, result_of=notice)

        return self.execute(caller, "edit_notice", args, change)

    def issue_notice(
        self,
        caller: Caller,
        notice_id: UUID,
        *,
        number: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        """Issue the notice under its number (文号); a number is given to one notice only."""
        args = {"notice_id": notice_id, "number": number, "expected_version": expected_version}

        def change(cmd: Command) -> CommandResult:
            cmd.act(None, command="manage_notices")
            notice = self.load(Notice, notice_id)
            cmd.check_version(notice, expected_version)
            if notice.status == DRAFT:
                self._check_still_holding(caller, notice.records)
            notice.issue(number=number, today=self.today())
            issued_as = str(notice.number)
            spellings = [issued_as, *padded_spellings(issued_as)]
            if any(self._exists(NoticeNumber.create_id(taken)) for taken in spellings):
                raise InvalidInput(f"number {issued_as} is already taken", field="number")
            index = NoticeNumber(number=issued_as, notice_id=notice.id)
            return cmd.done(notice, index, result_of=notice, number=issued_as)

        return self.execute(caller, "issue_notice", args, change)

    def discard_notice(
        self,
        caller: Caller,
        notice_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        """Set a draft aside, saying why (drafted twice, overtaken): it stays on record as
        作废, neither edited nor issued; an issued notice stays issued."""
        args = {"notice_id": notice_id, "reason": reason, "expected_version": expected_version}

        def change(cmd: Command) -> CommandResult:
            cmd.act(None, command="manage_notices")
            notice = self.load(Notice, notice_id)
            cmd.check_version(notice, expected_version)
            notice.discard(reason=reason)
            return cmd.done(notice, result_of=notice)

        return self.execute(caller, "discard_notice", args, change)

    def _check_still_holding(self, caller: Caller, records: list[dict[str, Any]]) -> None:
        """A notice states its records' facts as of its drafting: issued after one has
        stopped holding (the work done since), rests on other events now (the milestone met
        late, the deadline extended) or names what has changed (the problem's title corrected,
        the person reassigned), it would state what is no longer so. Such a notice is drafted
        again, not issued."""
        book = self._book(caller)
        for n, record in enumerate(records):
            try:
                now = book.record(str(record["id"]))
            except InvalidInput as exc:
                reason = str(exc)
            else:
                if _cited(now) != _cited(record):
                    reason = "the events it rests on have changed since it was drafted"
                elif _stated(now) != _stated(record):
                    reason = "the problem or the person it names has changed since it was drafted"
                else:
                    continue
            raise InvalidInput(
                f"records[{n}] no longer holds as drafted ({reason}): the notice cannot be "
                "issued; draft it again from the records that hold now",
                field="records",
            )

    def _exists(self, aggregate_id: UUID) -> bool:
        try:
            self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def get_notice(self, caller: Caller, notice_id: UUID) -> Notice:
        """Oversight reads every notice, drafts too; an office only issued ones that concern
        it: sent to it (主送 or 抄送), or naming its records."""
        notice = self.load(Notice, notice_id)
        readable = self.policy.readable_offices(caller.principal)
        if readable is None:
            return notice
        concerned = {*notice.recipients, *notice.copy_to, *notice.offices}
        if notice.status != ISSUED or not concerned & readable:
            raise NotFound(f"no notice {notice_id}")
        return notice

    def notices(self, caller: Caller) -> list[Notice]:
        found = []
        for notice_id in created_ids(self, Notice):
            try:
                found.append(self.get_notice(caller, notice_id))
            except NotFound:
                continue
        return found

    def notice_history(self, caller: Caller, notice_id: UUID) -> list[HistoryEntry]:
        """The notice's events, drafts and edits with their reasons: oversight's reading
        (an office reads the issued notice, not how it was drafted)."""
        notice = self.get_notice(caller, notice_id)
        if self.policy.readable_offices(caller.principal) is not None:
            raise PermissionDenied("a notice's drafting record is read by oversight")
        return history_of(self.repository.event_store, self.event_positions, [notice.id])

    def notice_changes(self, caller: Caller, notice_id: UUID) -> list[NoticeChange]:
        """The notice's versions, each edit with what it changed (as read as the notice)."""
        return notice_changes(self.notice_history(caller, notice_id))

    def notice_document(self, caller: Caller, notice_id: UUID) -> FormalDocument:
        notice = self.get_notice(caller, notice_id)
        return FormalDocument(
            masthead=coordination_office(self.campaign),
            number=notice.number or "",
            title=notice.title,
            addressee=units_text(self.campaign, notice.recipients) + "：",
            body=body_blocks(notice.body),
            issuer=notice.issuing_unit,
            dated=notice.issued_on or self.today(),
            copy_to=f"抄送：{units_text(self.campaign, notice.copy_to)}。"
            if notice.copy_to
            else "",
            appendix_title="附件：通报事项及事件依据",
            appendix=[
                citations_table(
                    notice.records,
                    offices=office_records(self.campaign),
                    positions=self._positions(notice.records),
                )
            ],
            stamp=STAMPS.get(notice.status, ""),
        )

    def _positions(self, records: list[dict[str, Any]]) -> dict[tuple[str, int], int]:
        """The log position of each event the records cite (from the positions port)."""
        wanted = {(c["aggregate_id"], int(c["version"])) for r in records for c in r["citations"]}
        known = self.event_positions.of({UUID(aggregate_id) for aggregate_id, _ in wanted})
        found = {(str(aggregate_id), version): at for (aggregate_id, version), at in known.items()}
        return {key: position for key, position in found.items() if key in wanted}

    def render_notice(self, caller: Caller, notice_id: UUID, fmt: str) -> bytes:
        return self.renderer.render(self.notice_document(caller, notice_id), fmt)
