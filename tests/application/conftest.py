from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from application.ports import FixedClock
from tests.builders import World, build_world
from tests.conftest import database_url


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    """The same application suite runs, unchanged, on POPO, SQLite and PostgreSQL."""
    built = build_world(database_url(request.param, tmp_path, request), clock)
    yield built
    built.container.close()
