"""Concurrent clients in threads: each runs one operation in a loop until time is up.

Only operations that start after the warm-up and finish before the deadline count; the rate
is those operations over the measured window. psycopg releases the GIL while it waits on the
server, so threads are enough for the floor and the library (the HTTP service is driven by
wrk, a separate compiled program).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress

from bench.stats import Throughput

Operation = Callable[[], None]
Client = Callable[[int], AbstractContextManager[Operation]]


def drive(client: Client, *, clients: int, seconds: float, warmup: float) -> Throughput:
    """Run ``clients`` copies of the operation concurrently; answers their throughput."""
    window: dict[str, float] = {}

    def open_window() -> None:  # runs once, when every client is connected
        now = time.perf_counter()
        window["start"] = now + warmup
        window["end"] = now + warmup + seconds

    ready = threading.Barrier(clients + 1, action=open_window)
    samples: list[list[float]] = [[] for _ in range(clients)]
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            with client(n) as operation:
                ready.wait()
                start, end = window["start"], window["end"]
                mine = samples[n]
                clock = time.perf_counter
                while (began := clock()) < end:
                    operation()
                    finished = clock()
                    if began >= start and finished <= end:
                        mine.append(finished - began)
        except threading.BrokenBarrierError:
            return
        except BaseException as exc:
            failures.append(exc)
            ready.abort()

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    with suppress(threading.BrokenBarrierError):
        ready.wait()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"a bench client failed: {failures[0]!r}") from failures[0]
    return Throughput.of(clients, [s for mine in samples for s in mine], seconds)
