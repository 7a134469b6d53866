"""Rebuild a view from position 0 into fresh tables, then swap them in atomically.

The fresh tables carry a one-off suffix (their indexes too, so names never collide); their
indexes are built once every row is in. The swap is one transaction that holds the live
view's tracking row: it drops the live tables, renames the fresh ones into their place and
sets the live position to the rebuilt one. A host running meanwhile (in this process or
another) simply continues from there.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import structlog

from infrastructure.database import SideDatabase
from projections.base import ViewContext, ViewProjection
from projections.source import EventLog
from projections.store import TRACKING_TABLE, ViewStore

logger = structlog.get_logger(__name__)


def build_fresh(
    log: EventLog,
    db: SideDatabase,
    view: type[ViewProjection],
    *,
    context: ViewContext,
    batch_size: int = 2000,
    on_progress: Callable[[int, int], None] | None = None,
) -> ViewStore:
    """The view built from position 0 into new tables beside the live ones."""
    store = view.store(db, application_name=log.name, suffix=f"__rb{uuid4().hex[:8]}")
    store.create_tables()
    projection = view(store, context=context)
    try:
        after = 0
        while batch := log.read(after, batch_size):
            projection.process_batch(batch)
            after = batch[-1][1].notification_id
            if on_progress is not None:
                on_progress(after, max(after, log.head()))
        store.ensure_indexes()  # built from the finished rows, before the swap
    except BaseException:
        store.drop_tables()
        raise
    return store


def swap_in(db: SideDatabase, *, live: ViewStore, fresh: ViewStore) -> int:
    """Replace the live tables and position with the fresh ones; answers the new position."""
    lock = " FOR UPDATE" if db.dialect == "postgres" else ""
    with db.transaction() as cur:
        cur.execute(
            db.sql(f"SELECT position FROM {TRACKING_TABLE} WHERE view = %s{lock}"), (live.view,)
        )
        cur.execute(db.sql(f"SELECT position FROM {TRACKING_TABLE} WHERE view = %s"), (fresh.view,))
        position = int(cur.fetchone()[0])
        for name in live.tables:
            cur.execute(f"DROP TABLE IF EXISTS {live.physical(name)}")
            cur.execute(f"ALTER TABLE {fresh.physical(name)} RENAME TO {live.physical(name)}")
        cur.execute(
            db.sql(
                f"INSERT INTO {TRACKING_TABLE} (view, application_name, position) "
                "VALUES (%s, %s, %s) ON CONFLICT (view) DO UPDATE SET position = excluded.position"
            ),
            (live.view, live.application_name, position),
        )
        cur.execute(db.sql(f"DELETE FROM {TRACKING_TABLE} WHERE view = %s"), (fresh.view,))
    return position


def rebuild(
    log: EventLog,
    db: SideDatabase,
    view: type[ViewProjection],
    *,
    context: ViewContext,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild ``view`` from the whole log and swap it in; answers its new position."""
    fresh = build_fresh(log, db, view, context=context, on_progress=on_progress)
    live = view.store(db, application_name=log.name)
    live.create_tables()
    position = swap_in(db, live=live, fresh=fresh)
    logger.info("projection_rebuilt", view=view.name, position=position)
    return position
