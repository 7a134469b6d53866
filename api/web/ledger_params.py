"""The ledgers' filters as a page's query string: read, checked (in Chinese), linked again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Final
from zoneinfo import ZoneInfo

from starlette.datastructures import QueryParams

from api.web.forms import query_day
from domain.campaign import Campaign
from domain.taxonomy import CATEGORIES, SOURCES
from projections.labels import ISSUE_STATUS, ITEM_STATUS
from projections.ledger_reads import ISSUE_SORTS, ITEM_SORTS
from projections.lights import LIGHTS
from projections.reading import MAX_PAGE

PAGE_SIZES: Final = (20, 50, 100, 200)
DEFAULT_SORT: Final = {"issues": "-found_on", "items": "deadline"}


@dataclass
class LedgerParams:
    kind: str
    office: str | None = None
    category: str | None = None
    status: str | None = None
    source: str | None = None
    overdue: bool | None = None
    light: str | None = None
    q: str | None = None
    sort: str = ""
    page: int = 1
    page_size: int = 50
    as_of_day: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def sorts(self) -> tuple[str, ...]:
        return ISSUE_SORTS if self.kind == "issues" else ITEM_SORTS

    @property
    def statuses(self) -> dict[str, str]:
        return ISSUE_STATUS if self.kind == "issues" else ITEM_STATUS

    def filters(self) -> dict[str, Any]:
        """What the read model is asked for (paging and the moment apart)."""
        found: dict[str, Any] = {
            "office": self.office,
            "category": self.category,
            "status": self.status,
            "light": self.light,
            "q": self.q,
            "sort": self.sort,
        }
        if self.kind == "issues":
            found["source"] = self.source
        else:
            found["overdue"] = self.overdue
        return found

    def link(self) -> dict[str, Any]:
        """The query string of this view (for sorting, paging and the export)."""
        values = {**self.filters(), "page": self.page, "page_size": self.page_size}
        values["overdue"] = "1" if self.overdue else None
        values["as_of"] = self.as_of_day.isoformat() if self.as_of_day else None
        if values["sort"] == DEFAULT_SORT[self.kind]:
            values["sort"] = None
        if values["page_size"] == 50:
            values["page_size"] = None
        if values["page"] == 1:
            values["page"] = None
        return values

    def as_of(self, timezone: str) -> datetime | None:
        """The end of the chosen day, in the campaign's time zone."""
        if self.as_of_day is None:
            return None
        return datetime.combine(self.as_of_day, time.max, ZoneInfo(timezone))


def _pick(params: LedgerParams, key: str, raw: str, choices: Any, message: str) -> str | None:
    if not raw:
        return None
    if raw not in choices:
        params.errors[key] = message
        return None
    return raw


def _int(raw: str, default: int) -> int | None:
    """A page number or size from the link, or None when it is none the ledger holds."""
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) < 8):
        return None
    return int(raw) if 1 <= int(raw) <= MAX_PAGE else None


def parse(
    kind: str,
    query: QueryParams,
    *,
    campaign: Campaign,
    readable: frozenset[str] | None,
    today: date,
) -> LedgerParams:
    get = {k: (query.get(k) or "").strip() for k in query}
    p = LedgerParams(kind=kind, sort=DEFAULT_SORT[kind])
    offices = [u.code for u in campaign.offices() if readable is None or u.code in readable]
    p.office = _pick(p, "office", get.get("office", ""), offices, "请选择您可查看的单位。")
    p.category = _pick(p, "category", get.get("category", ""), CATEGORIES, "问题类别无效。")
    p.status = _pick(p, "status", get.get("status", ""), p.statuses, "状态无效。")
    p.light = _pick(p, "light", get.get("light", ""), LIGHTS, "红黄绿灯取值无效。")
    if kind == "issues":
        p.source = _pick(p, "source", get.get("source", ""), SOURCES, "问题来源无效。")
    elif get.get("overdue") in ("1", "true"):
        p.overdue = True
    elif get.get("overdue") not in (None, "", "0", "false"):
        p.errors["overdue"] = "“只看逾期”取值无效，已显示全部事项。"
    q = get.get("q", "")
    if len(q) > 200:
        p.errors["q"] = "关键词不能超过200个字。"
    p.q = q[:200] or None
    sort = get.get("sort", "") or DEFAULT_SORT[kind]
    if sort.lstrip("-") in p.sorts:
        p.sort = sort
    else:
        p.errors["sort"] = "排序方式无效，已按默认方式排序。"
    page, size = _int(get.get("page", ""), 1), _int(get.get("page_size", ""), 50)
    if page is None or page < 1:
        p.errors["page"] = "页码无效，已显示第1页。"
    p.page = page if page and page >= 1 else 1
    if size not in PAGE_SIZES:
        p.errors["page_size"] = "每页条数无效。"
    p.page_size = size if size in PAGE_SIZES else 50
    p.as_of_day = _as_of(p, get.get("as_of", ""), today)
    return p


def _as_of(p: LedgerParams, raw: str, today: date) -> date | None:
    day, wrong = query_day(raw, "查询日期")
    if day is not None and day > today:
        day, wrong = None, "查询日期不能晚于今天。"
    if wrong:
        p.errors["as_of"] = wrong
    return None if day == today else day
