"""Shaping answers from the application's aggregates (one case, as it is or was).

A write answers with the case as that write left it (loaded at the version it produced), so
a retry with the same ``Idempotency-Key`` gets the very same answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Depends

from api.http.deps import AppDep, ExpectedVersionDep, SettleDep, WriterDep
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


class Write:
    """One write request: who, to which app; its answer waits for the read models."""

    def __init__(self, caller: WriterDep, app: AppDep, settle: SettleDep) -> None:
        self.caller = caller
        self.app = app
        self.settle = settle

    def issue(self, result: CommandResult) -> IssueRead:
        self.settle(result, location=f"/api/issues/{result.id}")
        return IssueRead.of(self.app.load(Issue, result.id, version=result.version).summary())

    def item(self, result: CommandResult) -> ItemRead:
        self.settle(result, location=f"/api/items/{result.id}")
        item = self.app.load(RectificationItem, result.id, version=result.version)
        return ItemRead.of(item.summary())

    def account(self, result: CommandResult) -> AccountRead:
        self.settle(result, location=f"/api/accounts/{result.id}")
        account = self.app.load(Account, result.id, version=result.version)
        return AccountRead.model_validate(account.summary())


class CaseWrite(Write):
    """A write to an issue or item, with the version the client expects (``If-Match``)."""

    def __init__(
        self,
        caller: WriterDep,
        app: AppDep,
        settle: SettleDep,
        expected_version: ExpectedVersionDep,
    ) -> None:
        super().__init__(caller, app, settle)
        self.expected_version = expected_version


WriteDep = Annotated[Write, Depends(Write)]
CaseWriteDep = Annotated[CaseWrite, Depends(CaseWrite)]


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
