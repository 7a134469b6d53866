"""Expected versions: a command on a case that changed since the caller read it is refused."""

from __future__ import annotations

import pytest

from application.errors import VersionConflict
from tests.builders import World


def test_a_command_at_the_expected_version_applies(world: World) -> None:
    _, item_id = world.planned_item()
    version = world.app.get_item(world["bj-clerk"], item_id).version

    result = world.app.request_approval(world["bj-clerk"], item_id, expected_version=version)

    assert result.version == version + 1


def test_a_stale_expected_version_is_a_conflict_and_records_nothing(world: World) -> None:
    _, item_id = world.planned_item()
    stale = world.app.get_item(world["bj-clerk"], item_id).version
    world.app.reassign(world["bj-clerk"], item_id, responsible="李娜", reason="人员调整")
    position = world.last_position()

    with pytest.raises(VersionConflict) as refused:
        world.app.request_approval(world["bj-clerk"], item_id, expected_version=stale)

    assert refused.value.field == "expected_version"
    assert world.last_position() == position
    assert world.app.get_item(world["bj-clerk"], item_id).status == "planned"


def test_planning_an_item_checks_the_issues_version(world: World) -> None:
    issue = world.issue()
    world.item(issue.id)
    position = world.last_position()

    with pytest.raises(VersionConflict):
        world.item(issue.id, expected_version=issue.version)

    assert world.last_position() == position


def test_reopening_at_a_stale_version_leaves_the_issue_closed(world: World) -> None:
    issue_id, _ = world.verified_item()

    with pytest.raises(VersionConflict):
        world.app.reopen_issue(world["coord"], issue_id, reason="再次发现", expected_version=1)

    assert world.app.get_issue(world["coord"], issue_id).status == "closed"
