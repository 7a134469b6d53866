"""Read-your-writes across processes on PostgreSQL: announced progress instead of polling.

The projection worker (here a second container on the same database, with its own host
and connections) announces its views' positions after each batch; the API's host waits for
that announcement on its one listening connection and reads no positions meanwhile. When
that connection is killed it polls the database until it reconnects, and a wait that
nothing fulfils still ends unfulfilled at its timeout.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
from structlog.testing import capture_logs

from application.ports import FixedClock
from infrastructure.container import Container, build_container
from infrastructure.projection_runtime import ProjectionHost
from infrastructure.projection_setup import build_host
from infrastructure.settings import load_settings
from infrastructure.view_progress import CHANNEL, WATCHER_APPLICATION_NAME, ViewWatcher
from tests.builders import World, build_world

pytestmark = pytest.mark.postgres

PATIENCE_SECONDS = 60.0
NEVER = 3600.0  # a re-check or reconnection that must not happen during the test


@pytest.fixture
def world(pg_url: str, clock: FixedClock) -> Iterator[World]:
    """The API's side: writes through its application; its host is not started."""
    built = build_world(pg_url, clock)
    yield built
    built.container.close()


@pytest.fixture
def worker(world: World, clock: FixedClock) -> Iterator[ProjectionHost]:
    """The projection worker's side: another container on the same database."""
    other: Container = build_container(
        load_settings(database_url=world.container.settings.database_url), clock=clock
    )
    other.projections.catch_up()
    yield other.projections
    other.close()


def eventually(condition: Callable[[], bool], what: str) -> None:
    give_up = time.monotonic() + PATIENCE_SECONDS
    while not condition():
        assert time.monotonic() < give_up, f"never happened: {what}"
        time.sleep(0.01)


def watching(host: ProjectionHost) -> ViewWatcher:
    """The host's watcher, started and connected."""
    watcher = host.watcher
    assert watcher is not None
    watcher.start()
    eventually(lambda: watcher.connected, "the watcher connected")
    return watcher


def in_thread(wait: Callable[[], bool]) -> Callable[[], bool]:
    """Start ``wait`` in a thread; answers a function that joins it and gives its answer."""
    answers: list[bool] = []
    thread = threading.Thread(target=lambda: answers.append(wait()), daemon=True)
    thread.start()

    def join() -> bool:
        thread.join(PATIENCE_SECONDS)
        assert not thread.is_alive(), "the wait never ended"
        return answers[0]

    return join


def kill_watcher_connection(world: World, pg_server: str) -> None:
    dbname = world.container.settings.database_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_server, autocommit=True) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name = %s",
            (dbname, WATCHER_APPLICATION_NAME),
        ).fetchone()
    assert killed == (1,)


