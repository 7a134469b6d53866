"""Leader and followers: appends queued while a group is written go together in the next one.

A stand-in for the database write records the groups it is given; the first caller is held
inside its write until the others have queued, so what is grouped is decided, not timed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from infrastructure.group_commit import GroupCommit, Outcome


def events(count: int) -> list[StoredEvent]:
    return [StoredEvent(uuid4(), 1, "tests:Noted", b"{}") for _ in range(count)]


class HeldWrites:
    """Numbers the events in order, like notification ids; holds the first write open."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []
        self.release = threading.Event()
        self.entered = threading.Event()
        self.next_id = 1
        self.refuse: set[int] = set()  # sizes of appends answered with IntegrityError

    def __call__(self, groups: list[Sequence[StoredEvent]]) -> list[Outcome]:
        self.entered.set()
        self.release.wait()
        self.groups.append([len(g) for g in groups])
        outcomes: list[Outcome] = []
        for group in groups:
            if len(group) in self.refuse:
                outcomes.append(IntegrityError("clash"))
                continue
            outcomes.append(list(range(self.next_id, self.next_id + len(group))))
            self.next_id += len(group)
        return outcomes


def run_queued(committer: GroupCommit, writes: HeldWrites, sizes: list[int]) -> list[object]:
    """The first append leads and is held; the others queue behind it; then all proceed."""
    answers: list[object] = [None] * len(sizes)

    def append(n: int) -> None:
        try:
            answers[n] = committer.append(events(sizes[n]))
        except Exception as error:  # the caller's own answer
            answers[n] = error

    first = threading.Thread(target=append, args=(0,))
    first.start()
    writes.entered.wait()
    others = [threading.Thread(target=append, args=(n,)) for n in range(1, len(sizes))]
    for thread in others:
        thread.start()
    while committer.queued() < len(sizes) - 1:
        threading.Event().wait(0.001)
    writes.release.set()
    for thread in [first, *others]:
        thread.join()
    return answers


def test_appends_queued_behind_a_write_are_written_as_one_group() -> None:
    writes = HeldWrites()
    committer = GroupCommit(writes, max_events=100)

    answers = run_queued(committer, writes, [1, 2, 1, 3])

    assert writes.groups[0] == [1]
    assert sorted(writes.groups[1]) == [1, 2, 3]
    assert len(writes.groups) == 2
    assert all(isinstance(a, list) for a in answers)
    assert sorted(i for a in answers if isinstance(a, list) for i in a) == list(range(1, 8))


def test_a_group_stops_before_max_events() -> None:
    writes = HeldWrites()
    committer = GroupCommit(writes, max_events=3)

    run_queued(committer, writes, [1, 2, 2, 2])

    assert writes.groups == [[1], [2], [2], [2]]


def test_only_the_refused_caller_gets_its_error() -> None:
    writes = HeldWrites()
    writes.refuse = {2}
    committer = GroupCommit(writes)

    answers = run_queued(committer, writes, [1, 2, 1])

    assert isinstance(answers[1], IntegrityError)
    assert isinstance(answers[0], list)
    assert isinstance(answers[2], list)


def test_a_failed_write_reaches_every_caller_and_the_next_append_still_leads() -> None:
    writes = HeldWrites()
    failures = [ConnectionError("gone")]

    def fail_once(groups: list[Sequence[StoredEvent]]) -> list[Outcome]:
        if failures:
            raise failures.pop()
        return writes(groups)

    committer = GroupCommit(fail_once)
    with pytest.raises(ConnectionError):
        committer.append(events(1))
    writes.release.set()

    assert committer.append(events(2)) == [1, 2]
    assert committer.append(events(1)) == [3]
