from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from application.ports import FixedClock
from tests.builders import World, build_world
from tests.conftest import CAMPAIGN_NOW, database_url

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock) -> Iterator[World]:
    """The same application suite runs, unchanged, on POPO, SQLite and PostgreSQL."""
    built = build_world(database_url(request.param, tmp_path, request), clock)
    yield built
    built.container.close()


@pytest.fixture(scope="module", params=BACKENDS)
def shared_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One world per backend for a whole module whose tests each build their own cases
    and compare positions before and after: cheaper than a database per test."""
    tmp: Path = tmp_path_factory.mktemp(f"shared-{request.param}")
    built = build_world(database_url(request.param, tmp, request), FixedClock(CAMPAIGN_NOW))
    yield built
    built.container.close()
