"""Two ways a host applies a batch: following the log, and catching up a long stretch.

On SQLite and PostgreSQL. A short batch (the host following the log, a few events after
each write) goes to every view in one transaction, on PostgreSQL in a pipeline: a failure
in any view leaves every view where it was. A long stretch keeps a transaction per view
(several at once on PostgreSQL), so a failing view holds no other back.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from infrastructure import projection_runtime
from projections.registry import VIEWS
from projections.store import Batch, Pending
from tests.builders import World
from tests.integration.test_projection_exactly_once import Crash, crash_before_commit
from tests.projections.support import dump, fresh_views, live, rebuilt, scripted_campaign
from tests.projections.support import stored_world as stored_world

LAST = VIEWS[-1]  # applied after every other view in a batch


def test_a_short_batch_that_fails_in_any_view_moves_no_view(
    stored_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = stored_world.container.projections
    fresh_views(stored_world)
    before = host.positions()
    scripted_campaign(stored_world)
    new = host.log.head() - max(before.values())
    assert 0 < new < projection_runtime.FOLLOW_EVENTS, "the campaign fits in one short batch"

    with crash_before_commit(monkeypatch, LAST.name) as crashed, pytest.raises(Crash):
        host.catch_up()

    assert crashed
    assert host.positions() == before  # the views applied before the failing one too
    host.catch_up()
    assert host.positions() == {v.name: host.log.head() for v in VIEWS}
    for view in VIEWS:
        assert dump(live(stored_world.container, view)) == dump(
            rebuilt(stored_world.container, view)
        ), view.name


def test_a_long_stretch_that_fails_in_one_view_moves_the_others(
    stored_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(projection_runtime, "FOLLOW_EVENTS", 1)  # every batch counts as long
    host = stored_world.container.projections
    fresh_views(stored_world)
    before = host.positions()
    scripted_campaign(stored_world)
    head = host.log.head()

    with crash_before_commit(monkeypatch, LAST.name), pytest.raises(Crash):
        host.catch_up()

    assert host.positions() == {v.name: head for v in VIEWS} | {LAST.name: before[LAST.name]}


def test_a_short_batch_sends_every_views_row_queries_before_reading_any(
    stored_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So that on PostgreSQL they travel in one round trip of the pipeline."""
    host = stored_world.container.projections
    fresh_views(stored_world)
    scripted_campaign(stored_world)
    steps: list[tuple[str, str]] = []
    request, receive = Batch.request, Batch.receive

    def requesting(batch: Batch, wanted: Iterable[tuple[str, str]]) -> list[Pending]:
        steps.append(("request", batch.store.view))
        return request(batch, wanted)

    def receiving(batch: Batch, pending: list[Pending]) -> None:
        steps.append(("receive", batch.store.view))
        receive(batch, pending)

    monkeypatch.setattr(Batch, "request", requesting)
    monkeypatch.setattr(Batch, "receive", receiving)
    host.catch_up()

    assert [step for step, _ in steps] == ["request"] * len(VIEWS) + ["receive"] * len(VIEWS)
    assert host.positions() == {v.name: host.log.head() for v in VIEWS}
    for view in VIEWS:
        assert dump(live(stored_world.container, view)) == dump(
            rebuilt(stored_world.container, view)
        ), view.name
