from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from application.ports import FixedClock
from tests.builders import World, build_world
from tests.conftest import database_url

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
