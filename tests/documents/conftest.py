from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from application.ports import FixedClock
from tests.builders import World, build_world
from tests.conftest import CAMPAIGN_NOW, database_url

LEADER = {"name": "张建国", "title": "副主任", "phone": "010-65001234"}
LIAISON = {
    "name": "李明",
    "title": "综合处处长",
    "phone": "13900001111",
    "level": "division_chief",
}


def at(day: date, hour: int = 10) -> datetime:
    """A moment on this campaign day (Asia/Shanghai), for the fixed clock."""
    return datetime.combine(day, time(hour), ZoneInfo("Asia/Shanghai")).astimezone(UTC)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    built = build_world(database_url(request.param, tmp_path, request), clock)
    yield built
    built.container.close()


@pytest.fixture
def memory_world(clock: FixedClock) -> Iterator[World]:
    """For what does not depend on the store: rendering, document content."""
    built = build_world("memory:", clock)
    yield built
    built.container.close()


# Accountability records of every kind, for the notices' tests.
def _failed_twice(world: World) -> UUID:
    _issue_id, item_id = world.rectified_item()
    world.app.record_verification(world["coord"], item_id, passed=False, comment="账实仍不相符")
    world.app.record_rectification(
        world["bj-clerk"], item_id, description="再次补登", evidence=world.evidence()
    )
    world.app.record_verification(world["coord2"], item_id, passed=False, comment="佐证不足")
    return item_id


def _falsified(world: World) -> UUID:
    _, item_id = world.rectified_item(office="sh", by="sh-clerk")
    world.app.record_verification(world["coord"], item_id, passed=True)
    world.app.flag_falsification(world["auditor"], item_id, reason="佐证照片系整改前拍摄")
    return item_id


def _overdue(world: World) -> UUID:
    issue = world.issue(title="办公用房长期闲置", category="real_estate", subtype="long_idle")
    item = world.item(issue.id, measure="盘活闲置办公用房", deadline=world.today() + timedelta(3))
    return item.id


@pytest.fixture
def cases(world: World) -> dict[str, UUID]:
    found = {"ineffective": _failed_twice(world), "falsified": _falsified(world)}
    found["lagging"] = _overdue(world)
    world.clock.set(CAMPAIGN_NOW + timedelta(days=10))  # 2026-10-20: the deadline has passed
    return found


def lagging_notice(world: World, cases: dict[str, UUID]) -> UUID:
    """A draft notice citing the lagging item of ``cases``."""
    return world.app.draft_notice(world["coord"], record_ids=[f"lagging:{cases['lagging']}"]).id
