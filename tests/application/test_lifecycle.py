from __future__ import annotations

from tests.builders import World


def test_an_issue_closes_when_its_only_item_is_verified(world: World) -> None:
    issue_id, item_id = world.rectified_item()

    world.app.record_verification(world["coord"], item_id, passed=True, comment="到位")

    assert world.app.get_issue(world["coord"], issue_id).status == "closed"
    assert world.app.get_item(world["coord"], item_id).status == "verified"


def test_history_names_every_actor_in_order(world: World) -> None:
    issue_id, item_id = world.rectified_item()
    world.app.record_verification(world["coord2"], item_id, passed=True)

    history = world.app.case_history(world["auditor"], issue_id)

    steps = [(e.event_type, e.actor["name"]) for e in history]
    assert ("Found", "bj-clerk") in steps
    assert ("Approved", "coord") in steps
    assert ("VerificationPassed", "coord2") in steps
    assert all(e.request_id for e in history)
