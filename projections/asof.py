"""The ledgers as they stood at a past moment: the same projections, replayed into memory.

The audit log says which events of which offices were recorded by then; those events are
read from the store and run through the ledger projections into an in-memory SQLite
database, which the ordinary ledger reads then query. Events newer than the audit log's
position are read from the store directly, so a lagging audit view loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from domain.campaign import Campaign
from domain.errors import InvalidInput
from infrastructure.database import DatabaseUrl, SideDatabase
from infrastructure.settings import Settings
from projections.audit_log import AUDIT_LOG, CASE_TYPES, AuditLog
from projections.base import Pair, ViewContext, ViewProjection, stamp
from projections.issue_ledger import IssueLedger
from projections.item_ledger import ItemLedger
from projections.reading import Where, fetch
from projections.source import EventLog

_BATCH = 2000
LEDGERS: tuple[type[ViewProjection], ...] = (IssueLedger, ItemLedger)


def events_until(
    log: EventLog, db: SideDatabase, *, at: datetime, offices: frozenset[str] | None
) -> Iterator[list[Pair]]:
    """Batches of the case events recorded up to ``at`` (for these offices), in order."""
    audit = AuditLog.store(db, application_name=log.name)
    indexed = audit.position()
    where = Where()
    where.among("aggregate_type", CASE_TYPES)
    where.add("recorded_at <= %s", stamp(at))
    where.add("position <= %s", indexed)
    if offices is not None:
        where.among("office", offices)
    positions = [
        int(p)
        for (p,) in fetch(
            db,
            f"SELECT position FROM {AUDIT_LOG.name}{where.sql()} ORDER BY position",
            where.params,
        )
    ]
    seen: set[object] = set()
    for n in range(0, len(positions), _BATCH):
        batch = log.at_positions(positions[n : n + _BATCH])
        seen.update(e.originator_id for e, _ in batch)
        yield batch
    after = indexed
    while batch := log.read(after, _BATCH):
        after = batch[-1][1].notification_id
        wanted = [(e, t) for e, t in batch if _is_case(e) and e.timestamp <= at]
        if offices is not None:
            wanted = [(e, t) for e, t in wanted if _in_scope(e, offices, seen)]
        yield wanted


def _is_case(event: Any) -> bool:
    return type(event).__qualname__.split(".")[0] in CASE_TYPES


def _in_scope(event: Any, offices: frozenset[str], seen: set[object]) -> bool:
    """Events after the audit log's position: a case's first event names its office."""
    office = getattr(event, "office", None)
    if event.originator_id in seen or (office is not None and office in offices):
        seen.add(event.originator_id)
        return True
    return False


@contextmanager
def ledgers_as_of(
    log: EventLog,
    db: SideDatabase,
    *,
    at: datetime,
    offices: frozenset[str] | None,
    campaign: Campaign,
    settings: Settings,
) -> Iterator[SideDatabase]:
    """An in-memory database holding both ledgers as they stood at ``at``."""
    if at.tzinfo is None:
        raise InvalidInput("as_of needs a time zone", field="as_of")
    memory = SideDatabase(DatabaseUrl(dialect="memory"), settings)
    try:
        context = ViewContext(campaign)
        views = [
            cls(cls.store(memory, application_name=log.name), context=context) for cls in LEDGERS
        ]
        for view in views:
            view.view.create_tables()
        for batch in events_until(log, db, at=at, offices=offices):
            for view in views:
                view.process_batch(batch)
        for view in views:
            view.view.ensure_indexes()
        yield memory
    finally:
        memory.close()
