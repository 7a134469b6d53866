"""Read an office's filled self-inspection sheet (or an exported ledger) into sheet rows.

The header row is found by its headers (within the first rows, under an optional title);
columns are matched by header, so their order and any extra columns do not matter. Cells
come back as the spreadsheet holds them; the application decides what they mean.
"""

from __future__ import annotations

import hashlib
import io
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
