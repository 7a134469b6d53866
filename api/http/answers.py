"""Shaping answers from the application's aggregates (one case, as it is or was).

A write answers with the case as that write left it: the aggregate the command changed, or,
for a retry with the same ``Idempotency-Key`` (whose result is replayed from its record),
the case loaded at the version the first call produced: the very same answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import Depends, Request, Response

from api.http.deps import (
    BearerToken,
    IdempotencyKey,
    IfMatch,
    Settle,
    expected_version,
    get_writer,
    services_of,
)
from api.http.schemas.accounts import AccountRead
from api.http.schemas.issues import IssueDetailRead, IssueRead
from api.http.schemas.items import ItemRead
from application.commanding import CommandResult
from application.errors import NotFound
from application.principal import Caller
from application.service import RectifyApp
from domain.account import Account
from domain.issue import Issue
from domain.item import RectificationItem

A = TypeVar("A", Issue, RectificationItem, Account)


class Write:
    """One write request: who, to which app; its answer waits for the read models."""

    def __init__(self, caller: Caller, app: RectifyApp, settle: Settle) -> None:
        self.caller = caller
        self.app = app
        self.settle = settle

    def issue(self, result: CommandResult) -> IssueRead:
        self.settle(result, location=f"/api/issues/{result.id}")
        return IssueRead.of(self.written(Issue, result).summary())

    def item(self, result: CommandResult) -> ItemRead:
        self.settle(result, location=f"/api/items/{result.id}")
        return ItemRead.of(self.written(RectificationItem, result).summary())

    def account(self, result: CommandResult) -> AccountRead:
        self.settle(result, location=f"/api/accounts/{result.id}")
        return AccountRead.model_validate(self.written(Account, result).summary())

    def written(self, cls: type[A], result: CommandResult) -> A:
        """The aggregate at the version the write produced, loaded only if not at hand."""
        held = result.aggregate
        if isinstance(held, cls) and held.id == result.id and held.version == result.version:
            return held
        return self.app.load(cls, result.id, version=result.version)


class CaseWrite(Write):
    """A write to an issue or item, with the version the client expects (``If-Match``)."""

    def __init__(
        self, caller: Caller, app: RectifyApp, settle: Settle, expected_version: int | None
    ) -> None:
        super().__init__(caller, app, settle)
        self.expected_version = expected_version


def get_write(
    request: Request,
    response: Response,
    token: BearerToken,
    idempotency_key: IdempotencyKey = None,
) -> Write:
    """Every write's wiring from one dependency (see ``api.http.deps``)."""
    services = services_of(request)
    caller = get_writer(request, token, idempotency_key)
    return Write(caller, services.container.app, Settle(services, response))


def get_case_write(
    request: Request,
    response: Response,
    token: BearerToken,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> CaseWrite:
    write = get_write(request, response, token, idempotency_key)
    return CaseWrite(write.caller, write.app, write.settle, expected_version(if_match))


WriteDep = Annotated[Write, Depends(get_write)]
CaseWriteDep = Annotated[CaseWrite, Depends(get_case_write)]


def issue_detail(
    app: RectifyApp, caller: Caller, issue_id: UUID, *, as_of: datetime | None
) -> IssueDetailRead:
    issue = app.get_issue(caller, issue_id, at=as_of)
    items = []
    for item_id in issue.items:
        try:
            items.append(app.get_item(caller, item_id, at=as_of).summary())
        except NotFound:  # planned after as_of
            continue
    return IssueDetailRead.model_validate(
        {**issue.summary(), "item_details": [ItemRead.of(i) for i in items]}
    )
