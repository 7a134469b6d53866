"""The projection host: feeds every view from the notification log, in batches.

Embedded, it runs in a thread of the serving process (``start()`` / ``stop()``) and lets a
reader wait until the views have reached a write's position (``wait_for``). In production
the same loop runs as its own process (``rectify projections run``) and the API only waits.
Each batch of events is read and decoded once and applied to the views with their tracked
positions in the same transaction as their rows, so a crash at any moment double counts
nothing and a restart resumes from each view's tracked position. A short batch (following
the log) goes to every view in one transaction, on PostgreSQL in a pipeline; a long one (a
catch-up) to each view in a transaction of its own. Failures (a dropped connection, a
database restart) are logged and retried with exponential backoff.

On PostgreSQL the host announces its views' positions after each batch commits and a
waiter in another process is woken by that announcement (``infrastructure.view_progress``)
instead of polling; while that connection is down it polls as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor

import structlog

from infrastructure.database import SideDatabase
from infrastructure.projection_listen import MAX_BACKOFF_SECONDS, NotifyListener
from infrastructure.view_progress import Announcer, ViewWatcher
from projections.base import Pair, ViewProjection
from projections.source import EventLog
from projections.store import COPY_FROM, lock_positions, view_positions

logger = structlog.get_logger(__name__)

Progress = Callable[[int, int], None]
PARALLEL_VIEWS = 3  # connections a PostgreSQL host uses at once (the pool holds 5 by default)
# A batch shorter than this (the host following the log) is applied to every view in one
# transaction, in a pipeline; a longer one (a catch-up) writes its many rows with COPY.
FOLLOW_EVENTS = COPY_FROM
RECHECK_SECONDS = 0.5  # a waiter with no announcement for this long reads the positions once
REFRESH_SECONDS = 1.0  # how long the host trusts its own record of where it left its views


class ProjectionHost:
    def __init__(
        self,
        log: EventLog,
        db: SideDatabase,
        projections: Sequence[ViewProjection],
        *,
        poll_seconds: float = 1.0,
        batch_size: int = 2000,
        recheck_seconds: float = RECHECK_SECONDS,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self.log = log
        self.db = db
        self.projections = list(projections)
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.recheck_seconds = recheck_seconds
        self.refresh_seconds = refresh_seconds
        self.position_reads = 0  # queries of the views' positions, for tests and diagnosis
        self._catching_up = threading.Lock()
        self._left: dict[str, int] = {}  # where this host's batches left each view
        self._left_read_at = float("-inf")
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._advanced = threading.Condition()
        self._thread: threading.Thread | None = None
        self._listener: NotifyListener | None = None
        self._workers: ThreadPoolExecutor | None = None
        postgres = db.dialect == "postgres"
        self._announcer = Announcer(db.url.conninfo()) if postgres else None
        self.watcher = ViewWatcher(db.url.conninfo(), self.positions) if postgres else None

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.projections]

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def create_tables(self) -> None:
        """The views' tables where missing; a view reshaped or dropped starts again from 0,
        so this host reads the positions afresh at its next catch-up."""
        for projection in self.projections:
            projection.view.create_tables()
        self._left_read_at = float("-inf")

    def positions(self) -> dict[str, int]:
        self.position_reads += 1
        stored = view_positions(self.db)
        return {name: stored.get(name, 0) for name in self.names}

    # Processing --------------------------------------------------------------------------

    def catch_up(
        self, *, on_batch: Progress | None = None, stop: threading.Event | None = None
    ) -> int:
        """Bring every view up to the log's head now; answers how many events were read.

        The positions are read from the database at most once per ``refresh_seconds``
        (and after a failure): in between this host knows where its batches left each
        view. A batch never applies an event at or below the position it finds under its
        lock, so a figure made stale by another process costs a re-read, never a double
        count; a view set back by a rebuild is picked up at the next refresh.
        """
        with self._catching_up:
            read = 0
            positions = self._where_left()
            try:
                while stop is None or not stop.is_set():
                    pairs = self.log.read(min(positions.values(), default=0), self.batch_size)
                    if not pairs:
                        break
                    last = pairs[-1][1].notification_id
                    jobs = [
                        (projection, [p for p in pairs if p[1].notification_id > done])
                        for projection in self.projections
                        if (done := positions[projection.name]) < last
                    ]
                    self._apply(jobs)
                    for projection, _ in jobs:
                        positions[projection.name] = last
                    read += len(pairs)
                    self._announce(positions)
                    if on_batch is not None:
                        on_batch(last, max(last, self.log.head()))
                    if len(pairs) < self.batch_size:
                        break  # that was the head: the next append wakes the host again
                else:
                    return read  # stopped before the head
                self._index_caught_up_views()
            except BaseException:
                self._left_read_at = float("-inf")  # read them again next time
                raise
            return read

    def _index_caught_up_views(self) -> None:
        """A view whose tables were made since this host started gets its secondary
        indexes once it is at the head: built from the finished rows, not kept up row by
        row through a long catch-up (``projections.indexes``)."""
        for projection in self.projections:
            if not projection.view.indexed:
                projection.view.ensure_indexes()

    def _where_left(self) -> dict[str, int]:
        now = time.monotonic()
        if now - self._left_read_at >= self.refresh_seconds:
            self._left, self._left_read_at = self.positions(), now
        return self._left

    def _announce(self, positions: dict[str, int]) -> None:
        """Tell the waiters in this process and, on PostgreSQL, in every other one."""
        with self._advanced:
            self._advanced.notify_all()
        if self._announcer is not None:
            self._announcer.announce(positions)

    def _apply(self, jobs: list[tuple[ViewProjection, list[Pair]]]) -> None:
        """A few events (the host following the log): every view's part in one
        transaction, which commits all their rows and positions or none. A long stretch
        (a catch-up): each view's part in its own transaction, on PostgreSQL several at
        once (the server works on one view's rows while this process prepares another's).
        """
        if not jobs:
            return
        if max(len(pairs) for _, pairs in jobs) < FOLLOW_EVENTS:
            self._apply_together(jobs)
            return
        if self.db.dialect != "postgres" or len(jobs) < 2:
            for projection, pairs in jobs:
                projection.process_batch(pairs)
            return
        if self._workers is None:
            self._workers = ThreadPoolExecutor(PARALLEL_VIEWS, thread_name_prefix="projection")
        for done in self._workers.map(lambda job: job[0].process_batch(job[1]), jobs):
            del done  # map re-raises the first failure here

    def _apply_together(self, jobs: list[tuple[ViewProjection, list[Pair]]]) -> None:
        """Every view's part of a short batch in one transaction and, on PostgreSQL, one
        pipeline: the positions read and locked at once, then every view's row queries
        sent together, then each view reads its rows, applies its events and writes."""
        with self.db.transaction() as cur, self.db.pipeline(cur):
            locked = lock_positions(cur, self.db, [p.view.view for p, _ in jobs])
            steps = [
                p.apply_in_steps(pairs, within=cur, position=locked[p.view.view])
                for p, pairs in jobs
            ]
            try:
                for step in steps:
                    next(step)
                for step in steps:
                    for _ in step:
                        pass
            finally:
                for step in steps:
                    step.close()

    def wake(self) -> None:
        """New events were written: process them now rather than at the next poll."""
        self._wake.set()

    def wait_for(
        self, position: int | None, timeout: float, *, views: Collection[str] | None = None
    ) -> bool:
        """Block until the views (all, or those named) have processed ``position``."""
        if position is None or position <= 0:
            return True
        names = list(views or self.names)
        deadline = time.monotonic() + timeout
        if self.running:
            return self._wait_in_process(position, names, deadline)
        return self._wait_elsewhere(position, names, deadline)

    def _wait_in_process(self, position: int, names: list[str], deadline: float) -> bool:
        while True:
            positions = self.positions()
            if all(positions[n] >= position for n in names):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self.wake()
            with self._advanced:
                self._advanced.wait(min(remaining, 0.25))

    def _wait_elsewhere(self, position: int, names: list[str], deadline: float) -> bool:
        """Another process runs the views: wait for its announcements while the watcher is
        connected (reading the positions once if none comes for ``recheck_seconds``),
        otherwise poll the positions, 10, 20, 40 … 250 ms apart."""
        watcher = self.watcher
        if watcher is not None:
            watcher.start()
        pause = 0.01
        while True:
            if watcher is not None and watcher.connected:
                remaining = max(0.0, deadline - time.monotonic())
                if watcher.wait_until(names, position, min(remaining, self.recheck_seconds)):
                    return True
            positions = self.positions()
            if watcher is not None:
                watcher.merge(positions)
            if all(positions[n] >= position for n in names):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if watcher is None or not watcher.connected:
                time.sleep(min(remaining, pause))
                pause = min(pause * 2, 0.25)

    # Running -----------------------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        channel = self.log.channel
        if self.db.dialect == "postgres" and channel is not None:
            self._listener = NotifyListener(
                self.db.url.conninfo(), channel, lambda _: self.wake(), on_connected=self.wake
            )
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
        if self.watcher is not None:
            self.watcher.stop()
        if self._announcer is not None:
            with self._catching_up:
                self._announcer.close()

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
