"""The views' progress, announced by the projection host and followed by the API processes.

After each batch commits, the host sends ``NOTIFY rectify_views`` with its views' positions
(JSON, ``{"audit_log": 812, …}``) on a connection of its own. Every API process keeps one
``LISTEN`` connection (``ViewWatcher``, a thread) that records the highest position seen per
view and wakes the threads waiting for a write to reach the read models, so a waiter costs
no query at all while the connection lasts. The watcher reads the positions from the
database once after each ``LISTEN`` (nothing announced from then on is missed); while it is
disconnected ``connected`` is False and waiters poll the database as before.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Collection, Mapping

import psycopg
import structlog

from infrastructure.projection_listen import NotifyListener

logger = structlog.get_logger(__name__)

CHANNEL = "rectify_views"
WATCHER_APPLICATION_NAME = "rectify_view_watch"


def decode_positions(payload: str) -> dict[str, int]:
    """A progress announcement's positions; anything else (a foreign NOTIFY) is ignored."""
    try:
        decoded = json.loads(payload)
    except ValueError:
        return {}
    if not isinstance(decoded, dict):
        return {}
    return {str(k): v for k, v in decoded.items() if isinstance(v, int)}


class Announcer:
    """Sends the host's positions on a connection of its own, opened on first use.

    A connection found dead is replaced once; a second failure propagates, so the host
    retries the announcement with its batch loop's backoff.
    """

    def __init__(self, conninfo: str, channel: str = CHANNEL) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    def announce(self, positions: Mapping[str, int]) -> None:
        payload = json.dumps(dict(positions), separators=(",", ":"))
        try:
            self._send(payload)
        except psycopg.OperationalError:
            self.close()
            self._send(payload)

    def _send(self, payload: str) -> None:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5)
        self._conn.execute("SELECT pg_notify(%s, %s)", (self.channel, payload))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class ViewWatcher:
    """The views' positions as last announced, and a condition to wait on for them."""

    def __init__(
        self,
        conninfo: str,
        read_positions: Callable[[], Mapping[str, int]],
        *,
        channel: str = CHANNEL,
        first_backoff: float = 0.5,
    ) -> None:
        self._read_positions = read_positions
        self._changed = threading.Condition()
        self._known: dict[str, int] = {}
        self._connected = False
        self._listener = NotifyListener(
            conninfo,
            channel,
            self._on_notify,
            on_connected=self._on_connected,
            on_lost=self._on_lost,
            first_backoff=first_backoff,
            application_name=WATCHER_APPLICATION_NAME,
        )
        self._started = False
        self._stopping = False
        self._starting = threading.Lock()

    @property
    def connected(self) -> bool:
        return self._connected

    def start(self) -> None:
        if self._started:  # every wait calls this: no lock once running
            return
        with self._starting:
            if not self._started:
                self._stopping = False
                self._listener.start()
                self._started = True

    def stop(self) -> None:
        with self._starting:
            if self._started:
                self._stopping = True
                self._listener.stop()
                self._started = False

    def merge(self, positions: Mapping[str, int]) -> None:
        """Positions only move forward: keep the highest seen per view, wake the waiters."""
        with self._changed:
            known = self._known
            for name, position in positions.items():
                if position > known.get(name, 0):
                    known[name] = position
            self._changed.notify_all()

    def wait_until(self, names: Collection[str], position: int, timeout: float) -> bool:
        """While connected, block until every named view is known to have reached
        ``position`` (True), or ``timeout`` passes or the connection drops (False)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._connected:
                if all(self._known.get(n, 0) >= position for n in names):
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            return False

    def _on_notify(self, payload: str) -> None:
        self.merge(decode_positions(payload))

    def _on_connected(self) -> None:
        self.merge(self._read_positions())  # after LISTEN: later announcements all arrive
        with self._changed:
            self._connected = True
            self._changed.notify_all()

    def _on_lost(self) -> None:
        with self._changed:
            was, self._connected = self._connected, False
            self._changed.notify_all()
        if was and not self._stopping:
            logger.warning("view_progress_polling", reason="listen connection lost")
