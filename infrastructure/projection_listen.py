"""Follow a PostgreSQL NOTIFY channel on one connection of its own (LISTEN).

Two channels are followed this way: the event store's, which announces every append and
wakes the projection host, and the views' progress channel, on which the host announces
each batch it commits and which wakes the API's read-your-writes waiters. A lost connection
(server restart, ``pg_terminate_backend``) is logged and reopened with exponential backoff;
``on_connected`` runs after each ``LISTEN`` (nothing announced from then on is missed) and
``on_lost`` when the connection goes, so the caller can poll meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg
import structlog
from psycopg import sql

logger = structlog.get_logger(__name__)

MAX_BACKOFF_SECONDS = 30.0


def _nothing() -> None:
    return None


class NotifyListener:
    def __init__(
        self,
        conninfo: str,
        channel: str,
        on_notify: Callable[[str], None],
        *,
        on_connected: Callable[[], None] = _nothing,
        on_lost: Callable[[], None] = _nothing,
        first_backoff: float = 0.5,
        application_name: str = "rectify_listen",
    ) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self.on_notify = on_notify
        self.on_connected = on_connected
        self.on_lost = on_lost
        self.first_backoff = first_backoff
        self.application_name = application_name  # how pg_stat_activity shows the connection
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
        backoff = self.first_backoff
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self.conninfo,
                    autocommit=True,
                    connect_timeout=5,
                    application_name=self.application_name,
                ) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    logger.info("projection_listen_connected", channel=self.channel)
                    backoff = self.first_backoff
                    self.on_connected()  # whatever was announced while we were away
                    while not self._stop.is_set():
                        for notify in conn.notifies(timeout=1.0):
                            self.on_notify(notify.payload)
            except Exception as exc:  # a dropped connection, or a failing on_connected read
                self.on_lost()
                logger.warning(
                    "projection_listen_lost",
                    channel=self.channel,
                    error=f"{type(exc).__name__}: {str(exc).strip()}",
                    retry_in=backoff,
                )
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        self.on_lost()