def test_each_batch_is_announced_with_the_hosts_positions(
    world: World, worker: ProjectionHost
) -> None:
    with psycopg.connect(world.container.settings.database_url, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        world.issue()
        worker.catch_up()
        announced = [json.loads(n.payload) for n in listener.notifies(timeout=5, stop_after=1)]

    assert announced == [worker.positions()]


def test_a_waiter_in_another_process_wakes_on_the_announcement_without_reading_positions(
    world: World, worker: ProjectionHost
) -> None:
    api = world.container.projections
    api.recheck_seconds = NEVER  # only an announcement can end these waits
    watching(api)
    worker.start()
    try:
        for office in ("bj", "sh", "gz"):
            result = world.issue(by="coord", office=office)
            reads = api.position_reads

            assert api.wait_for(result.position, timeout=PATIENCE_SECONDS)
            assert api.position_reads == reads
            assert min(api.positions().values()) >= (result.position or 0)
    finally:
        worker.stop()


def test_a_waiter_blocked_before_the_batch_is_woken_by_its_announcement(
    world: World, worker: ProjectionHost
) -> None:
    api = world.container.projections
    api.recheck_seconds = NEVER
    watching(api)
    result = world.issue()
    reads = api.position_reads

    answer = in_thread(lambda: api.wait_for(result.position, timeout=PATIENCE_SECONDS))
    worker.catch_up()

    assert answer()
    assert api.position_reads == reads


def test_with_its_listen_connection_killed_a_waiter_polls_the_positions(
    world: World, worker: ProjectionHost, pg_server: str
) -> None:
    api = world.container.projections
    api.recheck_seconds = NEVER
    api.watcher = ViewWatcher(
        api.db.url.conninfo(), api.positions, first_backoff=NEVER
    )  # stays disconnected once killed
    watcher = watching(api)
    kill_watcher_connection(world, pg_server)
    eventually(lambda: not watcher.connected, "the watcher noticed")
    result = world.issue()
    reads = api.position_reads

    answer = in_thread(lambda: api.wait_for(result.position, timeout=PATIENCE_SECONDS))
    worker.catch_up()

    assert answer()
    assert api.position_reads > reads
    assert not watcher.connected


def test_a_killed_listen_connection_is_reopened_and_logged(
    world: World, worker: ProjectionHost, pg_server: str
) -> None:
    api = world.container.projections
    api.recheck_seconds = NEVER
    watcher = watching(api)
    with capture_logs() as logs:
        kill_watcher_connection(world, pg_server)
        eventually(lambda: not watcher.connected, "the watcher noticed")
        eventually(lambda: watcher.connected, "the watcher reconnected")
    result = world.issue()
    worker.catch_up()
    reads = api.position_reads

    assert api.wait_for(result.position, timeout=PATIENCE_SECONDS)
    assert api.position_reads == reads
    events = [line["event"] for line in logs]
    assert {"projection_listen_lost", "view_progress_polling"} <= set(events)
    assert "projection_listen_connected" in events


def test_a_wait_nothing_fulfils_ends_unfulfilled_at_its_timeout(
    world: World, worker: ProjectionHost
) -> None:
    api = world.container.projections
    watching(api)
    result = world.issue()

    assert not api.wait_for(result.position, timeout=0.2)
    worker.catch_up()
    assert api.wait_for(result.position, timeout=PATIENCE_SECONDS)


def test_a_missed_announcement_costs_one_read_after_the_recheck_interval(
    world: World, worker: ProjectionHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = world.container.projections
    api.recheck_seconds = 0.05
    watching(api)
    monkeypatch.setattr(worker, "_announcer", None)  # its batches go unannounced
    result = world.issue()
    worker.catch_up()
    reads = api.position_reads

    assert api.wait_for(result.position, timeout=PATIENCE_SECONDS)
    assert api.position_reads == reads + 1


def test_catching_up_reads_the_positions_once_however_many_batches(
    world: World, worker: ProjectionHost
) -> None:
    for office in ("bj", "sh", "gz", "hn"):
        world.issue(by="coord", office=office)
    worker.batch_size = 2
    worker.refresh_seconds = 0.0
    reads = worker.position_reads

    assert worker.catch_up() >= 4
    assert worker.position_reads == reads + 1
    assert set(worker.positions().values()) == {worker.log.head()}


def test_within_the_refresh_interval_the_host_reads_no_positions_to_follow_the_log(
    world: World, worker: ProjectionHost
) -> None:
    worker.refresh_seconds = NEVER
    worker.catch_up()
    reads = worker.position_reads

    for office in ("bj", "sh", "gz"):
        world.issue(by="coord", office=office)
        assert worker.catch_up() == 1

    assert worker.position_reads == reads
    assert set(worker.positions().values()) == {worker.log.head()}


def test_a_watcher_whose_first_read_fails_logs_it_and_connects_again(world: World) -> None:
    api = world.container.projections
    failures = [RuntimeError("the positions could not be read")]

    def flaky_positions() -> dict[str, int]:
        if failures:
            raise failures.pop()
        return api.positions()

    watcher = ViewWatcher(api.db.url.conninfo(), flaky_positions, first_backoff=0.01)
    with capture_logs() as logs:
        watcher.start()
        try:
            eventually(lambda: watcher.connected, "the watcher connected after all")
        finally:
            watcher.stop()

    lost = [line for line in logs if line["event"] == "projection_listen_lost"]
    assert [line["error"] for line in lost] == ["RuntimeError: the positions could not be read"]
    assert not watcher.connected


def test_views_split_over_two_workers_are_awaited_from_both_announcements(
    world: World, worker: ProjectionHost
) -> None:
    api = world.container.projections
    api.recheck_seconds = NEVER
    watching(api)
    names = api.names
    first = build_host(worker.log.app, worker.db, world.container.campaign, names=names[:2])
    second = build_host(worker.log.app, worker.db, world.container.campaign, names=names[2:])
    result = world.issue()
    reads = api.position_reads

    first.catch_up()
    assert not api.wait_for(result.position, timeout=0.2)  # half the views are behind
    answer = in_thread(lambda: api.wait_for(result.position, timeout=PATIENCE_SECONDS))
    second.catch_up()

    assert answer()
    assert api.position_reads == reads + 1  # the one read when the short wait ran out
    first.stop()
    second.stop()
