"""The audit log without its routine records: sign-ins and the records' own bookkeeping
(stored answers of retried requests, the import's row index) left out on request, on the
read model, the API, the console and the command line alike; by default every event."""

from __future__ import annotations

from tests.builders import World
from tests.projections.support import fresh_views

ROUTINE = {"LoggedIn", "Recorded", "Indexed"}


def routine_work(world: World) -> None:
    """A sign-in, and a problem recorded by a request sent with an Idempotency-Key."""
    world.app.log_in("bj-clerk", "secret", request_id="sign-in")
    world.issue(by=world.caller("bj-clerk", request_id="req-key", idempotency_key="key-1"))


def test_the_read_model_leaves_the_routine_out_on_request(world: World) -> None:
    routine_work(world)
    views = fresh_views(world)

    every = {r.event_type for r in views.audit_events(page_size=200).items}
    work = {r.event_type for r in views.audit_events(page_size=200, routine=False).items}

    assert {"LoggedIn", "Recorded", "Found"} <= every
    assert "Found" in work
    assert not work & ROUTINE
    assert views.audit_events(routine=False).total < views.audit_events().total
