"""Import an office's self-inspection sheet: every row checked first, then all or nothing.

A sheet with any wrong row imports nothing and answers with every error (row, column,
message). A valid sheet creates its problems and plans as that office's events in one
write. Rows are keyed by their content: importing the same file again, or a longer version
of it, creates only what is new. A row of an exported ledger names its case (问题ID,
措施ID): a case the log holds counts as present, a measure added under it is a new plan.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from application.commanding import Command, CommandResult
from application.errors import NotFound
from application.office_work import OfficeWork
from application.principal import Caller
from application.sheet_groups import Group, Progress, group_rows, is_blank
from application.sheet_rows import (
    HEADERS,
    FieldRules,
    ParsedSheet,
    RowErrors,
    SheetError,
    deadline_problem,
    missing_headers,
)
from domain.campaign import Unit
from domain.errors import (
    DeadlineOutOfRange,
    DomainError,
    DuplicateMeasure,
    InvalidInput,
    IssueNotOpen,
    RepeatedAsset,
)
from domain.imported import ImportedRow, SheetImport
from domain.issue import Issue
from domain.item import RectificationItem


class SheetRejected(InvalidInput):
    """The sheet has wrong rows; nothing was imported (422, with every error)."""

    code = "sheet_rejected"

    def __init__(self, errors: list[SheetError]) -> None:
        super().__init__(f"表格有{len(errors)}处错误，未导入任何数据", field="file")
        self.errors = errors


def _ready(values: dict[str, object], keys: tuple[str, ...]) -> bool:
    """Every value the domain needs could be read (else the row already has its error)."""
    return all(values.get(k) is not None for k in keys)


CLOSED_ISSUE = "该问题已销号，不能追加整改措施"
SAME_MEASURE = "该问题已登记相同的整改措施；如需更换责任人或调整完成时限，请在系统中改派或申请延期"


def _in_chinese(exc: DomainError, key: str) -> str:
    """A domain rule the checks above do not mirror, said in the words of the error table."""
    if isinstance(exc, IssueNotOpen):
        return CLOSED_ISSUE
    if isinstance(exc, DuplicateMeasure):
        return SAME_MEASURE
    header = HEADERS.get(key, key)
    if isinstance(exc, DeadlineOutOfRange):
        return f"{header}超出允许的范围"
    if isinstance(exc, RepeatedAsset):
        return f"{header}第{exc.index + 1}项的资产编号与第{exc.first + 1}项重复"
    for words, said in _TEXT_RULES:
        if words in exc.message:
            return f"{header}{said}"
    return f"{header}不符合要求，请按填表说明填写"


# What a text rule's refusal says of a cell (the domain's words → the sheet's).
_TEXT_RULES = (
    ("must be a single line", "只能填写一行，请删除单元格内的换行（Alt+Enter）"),
    ("bidirectional control characters", "含有改变文字显示方向的不可见字符，请删除后重新填写"),
    ("control characters", "含有不可见的控制字符，请删除后重新填写"),
    ("must not be empty", "不能为空"),
)


class ImportCommands(OfficeWork):
    def _indexed(self, key: str) -> UUID | None:
        try:
            entry: Aggregate = self.repository.get(ImportedRow.create_id(key))
        except AggregateNotFoundError:
            return None
        return entry.case_id if isinstance(entry, ImportedRow) else None

    def _logged(self, aggregate_id: UUID) -> bool:
        try:
            self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def template_office(self, caller: Caller, office: str) -> Unit:
        """The office whose blank sheet the caller asks for: one whose cases it may read."""
        unit = self.campaign.office(office)
        if not self.policy.can_read(caller.principal, office):
            raise NotFound(f"no office {office}")
        return unit

    def import_self_inspection(
        self,
        caller: Caller,
        *,
        office: str,
        sheet: ParsedSheet,
        rules: FieldRules,
        progress: Progress | None = None,
    ) -> CommandResult:
        """Import the office's filled sheet; the same file twice is imported once.

        Every row is checked — the sheet's own checks, the edge's field ``rules`` and the
        domain's rules — and a sheet with any error imports nothing and names them all.
        """
        report = progress or (lambda stage, done, total: None)
        args = {"office": office, "sha256": sheet.sha256}

        def change(cmd: Command) -> CommandResult:
            self.campaign.office(office)
            cmd.act(office, command="import_self_inspection", on_office=True)
            import_id = SheetImport.create_id(office, sheet.sha256)
            try:
                earlier: Aggregate = self.repository.get(import_id)
            except AggregateNotFoundError:
                pass
            else:
                assert isinstance(earlier, SheetImport)
                return CommandResult(
                    id=earlier.id,
                    version=earlier.version,
                    extra={**earlier.summary(), "already_imported": True},
                )
            missing = missing_headers(set(sheet.columns))
            if missing:
                raise SheetRejected(
                    [SheetError(row=1, column=h, message=f"缺少“{h}”列") for h in missing]
                )
            rows = [r for r in sheet.rows if not is_blank(r)]
            errors = RowErrors()
            groups = group_rows(
                rows,
                office=office,
                today=self.today(),
                rules=rules,
                errors=errors,
                progress=report,
                logged=self._logged,
            )
            self._check_deadlines(groups, errors)
            created = self._create(office, groups, import_id, errors, report)
            if errors:
                raise SheetRejected(sorted(errors.errors, key=lambda e: e.row))
            indexed = {a.case_id for a in created if isinstance(a, ImportedRow)}
            issues = sum(isinstance(a, Issue) and a.id in indexed for a in created)
            items = sum(isinstance(a, RectificationItem) for a in created)
            total_items = sum(len(g.items) for g in groups)
            record = SheetImport(
                office=office,
                sha256=sheet.sha256,
                file_name=sheet.file_name,
                rows=len(rows),
                created={"issues": issues, "items": items},
                existing={"issues": len(groups) - issues, "items": total_items - items},
            )
            return cmd.done(*created, record, result_of=record, **record.summary())

        return self.execute(caller, "import_self_inspection", args, change)

    def _check_deadlines(self, groups: list[Group], errors: RowErrors) -> None:
        """A new plan's deadline lies between today and the rectification end."""
        today, end = self.today(), self.campaign.rectification_end
        for group in groups:
            for number, values, key, present in group.items:
                deadline = values.get("deadline")
                if present or not isinstance(deadline, date) or self._indexed(key) is not None:
                    continue
                problem = deadline_problem(deadline, today=today, campaign_end=end)
                if problem is not None:
                    errors.add(number, "deadline", problem)

    def _create(
        self,
        office: str,
        groups: list[Group],
        import_id: UUID,
        errors: RowErrors,
        report: Progress,
    ) -> list[Aggregate]:
        """Build every new issue, item and index entry in memory; the domain's refusals are
        collected with the sheet's errors (a row whose values could not be read is skipped)."""
        today, end = self.today(), self.campaign.rectification_end
        changed: list[Aggregate] = []
        for done, group in enumerate(groups, start=1):
            report("import", done, len(groups))
            if group.case_id is not None:
                issue = self._logged_issue(office, group, errors, changed)
            else:
                issue = self._issue_for(office, group, import_id, errors, changed, today)
            for number, values, key, present in group.items:
                if present is not None:
                    if issue is not None:
                        self._check_logged_item(issue, number, present, errors)
                    continue
                if self._indexed(key) is not None:
                    continue
                if issue is not None and issue.office != office:
                    errors.add_new(number, "measure", "不能为下级单位的问题追加整改措施")
                    continue
                if issue is None or not _ready(values, ("measure_type", "involves", "deadline")):
                    continue
                if not issue.is_open:
                    errors.add_new(number, "measure", CLOSED_ISSUE)
                    continue
                try:
                    item = RectificationItem.plan(
                        issue=issue,
                        office=office,
                        today=today,
                        campaign_end=end,
                        siblings=self._items_so_far(issue, changed),
                        **values,  # type: ignore[arg-type]
                    )
                except DomainError as exc:
                    column = exc.field or "measure"
                    errors.add_new(number, column, _in_chinese(exc, column))
                    continue
                issue.add_item(item.id)
                index = ImportedRow(key=key, case_id=item.id, sheet_import_id=import_id)
                changed += [item, index]
        return list({id(a): a for a in changed}.values())

    def _items_so_far(self, issue: Issue, changed: list[Aggregate]) -> list[RectificationItem]:
        """The problem's items, those this sheet plans included: a sheet imported again with
        another 责任人 or 完成时限 for a measure would otherwise plan it twice."""
        in_sheet = {a.id: a for a in changed if isinstance(a, RectificationItem)}
        return [in_sheet.get(i) or self.load(RectificationItem, i) for i in issue.items]

    def _logged_issue(
        self, office: str, group: Group, errors: RowErrors, changed: list[Aggregate]
    ) -> Issue | None:
        """The problem a 问题ID names: in the log, and the importing office's or below it."""
        assert group.case_id is not None
        try:
            issue = self.load(Issue, group.case_id)
        except NotFound:
            errors.add(group.first_row, "issue_id", "问题ID不是系统中的问题，请勿修改导出的编号")
            return None
        if issue.office not in self.campaign.subtree(office):
            errors.add(group.first_row, "issue_id", "问题ID对应的问题不属于导入单位")
            return None
        changed.append(issue)
        return issue

    def _check_logged_item(self, issue: Issue, row: int, item_id: UUID, errors: RowErrors) -> None:
        try:
            item = self.load(RectificationItem, item_id)
        except NotFound:
            item = None
        if item is None or item.issue_id != issue.id:
            errors.add(row, "item_id", "措施ID不是该问题的整改措施，请勿修改导出的编号")

    def _issue_for(
        self,
        office: str,
        group: Group,
        import_id: UUID,
        errors: RowErrors,
        changed: list[Aggregate],
        today: date,
    ) -> Issue | None:
        existing = self._indexed(group.key)
        if existing is not None:
            issue = self.load(Issue, existing)
            changed.append(issue)
            return issue
        if not _ready(group.values, ("category", "subtype", "source", "found_on")):
            return None
        try:
            issue = Issue.find(office=office, today=today, **group.values)  # type: ignore[arg-type]
        except DomainError as exc:
            column = (exc.field or "title").split("[")[0]  # assets[1].code: the 涉及资产 cell
            errors.add_new(group.first_row, column, _in_chinese(exc, column))
            return None
        changed += [issue, ImportedRow(key=group.key, case_id=issue.id, sheet_import_id=import_id)]
        return issue
