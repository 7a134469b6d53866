"""``rectify projections run`` catching a backlog up with the views spread over processes.

Each child catches its share of the views up to the head and exits; the command then
follows the log with every view in one process, and SIGTERM stops it cleanly. A child
that fails stops the others and the command exits 1; children whose parent was killed
stop by themselves. (``RECTIFY_PROJECTION_SPREAD_EVENTS`` is set low here: the demo log
is far below the default backlog worth spreading.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from application.ports import FixedClock
from application.principal import Caller
from bench.campaign import write_campaign_file
from bench.generator import CampaignGenerator
from domain.account import Account
from infrastructure.container import Container, build_container
from infrastructure.settings import load_settings
from projections.registry import VIEW_NAMES
from tests.integration.test_projection_worker import (
    PATIENCE_SECONDS,
    RECTIFY,
    demo_log,
    eventually,
    stop,
    worker,
)

__all__ = ["demo_log"]

pytestmark = pytest.mark.postgres


def shares_of(parent: int) -> list[int]:
    """The parent's worker children (not multiprocessing's resource tracker)."""
    found = []
    for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
        if "spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace"):
            found.append(int(child))
    return found


def running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped; only its reaping is left


def spreading(url: str, *args: str, spread_from: int = 1) -> subprocess.Popen[str]:
    return worker(url, *args, RECTIFY_PROJECTION_SPREAD_EVENTS=str(spread_from))


def events_of(logged: list[dict[str, object]], name: str) -> list[dict[str, object]]:
    return [line for line in logged if line["event"] == name]


def test_two_processes_catch_up_then_one_follows_and_stops_cleanly(
    demo_log: Container,
) -> None:
    host, app = demo_log.projections, demo_log.app
    head = host.log.head()
    process = spreading(demo_log.settings.database_url, "--processes", "2")

    eventually(lambda: set(host.positions().values()) == {head}, "every view caught up")
    coord = Caller(app.principal(Account.create_id("coord")), request_id="after-spread")
    later = app.find_issue(
        coord, office="sz", category="use", subtype="misuse", source="spot_check", title="之后"
    )
    eventually(lambda: min(host.positions().values()) >= (later.position or 0), "followed in one")
    logged = stop(process)

    caught_up = events_of(logged, "projection_share_caught_up")
    shares = [tuple(line["views"]) for line in caught_up]  # type: ignore[arg-type]
    assert len(shares) == 2
    assert sorted(v for share in shares for v in share) == sorted(VIEW_NAMES)
    followers = events_of(logged, "projection_worker_started")
    assert len(followers) == 3  # two children, then the one that follows
    assert sorted(followers[-1]["views"]) == sorted(VIEW_NAMES)  # type: ignore[type-var]
    assert followers[-1]["pid"] == process.pid
    assert len(events_of(logged, "projection_worker_stopped")) == 1


def test_a_small_backlog_is_caught_up_in_one_process(demo_log: Container) -> None:
    host = demo_log.projections
    head = host.log.head()
    process = spreading(demo_log.settings.database_url, spread_from=head + 1)

    eventually(lambda: set(host.positions().values()) == {head}, "every view caught up")
    logged = stop(process)

    assert events_of(logged, "projection_catch_up_spread") == []
    assert [line["pid"] for line in events_of(logged, "projection_worker_started")] == [process.pid]


def test_a_child_that_dies_stops_the_others_and_the_command_fails(demo_log: Container) -> None:
    process = spreading(demo_log.settings.database_url, "--batch-size", "1")
    eventually(lambda: len(shares_of(process.pid)) == 2, "both children started")
    first, other = shares_of(process.pid)

    os.kill(first, signal.SIGKILL)
    output, _ = process.communicate(timeout=PATIENCE_SECONDS)

    assert process.returncode == 1, output
    assert not running(other)
    logged = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert events_of(logged, "projection_catch_up_failed")
    assert all(
        line["pid"] != process.pid for line in events_of(logged, "projection_worker_started")
    )


@dataclass
class LongLog:
    process: subprocess.Popen[str]
    url: str

    def every_view_moved(self) -> bool:
        with psycopg.connect(self.url) as conn:
            rows = conn.execute("SELECT view, position FROM rectify_view_tracking").fetchall()
        return len(rows) == len(VIEW_NAMES) and all(position > 0 for _, position in rows)


@pytest.fixture
def long_log(pg_url: str, clock: FixedClock, tmp_path: Path) -> Iterator[LongLog]:
    """A worker spreading the catch-up of a 5,000-event log one event a batch: it would take
    many minutes, so the test acts on it mid-way."""
    campaign = write_campaign_file(tmp_path, provinces=2)
    built = build_container(load_settings(database_url=pg_url, campaign_file=campaign), clock=clock)
    try:
        CampaignGenerator(built.app, built.campaign).run(5000)
    finally:
        built.close()
    process = worker(
        pg_url,
        "--batch-size",
        "1",
        RECTIFY_PROJECTION_SPREAD_EVENTS="1",
        RECTIFY_CAMPAIGN_FILE=str(campaign),
    )
    eventually(lambda: len(shares_of(process.pid)) == 2, "both children started")
    yield LongLog(process, pg_url)
    if process.poll() is None:
        process.kill()
        process.communicate(timeout=PATIENCE_SECONDS)


def test_children_stop_by_themselves_when_their_parent_is_killed(long_log: LongLog) -> None:
    children = shares_of(long_log.process.pid)

    long_log.process.send_signal(signal.SIGKILL)
    long_log.process.wait(timeout=PATIENCE_SECONDS)

    give_up = time.monotonic() + PATIENCE_SECONDS
    while any(running(pid) for pid in children):
        assert time.monotonic() < give_up, "orphaned children kept running"
        time.sleep(0.05)


def test_sigterm_mid_catch_up_stops_every_child_and_exits_cleanly(long_log: LongLog) -> None:
    children = shares_of(long_log.process.pid)
    eventually(long_log.every_view_moved, "both children catching up")

    logged = stop(long_log.process)

    assert not any(running(pid) for pid in children)
    assert len(events_of(logged, "projection_share_stopped")) == 2
    assert events_of(logged, "projection_share_caught_up") == []
    assert events_of(logged, "projection_share_failed") == []


def test_several_processes_on_sqlite_are_refused_with_a_message(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(RECTIFY), "projections", "run", "--processes", "2"],
        env={**os.environ, "RECTIFY_DATABASE_URL": f"sqlite:///{tmp_path / 'one.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=PATIENCE_SECONDS,
    )

    assert done.returncode != 0
    assert "--processes above 1 needs PostgreSQL" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
