"""A stop signal reaching the views' worker while it writes a log line must not hang it."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator

import pytest
import structlog

from infrastructure import logging as rectify_logging
from infrastructure.logging import configure_logging
from infrastructure.projection_processes import Signalled


@pytest.fixture
def signalled() -> Iterator[Signalled]:
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    configure_logging(log_format="json", level="info")
    try:
        yield Signalled()
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        structlog.reset_defaults()


def test_the_handler_returns_while_a_log_line_is_being_written(signalled: Signalled) -> None:
    """The handler runs between two bytecodes of whatever the thread was doing, possibly
    inside the log writer's lock: it must not take that lock itself."""
    with rectify_logging._ONE_LINE_AT_A_TIME:  # a line half written
        handler = threading.Thread(target=signalled._on_signal, args=(signal.SIGTERM, None))
        handler.start()
        handler.join(timeout=5)
        returned = not handler.is_alive()
    handler.join()
    assert returned
    assert signalled.signum == signal.SIGTERM


def test_the_stop_is_logged_once_by_whoever_reads_it(
    signalled: Signalled, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not signalled.raised
    signalled._on_signal(signal.SIGINT, None)

    assert signalled.raised
    assert signalled.raised
    lines = [line for line in capsys.readouterr().err.splitlines() if "stopping" in line]
    assert len(lines) == 1
    assert "SIGINT" in lines[0]
