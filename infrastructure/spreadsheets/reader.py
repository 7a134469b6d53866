"""Read an office's filled self-inspection sheet (or an exported ledger) into sheet rows.

The header row is found by its headers (within the first rows, under an optional title);
columns are matched by header, so their order and any extra columns do not matter. Cells
come back as the spreadsheet holds them; the application decides what they mean.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from typing import Any

from application.imports import SheetRejected
from application.sheet_rows import HEADERS, ParsedSheet, SheetError, SheetRow

_BY_HEADER = {header: key for key, header in HEADERS.items()}
_SEARCH_ROWS = 10
MAX_ROWS = 5000


def _header_row(rows: list[tuple[Any, ...]]) -> int | None:
    for n, row in enumerate(rows[:_SEARCH_ROWS]):
        found = {str(v).strip() for v in row if v is not None}
        if {"单位代码", "问题编号"} <= found:
            return n
    return None


def _refuse_uncalculated(
    data: bytes, title: str, rows: list[SheetRow], columns: dict[int, str], header_at: int
) -> None:
    """A formula whose result the file does not hold (a sheet written by a program, never
    opened in Excel) reads as an empty cell: say so, rather than 责任人不能为空."""
    from openpyxl import load_workbook

    if not has_formulas(data) or not any(v is None for r in rows for v in r.cells.values()):
        return  # the common case: read once
    wb = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    try:
        formulas = [tuple(r) for r in wb[title].iter_rows(values_only=True, max_row=MAX_ROWS + 20)]
    finally:
        wb.close()
    errors = [
        SheetError(
            row=row.number,
            column=HEADERS[key],
            message=f"{HEADERS[key]}是公式，但文件中没有它的计算结果："
            "请在Excel中打开并保存后再导入，或直接填写内容",
        )
        for offset, row in enumerate(rows)
        for n, key in columns.items()
        if row.cells[key] is None and _is_formula(formulas, header_at + 1 + offset, n)
    ]
    if errors:
        raise SheetRejected(errors)


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the file holds a formula (its XML has an ``<f>`` element):
    a scan of the zip's sheet parts, cheaper than a second parse of the workbook."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return any(
            _FORMULA.search(book.read(name))
            for name in book.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _is_formula(rows: list[tuple[Any, ...]], r: int, c: int) -> bool:
    value = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
    return isinstance(value, str) and value.startswith("=")


def read_sheet(data: bytes, *, file_name: str) -> ParsedSheet:
    """Parse the first worksheet that has the sheet's headers; a bad file says why."""
    from openpyxl import load_workbook  # on first use: see infrastructure.spreadsheets.workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise SheetRejected(
            [SheetError(row=0, column="", message="文件不是有效的Excel工作簿（.xlsx）")]
        ) from None
    try:
        for ws in wb.worksheets:
            rows = [tuple(r) for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS + 20)]
            header_at = _header_row(rows)
            if header_at is None:
                continue
            columns: dict[int, str] = {}
            for n, value in enumerate(rows[header_at]):
                key = _BY_HEADER.get(str(value).strip()) if value is not None else None
                if key is not None and key not in columns.values():
                    columns[n] = key
            body = rows[header_at + 1 :]
            if len(body) > MAX_ROWS:
                raise SheetRejected(
                    [SheetError(row=0, column="", message=f"表格超过{MAX_ROWS}行，请分批导入")]
                )
            sheet_rows = [
                SheetRow(
                    number=header_at + 2 + offset,
                    cells={key: row[n] if n < len(row) else None for n, key in columns.items()},
                )
                for offset, row in enumerate(body)
            ]
            _refuse_uncalculated(data, ws.title, sheet_rows, columns, header_at)
            return ParsedSheet(
                file_name=file_name,
                sha256=hashlib.sha256(data).hexdigest(),
                columns=frozenset(columns.values()),
                rows=sheet_rows,
            )
    finally:
        wb.close()
    raise SheetRejected(
        [SheetError(row=0, column="", message="未找到表头（须含“单位代码”“问题编号”等列）")]
    )
