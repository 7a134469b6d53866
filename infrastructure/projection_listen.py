"""Wake the projection host when PostgreSQL announces new events (LISTEN/NOTIFY).

The event store sends ``NOTIFY`` on every append. A lost connection (server restart,
``pg_terminate_backend``) is logged and reopened with exponential backoff; the host also
polls, so a notification missed while reconnecting delays a view by one poll at most.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg
import structlog
from psycopg import sql

logger = structlog.get_logger(__name__)

MAX_BACKOFF_SECONDS = 30.0


class NotifyListener:
    def __init__(self, conninfo: str, channel: str, on_notify: Callable[[], None]) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self.on_notify = on_notify
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="projection-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    logger.info("projection_listen_connected", channel=self.channel)
                    backoff = 0.5
                    self.on_notify()  # whatever was appended while we were away
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self.on_notify()
            except psycopg.Error as exc:
                logger.warning(
                    "projection_listen_lost",
                    channel=self.channel,
                    error=str(exc).strip(),
                    retry_in=backoff,
                )
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
