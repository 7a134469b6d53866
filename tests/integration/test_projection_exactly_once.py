"""Exactly once: a view's rows and its tracked position commit together or not at all.

On SQLite and PostgreSQL. A failure injected after a batch has written its rows but before
it commits leaves neither rows nor position behind, and a restarted host counts every event
once; an event delivered again after it was tracked changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from infrastructure.projection_setup import build_host
from projections.base import ViewProjection
from projections.registry import VIEWS
from projections.store import Batch
from tests.builders import World
from tests.projections.support import dump, fresh_views, live, rebuilt, scripted_campaign
from tests.projections.support import stored_world as stored_world


class Crash(Exception):
    """The process dies between writing a batch and committing it."""


@contextmanager
def crash_before_commit(monkeypatch: pytest.MonkeyPatch, view: str) -> Iterator[list[int]]:
    """Make the named view's batches write everything, then fail before the commit."""
    original = Batch.flush
    crashed: list[int] = []

    def flush_then_crash(batch: Batch) -> None:
        original(batch)
        if batch.store.view == view:
            crashed.append(batch.position)
            raise Crash(view)

    with monkeypatch.context() as patched:
        patched.setattr(Batch, "flush", flush_then_crash)
        yield crashed


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_a_failure_before_commit_then_a_restart_counts_every_event_once(
    stored_world: World, monkeypatch: pytest.MonkeyPatch, view: type[ViewProjection]
) -> None:
    built = stored_world.container
    world_views = fresh_views(stored_world)
    before = live(stored_world.container, view).position()
    scripted_campaign(stored_world)

    with crash_before_commit(monkeypatch, view.name) as crashed, pytest.raises(Crash):
        built.projections.catch_up()

    assert crashed, "the batch reached its commit"
    assert live(stored_world.container, view).position() == before
    restarted = build_host(built.app, built.db, built.campaign)
    restarted.catch_up()
    head = restarted.log.head()
    assert restarted.positions() == {v.name: head for v in VIEWS}
    assert dump(live(stored_world.container, view)) == dump(rebuilt(stored_world.container, view))
    audit = world_views.audit_events(page_size=1)
    assert audit.total == len(restarted.log.read(0, 100_000))


def test_events_delivered_again_after_tracking_change_nothing(stored_world: World) -> None:
    scripted_campaign(stored_world)
    host = stored_world.container.projections
    host.catch_up()
    every_event = host.log.read(0, 100_000)
    before = {p.name: dump(p.view) for p in host.projections}

    for projection in host.projections:
        assert projection.process_batch(every_event) == 0
        for event, tracking in every_event[-5:]:
            projection.process_event(event, tracking)  # the library's entry point

    assert {p.name: dump(p.view) for p in host.projections} == before


def test_the_library_entry_point_applies_a_new_event_once(stored_world: World) -> None:
    host = stored_world.container.projections
    host.catch_up()
    head = host.log.head()
    stored_world.issue(office="sd", by="coord", title="账外资产未入账")
    new_events = host.log.read(head, 10)

    for _ in range(2):
        for projection in host.projections:
            for event, tracking in new_events:
                projection.process_event(event, tracking)

    views = stored_world.container.read_models
    assert [i.title for i in views.issues(offices=frozenset({"sd"})).items] == ["账外资产未入账"]
    assert views.audit_events(case=new_events[0][0].originator_id).total == 1
    assert host.positions() == {v.name: new_events[-1][1].notification_id for v in VIEWS}


def test_two_hosts_interleaving_batches_count_every_event_once(stored_world: World) -> None:
    """A host keeps its positions in memory between batches: another host moving the same
    views on meanwhile makes that figure stale, which must cost re-reads, never a count."""
    built = stored_world.container
    scripted_campaign(stored_world)
    first = build_host(built.app, built.db, built.campaign, batch_size=3)
    second = build_host(built.app, built.db, built.campaign, batch_size=7)
    overtaken: list[int] = []

    def overtake(position: int, head: int) -> None:
        if not overtaken:  # once, after the first host's first batch
            overtaken.append(second.catch_up())

    first.catch_up(on_batch=overtake)

    head = first.log.head()
    assert overtaken == [len(first.log.read(0, 100_000)) - 3]  # the rest, by the second
    assert first.positions() == {v.name: head for v in VIEWS}
    for view in VIEWS:
        assert dump(live(built, view)) == dump(rebuilt(built, view))
