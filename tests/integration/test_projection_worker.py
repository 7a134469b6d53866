"""``rectify projections run`` as its own process on PostgreSQL (the demo log is too small
for it to spread the catch-up over processes: test_projection_processes.py).

Killed with SIGKILL in the middle of catching up and started again, it ends with views
equal to a rebuild; it survives its connections being dropped under it (LISTEN included)
and follows new events; SIGTERM stops it cleanly.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from application.demo import load_demo
from application.ports import FixedClock
from application.principal import Caller
from domain.account import Account
from infrastructure.container import Container, build_container
from infrastructure.settings import load_settings
from projections.registry import VIEWS
from tests.projections.support import dump, live, rebuilt

pytestmark = pytest.mark.postgres

RECTIFY = Path(sys.executable).with_name("rectify")
ROOT = Path(__file__).resolve().parents[2]
PATIENCE_SECONDS = 120.0


@pytest.fixture
def demo_log(pg_url: str, clock: FixedClock) -> Iterator[Container]:
    """A PostgreSQL database holding the demo campaign, its views not yet built."""
    built = build_container(load_settings(database_url=pg_url), clock=clock)
    load_demo(built.app, today=built.app.today(), keep_evidence=built.keep_evidence)
    yield built
    built.close()


def worker(url: str, *args: str, **settings: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "RECTIFY_DATABASE_URL": url,
        "RECTIFY_LOG_FORMAT": "json",
        "RECTIFY_LOG_LEVEL": "info",
        **settings,
    }
    return subprocess.Popen(
        [str(RECTIFY), "projections", "run", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def eventually(condition: Callable[[], bool], what: str) -> None:
    """Wait for a condition the worker brings about; fail (not hang) if it never comes."""
    give_up = time.monotonic() + PATIENCE_SECONDS
    while not _holds(condition):
        assert time.monotonic() < give_up, f"never happened: {what}"
        time.sleep(0.01)


def _holds(condition: Callable[[], bool]) -> bool:
    try:
        return condition()
    except psycopg.OperationalError:  # the test's own pooled connections were dropped too
        return False


def stop(process: subprocess.Popen[str]) -> list[dict[str, object]]:
    """SIGTERM; answers the worker's log lines once it has exited on its own."""
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=PATIENCE_SECONDS)
    assert process.returncode == 0, output
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_a_worker_killed_mid_stream_and_restarted_ends_equal_to_a_rebuild(
    demo_log: Container,
) -> None:
    url, host = demo_log.settings.database_url, demo_log.projections
    head = host.log.head()
    first = worker(url, "--batch-size", "1")

    def mid_stream() -> bool:
        positions = host.positions().values()
        return min(positions) > 0 or max(positions) > 20

    eventually(mid_stream, "the worker made progress")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=PATIENCE_SECONDS)
    at_kill = host.positions()
    assert max(at_kill.values()) > 0, at_kill
    assert min(at_kill.values()) < head, at_kill

    second = worker(url)
    eventually(lambda: min(host.positions().values()) == head, "the restarted worker caught up")
    logged = stop(second)

    assert {line["event"] for line in logged} >= {
        "projection_worker_started",
        "projection_worker_stopped",
    }
    started = next(line for line in logged if line["event"] == "projection_worker_started")
    assert int(str(started["frozen_objects"])) > 10_000  # its start-up heap, out of the GC's way
    for view in VIEWS:
        assert dump(live(demo_log, view)) == dump(rebuilt(demo_log, view))


def test_a_worker_survives_dropped_connections_and_follows_new_events(
    demo_log: Container, pg_server: str
) -> None:
    url, host, app = demo_log.settings.database_url, demo_log.projections, demo_log.app
    process = worker(url, "audit_log", "issue_ledger")
    eventually(lambda: host.positions()["audit_log"] == host.log.head(), "the worker caught up")
    dbname = url.rsplit("/", 1)[1]

    with psycopg.connect(pg_server, autocommit=True) as admin:
        dropped = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (dbname,),
        ).fetchone()
    assert dropped is not None
    assert dropped[0] > 0, "connections to drop"
    coord = Caller(app.principal(Account.create_id("coord")), request_id="after-drop")
    result = app.find_issue(
        coord,
        office="sz",
        category="use",
        subtype="misuse",
        source="spot_check",
        title="断线之后登记的问题",
    )
    eventually(
        lambda: host.positions()["audit_log"] >= (result.position or 0),
        "the worker followed the new event",
    )
    logged = stop(process)

    events = [line["event"] for line in logged]
    assert "projection_listen_lost" in events or "projection_catch_up_failed" in events
    assert events.count("projection_listen_connected") >= 2
    positions = host.positions()
    assert positions["issue_ledger"] == positions["audit_log"] >= (result.position or 0)
    assert positions["progress"] == 0, "only the named views ran"
