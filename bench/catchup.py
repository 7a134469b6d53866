"""Projections: every view caught up from position 0 over a preloaded log, beside COPY.

The catch-up is the projection host's own loop (what ``rectify projections run`` does on an
empty set of views): each batch is read and decoded once and applied to each view in that
view's transaction with its tracking position. The floor is PostgreSQL's fastest way to
write the same number of rows: COPY into a table shaped like the events table.
"""

from __future__ import annotations

import time
import uuid

import psycopg

from bench.stats import Rate
from bench.write_floor import TOPIC, create_floor_table, payload
from infrastructure.projection_runtime import ProjectionHost

COPY_TABLE = "bench_copy_events"


def reset_views(host: ProjectionHost) -> None:
    """Drop every view's rows and position: the next catch-up starts from position 0."""
    for projection in host.projections:
        projection.view.drop_tables()
    host.create_tables()


def measure_catch_up(host: ProjectionHost) -> Rate:
    reset_views(host)
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
