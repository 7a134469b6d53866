"""A sheet's rows gathered by problem: each row checked, its problem and measures keyed.

Rows of the same 问题编号 are one problem; a row an exported ledger gives a problem already
in the log (its 问题ID) joins that problem. A row's key is a hash of its content: the
import records it, so the same row is never imported twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from application.sheet_rows import (
    HEADERS,
    ISSUE_KEYS,
    ITEM_KEYS,
    FieldRules,
    RowErrors,
    SheetRow,
    has_item,
    issue_values,
    item_values,
    text,
)

Progress = Callable[[str, int, int], None]
_EDITED = "不是系统中的记录，请勿修改导出的编号"


def row_key(*parts: Any) -> str:
    body = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass
class Group:
    first_row: int
    values: dict[str, object]
    key: str
    # (row, values, key, the 措施ID of a measure already in the log)
    items: list[tuple[int, dict[str, object], str, UUID | None]]
    case_id: UUID | None = None  # the 问题ID of a problem already in the log


def _case_ids(row: SheetRow, errors: RowErrors) -> tuple[UUID | None, UUID | None]:
    """The 问题ID and 措施ID an exported ledger gives a row of a case in the log."""
    found: list[UUID | None] = []
    for key in ("issue_id", "item_id"):
        value = text(row.cells.get(key))
        try:
            found.append(UUID(value) if value else None)
        except ValueError:
            errors.add(row.number, key, f"{HEADERS[key]}“{value}”不是系统导出的编号，请勿修改")
            found.append(None)
    if found[1] is not None and found[0] is None:
        errors.add(row.number, "issue_id", "有措施ID的行须保留其问题ID")
    return found[0], found[1]


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
    logged: Callable[[UUID], bool],
) -> list[Group]:
    """Check every row and gather the rows of each problem (same 问题编号, or the same
    问题ID of a problem in the log: ``logged`` says which ids are; an id the log does not
    hold, as in a sheet exported from another store, leaves the row keyed by its content)."""
    groups: dict[str, Group] = {}
    for done, row in enumerate(rows, start=1):
        progress("check", done, len(rows))
        case_id, item_id = _case_ids(row, errors)
        known = case_id is not None and logged(case_id)
        if item_id is not None and known != logged(item_id):  # one of the two ids edited
            column = "item_id" if known else "issue_id"
            errors.add(row.number, column, f"{HEADERS[column]}{_EDITED}")
            continue
        if case_id is not None and known:
            _case_row(groups, row, case_id, item_id, rules=rules, errors=errors)
            continue
        values = issue_values(row, errors, office=office, today=today)
        _apply(rules.issue, {"office": office, **values}, row.number, errors)
        number = text(row.cells.get("issue_no"))
        issue = {k: values.get(k) for k in ISSUE_KEYS if k != "office"}
        group = groups.get(number)
        if group is None:
            group = groups[number] = Group(row.number, issue, row_key(office, issue), [])
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
            _new_measure(group, row, rules=rules, errors=errors)
    if not rows:
        errors.add(2, "office", "表格中没有数据行")
    return list(groups.values())


def _new_measure(group: Group, row: SheetRow, *, rules: FieldRules, errors: RowErrors) -> None:
    item = item_values(row, errors)
    _apply(rules.item, item, row.number, errors)
    key = row_key(group.key, {k: item.get(k) for k in ITEM_KEYS})
    twin = next((n for n, _, k, _ in group.items if k == key), None)
    if twin is not None:
        errors.add(row.number, "measure", f"与第{twin}行的整改措施重复")
    group.items.append((row.number, item, key, None))


def _case_row(
    groups: dict[str, Group],
    row: SheetRow,
    case_id: UUID,
    item_id: UUID | None,
    *,
    rules: FieldRules,
    errors: RowErrors,
) -> None:
    """A row of an exported ledger: its problem is in the log already (the problem columns
    are only read by people); a measure with a 措施ID is too, one without is new."""
    group = groups.get(f"case:{case_id}")
    if group is None:
        key = row_key("case", str(case_id))
        group = groups[f"case:{case_id}"] = Group(row.number, {}, key, [], case_id=case_id)
    if item_id is not None:
        twin = next((n for n, _, _, present in group.items if present == item_id), None)
        if twin is not None:
            errors.add(row.number, "item_id", f"与第{twin}行的措施ID重复")
        group.items.append((row.number, {}, "", item_id))
    elif has_item(row):
        _new_measure(group, row, rules=rules, errors=errors)


def _apply(
    check: Callable[[Mapping[str, object]], list[tuple[str, str]]],
    values: dict[str, object],
    row: int,
    errors: RowErrors,
) -> None:
    """The edge's field rules on the values that could be read (the others are already wrong)."""
    for key, message in check({k: v for k, v in values.items() if v is not None}):
        errors.add_new(row, key, message)
