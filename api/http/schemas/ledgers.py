"""Pages of the ledgers and the audit log; rows are the read models' own row types."""

from __future__ import annotations

from api.http.schemas.common import Read
from projections.rows import AuditRow, IssueRow, ItemRow


class PageRead(Read):
    total: int
    page: int
    page_size: int
    pages: int


class IssuePage(PageRead):
    """A page of the 问题清单."""

    items: list[IssueRow]


class ItemPage(PageRead):
    """A page of the 整改台账."""

    items: list[ItemRow]


class AuditPage(PageRead):
    """A page of the audit log, newest first."""

    items: list[AuditRow]
