"""A long PostgreSQL log walked in ranges by several processes sharing one snapshot.

The walk hashes on one core; a log of a national campaign is verified faster when processes
take its ranges in turn (docs/performance.md, section 4). Every link is checked against the
hash stored before it, so a range is walked on its own from that stored hash
(``walk_range``), and the parts, joined in order up to the first break, answer exactly what
one walk over the whole log answers (``chain_walk``).

``RangePool`` cuts the log into ranges; this process and each child (``python -m
infrastructure.chain_range``) take the next range until none is left, so a child that
starts late or runs slow just takes fewer. A child reads its connection and the exported
snapshot as one JSON line on its standard input (never its command line, which would show a
password to ``ps``), then one JSON line per range; it answers ``at <position>`` after each
batch and ``part <json>`` after each range, and exits when its input ends. A child that
fails says why on its standard error; its range goes back to the others, so the answer never
depends on a child. It imports neither settings nor the application: it starts in a few
tenths of a second.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass
from typing import IO, Any

import structlog

from infrastructure import heap
from infrastructure.chain_sources import PostgresChainSource
from infrastructure.chain_walk import Part, Walk

logger = structlog.get_logger(__name__)

RANGES_PER_PROCESS = 8
WAIT_TICK_SECONDS = 0.2


@dataclass(frozen=True)
class Range:
    index: int  # its place in the log
    after: int  # the range is (after, upto]
    upto: int | None  # None: to the last event
    wanted: tuple[int, ...]  # checkpoint positions in it

    def size(self, last: int) -> int:
        return (last if self.upto is None else self.upto) - self.after


def cut(first: int, last: int, pieces: int, wanted: list[int]) -> list[Range]:
    """Positions ``first`` to ``last`` in ``pieces`` ranges of about equal length."""
    span = last - first + 1
    bounds = [first - 1 + span * n // pieces for n in range(pieces)]
    ends: list[int | None] = [*bounds[1:], None]
    return [
        Range(
            index,
            after,
            upto,
            tuple(p for p in wanted if p > after and (upto is None or p <= upto)),
        )
        for index, (after, upto) in enumerate(zip(bounds, ends, strict=True))
    ]


def walk_range(source: PostgresChainSource, piece: Range, on_batch: Callable[[int], None]) -> Part:
    """The range walked from the hash stored before it."""
    walk = Walk(source, wanted=piece.wanted, on_batch=on_batch)
    before = source.link_at_or_before(piece.after)
    if before is not None:
        # No link there: the range before breaks at that event, and this part goes unused.
        position, digest = before
        walk.resume_after(position, digest or b"")
    walk.walk(upto=piece.upto)
    return walk.part()


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
        children: int,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.source = source
        self.ranges = ranges
        self.last = last  # the last position in the snapshot
        self.pending = deque(ranges)
        self.done: dict[int, Part] = {}
        self.first_break: int | None = None  # the index of the first range found broken
        self.changed = threading.Condition()
        self.on_progress = on_progress
        self.walking: Range | None = None
        self.walked_to = 0
        header = {"conninfo": conninfo, "events_table": events_table}
        self.header = header | {"snapshot": source.export_snapshot()}
        self.wanted_children = children
        self.children: list[_Child] = []

    def parts(self) -> list[Part]:
        try:
            for _ in range(self.wanted_children):
                if (child := _Child.start(self)) is not None:
                    self.children.append(child)
            while (piece := self._next_for_me()) is not None:
                self.walking, self.walked_to = piece, piece.after
                part = walk_range(self.source, piece, self._walked)
                self.walking = None
                self.finished(piece, part)
        finally:
            for child in self.children:
                child.stop()
        self._tell()
        last = len(self.ranges) if self.first_break is None else self.first_break + 1
        return [self.done[index] for index in range(last)]

    def _next_for_me(self) -> Range | None:
        with self.changed:
            while not self._complete():
                piece = self.take()
                if piece is not None:
                    return piece
                self.changed.wait(WAIT_TICK_SECONDS)
                self._tell()
            return None

    def _complete(self) -> bool:
        last = len(self.ranges) if self.first_break is None else self.first_break + 1
        return all(index in self.done for index in range(last))

    def take(self) -> Range | None:
        """The next range still worth walking (none past a break); call under ``changed``."""
        while self.pending:
            piece = self.pending.popleft()
            if self.first_break is None or piece.index < self.first_break:
                return piece
        return None

    def finished(self, piece: Range, part: Part) -> None:
        with self.changed:
            self.done[piece.index] = part
            if part.broken is not None and (
                self.first_break is None or piece.index < self.first_break
            ):
                self.first_break = piece.index
            self.changed.notify_all()

    def give_back(self, piece: Range, why: str) -> None:
        logger.warning("verify_range_given_back", after=piece.after, reason=why)
        with self.changed:
            self.pending.appendleft(piece)
            self.changed.notify_all()

    def _walked(self, position: int) -> None:
        self.walked_to = position
        self._tell()

    def _tell(self) -> None:
        """Progress, told from this process's thread only: the positions walked so far."""
        if self.on_progress is None:
            return
        done = sum(self.ranges[index].size(self.last) for index in list(self.done))
        walking = [(self.walking, self.walked_to)] + [(c.piece, c.position) for c in self.children]
        for piece, position in walking:
            if piece is not None and piece.index not in self.done:
                done += max(position - piece.after, 0)
        self.on_progress(done)


