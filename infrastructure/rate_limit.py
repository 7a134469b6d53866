"""A simple per-account request limit: so many requests per clock minute, per process."""

from __future__ import annotations

import threading
from datetime import datetime

from application.ports import Clock


class RateLimited(Exception):
    """The caller sent more requests this minute than the limit allows (429)."""

    def __init__(self, *, limit: int, retry_after: int) -> None:
        super().__init__(f"more than {limit} requests in a minute; retry in {retry_after} s")
        self.message = str(self)
        self.retry_after = retry_after


class RateLimiter:
    """A fixed one-minute window per key, read from the injectable clock."""

    def __init__(self, *, per_minute: int, clock: Clock) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._counts: dict[str, int] = {}
        self._window: datetime | None = None
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        now = self.clock.now()
        window = now.replace(second=0, microsecond=0)
        with self._lock:
            if window != self._window:
                self._window = window
                self._counts.clear()
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
        if count > self.per_minute:
            retry_after = max(1, 60 - now.second)
            raise RateLimited(limit=self.per_minute, retry_after=retry_after)
