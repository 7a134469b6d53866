"""What every view's reads share: running a query, office scopes, checked filter values."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping
from typing import Any, Final

from domain.campaign import Campaign
from domain.errors import InvalidInput, UnknownUnit
from infrastructure.database import SideDatabase


def fetch(db: SideDatabase, query: str, params: Collection[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of a read-only query. SQLite files are read without taking the write lock."""
    if db.dialect == "sqlite":
        conn = sqlite3.connect(db.url.path, timeout=30)
        try:
            return [tuple(r) for r in conn.execute(db.sql(query), tuple(params)).fetchall()]
        finally:
            conn.close()
    return [tuple(r) for r in db.execute(query, tuple(params))]


def marks(values: Collection[Any]) -> str:
    return ", ".join(["%s"] * len(values))


class Where:
    """A conjunction of SQL conditions with their ``%s`` parameters."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.params: list[Any] = []

    def add(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def among(self, column: str, values: Collection[Any]) -> None:
        if not values:
            self.conditions.append("1 = 0")
            return
        self.add(f"{column} IN ({marks(values)})", *sorted(values))

    def like(self, columns: tuple[str, ...], text: str) -> None:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped.lower()}%"
        ors = " OR ".join(f"LOWER({c}) LIKE %s ESCAPE '\\'" for c in columns)
        self.add(f"({ors})", *([pattern] * len(columns)))

    def sql(self) -> str:
        return f" WHERE {' AND '.join(self.conditions)}" if self.conditions else ""


def office_scope(
    campaign: Campaign, offices: frozenset[str] | None, office: str | None
) -> frozenset[str] | None:
    """The offices to show: the caller's readable ones, narrowed to one office's subtree."""
    if office is None:
        return offices
    try:
        campaign.office(office)
    except UnknownUnit:
        raise InvalidInput(f"unknown office {office!r}", field="office") from None
    subtree = campaign.subtree(office)
    return subtree if offices is None else subtree & offices


def check_choice(
    value: str | None, choices: Collection[str] | Mapping[str, Any], *, field: str
) -> None:
    if value is not None and value not in choices:
        allowed = ", ".join(sorted(choices))
        raise InvalidInput(f"{field} must be one of: {allowed} (got {value!r})", field=field)


def order_by(sort: str, allowed: Collection[str], *, tiebreak: str) -> str:
    """``field`` or ``-field`` (descending) among the allowed ones, as an ORDER BY clause."""
    column = sort.removeprefix("-")
    if column not in allowed:
        raise InvalidInput(
            f"sort must be one of: {', '.join(sorted(allowed))}, optionally with '-'", field="sort"
        )
    direction = "DESC" if sort.startswith("-") else "ASC"
    return f" ORDER BY {column} {direction}, {tiebreak} {direction}"


MAX_PAGE: Final = 1_000_000  # as the API's query allows: past it, a number no database holds


def check_page(page: int, page_size: int, *, max_page_size: int) -> None:
    if not 1 <= page <= MAX_PAGE:
        raise InvalidInput(f"page must be between 1 and {MAX_PAGE}", field="page")
    if not 1 <= page_size <= max_page_size:
        raise InvalidInput(f"page_size must be between 1 and {max_page_size}", field="page_size")
