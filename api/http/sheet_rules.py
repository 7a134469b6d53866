"""A self-inspection sheet's rows held to the API's own request bodies, said in Chinese.

Each row's problem values are checked as an ``IssueCreate`` and its plan as an
``ItemCreate``: the same limits (lengths, number of assets, control characters) as
``POST /api/issues`` and ``POST /api/issues/{id}/items``, from the same schemas, so a sheet
can never store what a request could not. The web import and the command line use them too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from api.http.schemas.issues import IssueCreate
from api.http.schemas.items import ItemCreate
from application.sheet_rows import HEADERS

_PARTS: Final = {"code": "编号", "name": "名称"}


def _where(loc: tuple[int | str, ...]) -> str:
    """The column's header, and the entry within it (涉及资产第2项的名称)."""
    where = HEADERS.get(str(loc[0]), str(loc[0]))
    if len(loc) > 1 and isinstance(loc[1], int):
        where += f"第{loc[1] + 1}项"
        if len(loc) > 2:
            where += f"的{_PARTS.get(str(loc[2]), str(loc[2]))}"
    return where


def message(error: ErrorDetails) -> str:
    """One refusal of the schema, in Chinese, with the schema's own numbers."""
    where, ctx = _where(error["loc"]), error.get("ctx", {})
    kind = error["type"]
    if kind == "string_too_long":
        return f"{where}不能超过{ctx['max_length']}个字"
    if kind == "too_long":
        return f"{where}不能超过{ctx['max_length']}项"
    if kind in ("string_too_short", "too_short", "missing"):
        return f"{where}不能为空"
    if kind == "value_error" and "control characters" in str(ctx.get("error", "")):
        return f"{where}含有不可见的控制字符，请删除后重新导入"
    if kind == "value_error":
        return f"{where}含有无效的字符"
    if kind == "string_pattern_mismatch":
        return f"{where}只能由字母、数字、点、下划线和连字符组成"
    return f"{where}的格式不正确"


def _check(schema: type[BaseModel], values: Mapping[str, object]) -> list[tuple[str, str]]:
    """(column key, message) for each value the schema refuses; absent values are not its
    concern (the sheet's own checks have already named them)."""
    try:
        schema.model_validate(dict(values))
    except ValidationError as exc:
        return [
            (str(e["loc"][0]), message(e))
            for e in exc.errors()
            if e["loc"] and e["loc"][0] in values
        ]
    return []


class SchemaRules:
    """The API's field rules for the application's sheet import (its ``FieldRules`` port)."""

    def issue(self, values: Mapping[str, object]) -> list[tuple[str, str]]:
        return _check(IssueCreate, values)

    def item(self, values: Mapping[str, object]) -> list[tuple[str, str]]:
        return _check(ItemCreate, values)


SHEET_RULES: Final = SchemaRules()
