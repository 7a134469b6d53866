"""structlog, configured once: console lines in a terminal, JSON lines otherwise."""

from __future__ import annotations

import logging
import sys
import threading

import structlog

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


_ONE_LINE_AT_A_TIME = threading.Lock()


class _CurrentStderr:
    """Writes each line to whatever ``sys.stderr`` is now, not what it was at configure time.

    A test harness or an embedding host may swap and close streams; a logger bound to a
    closed one would raise on every later line. A line goes out whole, in one write under a
    lock: ``print`` writes the text and its newline apart, so two threads logging at once
    could put two JSON records on one line.
    """

    def msg(self, message: str) -> None:
        line = message + "\n"
        with _ONE_LINE_AT_A_TIME:
            stream = sys.stderr
            stream.write(line)
            stream.flush()

    log = debug = info = warn = warning = error = critical = exception = fatal = msg


def _stderr_logger(*_args: object) -> _CurrentStderr:
    return _CurrentStderr()


def configure_logging(*, log_format: str = "auto", level: str = "info") -> None:
    use_json = log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if use_json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS[level]),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=True,
    )
