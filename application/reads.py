"""Reading one case: now, at a version, at a past moment, and its full history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from application.commanding import CommandingApp
from application.errors import NotFound
from application.history import HistoryEntry, history_of
from application.principal import Caller
from domain.errors import InvalidInput
from domain.issue import Issue
from domain.item import RectificationItem

C = TypeVar("C", Issue, RectificationItem)


class CaseReads(CommandingApp):
    def get_issue(
        self,
        caller: Caller,
        issue_id: UUID,
        *,
        at: datetime | None = None,
        version: int | None = None,
    ) -> Issue:
        issue = self.load_case(caller, Issue, issue_id)
        return self._as_asked(issue, at=at, version=version)

    def get_item(
        self,
        caller: Caller,
        item_id: UUID,
        *,
        at: datetime | None = None,
        version: int | None = None,
    ) -> RectificationItem:
        item = self.load_case(caller, RectificationItem, item_id)
        return self._as_asked(item, at=at, version=version)

    def _as_asked(self, case: C, *, at: datetime | None, version: int | None) -> C:
        """The case now, at one of its versions, or as it was at a past moment."""
        if version is not None and at is not None:
            raise InvalidInput("ask for a version or a moment, not both", field="version")
        if version is not None:
            if not 1 <= version <= case.version:
                raise NotFound(f"the case has no version {version}")
            return self.load(type(case), case.id, version=version)
        return case if at is None else self._as_of(type(case), case.id, at)

    def _as_of(self, cls: type[Any], aggregate_id: UUID, at: datetime) -> Any:
        version = None
        for event in self.repository.event_store.get(aggregate_id):
            if getattr(event, "timestamp") > at:  # noqa: B009 - the protocol omits it
                break
            version = event.originator_version
        if version is None:
            raise NotFound(f"the case did not exist at {at.isoformat()}")
        return self.load(cls, aggregate_id, version=version)

    def case_history(self, caller: Caller, case_id: UUID) -> list[HistoryEntry]:
        """Every event of a case: an issue with all its items, or one item."""
        try:
            case: Issue | RectificationItem = self.load_case(caller, Issue, case_id)
        except NotFound:
            try:
                case = self.load_case(caller, RectificationItem, case_id)
            except NotFound:
                raise NotFound(f"no case {case_id}") from None
        ids = [case.id, *case.items] if isinstance(case, Issue) else [case.id]
        return history_of(self.repository.event_store, self.event_positions, ids)
