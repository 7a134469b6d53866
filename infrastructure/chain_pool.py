"""A long PostgreSQL log walked in ranges by several processes sharing one snapshot.

The walk hashes on one core; a log of a national campaign is verified faster when processes
take its ranges in turn (docs/performance.md, section 4). ``RangePool`` cuts nothing itself:
it is given the ranges (``chain_range.cut``); this process and each child (``chain_child``)
take the next range until none is left, so a child that starts late or runs slow just takes
fewer. The children read in the snapshot this process exports, so every walker sees exactly
the log this process sees.

The answer never depends on a child: one that cannot start, exits, says something that is
not a whole answer, answers a part that does not start at the hash stored before its range
or, unbroken, end at the one stored at its range's end, or goes unheard for
``Spread.silence_limit`` seconds while it walks (a child's query waits at most
``lock_timeout`` for a lock) is killed and its range goes back to the others. A range whose
child's reader is gone without giving it back is taken back all the same. When PostgreSQL
refuses to export the snapshot, ``SnapshotNotShared`` tells the caller to walk the log in
one process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import psycopg
import structlog

from infrastructure.chain_range import Range, stored_before, walk_range
from infrastructure.chain_sources import PostgresChainSource
from infrastructure.chain_walk import Part

logger = structlog.get_logger(__name__)

WAIT_TICK_SECONDS = 0.2


@dataclass(frozen=True)
class Spread:
    """How a long log is spread over processes (from the settings, in ``verify_chain``)."""

    processes: int = 1  # this one and processes - 1 children
    from_events: int = 0  # a shorter log is walked by this process alone
    lock_timeout: int = 5  # seconds a child's query waits for a table lock
    connect_timeout: int = 5  # seconds a child waits for its connection
    silence_limit: float = 60.0  # seconds a child walking a range may go unheard


class SnapshotNotShared(Exception):
    """PostgreSQL refused to export the snapshot; the source that asked can no longer be
    read (its transaction is aborted)."""


class RangePool:
    """The ranges, taken in order by this process and its children; ``parts()`` answers
    the parts in order up to and including the first that breaks."""

    def __init__(
        self,
        source: PostgresChainSource,
        *,
        conninfo: str,
        events_table: str,
        ranges: list[Range],
        last: int,
        spread: Spread,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.source = source
        self.ranges = ranges
        self.last = last  # the last position in the snapshot
        self.spread = spread
        self.pending = deque(ranges)
        self.done: dict[int, Part] = {}
        self.first_break: int | None = None  # the index of the first range found broken
        self.changed = threading.Condition()
        self.on_progress = on_progress
        self.walking: tuple[Range, int] | None = None  # this process's range and position
        self.walked_by: dict[int, object] = {}  # range index: the process that walked it
        self.children: list[_Child] = []
        try:
            snapshot = source.export_snapshot()
        except psycopg.Error as exc:
            raise SnapshotNotShared(f"{type(exc).__name__}: {exc}") from exc
        # where each range's walk starts, and last, where an unbroken walk of them all ends
        self.bounds = [stored_before(source, at) for at in [r.after for r in ranges] + [last]]
        self.header = {
            "conninfo": conninfo,
            "events_table": events_table,
            "snapshot": snapshot,
            "lock_timeout": spread.lock_timeout,
            "connect_timeout": spread.connect_timeout,
        }

    @property
    def walkers(self) -> int:
        """The processes whose parts the answer holds (counted after ``parts()``)."""
        return len({self.walked_by[index] for index in range(self._needed())})

    def parts(self) -> list[Part]:
        try:
            for _ in range(self.spread.processes - 1):
                _Child.start(self)
            while (piece := self._next_for_me()) is not None:
                self.walking = (piece, piece.after)
                part = walk_range(self.source, piece, self._walked)
                self.walking = None
                self.finished(piece, part, by=self)
        finally:
            for child in self.children:
                child.stop()
        self._tell()
        return [self.done[index] for index in range(self._needed())]

    def _needed(self) -> int:
        """How many ranges, from the first, the answer joins: all, or up to the first break."""
        return len(self.ranges) if self.first_break is None else self.first_break + 1

    def _next_for_me(self) -> Range | None:
        while True:
            with self.changed:
                if all(index in self.done for index in range(self._needed())):
                    return None
                piece = self.take()
                if piece is not None:
                    return piece
                self._take_back_lost()
                self.changed.wait(WAIT_TICK_SECONDS)
            for child in self.children:
                child.watch(self.spread.silence_limit)
            self._tell()

    def _take_back_lost(self) -> None:
        """Queue again any range still needed that nobody holds: one whose child's reader
        ended without giving it back. Call under ``changed``."""
        held = {c.at[0].index for c in self.children if c.at is not None and c.reader.is_alive()}
        queued = {piece.index for piece in self.pending}
        for index in range(self._needed()):
            if index not in self.done and index not in queued and index not in held:
                self.pending.appendleft(self.ranges[index])
                _warn("verify_range_taken_back", after=self.ranges[index].after)

    def take(self) -> Range | None:
        """The next range still worth walking (none past a break); call under ``changed``."""
        while self.pending:
            piece = self.pending.popleft()
            if self.first_break is None or piece.index < self.first_break:
                return piece
        return None

    def fits(self, piece: Range, part: Part) -> None:
        """A part answered for ``piece`` must start at the hash stored before it and,
        unbroken, end at the one stored at its end; otherwise ``ValueError``."""
        upto = self.last if piece.upto is None else piece.upto
        start, end = self.bounds[piece.index], self.bounds[piece.index + 1]
        head = part.head_position
        if (part.start_position, part.start_hash) != start:
            raise ValueError(f"its part for the range after {piece.after} starts elsewhere")
        if part.broken is None and (head, part.head_hash) != end:
            raise ValueError(f"its part for the range after {piece.after} ends elsewhere")
        if head != start[0] and (head is None or not piece.after < head <= upto):
            raise ValueError(f"its part for the range after {piece.after} ends outside it")
        if not 0 <= part.count <= upto - piece.after:
            raise ValueError(f"its part for the range after {piece.after} counts {part.count}")

    def finished(self, piece: Range, part: Part, *, by: object) -> None:
        with self.changed:
            self.done[piece.index] = part
            self.walked_by[piece.index] = by
            if part.broken is not None and (
                self.first_break is None or piece.index < self.first_break
            ):
                self.first_break = piece.index
            self.changed.notify_all()

    def _walked(self, position: int) -> None:
        if self.walking is not None:
            self.walking = (self.walking[0], position)
        self._tell()

    def _tell(self) -> None:
        """Progress, told from this process's thread only: the positions walked so far."""
        if self.on_progress is None:
            return
        with self.changed:  # read together; told after, so the callback never holds the lock
            finished = list(self.done)
            walking = [self.walking, *(child.at for child in self.children)]
        done = sum(self.ranges[index].size(self.last) for index in finished)
        for at in walking:
            if at is not None and at[0].index not in finished:
                piece, position = at
                done += max(position - piece.after, 0)
        self.on_progress(done)


