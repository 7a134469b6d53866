"""Group commit: appends arriving together in one process share one transaction.

Leader and followers, no thread of its own. A caller queues its append; if no write is in
progress it leads: it takes every append queued so far (itself included, up to
``max_events``), writes them with ``write_group`` and hands each caller its own answer. The
callers that queued meanwhile wait; when the write is done the first of them is woken to
lead the next group, so a leader never writes more than one group and returns as soon as its
own append is answered. Nobody is answered before the group's transaction has committed.

``write_group`` gets the groups' event lists in queue order and answers, for each, either its
notification ids or the exception that caller is to raise (so one caller's version clash can
be answered to that caller alone).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from eventsourcing.persistence import StoredEvent

Outcome = Sequence[int] | BaseException
WriteGroup = Callable[[list[Sequence[StoredEvent]]], list[Outcome]]


@dataclass(eq=False)
class _Append:
    events: Sequence[StoredEvent]
    answered: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome | None = None
    lead: bool = False


class GroupCommit:
    def __init__(self, write_group: WriteGroup, *, max_events: int = 1000) -> None:
        self._write_group = write_group
        self.max_events = max_events
        self._mutex = threading.Lock()
        self._queue: list[_Append] = []
        self._writing = False

    def append(self, events: Sequence[StoredEvent]) -> Sequence[int]:
        mine = _Append(events)
        with self._mutex:
            self._queue.append(mine)
            mine.lead = not self._writing
            self._writing = True
        if not mine.lead:
            mine.answered.wait()
        if mine.lead:  # first in, or woken to lead the next group
            self._lead()
        outcome = mine.outcome
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None
        return outcome

    def queued(self) -> int:
        """Appends waiting for a group (not yet taken by a leader)."""
        with self._mutex:
            return len(self._queue)

    def _lead(self) -> None:
        group = self._take()
        try:
            outcomes = self._write_group([append.events for append in group])
        except BaseException as error:  # every caller of the group gets it, then it goes on
            outcomes = [error] * len(group)
        finally:
            self._hand_over()
        for append, outcome in zip(group, outcomes, strict=True):
            append.outcome = outcome
            append.answered.set()

    def _take(self) -> list[_Append]:
        with self._mutex:
            group: list[_Append] = []
            events = 0
            for append in self._queue:
                if group and events + len(append.events) > self.max_events:
                    break
                group.append(append)
                events += len(append.events)
            del self._queue[: len(group)]
            return group

    def _hand_over(self) -> None:
        """Wake the first queued caller to lead the next group, or stop writing."""
        with self._mutex:
            if not self._queue:
                self._writing = False
                return
            successor = self._queue[0]
        successor.lead = True
        successor.answered.set()
