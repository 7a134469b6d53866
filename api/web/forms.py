"""Reading a submitted form: each field checked with a Chinese message beside it.

A form is checked here first (required, length, dates, choices) so that a person sees every
mistake at once; what passes goes to the same application method the API calls, whose own
refusal is shown the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import uuid4

from starlette.datastructures import FormData, UploadFile

from api.moments import YEARS
from api.web.messages import Refusal
from application.written_dates import written_day

STALE_FORM = Refusal(
    "页面信息不完整或已被改动，请刷新页面，确认最新情况后重新提交。", None, "invalid_version", 422
)


@dataclass
class Form:
    """One submitted form: its values (to show again), its errors, its refusal."""

    name: str
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    refusal: Refusal | None = None
    target: str = ""

    @classmethod
    def of(cls, name: str, data: FormData, *, target: str = "") -> Form:
        values = {k: v for k, v in data.items() if isinstance(v, str)}
        return cls(name=name, values=values, target=target)

    @property
    def ok(self) -> bool:
        return not self.errors and self.refusal is None

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def refuse(self, failure: Refusal) -> None:
        self.refusal = failure
        if failure.field:
            self.errors.setdefault(failure.field.split("[")[0].split(".")[0], failure.message)

    def text(self, key: str, label: str, *, required: bool = True, max_length: int = 2000) -> str:
        """A text field's value, stripped, its lines ended as stored (a browser sends a
        textarea's line breaks as CR LF: kept, a correction would differ from the record)."""
        value = self.values.get(key, "").replace("\r\n", "\n").strip()
        return self._checked(key, label, value, required=required, max_length=max_length)

    def secret(self, key: str, label: str, *, max_length: int = 200) -> str:
        """A password as typed: a space at either end is part of it, as over the API."""
        return self._checked(
            key, label, self.values.get(key, ""), required=True, max_length=max_length
        )

    def _checked(self, key: str, label: str, value: str, *, required: bool, max_length: int) -> str:
        if required and not value:
            self.error(key, f"请填写{label}。")
        elif len(value) > max_length:
            self.error(key, f"{label}不能超过{max_length}个字。")
        return value

    def choice(self, key: str, label: str, choices: Mapping[str, Any]) -> str:
        value = self.values.get(key, "").strip()
        if not value:
            self.error(key, f"请选择{label}。")
        elif value not in choices:
            self.error(key, f"{label}的取值无效，请从列表中重新选择。")
        return value

    def day(self, key: str, label: str, *, required: bool = True) -> date | None:
        value = self.values.get(key, "").strip()
        if not value:
            if required:
                self.error(key, f"请填写{label}。")
            return None
        day = written_day(value)
        if day is None:
            self.error(key, f"{label}不是有效的日期（格式：年-月-日，如 2026-11-30）。")
        return day

    def version(self) -> int | None:
        """The case's version the page showed (None: the form carries none). A value that is
        no version was not made by the page: refused, not read as "any version"."""
        value = self.values.get("version", "").strip()
        if not value:
            return None
        if value.isascii() and value.isdigit() and len(value) <= 9:
            return int(value)
        self.refuse(STALE_FORM)
        return None

    def idempotency_key(self) -> str | None:
        """The key the page put in the form: a form sent twice records once."""
        value = self.values.get("form_id", "")
        return f"web-{value}" if 8 <= len(value) <= 64 and value.isalnum() else None


def query_day(raw: str, label: str) -> tuple[date | None, str]:
    """A day from a page's link (an as-of picker, a time window), or why it is none a ledger
    holds, said with the field's ``label``; ``(None, "")`` when none was given."""
    if not raw:
        return None, ""
    day = written_day(raw)
    if day is None:
        return None, f"{label}不是有效的日期（格式：年-月-日）。"
    if day.year not in YEARS:
        return None, f"{label}应在{YEARS.start}年至{YEARS.stop - 1}年之间。"
    return day, ""


def upload(data: FormData, key: str) -> UploadFile | None:
    value = data.get(key)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


def new_form_id() -> str:
    return uuid4().hex