def _warn(event: str, **details: Any) -> None:
    """Logged if it can be: a full disk or a closed stderr never loses a range."""
    with suppress(Exception):
        logger.warning(event, **details)


def child_command() -> list[str]:
    """``-P``: the child finds the project on the path ``_child_env`` sets, never in the
    working directory, where a folder of the same name would shadow it."""
    return [sys.executable, "-P", "-m", "infrastructure.chain_child"]


def _child_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return os.environ | {"PYTHONPATH": root if not path else root + os.pathsep + path}


class _Child:
    """One child process walking the ranges the pool gives it. Its reader thread takes its
    answers; whatever ends them (exit, kill, a line that is not a whole answer) gives the
    range it held back to the pool, unless the pool has stopped."""

    def __init__(self, pool: RangePool, process: subprocess.Popen[bytes], errors: IO[bytes]):
        stdin, stdout = process.stdin, process.stdout
        if stdin is None or stdout is None:
            raise ValueError("a range walker talks through two pipes")
        self.pool, self.process = pool, process
        self.stdin, self.stdout, self.errors = stdin, stdout, errors
        self.at: tuple[Range, int] | None = None  # the range it walks and how far it is
        self.heard = time.monotonic()
        self.stopped = False
        self.silenced: str | None = None  # why this process killed it
        self.reader = threading.Thread(target=self._read, name="verify-range", daemon=True)

    @classmethod
    def start(cls, pool: RangePool) -> None:
        """A child started with a first range; one that cannot start (no program, no
        writable temporary directory) leaves its share to the others."""
        errors: IO[bytes] | None = None
        try:
            # read once it has exited, so it never fills a pipe; closed by stop()
            errors = tempfile.TemporaryFile()  # noqa: SIM115 - it outlives this call
            process = subprocess.Popen(
                child_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=_child_env(),
            )
        except OSError as exc:
            if errors is not None:
                errors.close()
            _warn("verify_range_child_not_started", reason=str(exc))
            return
        try:
            child = cls(pool, process, errors)
            pool.children.append(child)  # from here on the pool stops it, however it ends
        except BaseException:
            process.kill()
            process.wait()
            errors.close()
            raise
        with suppress(OSError):  # gone already: its range is given back when its output ends
            child._send(pool.header)
            child._next()
        child.reader.start()

    def _send(self, message: dict[str, Any]) -> None:
        self.stdin.write(json.dumps(message).encode() + b"\n")
        self.stdin.flush()

    def _next(self) -> None:
        """Give the child the next range, or end its input when none is left."""
        with self.pool.changed:
            piece = self.pool.take()
            self.at = None if piece is None else (piece, piece.after)
        if piece is None:
            self.stdin.close()
            return
        self.heard = time.monotonic()
        self._send(asdict(piece))

    def _read(self) -> None:
        failure = None
        try:
            for line in self.stdout:
                self.heard = time.monotonic()
                if not line.endswith(b"\n"):
                    raise ValueError(f"its output ended inside a line: {line[:60]!r}")
                self._answer(line[:-1])
        except Exception as exc:
            failure = f"{type(exc).__name__}: {exc}"
        finally:
            self._end(failure)

    def _answer(self, line: bytes) -> None:
        kind, _, rest = line.partition(b" ")
        at = self.at
        if at is None:
            raise ValueError(f"it answered {kind[:20]!r} walking no range")
        if kind == b"at":
            self.at = (at[0], int(rest))
        elif kind == b"part":
            part = Part.from_json(json.loads(rest))
            self.pool.fits(at[0], part)
            self.pool.finished(at[0], part, by=self)
            with suppress(OSError):
                self._next()
        else:
            raise ValueError(f"an answer of an unknown kind: {kind[:20]!r}")

    def _end(self, failure: str | None) -> None:
        """Its range goes back to the pool first, then why is told, if it can be."""
        with self.pool.changed:
            at, self.at = self.at, None
            given = None if at is None or self.stopped else at[0]
            if given is not None:
                self.pool.pending.appendleft(given)
                self.pool.changed.notify_all()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if given is not None:  # told even if the pool has walked it and stopped meanwhile
            _warn("verify_range_given_back", after=given.after, reason=self._why(failure))

    def _why(self, failure: str | None) -> str:
        if self.silenced or failure:
            return self.silenced or failure or ""
        try:
            self.errors.seek(0)
            lines = self.errors.read().decode(errors="replace").strip().splitlines()
        except (OSError, ValueError) as exc:
            lines = [f"its stderr could not be read: {exc}"]
        return f"exit {self.process.returncode}: {lines[-1] if lines else 'no message'}"

    def watch(self, limit: float) -> None:
        """Kill the child if it walks a range and has not been heard for ``limit`` seconds:
        its range goes back when its output ends."""
        if self.at is None or self.silenced is not None:
            return
        if time.monotonic() - self.heard > limit:
            self.silenced = f"silent for over {limit:g} s"
            self.process.kill()

    def stop(self) -> None:
        self.stopped = True  # its range is not given back: nobody walks any more
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.reader.ident is not None:
            self.reader.join()
        for stream in (self.stdin, self.stdout, self.errors):
            with suppress(OSError):
                stream.close()
