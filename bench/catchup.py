"""Projections: every view caught up from position 0 over a preloaded log, beside COPY.

The catch-up is the projection host's own loop (what ``rectify projections run`` does on an
empty set of views): each batch is read and decoded once and applied to each view in that
view's transaction with its tracking position. The floor is PostgreSQL's fastest way to
write the same number of rows: COPY into a table shaped like the events table.
"""

from __future__ import annotations

import multiprocessing
import time
import uuid
from typing import Any

import psycopg

from bench.heap import like_a_worker
from bench.stats import Rate
from bench.write_floor import TOPIC, create_floor_table, payload
from infrastructure import heap
from infrastructure.container import build_container
from infrastructure.projection_processes import share_out
from infrastructure.projection_runtime import ProjectionHost
from infrastructure.projection_setup import build_host
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


# The views spread over processes as ``rectify projections run`` spreads them -----------


def default_shares(settings: Settings) -> list[tuple[str, ...]]:
    """The shares ``rectify projections run`` gives its processes with these settings."""
    return share_out(VIEW_NAMES, settings.projection_processes)


def _catch_up_some(
    settings: Settings, names: tuple[str, ...], start: Any, done: Any
) -> None:  # pragma: no cover - runs in a child process
    container = build_container(settings)
    try:
        host = build_host(container.app, container.db, container.campaign, names=names)
        heap.settle()
        start.wait()
        host.catch_up()
        done.put(time.perf_counter())
    finally:
        container.close()


def measure_split_catch_up(
    host: ProjectionHost,
    settings: Settings,
    *,
    events: int,
    groups: list[tuple[str, ...]],
) -> Rate:
    """Every view from position 0 again, each group of views in its own process."""
    reset_views(host)
    context = multiprocessing.get_context("spawn")
    start, done = context.Barrier(len(groups) + 1), context.Queue()
    workers = [
        context.Process(target=_catch_up_some, args=(settings, names, start, done))
        for names in groups
    ]
    for worker in workers:
        worker.start()
    start.wait(timeout=120)
    began = time.perf_counter()
    finished = [done.get(timeout=3600) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return Rate(items=events, seconds=max(finished) - began)
