"""The views spread over several worker processes, each with its own projection host.

One process applies its views' batches in threads, but their Python runs one at a time
under the GIL; on PostgreSQL ``rectify projections run`` therefore gives each process a
share of the views (``RECTIFY_PROJECTION_PROCESSES``, default 2). Every process reads the
log itself and tracks only its own views, so exactly-once holds per view as before. The
parent only supervises: a stop signal stops every child after its batch in hand; a child
that dies stops the others and the parent exits non-zero, for the service manager to
restart them all; a child whose parent has died stops by itself.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from multiprocessing.synchronize import Event as ProcessEvent
from types import FrameType

import structlog

from infrastructure import heap
from infrastructure.container import build_container
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


def on_stop_signals(callback: Callable[[], None]) -> None:
    """SIGTERM and SIGINT (Ctrl+C reaches every process of the group) call ``callback``."""

    def on_signal(signum: int, frame: FrameType | None) -> None:
        logger.info("projection_worker_stopping", signal=signal.Signals(signum).name)
        callback()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)


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
    """A stop signal seen by this process. Its handler only flips a flag: setting a
    multiprocessing event there can deadlock with the wait it interrupted."""

    def __init__(self) -> None:
        self.raised = False
        on_stop_signals(self.raise_)

    def raise_(self) -> None:
        self.raised = True


def run_share(
    settings: Settings, names: tuple[str, ...], batch_size: int, stop: ProcessEvent, parent: int
) -> None:  # pragma: no cover - runs in a child process; tests/integration drive it
    """A child: its views' host until ``stop`` is set or its parent is gone."""
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    signalled = Signalled()
    container = build_container(settings)
    try:
        host = build_host(
            container.app, container.db, container.campaign, names=names, batch_size=batch_size
        )
        worker_started(host)
        host.start()
        try:
            while not (signalled.raised or stop.is_set()):
                if os.getppid() != parent:
                    logger.warning("projection_worker_orphaned", views=host.names)
                    break
                time.sleep(PARENT_CHECK_SECONDS)
        finally:
            host.stop()
        logger.info("projection_worker_stopped", positions=host.positions())
    finally:
        container.close()


def supervise(settings: Settings, shares: list[tuple[str, ...]], *, batch_size: int) -> int:
    """Run each share in its own process until a stop signal or until one of them dies;
    answers the exit status: 0 after a clean stop, 1 if a child died."""
    signalled = Signalled()
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    children = [
        context.Process(
            target=run_share,
            args=(settings, share, batch_size, stop, os.getpid()),
            name=f"projections-{n}",
        )
        for n, share in enumerate(shares)
    ]
    for child in children:
        child.start()
    logger.info("projection_processes_started", shares=[list(s) for s in shares])
    died = None
    while died is None and not signalled.raised:
        time.sleep(PARENT_CHECK_SECONDS)
        died = next((c for c in children if not c.is_alive()), None)
    stop.set()
    for child in children:
        child.join(timeout=60)
        if child.is_alive():
            child.terminate()
            child.join()
    if died is not None:
        logger.error("projection_process_died", process=died.name, exitcode=died.exitcode)
        return 1
    return 0
