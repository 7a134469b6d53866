"""``rectify projections run`` spreading the views over several processes (PostgreSQL).

Each child runs its share of the views; together they bring every view to the head.
SIGTERM stops them all cleanly; a child that dies stops the others and the parent exits
non-zero; children whose parent was killed stop by themselves.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from infrastructure.container import Container
from projections.registry import VIEW_NAMES
from tests.integration.test_projection_worker import (
    PATIENCE_SECONDS,
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


def test_two_processes_bring_every_view_to_the_head_and_stop_cleanly(
    demo_log: Container,
) -> None:
    host = demo_log.projections
    head = host.log.head()
    process = worker(demo_log.settings.database_url, "--processes", "2")

    eventually(lambda: set(host.positions().values()) == {head}, "every view caught up")
    logged = stop(process)

    started = [line for line in logged if line["event"] == "projection_worker_started"]
    shares = [tuple(line["views"]) for line in started]  # type: ignore[arg-type]
    assert len(shares) == 2
    assert sorted(v for share in shares for v in share) == sorted(VIEW_NAMES)
    assert sum(line["event"] == "projection_worker_stopped" for line in logged) == 2


def test_a_child_that_dies_stops_the_others_and_the_parent_fails(demo_log: Container) -> None:
    process = worker(demo_log.settings.database_url, "--processes", "2")
    eventually(lambda: len(shares_of(process.pid)) == 2, "both children started")
    first, other = shares_of(process.pid)

    os.kill(first, signal.SIGKILL)
    output, _ = process.communicate(timeout=PATIENCE_SECONDS)

    assert process.returncode == 1, output
    assert not running(other)
    events = [json.loads(line)["event"] for line in output.splitlines() if line.startswith("{")]
    assert "projection_process_died" in events


def test_children_stop_by_themselves_when_their_parent_is_killed(demo_log: Container) -> None:
    process = worker(demo_log.settings.database_url, "--processes", "2")
    eventually(lambda: len(shares_of(process.pid)) == 2, "both children started")
    children = shares_of(process.pid)

    process.send_signal(signal.SIGKILL)
    process.wait(timeout=PATIENCE_SECONDS)

    give_up = time.monotonic() + PATIENCE_SECONDS
    while any(running(pid) for pid in children):
        assert time.monotonic() < give_up, "orphaned children kept running"
        time.sleep(0.05)
