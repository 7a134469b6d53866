"""Projections: every view caught up from position 0 over a preloaded log, beside COPY.

The catch-up is the projection host's own loop: each batch is read and decoded once and
applied to each view in that view's transaction with its tracking position; measured in one
process, and as ``rectify projections run`` does it (a large backlog spread over processes).
The floor is PostgreSQL's fastest way to write the same number of rows: COPY into a table
shaped like the events table.
"""

from __future__ import annotations

import time
import uuid

import psycopg

from bench.heap import like_a_worker
from bench.stats import Rate
from bench.write_floor import TOPIC, create_floor_table, payload
from infrastructure.projection_processes import catch_up_spread, spread_shares
from infrastructure.projection_runtime import ProjectionHost
from infrastructure.settings import Settings
from projections.registry import VIEW_NAMES

COPY_TABLE = "bench_copy_events"


def reset_views(host: ProjectionHost) -> None:
    """Drop every view's rows and position: the next catch-up starts from position 0."""
    for projection in host.projections:
        projection.view.drop_tables()
    host.create_tables()


def measure_catch_up(host: ProjectionHost) -> Rate:
    """As ``rectify projections run`` does it: the heap settled after start-up first."""
    reset_views(host)
    with like_a_worker():
        started = time.perf_counter()
        read = host.catch_up()
        return Rate(items=read, seconds=time.perf_counter() - started)


def measure_copy_floor(url: str, rows: int) -> Rate:
    create_floor_table(url, COPY_TABLE)
    state = payload()
    with psycopg.connect(url) as conn:
        conn.execute(f"TRUNCATE {COPY_TABLE}")
        conn.commit()
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                f"COPY {COPY_TABLE} (originator_id, originator_version, topic, state) FROM STDIN"
            ) as copy,
        ):
            for _ in range(rows):
                copy.write_row((uuid.uuid4(), 1, TOPIC, state))
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute(f"DROP TABLE {COPY_TABLE}")
        conn.commit()
    return Rate(items=rows, seconds=seconds)


# The views caught up as ``rectify projections run`` catches up a backlog ------------------


def run_shares(settings: Settings, events: int) -> list[tuple[str, ...]]:
    """The shares ``rectify projections run`` spreads a backlog of ``events`` over (none:
    it catches up in one process)."""
    return spread_shares(settings, VIEW_NAMES, events)


def measure_run_catch_up(host: ProjectionHost, settings: Settings, *, events: int) -> Rate:
    """Every view from position 0 again, as ``rectify projections run`` catches up a backlog
    this size: spread over its processes (their start-up included) from
    ``RECTIFY_PROJECTION_SPREAD_EVENTS`` on, else in this one."""
    shares = run_shares(settings, events)
    if not shares:
        return measure_catch_up(host)
    reset_views(host)
    started = time.perf_counter()
    catch_up_spread(settings, shares, batch_size=host.batch_size)
    return Rate(items=events, seconds=time.perf_counter() - started)
