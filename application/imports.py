"""Import an office's self-inspection sheet: every row checked first, then all or nothing.

A sheet with any wrong row imports nothing and answers with every error (row, column,
message). A valid sheet creates its problems and plans as that office's events in one
write. Rows are keyed by their content: importing the same file again, or a longer version
of it, creates only what is new.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from application.commanding import Command, CommandResult
from application.errors import NotFound
from application.office_work import OfficeWork
from application.principal import Caller
from application.sheet_rows import (
    HEADERS,
    ISSUE_KEYS,
    ITEM_KEYS,
    FieldRules,
    ParsedSheet,
    RowErrors,
    SheetError,
    SheetRow,
    deadline_problem,
    has_item,
    issue_values,
    item_values,
    missing_headers,
    text,
)
from domain.campaign import Unit
from domain.errors import DeadlineOutOfRange, DomainError, InvalidInput, IssueNotOpen
from domain.imported import ImportedRow, SheetImport
from domain.issue import Issue
from domain.item import RectificationItem

Progress = Callable[[str, int, int], None]


class SheetRejected(InvalidInput):
    """The sheet has wrong rows; nothing was imported (422, with every error)."""

    code = "sheet_rejected"

    def __init__(self, errors: list[SheetError]) -> None:
        super().__init__(f"表格有{len(errors)}处错误，未导入任何数据", field="file")
        self.errors = errors


def row_key(*parts: Any) -> str:
    body = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass
class _Group:
    first_row: int
    values: dict[str, object]
    key: str
    items: list[tuple[int, dict[str, object], str]]


def is_blank(row: SheetRow) -> bool:
    """Blank but for what the template fills in ahead (序号, 单位代码, 单位)."""
    return not any(text(v) for k, v in row.cells.items() if k not in ("office", "office_name"))


def group_rows(
    rows: list[SheetRow],
    *,
    office: str,
    today: date,
    rules: FieldRules,
    errors: RowErrors,
    progress: Progress,
) -> list[_Group]:
    """Check every row and gather the rows of each problem (same 问题编号)."""
    groups: dict[str, _Group] = {}
    for done, row in enumerate(rows, start=1):
        progress("check", done, len(rows))
        values = issue_values(row, errors, office=office, today=today)
        _apply(rules.issue, {"office": office, **values}, row.number, errors)
        number = text(row.cells.get("issue_no"))
        issue = {k: values.get(k) for k in ISSUE_KEYS if k != "office"}
        group = groups.get(number)
        if group is None:
            group = groups[number] = _Group(row.number, issue, row_key(office, issue), [])
        elif issue != group.values and number:
            differing = "、".join(
                HEADERS[k]
                for k in ISSUE_KEYS
                if k != "office" and issue.get(k) != group.values.get(k)
            )
            errors.add(
                row.number, "issue_no", f"与第{group.first_row}行同一问题编号，但{differing}不一致"
            )
        if has_item(row):
            item = item_values(row, errors)
            _apply(rules.item, item, row.number, errors)
            key = row_key(group.key, {k: item.get(k) for k in ITEM_KEYS})
            twin = next((n for n, _, k in group.items if k == key), None)
            if twin is not None:
                errors.add(row.number, "measure", f"与第{twin}行的整改措施重复")
            group.items.append((row.number, item, key))
    if not rows:
        errors.add(2, "office", "表格中没有数据行")
    return list(groups.values())


def _apply(
    check: Callable[[Mapping[str, object]], list[tuple[str, str]]],
    values: dict[str, object],
    row: int,
    errors: RowErrors,
) -> None:
    """The edge's field rules on the values that could be read (the others are already wrong)."""
    for key, message in check({k: v for k, v in values.items() if v is not None}):
        errors.add_new(row, key, message)


def _ready(values: dict[str, object], keys: tuple[str, ...]) -> bool:
    """Every value the domain needs could be read (else the row already has its error)."""
    return all(values.get(k) is not None for k in keys)


CLOSED_ISSUE = "该问题已销号，不能追加整改措施"


def _in_chinese(exc: DomainError, key: str) -> str:
    """A domain rule the checks above do not mirror, said in the words of the error table."""
    if isinstance(exc, IssueNotOpen):
        return CLOSED_ISSUE
    header = HEADERS.get(key, key)
    if isinstance(exc, DeadlineOutOfRange):
        return f"{header}超出允许的范围"
    return f"{header}不符合要求，请按填表说明填写"


class ImportCommands(OfficeWork):
    def _indexed(self, key: str) -> UUID | None:
        try:
            entry: Aggregate = self.repository.get(ImportedRow.create_id(key))
        except AggregateNotFoundError:
            return None
        return entry.case_id if isinstance(entry, ImportedRow) else None

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

    def _check_deadlines(self, groups: list[_Group], errors: RowErrors) -> None:
        """A new plan's deadline lies between today and the rectification end."""
        today, end = self.today(), self.campaign.rectification_end
        for group in groups:
            for number, values, key in group.items:
                deadline = values["deadline"]
                if not isinstance(deadline, date) or self._indexed(key) is not None:
                    continue
                problem = deadline_problem(deadline, today=today, campaign_end=end)
                if problem is not None:
                    errors.add(number, "deadline", problem)

    def _create(
        self,
        office: str,
        groups: list[_Group],
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
            issue = self._issue_for(office, group, import_id, errors, changed, today)
            for number, values, key in group.items:
                if self._indexed(key) is not None:
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

    def _issue_for(
        self,
        office: str,
        group: _Group,
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
            column = exc.field or "title"
            errors.add_new(group.first_row, column, _in_chinese(exc, column))
            return None
        changed += [issue, ImportedRow(key=group.key, case_id=issue.id, sheet_import_id=import_id)]
        return issue