def child_command() -> list[str]:
    return [sys.executable, "-m", "infrastructure.chain_range"]


class _Child:
    """One child process walking the ranges the pool gives it."""

    def __init__(self, pool: RangePool, process: subprocess.Popen[bytes]) -> None:
        stdin, stdout, stderr = process.stdin, process.stdout, process.stderr
        if stdin is None or stdout is None or stderr is None:
            raise ValueError("a range walker talks through three pipes")
        self.pool, self.process = pool, process
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.piece: Range | None = None  # the range it walks now
        self.position = 0
        self.stopped = False
        self.reader = threading.Thread(target=self._read, name="verify-range", daemon=True)

    @classmethod
    def start(cls, pool: RangePool) -> _Child | None:
        """A child started with a first range; one that cannot start (None) leaves its
        share to the others."""
        try:
            process = subprocess.Popen(
                child_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            logger.warning("verify_range_child_not_started", reason=str(exc))
            return None
        child = cls(pool, process)
        with suppress(OSError):  # gone already: its range is given back when its output ends
            child._send(pool.header)
            child._next()
        child.reader.start()
        return child

    def _send(self, message: dict[str, Any]) -> None:
        self.stdin.write(json.dumps(message).encode() + b"\n")
        self.stdin.flush()

    def _next(self) -> None:
        """Give the child the next range, or end its input when none is left."""
        with self.pool.changed:
            piece = self.pool.take()
            self.piece = piece
        if piece is None:
            self.stdin.close()
            return
        self.position = piece.after
        self._send(asdict(piece))

    def _read(self) -> None:
        for line in self.stdout:
            kind, _, rest = line.partition(b" ")
            if kind == b"at":
                self.position = int(rest)
            elif kind == b"part" and self.piece is not None:
                self.pool.finished(self.piece, Part.from_json(json.loads(rest)))
                with suppress(OSError):
                    self._next()
        self.process.wait()
        if self.piece is not None and not self.stopped:  # it ended before its answer
            self.pool.give_back(self.piece, self._why())
            self.piece = None

    def _why(self) -> str:
        lines = self.stderr.read().decode(errors="replace").strip().splitlines()
        return f"exit {self.process.returncode}: {lines[-1] if lines else 'no message'}"

    def stop(self) -> None:
        self.stopped = True  # its range is not given back: nobody walks any more
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join()
        for stream in (self.stdin, self.stdout, self.stderr):
            stream.close()


def _say(out: IO[bytes], kind: bytes, text: str) -> None:
    out.write(kind + b" " + text.encode() + b"\n")
    out.flush()


def main() -> int:  # pragma: no cover - runs in the child; tests drive it through RangePool
    header: dict[str, Any] = json.loads(sys.stdin.readline())
    heap.settle()  # a long walk: the collector leaves start-up's objects alone
    out = sys.stdout.buffer
    try:
        source = PostgresChainSource(
            header["conninfo"], events_table=header["events_table"], snapshot=header["snapshot"]
        )
        try:
            for line in sys.stdin:
                data = json.loads(line)
                piece = Range(**{**data, "wanted": tuple(data["wanted"])})
                part = walk_range(source, piece, lambda at: _say(out, b"at", str(at)))
                _say(out, b"part", json.dumps(part.as_json()))
        finally:
            source.close()
    except BrokenPipeError:
        return 1  # the parent is gone
    except Exception as exc:  # the parent gives its range to another: tell it why
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
