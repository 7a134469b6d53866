"""A large backlog caught up by several processes, each with its own projection host.

One process applies its views' batches in threads, but their Python runs one at a time
under the GIL. So when ``rectify projections run`` starts on PostgreSQL with at least
``RECTIFY_PROJECTION_SPREAD_EVENTS`` events to catch up, it gives each of
``RECTIFY_PROJECTION_PROCESSES`` child processes a share of the views; each child catches its
views up to the head (building their indexes there) and exits, and the command then follows
the log with every view in one process, which costs less per event once batches are small
(two following processes: 1.10x the commands/s of one at 16 clients, docs/performance.md).
Every process tracks only its own views, so exactly-once holds per view as before. A stop
signal stops every child after its batch in hand; a child that fails stops the others and
the command exits 1; children whose parent was killed stop by themselves.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.synchronize import Event as ProcessEvent
from types import FrameType

import structlog

from infrastructure import heap
from infrastructure.container import build_container
from infrastructure.database import DatabaseUrl
from infrastructure.logging import configure_logging
from infrastructure.projection_runtime import ProjectionHost
from infrastructure.projection_setup import build_host
from infrastructure.settings import Settings

logger = structlog.get_logger(__name__)

# Our CPU per event of each view catching up over a 1M-event log (docs/performance.md,
# section 2): what a share weighs. A view not listed weighs as much as the heaviest.
WEIGHTS = {
    "audit_log": 24,
    "accountability": 24,
    "item_ledger": 23,
    "issue_ledger": 19,
    "progress": 13,
}
PARENT_CHECK_SECONDS = 0.5


def share_out(names: Sequence[str], processes: int) -> list[tuple[str, ...]]:
    """The views in at most ``processes`` groups of about equal weight (heaviest first,
    each to the lightest group so far); every view in exactly one group."""
    heaviest = max(WEIGHTS.values())
    groups: list[list[str]] = [[] for _ in range(min(processes, len(names)))]
    loads = [0] * len(groups)
    for name in sorted(names, key=lambda n: (-WEIGHTS.get(n, heaviest), n)):
        lightest = loads.index(min(loads))
        groups[lightest].append(name)
        loads[lightest] += WEIGHTS.get(name, heaviest)
    return [tuple(group) for group in groups if group]


def spread_shares(
    settings: Settings, names: Sequence[str], backlog: int, *, processes: int | None = None
) -> list[tuple[str, ...]]:
    """The shares a catch-up of ``backlog`` events is spread over, or none when one process
    should do it: below ``RECTIFY_PROJECTION_SPREAD_EVENTS``, with one process, on SQLite."""
    if DatabaseUrl.parse(settings.database_url).dialect != "postgres":
        return []
    if backlog < settings.projection_spread_events:
        return []
    shares = share_out(names, processes or settings.projection_processes)
    return shares if len(shares) > 1 else []


def worker_started(host: ProjectionHost) -> None:
    """Once a worker's host is built: settle the heap, then log its views and positions."""
    frozen = heap.settle()
    logger.info(
        "projection_worker_started",
        views=host.names,
        positions=host.positions(),
        frozen_objects=frozen,
        pid=os.getpid(),
    )


class Signalled:
    """A stop signal (SIGTERM, or SIGINT: Ctrl+C reaches every process of the group) seen by
    this process. Its handler only notes the signal: setting a multiprocessing event there
    can deadlock with the wait it interrupted, and so could logging, when the signal comes
    while this thread is writing a log line (the line's lock is held and not re-entrant).
    The stop is logged by whoever first reads ``raised``."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self._told = False
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signum = signum

    @property
    def raised(self) -> bool:
        if self.signum is None:
            return False
        if not self._told:
            self._told = True
            logger.info("projection_worker_stopping", signal=signal.Signals(self.signum).name)
        return True


def catch_up_share(
    settings: Settings, names: tuple[str, ...], batch_size: int, stop: ProcessEvent, parent: int
) -> None:  # pragma: no cover - runs in a child process; tests/integration drive it
    """A child: its views caught up to the head, unless stopped or orphaned first. A failure
    is logged as one line and ends the child with status 1 (the parent stops the others)."""
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    signalled = Signalled()
    halt = threading.Event()

    def watch() -> None:
        while not halt.wait(PARENT_CHECK_SECONDS):
            if signalled.raised or stop.is_set():
                halt.set()
            elif os.getppid() != parent:
                logger.warning("projection_worker_orphaned", views=list(names))
                halt.set()

    threading.Thread(target=watch, name="projection-watch", daemon=True).start()
    try:
        _catch_up(settings, names, batch_size, halt)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        logger.error("projection_share_failed", views=list(names), error=error)
        raise SystemExit(1) from None
    finally:
        halt.set()


def _catch_up(
    settings: Settings, names: tuple[str, ...], batch_size: int, halt: threading.Event
) -> None:  # pragma: no cover - runs in a child process
    container = build_container(settings)
    try:
        host = build_host(
            container.app, container.db, container.campaign, names=names, batch_size=batch_size
        )
        worker_started(host)
        read = host.catch_up(stop=halt)
        done = "projection_share_stopped" if halt.is_set() else "projection_share_caught_up"
        logger.info(done, views=host.names, events=read, positions=host.positions())
    finally:
        container.close()


def catch_up_spread(
    settings: Settings,
    shares: list[tuple[str, ...]],
    *,
    batch_size: int,
    stopped: Callable[[], bool] = lambda: False,
) -> bool:
    """Each share caught up in its own process; answers whether all of them got there
    (False once ``stopped()``, a stop signal's flag). Raises ``ChildFailed`` if one of
    them failed."""
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    children = [
        context.Process(
            target=catch_up_share,
            args=(settings, share, batch_size, stop, os.getpid()),
            name=f"projections-{n}",
        )
        for n, share in enumerate(shares)
    ]
    for child in children:
        child.start()
    logger.info("projection_catch_up_spread", shares=[list(s) for s in shares])
    failed = None
    while failed is None and not stopped() and any(c.is_alive() for c in children):
        time.sleep(PARENT_CHECK_SECONDS)
        failed = next((c for c in children if c.exitcode not in (None, 0)), None)
    stop.set()
    for child in children:
        child.join(timeout=60)
        if child.is_alive():
            child.terminate()
            child.join()
    failed = failed or next((c for c in children if c.exitcode != 0), None)
    if failed is not None:
        raise ChildFailed(f"{failed.name} exited with {failed.exitcode}")
    return not stopped()


class ChildFailed(RuntimeError):
    """A process catching up a share of the views did not finish."""
