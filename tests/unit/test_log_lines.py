"""Log lines stay whole when threads log at once (JSON logs are read line by line)."""

from __future__ import annotations

import io
import json
import sys
import threading
import time

import pytest
import structlog

from infrastructure.logging import configure_logging

THREADS = 8
LINES = 100


class YieldingStream(io.StringIO):
    """A stream that lets other threads run inside each write, as a pipe or a file does
    while the system call is under way."""

    def write(self, text: str) -> int:
        time.sleep(0)
        return super().write(text)


def test_each_json_record_is_a_line_of_its_own_when_threads_log_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = YieldingStream()
    monkeypatch.setattr(sys, "stderr", stream)
    before = structlog.get_config()
    configure_logging(log_format="json", level="info")
    start = threading.Barrier(THREADS)

    def log_lines(n: int) -> None:
        log = structlog.get_logger("rectify.test")
        start.wait()
        for k in range(LINES):
            log.info("tick", thread=n, k=k, text="整改" * 20)

    try:
        threads = [threading.Thread(target=log_lines, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        structlog.configure(**before)

    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(records) == THREADS * LINES
    assert {(r["thread"], r["k"]) for r in records} == {
        (n, k) for n in range(THREADS) for k in range(LINES)
    }
