"""The projection host: feeds every view from the notification log, in batches.

Embedded, it runs in a thread of the serving process (``start()`` / ``stop()``) and lets a
reader wait until the views have reached a write's position (``wait_for``). In production
the same loop runs as its own process (``rectify projections run``) and the API only waits.
Each batch of events is read and decoded once and applied to each view in that view's own
transaction (rows and tracking together), so a crash at any moment double counts nothing
and a restart resumes from each view's tracked position. Failures (a dropped connection, a
database restart) are logged and retried with exponential backoff.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor

import structlog

from infrastructure.database import SideDatabase
from infrastructure.projection_listen import MAX_BACKOFF_SECONDS, NotifyListener
from projections.base import Pair, ViewProjection
from projections.source import EventLog
from projections.store import view_positions

logger = structlog.get_logger(__name__)

Progress = Callable[[int, int], None]
PARALLEL_VIEWS = 3  # connections a PostgreSQL host uses at once (the pool holds 5 by default)


class ProjectionHost:
    def __init__(
        self,
        log: EventLog,
        db: SideDatabase,
        projections: Sequence[ViewProjection],
        *,
        poll_seconds: float = 1.0,
        batch_size: int = 2000,
    ) -> None:
        self.log = log
        self.db = db
        self.projections = list(projections)
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self._catching_up = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._advanced = threading.Condition()
        self._thread: threading.Thread | None = None
        self._listener: NotifyListener | None = None
        self._workers: ThreadPoolExecutor | None = None

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.projections]

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def create_tables(self) -> None:
        for projection in self.projections:
            projection.view.create_tables()

    def positions(self) -> dict[str, int]:
        stored = view_positions(self.db)
        return {name: stored.get(name, 0) for name in self.names}

    # Processing --------------------------------------------------------------------------

    def catch_up(
        self, *, on_batch: Progress | None = None, stop: threading.Event | None = None
    ) -> int:
        """Bring every view up to the log's head now; answers how many events were read."""
        with self._catching_up:
            read = 0
            while stop is None or not stop.is_set():
                positions = self.positions()
                pairs = self.log.read(min(positions.values(), default=0), self.batch_size)
                if not pairs:
                    break
                last = pairs[-1][1].notification_id
                self._apply(
                    [
                        (projection, [p for p in pairs if p[1].notification_id > done])
                        for projection in self.projections
                        if (done := positions[projection.name]) < last
                    ]
                )
                read += len(pairs)
                with self._advanced:
                    self._advanced.notify_all()
                if on_batch is not None:
                    on_batch(last, max(last, self.log.head()))
            return read

    def _apply(self, jobs: list[tuple[ViewProjection, list[Pair]]]) -> None:
        """Each view's batch in its own transaction; on PostgreSQL several at once (the
        server works on one view's rows while this process prepares another's)."""
        if self.db.dialect != "postgres" or len(jobs) < 2:
            for projection, pairs in jobs:
                projection.process_batch(pairs)
            return
        if self._workers is None:
            self._workers = ThreadPoolExecutor(PARALLEL_VIEWS, thread_name_prefix="projection")
        for done in self._workers.map(lambda job: job[0].process_batch(job[1]), jobs):
            del done  # map re-raises the first failure here

    def wake(self) -> None:
        """New events were written: process them now rather than at the next poll."""
        self._wake.set()

    def wait_for(
        self, position: int | None, timeout: float, *, views: Collection[str] | None = None
    ) -> bool:
        """Block until the views (all, or those named) have processed ``position``."""
        if position is None or position <= 0:
            return True
        deadline = time.monotonic() + timeout
        pause = 0.01
        while True:
            positions = self.positions()
            if all(positions[n] >= position for n in (views or self.names)):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if self.running:
                self.wake()
                with self._advanced:
                    self._advanced.wait(min(remaining, 0.25))
            else:  # another process runs the views: poll their tracked positions
                time.sleep(min(remaining, pause))
                pause = min(pause * 2, 0.25)

    # Running -----------------------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        channel = self.log.channel
        if self.db.dialect == "postgres" and channel is not None:
            self._listener = NotifyListener(self.db.url.conninfo(), channel, self.wake)
            self._listener.start()
        self._thread = threading.Thread(target=self._run, name="projection-host", daemon=True)
        self._thread.start()
        logger.info("projection_host_started", views=self.names, dialect=self.db.dialect)

    def stop(self) -> None:
        """Finish the batch in hand, then stop; nothing half-written is left behind."""
        self._stopping.set()
        self._wake.set()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
            logger.info("projection_host_stopped", positions=self.positions())
        if self._workers is not None:
            self._workers.shutdown(wait=True)
            self._workers = None

    def serve(self, stop: threading.Event) -> None:
        """Run in the foreground until ``stop`` is set (the ``projections run`` process)."""
        self.start()
        try:
            stop.wait()
        finally:
            self.stop()

    def _run(self) -> None:
        backoff = 0.5
        failing = False
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                read = self.catch_up(stop=self._stopping)
            except Exception as exc:
                failing = True
                logger.warning(
                    "projection_catch_up_failed",
                    error=f"{type(exc).__name__}: {str(exc).strip()}",
                    retry_in=backoff,
                )
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            if failing:
                logger.info("projection_catch_up_recovered", positions=self.positions())
                failing, backoff = False, 0.5
            if read:
                logger.debug("projection_caught_up", events=read)
            self._wake.wait(self.poll_seconds)
