"""Use cases on issues and rectification items."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from application.commanding import Command, CommandingApp, CommandResult
from application.errors import PermissionDenied
from application.principal import Caller
from domain.errors import InvalidInput
from domain.issue import Issue
from domain.item import REPORTED as ITEM_REPORTED
from domain.item import RectificationItem
from domain.taxonomy import COORDINATION_UNIT, FINANCE_UNIT

_APPROVING_UNIT = {"coordinator": COORDINATION_UNIT, "finance": FINANCE_UNIT}


class CaseCommands(CommandingApp):
    def find_issue(
        self,
        caller: Caller,
        *,
        office: str,
        category: str,
        subtype: str,
        source: str,
        title: str,
        description: str = "",
        assets: list[dict[str, str]] | None = None,
        found_on: date | None = None,
    ) -> CommandResult:
        args = dict(locals())
        del args["self"], args["caller"]

        def change(cmd: Command) -> CommandResult:
            self.campaign.office(office)
            if self.policy.grant_for(caller.principal, "find_issue", office) is None:
                if not caller.principal.roles & {
                    "office_staff",
                    "office_lead",
                    "coordinator",
                    "finance",
                }:
                    raise PermissionDenied("your roles do not allow recording problems")
                raise InvalidInput(
                    f"you cannot record problems for office {office!r}", field="office"
                )
            cmd.act(office)
            today = self.today()
            issue = Issue.find(
                office=office,
                category=category,
                subtype=subtype,
                source=source,
                title=title,
                description=description,
                assets=assets or [],
                found_on=found_on or today,
                today=today,
            )
            return cmd.done(issue, result_of=issue)

        return self.execute(caller, "find_issue", args, change)

    def plan_item(
        self,
        caller: Caller,
        issue_id: UUID,
        *,
        measure: str,
        measure_type: str,
        responsible: str,
        deadline: date,
        involves: str = "none",
        office: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        args = dict(locals())
        del args["self"], args["caller"]

        def change(cmd: Command) -> CommandResult:
            issue = self.load_case(caller, Issue, issue_id)
            cmd.act(issue.office)
            cmd.check_version(issue, expected_version)
            item = RectificationItem.plan(
                issue=issue,
                office=office,
                measure=measure,
                measure_type=measure_type,
                responsible=responsible,
                deadline=deadline,
                involves=involves,
                today=self.today(),
                campaign_end=self.campaign.rectification_end,
                siblings=self._items_of(issue),
            )
            issue.add_item(item.id)
            return cmd.done(issue, item, result_of=item)

        return self.execute(caller, "plan_item", args, change)

    def _items_of(self, issue: Issue) -> list[RectificationItem]:
        return [self.load(RectificationItem, i) for i in issue.items]

    def _on_item(
        self,
        caller: Caller,
        name: str,
        item_id: UUID,
        expected_version: int | None,
        args: dict[str, Any],
        act: Any,
    ) -> CommandResult:
        """Load an item in scope, authorize, check the version, apply ``act``, save."""
        args = {k: v for k, v in args.items() if k not in ("self", "caller", "act")}

        def change(cmd: Command) -> CommandResult:
            item = self.load_case(caller, RectificationItem, item_id)
            cmd.act(item.office)
            cmd.check_version(item, expected_version)
            others = act(cmd, item) or ()
            return cmd.done(item, *others, result_of=item)

        return self.execute(caller, name, args, change)

    def replan_item(
        self,
        caller: Caller,
        item_id: UUID,
        *,
        measure: str,
        measure_type: str,
        responsible: str,
        deadline: date,
        involves: str = "none",
        expected_version: int | None = None,
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> None:
            item.replan(
                measure=measure,
                measure_type=measure_type,
                responsible=responsible,
                deadline=deadline,
                involves=involves,
                today=self.today(),
                campaign_end=self.campaign.rectification_end,
                siblings=self._items_of(self.load(Issue, item.issue_id)),
            )

        return self._on_item(caller, "replan_item", item_id, expected_version, dict(locals()), act)

    def request_approval(
        self, caller: Caller, item_id: UUID, *, expected_version: int | None = None
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> None:
            item.request_approval(by=str(caller.principal.account_id))

        return self._on_item(
            caller, "request_approval", item_id, expected_version, dict(locals()), act
        )

    def decide_approval(
        self,
        caller: Caller,
        item_id: UUID,
        *,
        approve: bool,
        comment: str = "",
        expected_version: int | None = None,
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> None:
            grant = self.policy.grant_for(caller.principal, "decide_approval", item.office)
            assert grant is not None  # cmd.act has authorized
            unit = _APPROVING_UNIT[grant.role]
            if unit not in item.required_approvals:
                raise PermissionDenied(
                    "Finance decides only on items that involve disposal or lease"
                )
            item.decide(
                unit=unit, approve=approve, comment=comment, by=str(caller.principal.account_id)
            )

        return self._on_item(
            caller, "decide_approval", item_id, expected_version, dict(locals()), act
        )

    def record_rectification(
        self,
        caller: Caller,
        item_id: UUID,
        *,
        description: str,
        evidence: list[dict[str, Any]],
        rectified_on: date | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> None:
            today = self.today()
            item.rectify(
                description=description,
                evidence=evidence,
                rectified_on=rectified_on or today,
                today=today,
                found_on=self.load(Issue, item.issue_id).found_on,
                by=str(caller.principal.account_id),
            )

        return self._on_item(
            caller, "record_rectification", item_id, expected_version, dict(locals()), act
        )

    def record_verification(
        self,
        caller: Caller,
        item_id: UUID,
        *,
        passed: bool,
        comment: str = "",
        expected_version: int | None = None,
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> list[Issue]:
            item.verify(passed=passed, comment=comment, by=str(caller.principal.account_id))
            if not passed:
                return []
            issue = self.load(Issue, item.issue_id)
            issue.note_item_verified(item.id)
            return [issue]

        return self._on_item(
            caller, "record_verification", item_id, expected_version, dict(locals()), act
        )

    def request_extension(
        self,
        caller: Caller,
        item_id: UUID,
        *,
        new_deadline: date,
        reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> None:
            item.request_extension(new_deadline=new_deadline, reason=reason, today=self.today())

        return self._on_item(
            caller, "request_extension", item_id, expected_version, dict(locals()), act
        )

    def extend_deadline(
        self,
        caller: Caller,
        item_id: UUID,
        *,
        new_deadline: date,
        reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> None:
            item.extend_deadline(new_deadline=new_deadline, reason=reason, today=self.today())

        return self._on_item(
            caller, "decide_extension", item_id, expected_version, dict(locals()), act
        )

    def refuse_extension(
        self, caller: Caller, item_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> None:
            item.refuse_extension(reason=reason)

        return self._on_item(
            caller, "decide_extension", item_id, expected_version, dict(locals()), act
        )

    def reassign(
        self,
        caller: Caller,
        item_id: UUID,
        *,
        responsible: str,
        reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> None:
            item.reassign(responsible=responsible, reason=reason)

        return self._on_item(caller, "reassign", item_id, expected_version, dict(locals()), act)

    def flag_falsification(
        self, caller: Caller, item_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> CommandResult:
        def act(cmd: Command, item: RectificationItem) -> list[Issue]:
            was_verified = item.flag_falsification(reason=reason)
            if not was_verified:
                return []
            issue = self.load(Issue, item.issue_id)
            issue.send_item_back(item_id=item.id, reason=reason)
            return [issue]

        return self._on_item(
            caller, "flag_falsification", item_id, expected_version, dict(locals()), act
        )

    def correct_issue(
        self,
        caller: Caller,
        issue_id: UUID,
        *,
        reason: str,
        category: str | None = None,
        subtype: str | None = None,
        title: str | None = None,
        description: str | None = None,
        assets: list[dict[str, str]] | None = None,
        found_on: date | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        """Correct an open problem's record; a value not given stays as it is."""
        args = dict(locals())
        del args["self"], args["caller"]

        def change(cmd: Command) -> CommandResult:
            issue = self.load_case(caller, Issue, issue_id)
            cmd.act(issue.office)
            cmd.check_version(issue, expected_version)
            issue.correct(
                category=issue.category if category is None else category,
                subtype=issue.subtype if subtype is None else subtype,
                title=issue.title if title is None else title,
                description=issue.description if description is None else description,
                assets=issue.assets if assets is None else assets,
                found_on=issue.found_on if found_on is None else found_on,
                reason=reason,
                today=self.today(),
                rectified=[i.rectified_on for i in self._items_of(issue) if i.rectified_on],
            )
            return cmd.done(issue, result_of=issue)

        return self.execute(caller, "correct_issue", args, change)

    def reopen_issue(
        self, caller: Caller, issue_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> CommandResult:
        args = dict(locals())
        del args["self"], args["caller"]

        def change(cmd: Command) -> CommandResult:
            issue = self.load_case(caller, Issue, issue_id)
            cmd.act(issue.office)
            cmd.check_version(issue, expected_version)
            issue.reopen(reason=reason)
            return cmd.done(issue, result_of=issue)

        return self.execute(caller, "reopen_issue", args, change)

    def mark_reported(
        self,
        caller: Caller,
        issue_id: UUID,
        *,
        report_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        """Mark a closed issue and its verified items as reported."""
        args = dict(locals())
        del args["self"], args["caller"]

        def change(cmd: Command) -> CommandResult:
            issue = self.load_case(caller, Issue, issue_id)
            cmd.act(issue.office)
            cmd.check_version(issue, expected_version)
            issue.mark_reported(report_id=report_id)
            # Items reported before the issue was reopened stay reported; the rest join them.
            items = [self.load(RectificationItem, i) for i in issue.items]
            items = [item for item in items if item.status != ITEM_REPORTED]
            for item in items:
                item.mark_reported(report_id=report_id)
            return cmd.done(issue, *items, result_of=issue)

        return self.execute(caller, "mark_reported", args, change)
